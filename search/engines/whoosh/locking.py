"""One writer at a time: ``reindex`` holds an exclusive ``flock`` on ``reindex.lock``.

The kernel releases the lock when its process dies, however it dies, so a lock left by a dead
process never blocks the next run. The holder writes its pid into the file so that a refused
run can say which process holds it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import IO

from search.errors import IndexBusy

LOCK_FILE = "reindex.lock"


class WriterLock:
    """Context manager: acquire at once or raise ``IndexBusy`` naming the holder."""

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / LOCK_FILE
        self._file: IO[str] | None = None

    def __enter__(self) -> WriterLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "inconnu"
            handle.close()
            raise IndexBusy(
                f"un autre reindex est en cours (processus {holder}, verrou {self.path}) ; "
                "attendez qu’il se termine"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._file is not None:
            self._file.seek(0)
            self._file.truncate()
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
