"""Hostile input and faults: a property-based fuzzer of the query language and the API
parameters, hostile queries against a real server, escaping, security headers, document ids
that try to reach the file system, an index folder that disappears, a damaged generation."""

from __future__ import annotations

import json
import re
import socket
import string
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.engines.whoosh.generations import served_generation
from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.store import IndexStore, ServedIndex
from search.errors import BadRequest
from search.indexing import ReindexOptions
from search.models import SearchOptions, SearchRequest
from tests.support.corpus import DOCS, write_jsonl
from tests.support.index import app_client, served_from
from tests.support.paths import ROOT
from tests.support.server import serving
from web import create_app

OPTIONS = SearchOptions.defaults()
MARGIN = 1.5  # seconds: the time limit plus the work after it (snippets of one page)

FRENCH = ["OTAN", "sécurité", "l’Alliance", "politique", "spatiale", "États-Unis",
          "porte-parole", "Geoană", "œuvre", "jusqu’à", "aujourd'hui", "le", "de", "a-t-elle",
          "2024", "4", "cyber", "défense", "Union", "européenne", "climat", "énergie", "Sahel",
          "élection"]  # fmt: skip
SYNTAX = ['"', "«", "»", "“", "”", "-", "*", ":", "(", ")", "[", "]", "{", "}", "^", "~", "?",
          "!", "'", "’", "OR", "OU", "AND", "NOT", "titre:", "title:", "\\", "/", "&", "|", "+",
          "%", "#", ";", ",", "."]  # fmt: skip
ODD = ["\u200f", "\u202e", "\u200b", "\ufeff", "😀", "🇫🇷", "\u0301", "e\u0301", "\x00", "\t",
       "\n", "ß", "ǅ", "İ", "ﬁ", "一", "ع", "𝔘", "\ud7ff", "\U0010ffff"]  # fmt: skip
pieces = st.one_of(
    st.sampled_from(FRENCH),
    st.sampled_from(SYNTAX),
    st.sampled_from(ODD),
    st.text(min_size=1, max_size=12),
    st.text(alphabet=string.ascii_letters + "éèàçœ", min_size=40, max_size=700),  # long words
)
queries = st.lists(pieces, max_size=30).map(lambda parts: " ".join(parts) if parts else "")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedIndex]:
    folder = tmp_path_factory.mktemp("hostile")
    reindex([ROOT / "corpus"], folder / "ix", ReindexOptions(synonyms_file=ROOT / "synonyms.txt"))
    with served_from(folder / "ix") as index:
        yield index


@pytest.fixture(scope="module")
def client(served: ServedIndex) -> Iterator[FlaskClient]:
    with app_client(served.folder.parent.parent) as test_client:
        yield test_client


LENIENT = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@settings(max_examples=10_000, deadline=None, database=None, suppress_health_check=LENIENT)
@given(q=queries, page=st.integers(0, 2_000), per_page=st.integers(0, 150))
@pytest.mark.slow
def test_fuzzed_queries_get_a_page_or_a_clear_refusal_in_time(
    served: ServedIndex, q: str, page: int, per_page: int
) -> None:
    started = time.monotonic()
    try:
        result = search(served, SearchRequest(q, page, per_page), OPTIONS)
    except BadRequest as refusal:
        assert refusal.message and "Traceback" not in refusal.message
    else:
        assert result.total >= len(result.hits)
        assert all("<script" not in hit.snippet.lower() for hit in result.hits)
    assert time.monotonic() - started < OPTIONS.time_limit + MARGIN


text_values = st.one_of(st.text(max_size=40), st.sampled_from(["2024", "2024-02", "1", "-1", ""]))


@settings(max_examples=2_000, deadline=None, database=None, suppress_health_check=LENIENT)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "page", "per_page", "from", "to", "type", "source", "sort", "x"]),
        st.one_of(queries, text_values),
        max_size=8,
    )
)
@pytest.mark.slow
def test_fuzzed_api_parameters_never_get_a_server_error(
    client: FlaskClient, params: dict[str, str]
) -> None:
    response = client.get("/api/search", query_string=params)
    assert response.status_code in {200, 400}, (params, response.get_data(as_text=True))
    body = response.get_json()
    assert ("error" in body) == (response.status_code == 400)


