"""Plain query to Whoosh queries, each clause analysed exactly as the documents were.

Promises:
- a word that is only stop words (``le``, ``a-t-elle``) adds nothing; a run of several words
  without spaces (``sécurité,défense``) counts as that many words;
- a compound (``porte-parole``, ``COVID-19``) matches the same compound in the texts, hyphenated
  or not (``porteparole``); matching its parts side by side as well was measured too costly
  (a phrase on ``19`` visits every date), and ``porte parole`` typed as two words still finds it;
- a phrase keeps the distances between its words, so a removed stop word still takes its place:
  ``"secrétaire général"`` does not match ``secrétaire du général``;
- clauses search the ``text`` field (title and body, see ``schema``), or ``title`` for
  ``titre:`` clauses;
- ``mot*`` and typo tolerance add the index words they are given (see ``lexicon``); words found
  by typo tolerance weigh less than the words typed;
- an expansion (a synonym the user did not type) never weighs more than a word typed: each of
  its words or phrases is scored as one word (a phrase's words averaged, not summed) times
  ``EXPANSION_BOOST``, and it takes no part in proximity or exact-form bonuses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from whoosh import query as wq

from search.analysis import Term, analyze, exact_terms_of, normalize
from search.engines.whoosh.schema import SEARCH_FIELD
from search.syntax import Clause, ParsedQuery

NEAR_WORD_BOOST = 0.5  # a word found by typo tolerance, against the word typed
# A word's BM25 score is at most (K1 + 1) = 2.2 times its idf; 0.4 x 2.2 < 1, about what the
# typed word scores for one occurrence in a document of average length.
EXPANSION_BOOST = 0.4

PrefixWords = Callable[[Clause], Sequence[str]]  # prefix clause -> folded words it covers


@dataclass(frozen=True)
class CompiledQuery:
    """Wanted groups (each an ``Or``), one exclusion query, and the terms to highlight."""

    groups: tuple[wq.Query, ...]
    excluded: wq.Query | None
    terms: tuple[str, ...]  # the wanted words' terms, in query order, without repeats
    highlight_terms: frozenset[str]  # terms marked wherever they occur
    highlight_phrases: tuple[tuple[tuple[str, int], ...], ...] = ()  # marked where whole
    exact_terms: tuple[str, ...] = ()  # the words typed (not phrases) folded, unstemmed

    @property
    def empty(self) -> bool:
        return not self.groups


def _no_prefixes(clause: Clause) -> Sequence[str]:
    return ()


@dataclass
class _Seen:
    """What the clauses compiled so far contribute besides queries."""

    ranked: list[str] = field(default_factory=list)  # words typed, for proximity
    marked: list[str] = field(default_factory=list)  # terms marked wherever they occur
    phrases: list[tuple[tuple[str, int], ...]] = field(default_factory=list)  # marked if whole


def compile_query(
    parsed: ParsedQuery,
    prefix_words: PrefixWords = _no_prefixes,
    near_words: Mapping[Clause, Sequence[str]] | None = None,
) -> CompiledQuery:
    """Whoosh queries for ``parsed``; ``near_words`` adds typo-tolerant alternatives."""
    near_words = near_words or {}
    seen = _Seen()
    groups: list[wq.Query] = []
    for group in parsed.groups:
        units = [_units(c, seen, prefix_words, near_words.get(c, ())) for c in group]
        if len(group) == 1:
            groups.extend(units[0])
        elif alternatives := [unit for clause_units in units for unit in clause_units]:
            groups.append(_any(list(dict.fromkeys(alternatives))))  # repeats add nothing
    excluded_units = [
        unit for clause in parsed.excluded for unit in _units(clause, _Seen(), prefix_words, ())
    ]
    typed = (c.text for c in parsed.clauses() if not (c.phrase or c.prefix))
    exact = (term for text in typed for term in exact_terms_of(text))
    return CompiledQuery(
        groups=tuple(groups),
        excluded=_any(list(dict.fromkeys(excluded_units))) if excluded_units else None,
        terms=tuple(dict.fromkeys(seen.ranked)),
        highlight_terms=frozenset(seen.marked),
        highlight_phrases=tuple(dict.fromkeys(seen.phrases)),
        exact_terms=tuple(dict.fromkeys(exact)),
    )


def _any(queries: Sequence[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(list(queries))


def _units(
    clause: Clause,
    seen: _Seen,
    prefix_words: PrefixWords,
    near: Sequence[str],
) -> list[wq.Query]:
    """The independent units of a clause: one for a phrase or prefix, one per word or compound."""
    field = clause.field or SEARCH_FIELD
    if clause.prefix:
        stems = _stems(prefix_words(clause))
        seen.marked.extend(stems)
        return [_any([wq.Term(field, stem) for stem in stems]) if stems else wq.NullQuery]
    terms = list(analyze(clause.text))
    parts = [term for term in terms if not term.whole]
    if clause.expansion:
        return _expansion_units(field, clause, terms, parts, seen)
    seen.ranked.extend(term.text for term in parts)
    if clause.phrase:
        if len(parts) > 1:
            seen.phrases.append(tuple((t.text, t.pos - parts[0].pos) for t in parts))
        else:
            seen.marked.extend(term.text for term in parts)
        return [_positional(field, parts)] if parts else []
    seen.marked.extend(term.text for term in terms)
    units = _word_units(field, terms)
    if near and len(units) == 1:
        stems = [stem for stem in _stems(near) if stem not in {t.text for t in terms}]
        seen.marked.extend(stems)
        units = [_any([units[0], *(wq.Term(field, s, boost=NEAR_WORD_BOOST) for s in stems)])]
    return units


def _expansion_units(
    field: str, clause: Clause, terms: list[Term], parts: list[Term], seen: _Seen
) -> list[wq.Query]:
    """A synonym's units, marked like typed ones but weighed as one word at EXPANSION_BOOST."""
    if clause.phrase and len(parts) > 1:
        seen.phrases.append(tuple((t.text, t.pos - parts[0].pos) for t in parts))
        # a phrase scores the sum of its words' scores: each weighs its share of one word
        return [_positional(field, parts, boost=EXPANSION_BOOST / len(parts))]
    seen.marked.extend(term.text for term in terms)
    units = _word_units(field, terms)
    for unit in units:
        unit.boost = EXPANSION_BOOST
    return units


def _word_units(field: str, terms: list[Term]) -> list[wq.Query]:
    """A unit per word; a compound (its whole term, then its parts) is one unit: the whole, or
    its parts side by side (``porte-parole`` also finds *porte parole* written apart)."""
    units: list[wq.Query] = []
    index = 0
    while index < len(terms):
        term = terms[index]
        index += 1
        if term.whole:
            parts = []
            while index < len(terms) and terms[index].start < term.end:
                parts.append(terms[index])
                index += 1
            whole = wq.Term(field, term.text)
            units.append(wq.Or([whole, _positional(field, parts)]) if len(parts) > 1 else whole)
        else:
            units.append(wq.Term(field, term.text))
    return units


def _stems(words: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(stem for word in words if (stem := normalize(word))))


def _positional(field: str, terms: list[Term], boost: float = 1.0) -> wq.Query:
    """Terms at the same distances from each other as in the query text."""
    query: wq.Query = wq.Term(field, terms[0].text, boost=boost)
    for previous, current in pairwise(terms):
        gap = current.pos - previous.pos
        following = wq.Term(field, current.text, boost=boost)
        query = wq.SpanNear2([query, following], slop=gap, ordered=True, mindist=gap)
    return query
