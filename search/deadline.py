"""A time limit for one search that holds in any thread (no signal): work checks the clock.

Whoosh's own ``TimeLimitCollector`` relies on ``SIGALRM`` (only in a process's main thread)
or a timer thread per search. Here the first ranking stage runs under ``DeadlineCollector``,
which stops collecting once the deadline has passed (the hits collected so far are kept), and
the other stages ask ``expired`` between units of work; the page is then marked partial.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.collectors import TimeLimit, TopCollector

CHECK_EVERY = 256  # documents between two looks at the clock when counting matches


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.reached = False

    @property
    def expired(self) -> bool:
        if not self.reached and time.monotonic() > self.end:
            self.reached = True
        return self.reached

    def bounded(self, docnums: Iterable[int]) -> Iterator[int]:
        """``docnums`` until the deadline passes (then ``reached`` is set)."""
        for count, docnum in enumerate(docnums):
            if count % CHECK_EVERY == 0 and self.expired:
                return
            yield docnum


class DeadlineCollector(TopCollector):
    """Whoosh's top-N collector (block-max skipping kept) that raises ``TimeLimit`` once the
    deadline has passed; the hits collected so far stay available in ``results()``."""

    def __init__(self, limit: int, deadline: Deadline) -> None:
        super().__init__(limit=limit)
        self.deadline = deadline
        self._count = 0

    def collect(self, sub_docnum: int) -> Any:
        self._count += 1
        if self._count % 64 == 0 and self.deadline.expired:
            raise TimeLimit
        return super().collect(sub_docnum)
