"""What the ranking does after the first stage's BM25, as the whoosh engine ranks (see
docs/ranking.md), in OpenSearch's terms: ``rescore`` steps over each shard's best documents.

- coordination: each score times the share of the query's groups a document holds, each group
  counted by its idf (the largest of its words'; a phrase or a prefix counts 1), to the power
  ``coordination``. The idf come from one more request (``frequencies``); the factor is a
  rescore multiplying the score by a ``script_score`` (the share to that power) over a
  ``function_score`` that sums one weight per group held. It covers the best
  ``COORDINATION_WINDOW`` documents of each shard (the whoosh engine: every match), never fewer
  than the page asked reaches;
- second stage: the bonuses for consecutive words typed found close together and for words in
  the exact form typed (``compiling``), added to the best ``rerank_depth`` documents of each
  shard (the whoosh engine: the best ``rerank_depth`` of all).
"""

from __future__ import annotations

from opensearchpy import OpenSearch

from search.engines.opensearch.compiling import Compiled, Query
from search.engines.opensearch.frequencies import Frequencies, frequencies
from search.models import SearchOptions

COORDINATION_WINDOW = 1000
POWER = "Math.pow(_score, params.power)"


def rescores(
    client: OpenSearch,
    alias: str,
    compiled: Compiled,
    options: SearchOptions,
    end: int,
    known: Frequencies | None = None,
) -> list[Query]:
    """The rescore steps of a search by relevance whose page ends at hit ``end``; ``known``:
    document frequencies already asked for this search (a long text's), used when they hold
    every word weighed."""
    steps = []
    if options.coordination > 0 and len(compiled.groups) > 1:
        shares = _shares(client, alias, compiled, options.coordination_by_idf, known)
        factor = _coordination(compiled.groups, shares, options.coordination)
        window = max(end, COORDINATION_WINDOW)
        steps.append(_rescore(factor, window, "multiply"))
    if compiled.bonuses and options.rerank_depth > 0:
        bonuses = {"bool": {"should": list(compiled.bonuses)}}
        steps.append(_rescore(bonuses, options.rerank_depth, "total"))
    return steps


def _shares(
    client: OpenSearch, alias: str, compiled: Compiled, by_idf: bool, known: Frequencies | None
) -> list[float]:
    """Each group's share of the query: its weight over the sum of the groups' weights."""
    if not by_idf:
        return [1 / len(compiled.groups)] * len(compiled.groups)
    keys = {key for keys in compiled.weighed_by if keys for key in keys}
    found = None
    if keys:
        held = known is not None and keys <= known.found.keys()
        found = known if held else frequencies(client, alias, keys)
    weights = [
        max(found.idf(key) for key in keys) if keys and found else 1.0
        for keys in compiled.weighed_by
    ]
    total = sum(weights) or 1.0
    return [weight / total for weight in weights]


def _coordination(groups: tuple[Query, ...], shares: list[float], power: float) -> Query:
    held = {
        "function_score": {
            "query": {"bool": {"should": list(groups), "minimum_should_match": 1}},
            "functions": [
                {"filter": group, "weight": share}
                for group, share in zip(groups, shares, strict=True)
                if share > 0
            ],
            "score_mode": "sum",
            "boost_mode": "replace",
        }
    }
    script = {"source": POWER, "params": {"power": power}}
    return {"script_score": {"query": held, "script": script}}


def _rescore(query: Query, window: int, mode: str) -> Query:
    return {
        "window_size": window,
        "query": {
            "rescore_query": query,
            "query_weight": 1.0,
            "rescore_query_weight": 1.0,
            "score_mode": mode,
        },
    }
