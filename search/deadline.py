"""A time limit for one request that holds in any thread (no signal): work checks the clock.

Whoosh's own ``TimeLimitCollector`` relies on ``SIGALRM`` (only in a process's main thread)
or a timer thread per search. Here each stage asks between units of work (words, groups of
documents, matcher steps) whether to stop, and keeps what it has; the page is then marked
partial. One deadline covers every stage of a request, from parsing to the last snippet.

A stage that has found nothing yet is given ``grace`` seconds more before it stops: a page
is never empty only because an earlier stage used the time (``stop_now``).
"""

from __future__ import annotations

import time

CHECK_EVERY = 256  # units of work (documents, matcher steps) between two looks at the clock


class Deadline:
    def __init__(self, seconds: float, grace: float = 0.0) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.grace = grace
        self.reached = False
        self.scored = False  # some document was found: the grace is no longer given

    @property
    def expired(self) -> bool:
        if not self.reached and time.monotonic() > self.end:
            self.reached = True
        return self.reached

    @property
    def overdue(self) -> bool:
        """The limit and its grace have both passed."""
        return self.expired and time.monotonic() > self.end + self.grace

    @property
    def stop_now(self) -> bool:
        """Whether work should stop: at the limit once something is found, else at its grace."""
        return self.expired if self.scored else self.overdue
