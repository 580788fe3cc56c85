"""Filters on exact values: a date range, document types, sources.

Dates are given as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``from`` means the first day of the
period given and ``to`` its last day (``to=2024-02`` ends on 29 February 2024). Types and
sources are matched without regard to accents, case or apostrophes (``communique`` finds
``communiqué``). A filter becomes a mask of the document numbers it allows, computed once per
request from the columns the facets read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .analysis import fold
from .columns import Column
from .errors import BadRequest

_PERIOD = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True)
class Filters:
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None  # YYYY-MM-DD, inclusive
    types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls,
        date_from: str | None = None,
        date_to: str | None = None,
        types: tuple[str, ...] = (),
        sources: tuple[str, ...] = (),
    ) -> Filters:
        """Filters from request values; ``BadRequest`` saying what is wrong with a date."""
        start = period_bound(date_from, "from", last=False) if date_from else None
        end = period_bound(date_to, "to", last=True) if date_to else None
        if start and end and start > end:
            raise BadRequest(f"« from » ({date_from}) est après « to » ({date_to})")
        clean = tuple(value.strip() for value in types if value.strip())
        return cls(start, end, clean, tuple(s.strip() for s in sources if s.strip()))

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.types or self.sources)


def period_bound(text: str, name: str, last: bool) -> str:
    """First (or last) day of the period ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    match = _PERIOD.fullmatch(text.strip())
    if not match:
        raise BadRequest(
            f"« {name} » doit être une date AAAA, AAAA-MM ou AAAA-MM-JJ (reçu « {text[:40]} »)"
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return f"{year:04d}-12-31" if last else f"{year:04d}-01-01"
        if day is None:
            end = calendar.monthrange(year, month)[1] if last else 1
            return dt.date(year, month, end).isoformat()
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise BadRequest(f"« {name} » n’est pas une date qui existe (reçu « {text} »)") from None


def allowed_documents(columns: Mapping[str, Column], filters: Filters) -> np.ndarray | None:
    """A mask of the document numbers the filters allow (``None``: no filter). Read from the
    per-document columns kept in memory: a period of any length costs one comparison per
    document (a range over the index's date words walked them one by one, ~1,000 for a year)."""
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
