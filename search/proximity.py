"""Rerank the best candidates by how close the query's words stand to each other in the text.

Term-proximity scoring of Rasolofo and Savoy ("Term proximity scoring for keyword-based
retrieval systems", ECIR 2003), an extension of BM25: every occurrence of two different query
terms at most ``WINDOW`` words apart adds ``1/d²`` to that pair; each pair's sum is saturated
like a BM25 term frequency and weighted by the smaller idf of its two terms. Positions come
from the index postings (nothing is re-analysed), and only the candidates asked for are read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from whoosh.searching import Searcher

WINDOW = 5


def proximity_scores(
    searcher: Searcher,
    field: str,
    terms: Sequence[str],
    docnums: Sequence[int],
    k1: float = 1.2,
    b: float = 0.75,
) -> dict[int, float]:
    """Proximity score of each of ``docnums`` (0 when fewer than two terms occur near)."""
    terms = list(dict.fromkeys(terms))
    if len(terms) < 2 or not docnums:
        return {}
    positions = _positions(searcher, field, terms, sorted(docnums))
    weights = [searcher.idf(field, term) for term in terms]
    average = searcher.avg_field_length(field) or 1.0
    scores: dict[int, float] = {}
    for docnum, by_term in positions.items():
        pairs = _pair_sums(by_term)
        if pairs:
            length = searcher.doc_field_length(docnum, field, 0)
            norm = k1 * ((1 - b) + b * length / average)
            scores[docnum] = sum(
                min(weights[i], weights[j]) * (k1 + 1) * acc / (norm + acc)
                for (i, j), acc in pairs.items()
            )
    return scores


def _positions(
    searcher: Searcher, field: str, terms: list[str], docnums: list[int]
) -> dict[int, list[tuple[int, int]]]:
    """(position, term index) pairs of each candidate, read from the postings of each term."""
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    reader = searcher.reader()
    for index, term in enumerate(terms):
        if (field, term) not in reader:
            continue
        matcher = searcher.postings(field, term)
        for docnum in docnums:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                found[docnum].extend((pos, index) for pos in matcher.value_as("positions"))
    return found


def _pair_sums(occurrences: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    occurrences.sort()
    sums: dict[tuple[int, int], float] = defaultdict(float)
    for first, (pos, term) in enumerate(occurrences):
        for other_pos, other in occurrences[first + 1 :]:
            distance = other_pos - pos
            if distance > WINDOW:
                break
            if other != term and distance:
                sums[(min(term, other), max(term, other))] += 1.0 / (distance * distance)
    return sums
