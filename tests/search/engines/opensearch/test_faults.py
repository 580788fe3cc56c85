"""The opensearch engine while a node dies (kill -9): four clients searching through the
engine see no failed search (replicas answer; a search a shard could not answer is run again,
a request to the dead node goes to another), and a reindex running at that moment completes or
fails with a named error, the alias naming a complete index either way. The node comes back
and the cluster returns to green."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from search.engine import Engine
from search.engines import open_engine
from search.errors import SearchError
from search.models import SearchRequest
from tests.support.cluster import Cluster, Node, request
from tests.support.corpus import synthetic, write_jsonl
from tests.support.engines import drop, engine_settings

pytestmark = pytest.mark.cluster
SEARCHERS = 4


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def _primary_holder(cluster: Cluster, index: str) -> Node:
    shards = request(f"{cluster.url}/_cat/shards/{index}?format=json")
    name = next(s["node"] for s in shards if s["prirep"] == "p" and s["state"] == "STARTED")
    return next(node for node in cluster.nodes if node.name == name)


def _back(cluster: Cluster, node: Node) -> None:
    cluster.start_node(node)
    assert cluster.wait_green(3)["status"] == "green"


@pytest.fixture
def settings(tmp_path: Path, opensearch_cluster: Cluster) -> Any:
    urls = ",".join(node.url for node in opensearch_cluster.nodes)
    values = engine_settings("opensearch", tmp_path, opensearch_cluster, opensearch_timeout=30.0)
    values["opensearch_url"] = urls  # every node: the client goes on to the next one
    yield values
    values["opensearch_url"] = opensearch_cluster.url
    drop(values)


def _search_loop(engine: Engine, stop: threading.Event, outcomes: list[Any]) -> None:
    while not stop.is_set():
        start = time.monotonic()
        try:
            outcome: Any = engine.search(SearchRequest("politique", per_page=5)).total
        except Exception as error:  # every failure is an outcome the test reports
            outcome = repr(error)
        outcomes.append((start, outcome))


def test_no_search_fails_while_a_node_is_killed(
    settings: dict[str, Any], opensearch_cluster: Cluster, tmp_path: Path
) -> None:
    corpus = write_jsonl(tmp_path / "docs.jsonl", synthetic(400))
    engines = [open_engine(settings) for _ in range(SEARCHERS)]
    report = engines[0].reindex([corpus])
    expected = engines[0].search(SearchRequest("politique")).total
    victim = _primary_holder(opensearch_cluster, report.generation)
    stop = threading.Event()
    outcomes: list[list[Any]] = [[] for _ in engines]
    threads = [
        threading.Thread(target=_search_loop, args=(engine, stop, found))
        for engine, found in zip(engines, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    killed = time.monotonic()
    try:
        _wait_for(lambda: all(len(found) >= 3 for found in outcomes), "searches before the kill")
        victim.kill()
        killed = time.monotonic()
        _wait_for(
            lambda: all(sum(s > killed for s, _ in found) >= 10 for found in outcomes),
            "searches after the kill",
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        _back(opensearch_cluster, victim)  # whatever happened: the next tests need three nodes
    assert expected > 0
    wrong = [(round(s - killed, 2), o) for found in outcomes for s, o in found if o != expected]
    assert wrong == []


def test_a_reindex_survives_or_fails_clearly_when_a_node_is_killed(
    settings: dict[str, Any], opensearch_cluster: Cluster, tmp_path: Path
) -> None:
    engine = open_engine(settings)
    small = write_jsonl(tmp_path / "small.jsonl", synthetic(50, seed=1))
    first = engine.reindex([small])
    big = write_jsonl(tmp_path / "big.jsonl", synthetic(6000, seed=2))
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(engine.reindex([big], full=True))
        except SearchError as error:
            result.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    alias = settings["opensearch_index"]

    def writing() -> bool:
        rows = request(f"{opensearch_cluster.url}/_cat/indices/{alias}-*?format=json")
        return (len(rows) > 1 and any(int(r.get("docs.count") or 0) > 0 for r in rows)) or bool(
            result
        )

    _wait_for(writing, "the new index to be written")
    victim = next(n for n in opensearch_cluster.nodes if n is not opensearch_cluster.nodes[0])
    victim.kill()
    try:
        thread.join(timeout=600)
        assert not thread.is_alive()
        health = engine.health()
    finally:
        _back(opensearch_cluster, victim)  # whatever happened: the next tests need three nodes
    outcome = result[0]
    if isinstance(outcome, SearchError):  # failed clearly: the alias still names the old one
        assert (health.generation, health.documents) == (first.generation, 50)
        assert "conservé" in outcome.message or "OpenSearch" in outcome.message
    else:
        assert (health.generation, health.documents) == (outcome.generation, 6000)
