"""The timeline above the results, from a monthly date histogram: bars per month when the
matches span at most two years, else per year; each carries the period that selects it (as
the whoosh engine draws it)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from search.models import Bar

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin",
          "juil.", "août", "sept.", "oct.", "nov.", "déc.")  # fmt: skip
MONTHLY_UP_TO_YEARS = 2


def bars(buckets: list[dict[str, Any]]) -> list[Bar]:
    """Bars in time order from the buckets (``key_as_string`` ``YYYY-MM``, empty months 0)."""
    months = {b["key_as_string"]: int(b["doc_count"]) for b in buckets}
    counted = [month for month, count in months.items() if count]
    if not counted:
        return []
    first, last = min(counted), max(counted)
    if int(last[:4]) - int(first[:4]) < MONTHLY_UP_TO_YEARS:
        shown = sorted(m for m in months if first <= m <= last)
        return [Bar(f"{MONTHS[int(m[5:7]) - 1]} {m[:4]}", m, months[m]) for m in shown]
    years: Counter[str] = Counter()
    for month, count in months.items():
        years[month[:4]] += count
    span = range(int(first[:4]), int(last[:4]) + 1)
    return [Bar(str(y), str(y), years.get(str(y), 0)) for y in span]
