"""An engine of either kind over a corpus folder: whoosh (an index folder) or opensearch (an
alias on the test cluster, named for the test and deleted afterwards)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from search.config import load_settings
from search.engine import Engine
from search.engines import open_engine
from tests.support.cluster import Cluster, request

_names = itertools.count()


def engine_settings(
    kind: str, folder: Path, cluster: Cluster | None, **more: Any
) -> dict[str, Any]:
    """Settings of a ``kind`` engine keeping its index under ``folder`` or on ``cluster``."""
    values: dict[str, Any] = {"engine": kind, "index_dir": str(folder / "ix"), **more}
    if kind == "opensearch":
        assert cluster is not None
        values |= {
            "opensearch_url": cluster.url,
            "opensearch_index": f"t{next(_names)}-{folder.name}".lower(),
        }
    return load_settings(values, environ={})


@contextmanager
def built(settings: dict[str, Any], corpus: list[Path]) -> Iterator[Engine]:
    """The engine of ``settings`` with ``corpus`` indexed; its OpenSearch indexes deleted
    afterwards."""
    engine = open_engine(settings)
    try:
        engine.reindex(corpus)
        yield engine
    finally:
        engine.close()
        drop(settings)


def drop(settings: dict[str, Any]) -> None:
    """Delete the OpenSearch indexes of ``settings`` (nothing for whoosh)."""
    if settings["engine"] == "opensearch":
        alias = settings["opensearch_index"]
        request(
            f"{settings['opensearch_url']}/{alias}-*,{alias}.lock?ignore_unavailable=true", "DELETE"
        )
