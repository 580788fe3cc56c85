"""The real OpenSearch cluster the tests start: three nodes green, an index with 2 primary shards
and 1 replica analysing French, and searches that keep answering while a node is killed with
kill -9, until it is back and the cluster is green again."""

from __future__ import annotations

import threading
import time
import urllib.error
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from search.analysis.tokenizer import ELISIONS
from tests.support.cluster import Cluster, Node, request

pytestmark = pytest.mark.cluster

FRENCH = {
    "filter": {
        "elision_fr": {"type": "elision", "articles_case": True, "articles": sorted(ELISIONS)},
        "stemmer_fr": {"type": "stemmer", "language": "light_french"},
    },
    "analyzer": {
        "french": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["elision_fr", "lowercase", "asciifolding", "stemmer_fr"],
        }
    },
}
SEARCHERS = 4
DOCS = 120


def create_index(cluster: Cluster, name: str) -> None:
    settings = {"number_of_shards": 2, "number_of_replicas": 1, "analysis": FRENCH}
    mappings = {"properties": {"body": {"type": "text", "analyzer": "french"}}}
    body = {"settings": settings, "mappings": mappings}
    request(f"{cluster.url}/{name}?wait_for_active_shards=all", "PUT", body, timeout=120)


def tokens(cluster: Cluster, index: str, text: str) -> list[str]:
    body = {"analyzer": "french", "text": text}
    answer = request(f"{cluster.url}/{index}/_analyze", "POST", body)
    return [token["token"] for token in answer["tokens"]]


def test_three_nodes_are_green(opensearch_cluster: Cluster) -> None:
    health = opensearch_cluster.health()
    names = {n["name"] for n in request(f"{opensearch_cluster.url}/_cat/nodes?format=json")}
    assert (health["status"], health["number_of_nodes"]) == ("green", 3)
    assert names == {node.name for node in opensearch_cluster.nodes}


def test_french_index_has_two_shards_each_with_a_replica_elsewhere(
    opensearch_cluster: Cluster,
) -> None:
    create_index(opensearch_cluster, "layout")
    try:
        shards = request(f"{opensearch_cluster.url}/_cat/shards/layout?format=json")
        homes = {(s["shard"], s["prirep"]): s["node"] for s in shards if s["state"] == "STARTED"}
        assert sorted(homes) == [("0", "p"), ("0", "r"), ("1", "p"), ("1", "r")]
        assert homes["0", "p"] != homes["0", "r"] and homes["1", "p"] != homes["1", "r"]
    finally:
        request(f"{opensearch_cluster.url}/layout", "DELETE")


@pytest.fixture(scope="module")
def french_index(opensearch_cluster: Cluster) -> Iterator[str]:
    create_index(opensearch_cluster, "analysis")
    yield "analysis"
    request(f"{opensearch_cluster.url}/analysis", "DELETE")


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("l'OTAN", "otan"),
        ("l’OTAN", "otan"),
        ("L’OTAN", "OTAN"),
        ("écoles", "ecoles"),
        ("écoles", "école"),
        ("qu’elle", "elle"),
        ("jusqu’alors", "alors"),
        ("lorsqu'il", "il"),
        ("d’œuvres", "oeuvre"),
    ],
)
def test_french_analysis_chain(
    opensearch_cluster: Cluster, french_index: str, text: str, same_as: str
) -> None:
    analysed = tokens(opensearch_cluster, french_index, text)
    assert analysed == tokens(opensearch_cluster, french_index, same_as)


def test_elided_acronym_becomes_its_bare_lowercase_form(
    opensearch_cluster: Cluster, french_index: str
) -> None:
    assert tokens(opensearch_cluster, french_index, "l'OTAN l’OTAN") == ["otan", "otan"]


@dataclass
class Searcher:
    """One client searching in a loop through one surviving node: (start, end, outcome) of each
    search, the outcome being (matches counted, shards failed) or the error."""

    url: str
    stop: threading.Event
    outcomes: list[tuple[float, float, Any]] = field(default_factory=list)

    def run(self) -> None:
        query = {"query": {"match": {"body": "écoles"}}, "track_total_hits": True}
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                answer = request(f"{self.url}/fault/_search", "POST", query)
                outcome: Any = (answer["hits"]["total"]["value"], answer["_shards"]["failed"])
            except Exception as error:  # every failure is an outcome the test reports
                outcome = repr(error)
            self.outcomes.append((start, time.monotonic(), outcome))

    def started_after(self, moment: float) -> int:
        return sum(1 for start, _, _ in self.outcomes if start > moment)


def _fill_fault_index(cluster: Cluster) -> Node:
    """The index the fault test searches; returns the node holding shard 0's primary."""
    create_index(cluster, "fault")
    lines = "".join(
        f'{{"index":{{"_id":"{i}"}}}}\n{{"body":"Les écoles n° {i} de l’OTAN"}}\n'
        for i in range(DOCS)
    )
    request(f"{cluster.url}/fault/_bulk?refresh=true", "POST", lines)
    shards = request(f"{cluster.url}/_cat/shards/fault?format=json")
    primary = next(s["node"] for s in shards if (s["shard"], s["prirep"]) == ("0", "p"))
    return next(node for node in cluster.nodes if node.name == primary)


def _wait_for(condition: Any, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def _nodes_seen(cluster: Cluster, by: Node) -> int:
    try:
        return int(cluster.health(by, "?cluster_manager_timeout=2s")["number_of_nodes"])
    except (OSError, urllib.error.HTTPError):
        return -1  # electing a new cluster manager


def test_searches_keep_answering_while_a_node_is_killed(opensearch_cluster: Cluster) -> None:
    """Every search that was not running at the moment of the kill is complete. One that was may
    report a failed shard: OpenSearch fetches the hits from the copy that ran the query and does
    not retry that phase elsewhere; it then says so, it never silently loses matches."""
    cluster = opensearch_cluster
    victim = _fill_fault_index(cluster)
    survivors = [node for node in cluster.nodes if node is not victim]
    stop = threading.Event()
    searchers = [Searcher(survivors[i % 2].url, stop) for i in range(SEARCHERS)]
    threads = [threading.Thread(target=s.run) for s in searchers]
    for thread in threads:
        thread.start()
    try:
        _wait_for(lambda: all(len(s.outcomes) >= 3 for s in searchers), "searches before kill")
        kill_start = time.monotonic()
        victim.kill()
        kill_end = time.monotonic()
        _wait_for(lambda: _nodes_seen(cluster, survivors[0]) == 2, "the cluster to drop the node")
        _wait_for(lambda: all(s.started_after(kill_end) >= 10 for s in searchers), "searches")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    done = [
        (start > kill_end or end < kill_start, o) for s in searchers for start, end, o in s.outcomes
    ]
    assert {outcome for clear, outcome in done if clear} == {(DOCS, 0)}
    assert all(o == (DOCS, 0) or isinstance(o, str) or o[1] > 0 for _, o in done)
    cluster.start_node(victim)
    assert cluster.wait_green(3)["status"] == "green"
    request(f"{cluster.url}/fault", "DELETE")
