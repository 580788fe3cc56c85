"""A time limit for one search that holds in any thread (no signal): work checks the clock.

Whoosh's own ``TimeLimitCollector`` relies on ``SIGALRM`` (only in a process's main thread)
or a timer thread per search. Here each stage asks ``expired`` between units of work (words,
groups of documents) and keeps what it has; the page is then marked partial.
"""

from __future__ import annotations

import time

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
