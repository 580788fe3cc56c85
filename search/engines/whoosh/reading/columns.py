"""Per-document values (year, type, source, date, month) read once per served generation, and
counted over the documents a query matches.

Each column keeps every document's value (for date sorting) and the same values as small
integer codes, so counting a facet over thousands of matches is one ``bincount``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np


class Column:
    """Each document's value of one field (``""`` when it has none)."""

    def __init__(self, values: Sequence[str]) -> None:
        self.values = list(values)
        distinct, codes = np.unique(np.asarray(self.values, dtype=object), return_inverse=True)
        self._distinct = [str(value) for value in distinct]
        self._codes = codes.astype(np.int32).reshape(-1)

    def __getitem__(self, docnum: int) -> str:
        return self.values[docnum]

    def __len__(self) -> int:
        return len(self.values)

    def order_keys(self, docnums: np.ndarray) -> np.ndarray:
        """For each of ``docnums``, a number that sorts as its value does (-1: no value)."""
        keys = self._codes[docnums]
        if self._distinct and self._distinct[0] == "":
            keys = keys - 1
        return keys

    def counts(self, docnums: np.ndarray) -> Counter[str]:
        """How many of ``docnums`` hold each value (documents without a value not counted)."""
        tally = np.bincount(self._codes[docnums], minlength=len(self._distinct))
        found = Counter({self._distinct[i]: int(tally[i]) for i in np.flatnonzero(tally)})
        found.pop("", None)
        return found

    def between(self, low: str | None, high: str | None) -> np.ndarray:
        """A mask of the documents whose value is within ``low``..``high`` (inclusive; ``None``:
        open), as strings compare: one comparison per document, whatever the number of values."""
        first = 1 if self._distinct and self._distinct[0] == "" else 0
        start = max(first, bisect_left(self._distinct, low)) if low is not None else first
        stop = bisect_right(self._distinct, high) if high is not None else len(self._distinct)
        return (self._codes >= start) & (self._codes < stop)

    def where(self, wanted: Callable[[str], bool]) -> np.ndarray:
        """A mask of the documents whose value satisfies ``wanted`` (asked once per value)."""
        codes = [code for code, value in enumerate(self._distinct) if value and wanted(value)]
        return np.isin(self._codes, np.asarray(codes, np.int32))
