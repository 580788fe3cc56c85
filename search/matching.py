"""Plain query to Whoosh queries, each clause analysed exactly as the documents were.

Promises:
- a word that is only stop words (``le``, ``a-t-elle``) adds nothing; a run of several words
  without spaces (``sécurité,défense``) counts as that many words;
- a compound (``porte-parole``) matches the whole or its parts side by side;
- a phrase keeps the distances between its words, so a removed stop word still takes its place:
  ``"secrétaire général"`` does not match ``secrétaire du général``;
- every unit is searched in the ``text`` field (title and body, see ``schema``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from whoosh import query as wq

from .analysis import Term, analyze, exact_terms_of
from .schema import SEARCH_FIELD
from .syntax import Clause, ParsedQuery

Unit = Callable[[str, float], wq.Query]  # (field, boost) -> query for that field


@dataclass(frozen=True)
class CompiledQuery:
    """Wanted groups (each an ``Or``), one exclusion query, and the terms to highlight."""

    groups: tuple[wq.Query, ...]
    excluded: wq.Query | None
    terms: tuple[str, ...]  # the wanted words' terms, in query order, without repeats
    highlight_terms: frozenset[str]  # the same, plus whole compounds
    exact_terms: tuple[str, ...] = ()  # the wanted words (not phrases) folded, unstemmed

    @property
    def empty(self) -> bool:
        return not self.groups


def compile_query(parsed: ParsedQuery) -> CompiledQuery:
    groups: list[wq.Query] = []
    terms: list[tuple[str, bool]] = []
    for group in parsed.groups:
        clause_units = [_units(clause, terms) for clause in group]
        if len(group) == 1:
            groups.extend(_field(units) for units in _each(clause_units[0]))
        elif units := [unit for units in clause_units for unit in units]:
            groups.append(_field(units))
    excluded_units = [unit for clause in parsed.excluded for unit in _units(clause, [])]
    excluded = _field(excluded_units) if excluded_units else None
    words = tuple(dict.fromkeys(term for term, whole in terms if not whole))
    typed = (clause.text for group in parsed.groups for clause in group if not clause.phrase)
    exact = (term for text in typed for term in exact_terms_of(text))
    return CompiledQuery(
        tuple(groups),
        excluded,
        words,
        frozenset(term for term, _ in terms),
        tuple(dict.fromkeys(exact)),
    )


def _each(units: list[Unit]) -> Iterable[list[Unit]]:
    return ([unit] for unit in units)


def _field(units: list[Unit], field: str = SEARCH_FIELD) -> wq.Query:
    queries = [unit(field, 1.0) for unit in units]
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _units(clause: Clause, seen_terms: list[tuple[str, bool]]) -> list[Unit]:
    """The independent units of a clause: one for a phrase, one per word or compound."""
    terms = list(analyze(clause.text))
    seen_terms.extend((term.text, term.whole) for term in terms)
    if clause.phrase:
        parts = [term for term in terms if not term.whole]
        return [_positional(parts)] if parts else []
    units: list[Unit] = []
    index = 0
    while index < len(terms):
        term = terms[index]
        index += 1
        if term.whole:
            parts = []
            while index < len(terms) and terms[index].start < term.end:
                parts.append(terms[index])
                index += 1
            units.append(_compound(term, parts))
        else:
            units.append(_positional([term]))
    return units


def _compound(whole: Term, parts: list[Term]) -> Unit:
    side_by_side = _positional(parts)
    return lambda field, boost: wq.Or(
        [wq.Term(field, whole.text, boost=boost), side_by_side(field, boost)]
    )


def _positional(terms: list[Term]) -> Unit:
    """Terms at the same distances from each other as in the query text."""

    def build(field: str, boost: float) -> wq.Query:
        query: wq.Query = wq.Term(field, terms[0].text, boost=boost)
        for previous, current in pairwise(terms):
            gap = current.pos - previous.pos
            following = wq.Term(field, current.text, boost=boost)
            query = wq.SpanNear2([query, following], slop=gap, ordered=True, mindist=gap)
        return query

    return build
