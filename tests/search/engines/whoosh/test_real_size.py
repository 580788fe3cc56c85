"""At real size: 34,000 synthetic articles (``realsize``), where costly stages show their
cost. The index is built once for this module (about 70 s)."""

from __future__ import annotations

import itertools
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.store import ServedIndex
from search.filters import Filters
from search.models import SearchOptions, SearchRequest
from tests.support.index import served_from
from tests.support.realsize import MARKERS, write_corpus
from tests.support.server import free_port

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("realsize") / "articles.jsonl")


@pytest.fixture(scope="module")
def big_index(corpus: Path) -> Path:
    index_dir = corpus.parent / "ix"
    reindex([corpus], index_dir)
    return index_dir


@pytest.fixture(scope="module")
def big(big_index: Path) -> Iterator[ServedIndex]:
    with served_from(big_index) as index:
        yield index


def articles(corpus: Path) -> list[dict[str, str]]:
    with corpus.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def words(body: str) -> list[str]:
    return body.rstrip(".").split()


# The time ran out before the first stage: it still scores (the deadline's grace), once.
EXHAUSTED = replace(SearchOptions.defaults(), time_limit=0.0, time_grace=600.0)


@pytest.mark.parametrize(
    ("period", "inside"),
    [
        ({"date_from": "2018"}, lambda date: date >= "2018-01-01"),
        ({"date_to": "2018"}, lambda date: date <= "2018-12-31"),
        ({"date_from": "2012-03", "date_to": "2019"}, lambda date: "2012-03" <= date < "2020"),
    ],
)
def test_a_period_finds_every_match_even_when_time_ran_out_before_scoring(
    big: ServedIndex, corpus: Path, period: dict[str, str], inside: Callable[[str], bool]
) -> None:
    found = articles(corpus)
    wanted = {a["id"] for a in found if "france" in words(a["body"]) and inside(a["date"])}
    page = search(big, SearchRequest("france", filters=Filters.parse(**period)), EXHAUSTED)
    assert page.total == len(wanted) and page.hits
    assert {hit.id for hit in page.hits} <= wanted


EXCLUDED_PHRASES = [f'"{a} {b}"' for a, b in itertools.permutations(MARKERS, 2)][:31]


def test_excluded_phrases_stop_at_the_deadline_and_keep_only_what_was_checked(
    big: ServedIndex,
) -> None:
    q = "france " + " ".join(f"-{phrase}" for phrase in EXCLUDED_PHRASES)
    page = search(big, SearchRequest(q, per_page=100), EXHAUSTED)
    everything = search(big, SearchRequest("france"), EXHAUSTED).total
    assert page.partial and 0 < page.total < everything  # the walk stopped at the deadline
    for hit in page.hits:
        body = big.stored(big.searcher.document_number(id=hit.id))["body"]
        assert "france" in words(body)
        assert not any(phrase.strip('"') in body for phrase in EXCLUDED_PHRASES)


def test_ored_phrases_that_rarely_match_stop_at_the_deadline(big: ServedIndex) -> None:
    q = " OU ".join(['"plus plus"', *EXCLUDED_PHRASES[:20]])
    page = search(big, SearchRequest(q), EXHAUSTED)
    assert page.partial and 0 < page.total < 34  # looked at part of the index only


@pytest.fixture(scope="module")
def server(big_index: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "serve"), "--index", str(big_index), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            urllib.request.urlopen(f"{base}/api/health", timeout=5).close()
            break
        except OSError:
            time.sleep(0.05)
    yield base
    process.terminate()
    _out, err = process.communicate(timeout=30)
    assert "Traceback" not in err and "WORKER TIMEOUT" not in err


def get_json(url: str, timeout: float = 60) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"{}")


def test_two_costly_phrase_requests_at_once_leave_every_client_answered(server: str) -> None:
    excluded = "otan " + " ".join(f"-{phrase}" for phrase in EXCLUDED_PHRASES)
    ored = " OU ".join(['"plus plus"', *EXCLUDED_PHRASES[:20]])
    queries = [excluded, ored, excluded, ored, "france"]
    with ThreadPoolExecutor(len(queries)) as pool:
        answers = list(
            pool.map(lambda q: get_json(f"{server}/api/search?q={urllib.parse.quote(q)}"), queries)
        )
    assert [status for status, _ in answers] == [200] * len(queries), answers
    assert all(body["results"] for _, body in answers)


def test_two_hundred_idle_connections_leave_other_clients_answered(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
    try:  # sync workers never answered within 10 s: each blocked on an idle socket
        answers = [get_json(f"{server}/api/search?q=france+otan", 10) for _ in range(20)]
    finally:
        for connection in idle:
            connection.close()
    assert [status for status, _ in answers] == [200] * 20
