"""Per-client rate limit on the API (Flask-Limiter), set by the deployer.

``rate_limit`` (for instance ``60/minute``) applies to every ``/api/`` route per client address;
empty means no limit. Counters live in ``rate_limit_storage``: ``memory://`` keeps them per
worker process (each of the ``workers`` counts apart), ``redis://host:6379`` shares them. Behind
a reverse proxy, make it pass the client address (gunicorn's ``forwarded_allow_ips``). A client
over its limit gets a 429 in the API's error shape, with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def register(app: Flask, blueprint: Blueprint, settings: dict[str, Any]) -> None:
    if not settings["rate_limit"]:
        return
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=settings["rate_limit_storage"],
        headers_enabled=True,
    )
    limiter.shared_limit(settings["rate_limit"], scope="api")(blueprint)  # one count for /api/
