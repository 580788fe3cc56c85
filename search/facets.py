"""Facet counts for the documents a query matches: by year, type and source.

Counted from the index columns of the matching documents (after filters), so each count says
how many results clicking that value would leave.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

FACETS = ("year", "type", "source")
MAX_VALUES = 20  # values listed per facet, the most frequent ones


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


def count_facets(
    columns: Mapping[str, Sequence[str]], docnums: Collection[int]
) -> dict[str, list[FacetValue]]:
    """For each facet, its values among ``docnums`` with their counts (years newest first).

    ``columns`` holds every document's value of each facet (see ``ServedIndex.columns``)."""
    counts = {}
    for name in FACETS:
        values = columns.get(name) or []
        counts[name] = Counter(values[doc] for doc in docnums) if values else Counter()
        counts[name].pop("", None)
    return {name: _ordered(name, counts[name]) for name in FACETS}


def _ordered(name: str, counts: Counter[str]) -> list[FacetValue]:
    if name == "year":
        items = sorted(counts.items(), reverse=True)
    else:
        items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value, count) for value, count in items[:MAX_VALUES]]
