"""Synonyms at query time, from a plain text file anyone can edit (``synonyms.txt``).

Each line lists equivalent expressions separated by commas (``OTAN, NATO, Alliance
atlantique``); ``#`` starts a comment. Expressions are compared after analysis, so accents, case
and apostrophes do not matter. ``reindex`` copies the file into the generation it builds, so the
synonyms served always belong to the served index and an edit applies from the next reindex.

Expansion works on the parsed query: a word, a phrase, or a run of consecutive words that
matches an expression gets the other expressions of its line as alternatives (several words are
then searched as a phrase): ``Union européenne budget`` becomes ``("Union européenne" OR UE)
budget``. The alternatives added are marked ``expansion``: they weigh less than what was typed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from search.analysis import analyze
from search.syntax import Clause, ParsedQuery

SYNONYMS_FILE = "synonyms.txt"

Expression = tuple[str, ...]


def _key(text: str) -> Expression:
    return tuple(term.text for term in analyze(text) if not term.whole)


@dataclass
class Thesaurus:
    """Expressions by their analysed key, each with the other expressions of its line."""

    lines: list[list[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key: dict[Expression, list[str]] = {}
        for line in self.lines:
            for expression in line:
                key = _key(expression)
                if key:
                    others = [other for other in line if _key(other) != key]
                    self._by_key.setdefault(key, []).extend(others)
        self.longest = max((len(key) for key in self._by_key), default=0)

    def alternatives(self, key: Expression) -> list[str]:
        return self._by_key.get(key, [])

    def expand(self, parsed: ParsedQuery) -> ParsedQuery:
        """``parsed`` with synonyms added as alternatives of the groups they match."""
        if not self._by_key:
            return parsed
        groups = list(parsed.groups)
        expanded: list[tuple[Clause, ...]] = []
        index = 0
        while index < len(groups):
            if len(groups[index]) > 1:  # OR'ed alternatives: each word on its own
                expanded.append(tuple(c for clause in groups[index] for c in self._one(clause)))
                index += 1
                continue
            taken, group = self._match(groups, index)
            expanded.append(group)
            index += taken
        return ParsedQuery(tuple(expanded), parsed.excluded)

    def _match(
        self, groups: list[tuple[Clause, ...]], index: int
    ) -> tuple[int, tuple[Clause, ...]]:
        """The longest run of plain groups from ``index`` naming an expression, as one group."""
        run: list[Clause] = []
        for group in groups[index:]:
            if len(group) != 1 or group[0].prefix or group[0].field or len(run) >= self.longest:
                break
            run.append(group[0])
        for size in range(len(run), 0, -1):
            clauses = run[:size]
            if size > 1 and any(c.phrase for c in clauses):
                continue
            text = " ".join(c.text for c in clauses)
            others = self.alternatives(_key(text))
            if others:
                typed = clauses[0] if size == 1 else Clause(text, phrase=True)
                extra = tuple(Clause(o, phrase=_is_phrase(o), expansion=True) for o in others)
                return size, (typed, *extra)
        return 1, groups[index]

    def _one(self, clause: Clause) -> tuple[Clause, ...]:
        if clause.prefix or clause.field:
            return (clause,)
        others = self.alternatives(_key(clause.text))
        return (clause, *(Clause(o, phrase=_is_phrase(o), expansion=True) for o in others))


def _is_phrase(expression: str) -> bool:
    """Several words (with spaces) are a phrase; one written word, even a compound, is not."""
    return len(expression.split()) > 1


def load(path: Path) -> Thesaurus:
    """The thesaurus in ``path`` (no file: no synonyms)."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Thesaurus()
    lines = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        expressions = [expression.strip() for expression in line.split(",") if expression.strip()]
        if len(expressions) > 1:
            lines.append(expressions)
    return Thesaurus(lines)


def copy_into(source: Path, generation: Path) -> None:
    """Give a generation its own copy of the synonyms file (an empty one if there is none)."""
    target = generation / SYNONYMS_FILE
    if source.is_file():
        shutil.copyfile(source, target)
    else:
        target.write_text("", "utf-8")
