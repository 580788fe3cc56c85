"""``serve``: the site and API behind gunicorn (a production WSGI server), one app per worker.

Workers are separate processes; each opens the served index itself and follows reindexes
through the ``CURRENT`` pointer. Each worker serves ``threads`` connections at once (gunicorn's
``gthread`` class): a connection that sends nothing holds one thread for ``idle_wait`` seconds
and is then set aside until it speaks, so idle sockets cannot starve the other clients (with
synchronous workers, two idle connections froze the whole server for 30 s).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import Flask
from gunicorn import util as gunicorn_util
from gunicorn.app.base import BaseApplication
from gunicorn.workers import gthread

from search.config import load_settings
from web import create_app
from web.headers import SECURITY_HEADERS

LIMIT_REQUEST_LINE = 4094  # bytes of the request line gunicorn reads (its default)


class Server(BaseApplication):
    def __init__(self, settings: dict[str, Any], options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings this gunicorn version does not know are left
                self.cfg.set(key, value)
        _wait_for_first_bytes(self.settings["idle_wait"])
        gunicorn_util.write_error = write_error  # gunicorn's own refusals in our error shape

    def load(self) -> Flask:
        return create_app(self.settings)


def _wait_for_first_bytes(seconds: float) -> None:
    """How long a thread waits for a new connection's first bytes before setting it aside.
    gunicorn 27 has no setting for it (5 s): with 200 idle connections each holding a thread
    that long, other clients waited up to 5 s (measured by bench/hostile.py)."""
    if hasattr(gthread, "DEFAULT_WORKER_DATA_TIMEOUT"):
        gthread.DEFAULT_WORKER_DATA_TIMEOUT = seconds


REFUSALS = {
    400: "requête mal formée (octets ou ligne de requête invalides)",
    414: "adresse trop longue : {limit} octets au plus ; raccourcissez la requête",
    431: "en-têtes trop nombreux ou trop longs",
}


def write_error(sock: Any, status: int, reason: str, mesg: str) -> None:
    """What gunicorn answers to a request it refuses before the app sees it (a request line
    over ``limit_request_line``, invalid bytes…): the API's JSON error shape with a French
    message and the site's security headers, instead of gunicorn's bare HTML page. gunicorn
    has no hook for it: ``load_config`` puts this in place of ``gunicorn.util.write_error``."""
    message = REFUSALS.get(status, reason).format(limit=LIMIT_REQUEST_LINE)
    body = json.dumps({"error": message, "status": status}, ensure_ascii=False).encode("utf-8")
    headers = {
        "Connection": "close",
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        **SECURITY_HEADERS,
    }
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    gunicorn_util.write_nonblock(sock, head.encode("latin-1") + b"\r\n" + body)


def gunicorn_options(settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "bind": f"{settings['host']}:{settings['port']}",
        "workers": settings["workers"],
        "worker_class": "gthread",
        "threads": settings["threads"],
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": "-",
        "limit_request_line": LIMIT_REQUEST_LINE,
        "limit_request_fields": 50,
        "limit_request_field_size": 8190,
        "control_socket_disable": True,  # gunicorn 27+: no shared socket in $HOME
    }


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Index folder (default: COMMUNIQUES_INDEX_DIR or ./index).",
)
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8000).")
@click.option("--workers", type=int, default=None, help="Worker processes (default 2).")
@click.option("--threads", type=int, default=None, help="Connections per worker (default 100).")
def main(
    index_dir: Path | None,
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int | None,
) -> None:
    """Serve the search site and the JSON API with gunicorn."""
    settings = load_settings(
        {
            "index_dir": index_dir and str(index_dir),
            "host": host,
            "port": port,
            "workers": workers,
            "threads": threads,
        }
    )
    Server(settings, gunicorn_options(settings)).run()
