"""How close the query's words stand to each other in a document: a bonus for the rerank.

Term-proximity scoring of Rasolofo and Savoy ("Term proximity scoring for keyword-based
retrieval systems", ECIR 2003), an extension of BM25: every occurrence of two different query
terms at most ``WINDOW`` words apart adds ``1/d²`` to that pair; each pair's sum is saturated
like a BM25 term frequency and weighted by the smaller idf of its two terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

WINDOW = 5


def proximity_score(
    occurrences: Sequence[tuple[int, int]],
    weights: Sequence[float],
    length_norm: float,
    k1: float,
) -> float:
    """Score of one document from its ``(position, term index)`` occurrences.

    ``weights`` are the idf of the query terms (by term index); ``length_norm`` is BM25's
    ``k1 · (1 - b + b · length / average length)`` for the document.
    """
    pairs = _pair_sums(sorted(occurrences))
    return sum(
        min(weights[i], weights[j]) * (k1 + 1) * acc / (length_norm + acc)
        for (i, j), acc in pairs.items()
    )


def _pair_sums(occurrences: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    sums: dict[tuple[int, int], float] = defaultdict(float)
    for first, (pos, term) in enumerate(occurrences):
        for other_pos, other in occurrences[first + 1 :]:
            distance = other_pos - pos
            if distance > WINDOW:
                break
            if other != term and distance:
                sums[(min(term, other), max(term, other))] += 1.0 / (distance * distance)
    return sums
