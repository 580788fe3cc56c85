"""How ``reindex`` shows its progress to a person: a bar with rate and time left on a
terminal (tqdm), a plain line every few seconds otherwise (logs, CI), and the problems found,
as ``path:line: reason``, the first ``MAX_SHOWN`` of them."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from tqdm import tqdm

from search.corpus import Problem
from search.wording import count

MAX_SHOWN = 50
PLAIN_EVERY_SECONDS = 5.0


class Progress:
    """Callbacks for ``reindex`` (``read``, ``document``, ``problem``), as a context manager."""

    def __init__(self, total_bytes: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = max(total_bytes, 1)
        self.terminal = self.stream.isatty()
        self.done = self.documents = self.problems = 0
        self.started = self._last_line = time.monotonic()
        self._bar = (
            tqdm(total=total_bytes, unit="o", unit_scale=True, unit_divisor=1024,
                 desc="indexation", file=self.stream)
            if self.terminal
            else None
        )  # fmt: skip

    def read(self, count: int) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        elif time.monotonic() - self._last_line >= PLAIN_EVERY_SECONDS:
            self._plain_line()

    def document(self) -> None:
        self.documents += 1
        if self._bar is not None and self.documents % 500 == 0:
            self._bar.set_postfix_str(f"{self.documents} documents", refresh=False)

    def problem(self, problem: Problem) -> None:
        self.problems += 1
        if self.problems <= MAX_SHOWN:
            self._write(f"ignoré : {problem}")

    def writing(self) -> None:
        """Reading is over; the index files are being written (a long step for a big corpus,
        with nothing left to count)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elapsed = time.monotonic() - self.started
        self._write(
            f"lecture terminée : {count(self.documents, 'document')} en {elapsed:.0f} s ; "
            "écriture de l’index (tri et compression des listes, sans compteur)…"
        )

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()
        hidden = self.problems - MAX_SHOWN
        if hidden > 0:
            self._write(f"… et {hidden} autres problèmes")

    def _plain_line(self) -> None:
        self._last_line = now = time.monotonic()
        elapsed = max(now - self.started, 1e-6)
        share = min(self.done / self.total, 1.0)
        left = elapsed * (1 - share) / share if share else 0.0
        self._write(
            f"indexation : {share:.0%}, {self.documents} documents "
            f"({self.documents / elapsed:.0f}/s), reste environ {left:.0f} s"
        )

    def _write(self, line: str) -> None:
        if self._bar is not None:
            tqdm.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)
