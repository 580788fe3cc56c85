"""Facet counts for the documents a query matches: by year, type and source.

Counted from the index columns of the matching documents (after filters), so each count says
how many results clicking that value would leave (``querying`` counts a kind with values
chosen without its own filter: there, the count is what ticking the value would add).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np

from search.engines.whoosh.reading.columns import Column
from search.models import FacetValue

FACETS = ("year", "type", "source")
MAX_VALUES = 20  # values listed per facet, the most frequent ones


def count_facets(columns: Mapping[str, Column], docnums: np.ndarray) -> dict[str, list[FacetValue]]:
    """For each facet, its values among ``docnums`` with their counts (years newest first).

    ``columns`` holds every document's value of each facet (see ``ServedIndex.columns``)."""
    return {name: _sorted_values(name, columns[name].counts(docnums)) for name in FACETS}


def _sorted_values(name: str, counts: Counter[str]) -> list[FacetValue]:
    if name == "year":
        items = sorted(counts.items(), reverse=True)
    else:
        items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value, count) for value, count in items[:MAX_VALUES]]
