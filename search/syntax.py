"""What the user typed, as a plain query: wanted groups of alternatives, and exclusions.

The syntax is the one people know from web search engines, and nothing else is syntax:
- words, or a whole question: ``?``, ``!``, ``:`` (with a space after it), parentheses,
  apostrophes and hyphens are text for the analyzer, never operators;
- ``"exact phrase"`` (also ``« »`` and ``“ ”``; an unclosed quote runs to the end);
- ``-mot`` and ``-"une phrase"`` exclude;
- ``OR`` or ``OU`` (upper case) between two words or phrases make them alternatives;
- ``titre:mot`` or ``title:"une phrase"`` search the title only;
- ``mot*`` matches the words that begin with ``mot``.

Parsing is one linear scan: it cannot fail and its cost grows with the length of the text.
Whether a clause can be searched (a prefix long enough, no leading ``*``) is judged later, when
it is compiled against the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPERATORS_OR = frozenset({"OR", "OU"})
FIELDS = {"titre": "title", "title": "title"}

_TOKEN = re.compile(
    r"(?P<neg>-)?(?:(?P<field>titre|title|TITRE|TITLE|Titre|Title):(?=\S))?"
    r'(?:"(?P<dq>[^"]*)"?|«(?P<fq>[^»]*)»?|“(?P<cq>[^”]*)”?|(?P<word>\S+))'
)


@dataclass(frozen=True)
class Clause:
    """A word (a run of characters between spaces) or a quoted phrase, as typed.

    ``field`` is ``"title"`` for a title-only clause, else ``None`` (title and body);
    ``prefix`` marks ``mot*`` (``text`` is then ``mot``); ``expansion`` marks an alternative
    the user did not type (a synonym added by ``synonyms``), which weighs less than the words
    typed.
    """

    text: str
    phrase: bool = False
    field: str | None = None
    prefix: bool = False
    expansion: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """Every group must be wanted; a group matches when any of its clauses matches."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    excluded: tuple[Clause, ...] = ()

    def clauses(self) -> list[Clause]:
        return [clause for group in self.groups for clause in group]


def parse(text: str) -> ParsedQuery:
    """Parse what the user typed. Never raises; an empty text gives an empty query."""
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    join_next = False
    for match in _TOKEN.finditer(text):
        if match.group("word") in OPERATORS_OR and not match.group("neg"):
            join_next = bool(groups)
            continue
        clause = _clause(match)
        if clause is None:
            continue
        if match.group("neg"):
            excluded.append(clause)
        elif join_next:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        join_next = False
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))


def _clause(match: re.Match[str]) -> Clause | None:
    field = FIELDS.get((match.group("field") or "").lower())
    word = match.group("word")
    if word is not None:
        if word.endswith("*") and word.strip("*"):
            return Clause(word.rstrip("*"), field=field, prefix=True)
        return Clause(word, field=field)
    phrase = (match.group("dq") or match.group("fq") or match.group("cq") or "").strip()
    return Clause(phrase, phrase=True, field=field) if phrase else None
