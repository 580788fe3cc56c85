"""Engines: where an index lives and how it is searched. ``open_engine`` picks one by the
``engine`` setting; each engine implements ``search.engine.Engine`` over the engine-neutral
analysis, query language and models of ``search``.

- ``whoosh``: an index folder on this machine (generations, an atomic pointer), the default;
- ``opensearch``: an alias on an OpenSearch cluster (an index per generation).
"""

from __future__ import annotations

from typing import Any

from search.engine import Engine
from search.errors import BadRequest

ENGINES = ("whoosh", "opensearch")


def open_engine(settings: dict[str, Any]) -> Engine:
    """The engine the settings name, opened lazily (nothing is read before the first call)."""
    name = settings["engine"]
    if name == "whoosh":
        from search.engines.whoosh import WhooshEngine

        return WhooshEngine(settings)
    if name == "opensearch":
        from search.engines.opensearch import OpenSearchEngine

        return OpenSearchEngine(settings)
    raise BadRequest(f"moteur inconnu « {name} » (COMMUNIQUES_ENGINE) : {', '.join(ENGINES)}")
