"""Real ``serve`` processes on free local ports, and what talks to them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.paths import BIN, ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, object]]:
    """Status and JSON body of a GET (error statuses too)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("condition not reached in time")
        time.sleep(0.01)


@contextmanager
def serving(index_dir: Path, workers: int = 2, timeout: float = 15.0) -> Iterator[str]:
    """A real ``serve`` (gunicorn) over ``index_dir``, with no ``COMMUNIQUES_*`` variable of
    this process; yields its base URL once ``/api/health`` answers, and checks on the way out
    that it logged no traceback."""
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("COMMUNIQUES_")}
    server = subprocess.Popen(
        [str(BIN / "serve"), "--index", str(index_dir), "--port", str(port),
         "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                err = server.stderr.read() if server.stderr else ""
                pytest.fail(f"serve exited with {server.returncode}: {err}")
            try:
                urllib.request.urlopen(f"{base}/api/health", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"serve did not answer within {timeout:.0f} s")
                time.sleep(0.05)
        yield base
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=20)
    assert "Traceback" not in err, err
