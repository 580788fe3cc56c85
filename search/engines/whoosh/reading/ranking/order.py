"""First ranking stage: the order of the documents a query matches (see ``accumulating``).

By relevance, BM25F times a coordination factor (the share of the query's words a document
holds, to a power); with ``all_words_first_up_to``, queries of up to that many words rank the
documents containing every word first (tier 0), then those containing some (tier 1); longer
queries are one tier. Equal scores go to the lower document number here, then to the most recent
document (``newest_first_among_equals``, after reranking). By date, newest or oldest first,
undated documents last.
"""

from __future__ import annotations

import numpy as np

from search.engines.whoosh.reading.columns import Column
from search.engines.whoosh.reading.ranking.first_stage import Accumulated

Ranked = list[tuple[int, int, float]]  # (tier, docnum, score); tier 0 holds every wanted word


def by_relevance(
    found: Accumulated,
    limit: int,
    all_words_first_up_to: int,
    coordination: float = 0.0,
    by_idf: bool = False,
) -> Ranked:
    """The ``limit`` best (tier, docnum, score) by BM25F, each score multiplied by the share
    of the query's groups the document holds to the power ``coordination``."""
    if not found.total or limit < 1:
        return []
    scores = found.scores
    if coordination and found.wanted_groups > 1:
        share = found.coverage if by_idf and found.coverage is not None else None
        if share is None:
            share = found.groups / found.wanted_groups
        scores = scores * share**coordination
    tiers = np.zeros(found.total, np.int8)
    if 1 < found.wanted_groups <= all_words_first_up_to:
        tiers = (found.groups < found.wanted_groups).astype(np.int8)
    candidates = np.arange(found.total)
    if found.total > limit:  # keep the best ``limit`` before sorting them
        ahead = scores.max() + 1.0
        key = scores + np.where(tiers == 0, ahead, 0.0)
        candidates = np.argpartition(-key, limit - 1)[:limit]
    keys = (found.docs[candidates], -scores[candidates], tiers[candidates])
    order = candidates[np.lexsort(keys)]  # by tier, then score, then document number
    return [(int(tiers[i]), int(found.docs[i]), float(scores[i])) for i in order[:limit]]


def by_date(dates: Column, matched: np.ndarray, limit: int, newest_first: bool) -> Ranked:
    """The first ``limit`` of ``matched`` by date (ties: index order), undated ones last."""
    keys = dates.order_keys(matched)
    dated, undated = matched[keys >= 0], matched[keys < 0]
    dated_keys = keys[keys >= 0]
    order = np.lexsort((dated, -dated_keys if newest_first else dated_keys))
    ordered = np.concatenate((dated[order], np.sort(undated)))
    return [(0, doc, 0.0) for doc in ordered[:limit].tolist()]


def newest_first_among_equals(dates: Column, ranked: Ranked) -> Ranked:
    """``ranked`` with equal scores ordered by date, the most recent first."""
    by_date_desc = sorted(ranked, key=lambda item: dates[item[1]] or "", reverse=True)
    return sorted(by_date_desc, key=lambda item: (item[0], -item[2]))
