"""Shared fixtures: a small corpus written to a temporary folder, a real index built from it
with the real ``reindex`` code, and the real Flask app over that index (helpers they use are in
``tests/support``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.store import IndexStore
from search.indexing import ReindexOptions
from tests.support import cluster
from tests.support.corpus import DOCS, write_jsonl
from tests.support.index import app_client
from tests.support.paths import ROOT, SHARED_DATA


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_jsonl(folder / "docs.jsonl", DOCS)
    return folder


@pytest.fixture
def index_dir(tmp_path: Path, corpus_dir: Path) -> Path:
    target = tmp_path / "index"
    reindex([corpus_dir], target, ReindexOptions(synonyms_file=ROOT / "synonyms.txt"))
    return target


@pytest.fixture
def store(index_dir: Path) -> Iterator[IndexStore]:
    store = IndexStore(index_dir)
    yield store
    store.close()


@pytest.fixture
def client(index_dir: Path) -> Iterator[FlaskClient]:
    with app_client(index_dir) as test_client:
        yield test_client


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real French data not available: {SHARED_DATA} is absent (see README)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[cluster.Cluster]:
    """Three real OpenSearch nodes on free loopback ports, started once for the session."""
    if missing := cluster.missing_tools():
        message = f"OpenSearch cluster tests need Java 17 and Maven: {', '.join(missing)} not found"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set: these tests must run)")
        pytest.skip(message)
    with cluster.running(tmp_path_factory.mktemp("cluster")) as running:
        yield running
