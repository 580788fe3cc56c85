"""What the user typed, as a plain query: wanted groups of alternatives, and exclusions.

The syntax is the one people know from web search engines, and nothing else is syntax:
- words, or a whole question: ``?``, ``!``, ``:``, parentheses, apostrophes and hyphens are
  text for the analyzer, never operators;
- ``"exact phrase"`` (also ``« »`` and ``“ ”``; an unclosed quote runs to the end);
- ``-mot`` and ``-"une phrase"`` exclude;
- ``OR`` or ``OU`` (upper case) between two words or phrases make them alternatives.

Parsing is one linear scan: it cannot fail and its cost grows with the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPERATORS_OR = frozenset({"OR", "OU"})

_TOKEN = re.compile(
    r'(?P<neg>-)?(?:"(?P<dq>[^"]*)"?|«(?P<fq>[^»]*)»?|“(?P<cq>[^”]*)”?)'
    r"|(?P<word>\S+)"
)


@dataclass(frozen=True)
class Clause:
    """A word (or run of characters between spaces) or a quoted phrase, as typed."""

    text: str
    phrase: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """Every group must be wanted; a group matches when any of its clauses matches."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    excluded: tuple[Clause, ...] = ()


def parse(text: str) -> ParsedQuery:
    """Parse what the user typed. Never raises; an empty text gives an empty query."""
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    join_next = False
    for match in _TOKEN.finditer(text):
        word = match.group("word")
        if word in OPERATORS_OR:
            join_next = bool(groups)
            continue
        clause, negated = _clause(match)
        if clause is None:
            continue
        if negated:
            excluded.append(clause)
        elif join_next:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        join_next = False
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))


def _clause(match: re.Match[str]) -> tuple[Clause | None, bool]:
    word = match.group("word")
    if word is not None:
        if word.startswith("-") and len(word) > 1:
            return Clause(word[1:]), True
        return Clause(word), False
    phrase = match.group("dq") or match.group("fq") or match.group("cq") or ""
    if not phrase.strip():
        return None, False
    return Clause(phrase.strip(), phrase=True), bool(match.group("neg"))
