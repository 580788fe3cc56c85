"""Reindex's worker processes: answers in order, errors passed back, and a worker killed in
the middle of sending a large answer is reported instead of leaving the parent waiting."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from search.engines.whoosh.writing.workers import Worker, WorkerDied, round_robin, running
from search.errors import IndexWriteError


def double(value: int) -> int:
    return 2 * value


def fail(message: str) -> None:
    raise ValueError(message)


def large(size: int) -> bytes:
    return b"x" * size


def test_answers_come_in_the_order_sent_and_errors_come_back() -> None:
    with running([Worker()]) as (worker,):
        for value in range(5):
            worker.send(double, value)
        assert [worker.receive() for _ in range(5)] == [0, 2, 4, 6, 8]
        worker.send(fail, "mauvais document")
        with pytest.raises(ValueError, match="mauvais document"):
            worker.receive()
        worker.send(double, 21)
        assert worker.receive() == 42  # the worker goes on after an error


def test_a_worker_killed_while_sending_a_large_answer_is_reported() -> None:
    worker = Worker()
    worker.send(large, 64 * 1024 * 1024)  # far more than a pipe holds: the worker blocks
    time.sleep(2)  # ... in the middle of sending, since nobody reads yet
    os.kill(worker.process.pid, signal.SIGKILL)
    raised: list[BaseException] = []

    def receive() -> None:
        try:
            with running([worker]):
                worker.receive()
        except BaseException as error:
            raised.append(error)

    waiting = threading.Thread(target=receive, daemon=True)
    waiting.start()
    waiting.join(timeout=30)
    assert not waiting.is_alive(), "the parent waits for an answer from a dead worker"
    assert len(raised) == 1 and isinstance(raised[0], IndexWriteError)
    assert "arrêté brutalement" in str(raised[0])
    assert not worker.process.is_alive()


def test_sending_to_a_dead_worker_is_reported() -> None:
    worker = Worker()
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join()
    with pytest.raises(WorkerDied):
        worker.send(double, 1)
        worker.receive()
    worker.stop()


def test_round_robin_keeps_its_share_here_and_deals_the_rest_in_turn() -> None:
    assert list(round_robin(range(7), "ab", 1)) == [
        ([0], None), ([1], "a"), ([2], "b"), ([3], None), ([4], "a"), ([5], "b"), ([6], None)
    ]  # fmt: skip
    assert [(len(chunk), w) for chunk, w in round_robin(range(9), "ab", 2, here=2)] == [
        (2, None), (2, None), (2, "a"), (2, "b"), (1, None)
    ]  # fmt: skip
