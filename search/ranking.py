"""First ranking stage: the documents a compiled query matches, and their order.

By relevance, BM25F: for short queries (up to ``all_words_first_up_to`` words) the documents
containing every word come first (tier 0), then those containing some (tier 1); longer queries
are one tier. By date, newest or oldest first, undated documents last. Exclusions are part of
the queries (``AndNot``) rather than Whoosh's ``mask``, whose counting tests the mask once per
matching document; filters come as a set of allowed document numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

from whoosh import query as wq
from whoosh.collectors import Collector, FilterCollector, TimeLimit
from whoosh.searching import Searcher

from .deadline import Deadline, DeadlineCollector
from .matching import CompiledQuery
from .reranking import Ranked


def matching_documents(
    searcher: Searcher, compiled: CompiledQuery, allowed: set[int] | None, deadline: Deadline
) -> set[int]:
    """Every document the query matches (any wanted group), within the filters; only those
    found before the deadline if it passes."""
    found = set(deadline.bounded(searcher.docs_for_query(_some(compiled))))
    return found if allowed is None else found & allowed


def by_relevance(
    searcher: Searcher,
    compiled: CompiledQuery,
    limit: int,
    all_words_first_up_to: int,
    allowed: set[int] | None,
    deadline: Deadline,
) -> Ranked:
    """The ``limit`` best (tier, docnum, score) by BM25F (the best found before the deadline)."""
    if allowed is not None and not allowed:
        return []  # Whoosh reads an empty filter as no filter at all
    groups = list(compiled.groups)
    some = _some(compiled)
    if not 1 < len(groups) <= all_words_first_up_to:
        return [(0, doc, score) for doc, score in _top(searcher, some, limit, allowed, deadline)]
    every = _without(wq.And(groups), compiled.excluded)
    ranked = [(0, doc, score) for doc, score in _top(searcher, every, limit, allowed, deadline)]
    if len(ranked) < limit and not deadline.expired:
        rest = _top(searcher, wq.AndNot(some, every), limit - len(ranked), allowed, deadline)
        ranked += [(1, doc, score) for doc, score in rest]
    return ranked


def _top(
    searcher: Searcher, query: wq.Query, limit: int, allowed: set[int] | None, deadline: Deadline
) -> list[tuple[int, float]]:
    collector: Collector = DeadlineCollector(limit, deadline)
    if allowed is not None:
        collector = FilterCollector(collector, allow=allowed)
    with suppress(TimeLimit):  # what was collected before the deadline is kept
        searcher.search_with_collector(query, collector)
    return [(hit.docnum, hit.score) for hit in collector.results()]


def by_date(dates: Sequence[str], matched: set[int], limit: int, newest_first: bool) -> Ranked:
    """The first ``limit`` of ``matched`` by date (ties: index order), undated ones last."""
    dated = [(dates[doc], doc) for doc in matched if dates[doc]]
    dated.sort(key=lambda item: item[0], reverse=newest_first)
    undated = sorted(doc for doc in matched if not dates[doc])
    ordered = [doc for _, doc in dated] + undated
    return [(0, doc, 0.0) for doc in ordered[:limit]]


def newest_first_among_equals(dates: Sequence[str], ranked: Ranked) -> Ranked:
    """``ranked`` with equal scores ordered by date, the most recent first."""
    by_date_desc = sorted(ranked, key=lambda item: dates[item[1]] or "", reverse=True)
    return sorted(by_date_desc, key=lambda item: (item[0], -item[2]))


def _some(compiled: CompiledQuery) -> wq.Query:
    groups = list(compiled.groups)
    return _without(groups[0] if len(groups) == 1 else wq.Or(groups), compiled.excluded)


def _without(query: wq.Query, excluded: wq.Query | None) -> wq.Query:
    return query if excluded is None else wq.AndNot(query, excluded)
