"""Filters on exact values: a date range, document types, sources.

Dates are periods as ``periods`` reads them (``2024``, ``2024-02``, ``03/2024``, ``mars 2024``…);
``from`` means the first day of the period given and ``to`` its last day (``to=2024-02`` ends on
29 February 2024); a range given the other way round is swapped. Types and
sources are matched without regard to accents, case or apostrophes (``communique`` finds
``communiqué``). An engine turns them into the set of documents they allow.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.periods import period_bound


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
        """Filters from request values (see ``periods``; a reversed range is swapped);
        ``BadPeriod`` saying what is wrong with a date."""
        start = period_bound(date_from, "from", last=False) if date_from else None
        end = period_bound(date_to, "to", last=True) if date_to else None
        if start and end and date_from and date_to and start > end:  # typed the other way round
            start = period_bound(date_to, "to", last=False)
            end = period_bound(date_from, "from", last=True)
        clean = tuple(value.strip() for value in types if value.strip())
        return cls(start, end, clean, tuple(s.strip() for s in sources if s.strip()))

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.types or self.sources)
