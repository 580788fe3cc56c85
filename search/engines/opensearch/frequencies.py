"""How many documents of the served index hold each of some analysed terms, in one request.

The whoosh engine reads document frequencies from its index; here they come from one size-0
search with a ``filters`` aggregation, a filter per term: exact counts over the whole index
(every shard), where a ``_termvectors`` request would count one shard only (a rare word held
by another shard would look absent). A term is counted in the fields it is searched in: the
title shown and the body (as the whoosh engine's ``text`` field), or the title alone for a
``titre:`` clause. Used by the coordination factor (``ranking``) and to shorten a long pasted
text to its most informative words (``search.shortening``).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log
from typing import Any

from opensearchpy import OpenSearch

Key = tuple[str | None, str]  # (field asked, ``None`` for title shown and body; analysed term)
FIELDS: dict[str | None, tuple[str, ...]] = {None: ("heading", "body"), "title": ("title",)}


@dataclass(frozen=True)
class Frequencies:
    """The documents of the index, and how many of them hold each term asked."""

    documents: int
    found: dict[Key, int]

    def of(self, term: str, field: str | None = None) -> int:
        return self.found.get((field, term), 0)

    def idf(self, key: Key) -> float:
        """The Robertson–Spärck Jones idf (the whoosh engine's and Lucene's BM25 idf)."""
        df = self.found.get(key, 0)
        return log(1 + (self.documents - df + 0.5) / (df + 0.5))


def frequencies(client: OpenSearch, alias: str, keys: set[Key]) -> Frequencies:
    """The document frequency of each of ``keys`` in the index ``alias`` names."""
    ordered = sorted(keys, key=lambda key: (key[0] or "", key[1]))
    filters = {str(i): _holds(field, term) for i, (field, term) in enumerate(ordered)}
    body: dict[str, Any] = {"size": 0, "track_total_hits": True}
    if filters:
        body["aggs"] = {"df": {"filters": {"filters": filters}}}
    answer = client.search(index=alias, body=body)
    buckets = answer.get("aggregations", {}).get("df", {}).get("buckets", {})
    found = {key: int(buckets[str(i)]["doc_count"]) for i, key in enumerate(ordered)}
    return Frequencies(int(answer["hits"]["total"]["value"]), found)


def _holds(field: str | None, term: str) -> dict[str, Any]:
    return {"bool": {"should": [{"term": {name: term}} for name in FIELDS[field]]}}
