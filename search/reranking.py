"""Second ranking stage: reorder the best candidates with evidence too costly to gather for
every match, read from the index postings of those candidates only.

- proximity: query words standing close together (see ``proximity``);
- exact form: words found in the very form the user typed, before stemming (``sécurité``
  typed, ``sécurité`` found, rather than ``sécuriser``), scored by BM25 on the ``exact`` field.

Both are added to the first-stage BM25F score, tier by tier (documents with every word of a
short query stay first), and only the top ``rerank_depth`` candidates move.
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh.searching import Searcher

from .matching import CompiledQuery
from .proximity import proximity_scores
from .schema import EXACT_FIELD, SEARCH_FIELD

Ranked = list[tuple[int, int, float]]  # (tier, docnum, score); tier 0 holds every wanted word


def rerank(
    searcher: Searcher,
    compiled: CompiledQuery,
    ranked: Ranked,
    depth: int,
    proximity_weight: float,
    exact_weight: float,
) -> Ranked:
    """``ranked`` with its first ``depth`` candidates reordered by score plus bonuses."""
    top = ranked[:depth]
    docnums = [doc for _, doc, _ in top]
    bonus: dict[int, float] = dict.fromkeys(docnums, 0.0)
    if proximity_weight and len(compiled.terms) > 1:
        for doc, score in proximity_scores(searcher, SEARCH_FIELD, compiled.terms, docnums).items():
            bonus[doc] += proximity_weight * score
    if exact_weight and compiled.exact_terms:
        for doc, score in exact_scores(searcher, compiled.exact_terms, docnums).items():
            bonus[doc] += exact_weight * score
    reordered = [(tier, doc, score + bonus[doc]) for tier, doc, score in top]
    reordered.sort(key=lambda item: (item[0], -item[2]))
    return reordered + ranked[depth:]


def exact_scores(
    searcher: Searcher, terms: Sequence[str], docnums: Sequence[int]
) -> dict[int, float]:
    """BM25 score of each candidate on the unstemmed ``terms`` (absent candidates: no key)."""
    scores: dict[int, float] = {}
    reader = searcher.reader()
    ordered = sorted(docnums)
    for term in dict.fromkeys(terms):
        if (EXACT_FIELD, term) not in reader:
            continue
        matcher = searcher.postings(EXACT_FIELD, term)
        for docnum in ordered:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                scores[docnum] = scores.get(docnum, 0.0) + matcher.score()
    return scores
