"""The documents a request's filters allow, as a mask over document numbers, computed once per
request from the per-document columns the facets read (``columns``): a period of any length
costs one comparison per document (a range over the index's date words walked them one by one,
~1,000 for a year); types and sources are matched without regard to accents, case or
apostrophes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from search.analysis import fold
from search.engines.whoosh.reading.columns import Column
from search.filters import Filters


def allowed_documents(columns: Mapping[str, Column], filters: Filters) -> np.ndarray | None:
    """A mask of the document numbers the filters allow (``None``: no filter)."""
    if not filters.active:
        return None
    allowed = np.ones(len(columns["date"]), bool)
    if filters.date_from or filters.date_to:
        allowed &= columns["date"].between(filters.date_from, filters.date_to)
    for name, wanted in (("type", filters.types), ("source", filters.sources)):
        if wanted:
            allowed &= columns[name].where(_folded_among(wanted))
    return allowed


def _folded_among(wanted: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a value equals one of ``wanted`` once both are folded."""
    keys = {fold(value) for value in wanted}
    return lambda value: fold(value) in keys