HOSTILE = {
    "thousands of OR terms": " OR ".join(f"mot{i}" for i in range(3_000)),
    "a leading and trailing wildcard": "*a*",
    "many wildcards": " ".join(f"{a}{b}{c}*" for a in "cdp" for b in "aeo" for c in "mnr"),
    "deep parentheses": "(" * 240 + "OTAN" + ")" * 240,
    "hundreds of fuzzy terms": " ".join(f"securite{i}~" for i in range(50)),
    "a long phrase of common words": '"' + " ".join(["de la sécurité"] * 40) + '"',
    "stop words only": " ".join(["le", "la", "les", "de", "des", "du"] * 30),
    "nul and control characters": "OTAN\x00\x01\x02 sécurité\x1b",
}


@pytest.fixture(scope="module")
def server(served: ServedIndex) -> Iterator[str]:
    with serving(served.folder.parent.parent) as base:
        yield base


def fetch(url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
        error.close()
    return status, time.monotonic() - started


@pytest.mark.process
def test_hostile_queries_are_refused_or_cut_short_while_others_are_served(server: str) -> None:
    normal: list[tuple[int, float]] = []
    stop = threading.Event()

    def ordinary_client() -> None:
        while not stop.is_set():
            normal.append(fetch(f"{server}/api/search?q=s%C3%A9curit%C3%A9+OTAN"))

    thread = threading.Thread(target=ordinary_client)
    thread.start()
    answers = {}
    for name, q in HOSTILE.items():
        answers[name] = fetch(f"{server}/api/search?q={urllib.parse.quote(q)}")
    answers["a 1 MB word"] = fetch(f"{server}/api/search?q={'a' * 1_000_000}")
    stop.set()
    thread.join(timeout=30)
    for name, (status, seconds) in answers.items():
        assert status in {200, 400, 414} or (status == 400 and name == "a 1 MB word"), name
        assert seconds < OPTIONS.time_limit + MARGIN, (name, seconds)
    assert normal and {status for status, _ in normal} == {200}
    assert max(seconds for _, seconds in normal) < OPTIONS.time_limit + MARGIN


def test_scripts_in_documents_and_queries_are_shown_as_text(tmp_path: Path) -> None:
    trap = {"id": "trap", "title": '<script>alert("t")</script> Titre',
            "body": 'Corps "><img src=x onerror=alert(1)> <script>alert(2)</script> sécurité',
            "url": "javascript:alert(3)"}  # fmt: skip
    reindex([write_jsonl(tmp_path / "c.jsonl", [*DOCS, trap])], tmp_path / "ix")
    client = create_app({"index_dir": str(tmp_path / "ix")}).test_client()
    pages = [
        client.get("/?q=s%C3%A9curit%C3%A9+script"),
        client.get('/?q="><script>alert(9)</script>'),
        client.get("/documents/trap?q=script"),
        client.get("/feed?q=script"),
    ]
    for response in pages:
        text = response.get_data(as_text=True)
        assert "<script>alert" not in text and "<img src=x" not in text, response.request.path
        assert 'href="javascript:' not in text
    assert "&lt;script&gt;" in pages[2].get_data(as_text=True)
    # the API gives text as text (JSON strings); only snippets are HTML, and they are escaped
    hits = client.get("/api/search?q=script").get_json()["results"]
    assert hits and all("<script" not in hit["snippet"] for hit in hits)
    assert "&lt;<mark>script</mark>&gt;" in hits[0]["snippet"]
    api = client.get("/api/documents/trap")
    assert api.content_type == "application/json"
    assert api.get_json()["title"].startswith("<script>")  # as written, for programs to escape


@pytest.mark.parametrize("path", ["/", "/?q=otan", "/documents/nope", "/api/search?q=otan",
                                  "/api/nope", "/feed?q=otan"])  # fmt: skip
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("doc_id", ["../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd",
                                    "/etc/passwd", "%00", "generations", "CURRENT"])  # fmt: skip
def test_document_ids_never_reach_the_file_system(client: FlaskClient, doc_id: str) -> None:
    for path in (f"/api/documents/{doc_id}", f"/documents/{doc_id}"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 404, path
        assert "root:" not in response.get_data(as_text=True)


def test_a_vanished_index_gives_503_and_recovers_by_itself(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    reindex([write_jsonl(tmp_path / "c.jsonl", DOCS)], index_dir)
    client = create_app({"index_dir": str(index_dir)}).test_client()
    assert client.get("/api/search?q=otan").status_code == 200
    index_dir.rename(tmp_path / "away")
    response = client.get("/api/search?q=otan")
    assert response.status_code == 503 and "reindex" in response.get_json()["error"]
    assert client.get("/?q=otan").status_code == 503
    (tmp_path / "away").rename(index_dir)
    assert client.get("/api/search?q=otan").status_code == 200
    (index_dir / "CURRENT").write_text("missing-generation\n")
    response = client.get("/api/search?q=otan")
    assert response.status_code == 503 and "relancez reindex" in response.get_json()["error"]


def test_a_damaged_generation_is_detected_and_rebuilt(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", DOCS)
    index_dir = tmp_path / "ix"
    reindex([corpus], index_dir)
    generation = served_generation(index_dir)
    assert generation is not None
    segment = next(generation.glob("*.seg"))
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    segment.write_bytes(bytes(data))
    report = reindex([corpus], index_dir)
    assert report.mode == "full"
    assert report.notes and segment.name in report.notes[0] and "endommagée" in report.notes[0]
    store = IndexStore(index_dir)
    assert store.info().documents == len(DOCS)
    store.close()
    assert reindex([corpus], index_dir).mode == "incremental"  # the rebuilt one is sound


def test_a_rate_limit_set_by_the_deployer_answers_429_in_the_api_shape(
    served: ServedIndex,
) -> None:
    with app_client(served.folder.parent.parent, rate_limit="3/minute") as client:
        statuses = [client.get("/api/search?q=otan").status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 429, 429]
        response = client.get("/api/health")
        assert response.status_code == 429 and "réessayez" in response.get_json()["error"]
        assert response.headers.get("Retry-After")
    assert client.get("/?q=otan").status_code == 200  # the site itself is not limited


@pytest.mark.parametrize("odd", ["\x00", "\x01", "\x0b", "\uffff", "\ufffe", "\x1f"])
def test_the_feed_is_well_formed_xml_whatever_the_query_holds(
    client: FlaskClient, odd: str
) -> None:
    response = client.get("/feed", query_string={"q": f"otan{odd}sécurité"})
    assert response.status_code == 200
    ElementTree.fromstring(response.get_data())  # raises on characters XML cannot hold


def test_the_feed_is_well_formed_xml_whatever_a_document_holds(tmp_path: Path) -> None:
    odd = {"id": "odd", "title": "Titre \x01 \x0b \uffff", "body": "otan \x00 \x1f fin"}
    reindex([write_jsonl(tmp_path / "c.jsonl", [*DOCS, odd])], tmp_path / "ix")
    with app_client(tmp_path / "ix") as test_client:
        response = test_client.get("/feed?q=otan")
    root = ElementTree.fromstring(response.get_data())
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) >= 2


def test_the_feed_links_never_take_the_host_a_client_sends(tmp_path: Path) -> None:
    reindex([write_jsonl(tmp_path / "c.jsonl", DOCS)], tmp_path / "ix")
    with app_client(tmp_path / "ix", base_url="https://communiques.example.org/") as test_client:
        feed = test_client.get("/feed?q=otan", headers={"Host": "evil.example"}).get_data(True)
    originals = {doc.get("url") for doc in DOCS}  # a document's own address, linked as related
    links = [link for link in re.findall(r'(?:href="|<id>)([^"<]+)', feed) if link not in originals]
    assert len(links) >= 4 and "evil.example" not in feed
    assert all(link.startswith("https://communiques.example.org/") for link in links), links


@pytest.mark.process
@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"GET /api/search?q=" + b"a" * 5_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET /api/search?q=otan\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 60 + b"\r\n", 431),
    ],
    ids=["long-line", "invalid-bytes", "many-headers"],
)
def test_what_gunicorn_refuses_is_said_in_the_api_shape_with_the_headers(
    server: str, raw: bytes, status: int
) -> None:
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} ")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert headers["Content-Type"] == "application/json"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    error = json.loads(body)
    assert error["status"] == status and error["error"]
