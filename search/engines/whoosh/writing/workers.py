"""Worker processes for reindex that cannot leave it hanging: one process, its own pipes.

``concurrent.futures.ProcessPoolExecutor`` hangs for good when a worker is killed while it
sends back a large result (a chunk's postings are megabytes): its reader thread waits for the
rest of a message that never comes, since the parent holds the other end of that pipe too.
Here each worker has a pipe for its tasks and one for its answers, and the parent keeps only
its own ends: a worker that dies mid-answer gives an end of file, a worker that dies between
answers is seen on its process sentinel, and either becomes ``WorkerDied``.

Workers are started with ``spawn`` (they inherit no file descriptor, so never a lock) and die
with the parent (``PR_SET_PDEATHSIG`` on Linux, even when the parent is killed with ``-9``).
A thread in the worker reads its tasks as they come, so the parent never waits to send one;
the parent bounds how many it sends ahead.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from search.errors import IndexWriteError

T = TypeVar("T")
P = TypeVar("P")  # a worker, or whatever stands for one

PR_SET_PDEATHSIG = 1


class WorkerDied(Exception):
    """A worker process ended (killed, out of memory) before answering."""


class Worker:
    """One spawned process running ``initializer(*initargs)``, then the tasks sent to it, one
    at a time, answering each in the order sent."""

    def __init__(
        self, initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()
    ) -> None:
        context = multiprocessing.get_context("spawn")
        tasks, self._tasks = context.Pipe(duplex=False)
        self._answers, answers = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_serve, args=(tasks, answers, initializer, initargs), daemon=True
        )
        self.process.start()
        tasks.close()  # the worker's ends: only the worker may hold them
        answers.close()

    def send(self, function: Callable[..., object], *args: Any) -> None:
        """Queue ``function(*args)`` in the worker (``function`` at module level)."""
        try:
            self._tasks.send((function, args))
        except OSError as error:  # the worker's end is closed: it is gone
            raise WorkerDied(f"worker {self.process.pid} is gone") from error

    def receive(self) -> Any:
        """The answer to the oldest task not yet answered (its exception, raised here)."""
        wait([self._answers, self.process.sentinel])
        try:
            ok, value = self._answers.recv()
        except (EOFError, OSError) as error:  # died before or while answering
            raise WorkerDied(f"worker {self.process.pid} ended before answering") from error
        if not ok:
            raise value
        return value

    def stop(self, at_once: bool = False) -> None:
        """End the worker: told to when its tasks are done, killed ``at_once`` (or if it does
        not end soon)."""
        if not at_once:
            with contextlib.suppress(OSError):
                self._tasks.send(None)
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self._tasks.close()
        self._answers.close()


@contextlib.contextmanager
def running(workers: list[Worker]) -> Iterator[list[Worker]]:
    """``workers``, stopped on the way out (killed at once if anything went wrong); one that
    died shows as an ``IndexWriteError`` a person can act on."""
    try:
        yield workers
    except BaseException as error:
        for worker in workers:
            worker.stop(at_once=True)
        if isinstance(error, WorkerDied):
            raise IndexWriteError(
                "un processus auxiliaire de reindex s’est arrêté brutalement (mémoire "
                "insuffisante ?) : l’index servi est conservé ; relancez avec "
                "COMMUNIQUES_INDEX_WORKERS=0"
            ) from error
        raise
    for worker in workers:
        worker.stop()


def round_robin(
    items: Iterable[T], pool: Sequence[P], size: int, here: int = 1, each: int = 1
) -> Iterator[tuple[list[T], P | None]]:
    """``items`` in chunks of ``size``, each with the worker whose turn it is (``None``: this
    process): of every ``here + each × len(pool)`` chunks, the first ``here`` stay in this
    process, then ``each`` go to each worker in turn."""
    every, source = here + each * len(pool), iter(items)
    for sent in itertools.count():
        if not (chunk := list(islice(source, size))):
            return
        turn = sent % every
        yield chunk, None if turn < here else pool[(turn - here) // each]


def _serve(
    tasks: Connection,
    answers: Connection,
    initializer: Callable[..., object] | None,
    initargs: tuple[Any, ...],
) -> None:
    _die_with_parent()
    if initializer is not None:
        initializer(*initargs)
    waiting: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read() -> None:
        while True:
            try:
                task = tasks.recv()
            except EOFError:
                task = None
            waiting.put(task)
            if task is None:
                return

    threading.Thread(target=read, daemon=True).start()
    while (task := waiting.get()) is not None:
        function, args = task
        try:
            answer = (True, function(*args))
        except Exception as error:
            answer = (False, error)
        answers.send(answer)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (even by ``kill -9``)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)
