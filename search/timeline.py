"""The timeline above the results, from the number of matches per month: bars per month when
the matches span at most two years, else per year, in time order, with the empty periods
between the first and the last shown as 0. Each bar carries the period filter that shows only
its documents (``2024-03`` or ``2024``). Both engines count the months; this draws the bars."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from search.models import Bar

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin",
          "juil.", "août", "sept.", "oct.", "nov.", "déc.")  # fmt: skip
MONTHLY_UP_TO_YEARS = 2


def bars(months: Mapping[str, int]) -> list[Bar]:
    """Bars from the matches per month, ``YYYY-MM`` (months missing or counted 0 are empty)."""
    counted = [month for month, count in months.items() if count]
    if not counted:
        return []
    first, last = min(counted), max(counted)
    if int(last[:4]) - int(first[:4]) < MONTHLY_UP_TO_YEARS:
        return [Bar(_month_label(m), m, months.get(m, 0)) for m in _month_range(first, last)]
    years: Counter[str] = Counter()
    for month, count in months.items():
        years[month[:4]] += count
    span = range(int(first[:4]), int(last[:4]) + 1)
    return [Bar(str(y), str(y), years.get(str(y), 0)) for y in span]


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _month_label(month: str) -> str:
    return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"
