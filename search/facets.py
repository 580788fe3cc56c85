"""Facet counts for the documents a query matches: by year, type and source.

Counted from the index columns of the matching documents (after filters), so each count says
how many results clicking that value would leave.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.searching import Searcher

FACETS = ("year", "type", "source")
MAX_VALUES = 20  # values listed per facet, the most frequent ones


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


def count_facets(searcher: Searcher, docnums: Iterable[int]) -> dict[str, list[FacetValue]]:
    """For each facet, its values among ``docnums`` with their counts (years newest first)."""
    reader = searcher.reader()
    columns = {name: reader.column_reader(name) for name in FACETS if reader.has_column(name)}
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for docnum in docnums:
        for name, column in columns.items():
            value = column[docnum]
            if value:
                counts[name][value] += 1
    return {name: _ordered(name, counts[name]) for name in FACETS}


def _ordered(name: str, counts: Counter[str]) -> list[FacetValue]:
    if name == "year":
        items = sorted(counts.items(), reverse=True)
    else:
        items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value, count) for value, count in items[:MAX_VALUES]]
