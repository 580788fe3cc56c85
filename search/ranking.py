"""First ranking stage: the documents a compiled query matches, and their order.

By relevance, BM25F: for short queries (up to ``all_words_first_up_to`` words) the documents
containing every word come first (tier 0), then those containing some (tier 1); longer queries
are one tier. By date, newest or oldest first, undated documents last. Exclusions are part of
the queries (``AndNot``) rather than Whoosh's ``mask``, whose counting tests the mask once per
matching document; filters come as a set of allowed document numbers.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.searching import Searcher

from .matching import CompiledQuery
from .reranking import Ranked


def matching_documents(
    searcher: Searcher, compiled: CompiledQuery, allowed: set[int] | None
) -> set[int]:
    """Every document the query matches (any wanted group), within the filters."""
    found = set(searcher.docs_for_query(_some(compiled)))
    return found if allowed is None else found & allowed


def by_relevance(
    searcher: Searcher,
    compiled: CompiledQuery,
    limit: int,
    all_words_first_up_to: int,
    allowed: set[int] | None,
) -> Ranked:
    """The ``limit`` best (tier, docnum, score) by BM25F."""
    if allowed is not None and not allowed:
        return []  # Whoosh reads an empty filter as no filter at all
    groups = list(compiled.groups)
    some = _some(compiled)
    if not 1 < len(groups) <= all_words_first_up_to:
        results = searcher.search(some, limit=limit, filter=allowed)
        return [(0, hit.docnum, hit.score) for hit in results]
    every = _without(wq.And(groups), compiled.excluded)
    results = searcher.search(every, limit=limit, filter=allowed)
    ranked = [(0, hit.docnum, hit.score) for hit in results]
    if len(ranked) < limit:
        rest = searcher.search(wq.AndNot(some, every), limit=limit - len(ranked), filter=allowed)
        ranked += [(1, hit.docnum, hit.score) for hit in rest]
    return ranked


def by_date(searcher: Searcher, matched: set[int], limit: int, newest_first: bool) -> Ranked:
    """The first ``limit`` of ``matched`` by date (ties: index order), undated ones last."""
    dates = searcher.reader().column_reader("date")
    dated = [(dates[doc], doc) for doc in matched if dates[doc]]
    dated.sort(key=lambda item: item[0], reverse=newest_first)
    undated = sorted(doc for doc in matched if not dates[doc])
    ordered = [doc for _, doc in dated] + undated
    return [(0, doc, 0.0) for doc in ordered[:limit]]


def newest_first_among_equals(searcher: Searcher, ranked: Ranked) -> Ranked:
    """``ranked`` with equal scores ordered by date, the most recent first."""
    dates = searcher.reader().column_reader("date")
    by_date_desc = sorted(ranked, key=lambda item: dates[item[1]] or "", reverse=True)
    return sorted(by_date_desc, key=lambda item: (item[0], -item[2]))


def _some(compiled: CompiledQuery) -> wq.Query:
    groups = list(compiled.groups)
    return _without(groups[0] if len(groups) == 1 else wq.Or(groups), compiled.excluded)


def _without(query: wq.Query, excluded: wq.Query | None) -> wq.Query:
    return query if excluded is None else wq.AndNot(query, excluded)
