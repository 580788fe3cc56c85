"""The timeline above the results: the matching documents counted per month on the month
column; ``search.timeline`` draws the bars (per month or per year) from those counts."""

from __future__ import annotations

import numpy as np

from search.engines.whoosh.reading.columns import Column
from search.models import Bar
from search.timeline import bars


def timeline(months_of: Column, docnums: np.ndarray) -> list[Bar]:
    """Bars in time order for ``docnums``. ``months_of`` holds every document's month,
    ``YYYY-MM`` (see ``ServedIndex.columns``)."""
    return bars(months_of.counts(docnums))
