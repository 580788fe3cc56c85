"""What a request handler needs from the app: its engine and its settings, in one place."""

from __future__ import annotations

from typing import Any

from flask import current_app

from search.engine import Engine

ENGINE = "communiques.engine"


def engine() -> Engine:
    """The engine this app searches (opened by ``create_app``)."""
    found: Engine = current_app.extensions[ENGINE]
    return found


def settings() -> dict[str, Any]:
    """The settings this app was created with (the table, the environment, ``config``)."""
    values: dict[str, Any] = current_app.config["SEARCH_SETTINGS"]
    return values
