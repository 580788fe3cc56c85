"""The web adapter: ``create_app`` builds the Flask site (HTML) and API (JSON) over ``search``.

Nothing is read at import time; settings come from the table in ``search.config``, environment
variables, and the ``config`` mapping given here (tests pass ``{"index_dir": ...}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from search.config import load_settings
from search.engines import open_engine


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    from web import api, context, errors, headers, ids, limits, views

    app = Flask(__name__)
    settings = load_settings(config)
    app.config["SEARCH_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # a posted search: max_text_chars and parameters
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[context.ENGINE] = open_engine(settings)
    ids.register(app)  # before the blueprints: their rules use the id converter
    app.register_blueprint(views.blueprint)
    limits.register(app, api.blueprint, settings)
    app.register_blueprint(api.blueprint)
    errors.register(app)
    headers.register(app)
    views.register_filters(app)
    return app
