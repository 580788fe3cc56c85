"""The site and the API through the real Flask app over a real index."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search.engines.whoosh.generations import read_manifest, served_generation, write_manifest
from search.engines.whoosh.schema import SCHEMA_VERSION
from tests.support.index import app_client
from web import create_app


def test_home_has_a_labelled_search_box_and_the_corpus_size(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<label for="q"' in html and 'name="q"' in html and 'role="search"' in html
    assert "4 communiqués indexés" in html


def test_results_page_shows_ranked_highlighted_hits_and_keeps_the_words(
    client: FlaskClient,
) -> None:
    response = client.get("/?q=politique+spatiale")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="politique spatiale"' in html
    assert html.index("L’espace reconnu") < html.index("Visite du secrétaire")
    assert "<mark>politique</mark> <mark>spatiale</mark>" in html
    assert "4 décembre 2019" in html and "3 résultats" in html


def test_documents_and_queries_are_escaped_in_the_page(client: FlaskClient) -> None:
    html = client.get('/?q="><script>alert(1)</script> balises').get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the title of the trap document
    assert 'value="&#34;&gt;&lt;script&gt;' in html  # the box, escaped


def test_pagination_keeps_every_parameter(client: FlaskClient) -> None:
    html = client.get("/?q=OTAN+s%C3%A9curit%C3%A9&per_page=1").get_data(as_text=True)
    assert "page 1 sur 3" in html
    assert 'rel="next" href="/?q=OTAN+s%C3%A9curit%C3%A9&amp;per_page=1&amp;page=2"' in html
    beyond = client.get("/?q=OTAN+s%C3%A9curit%C3%A9&per_page=1&page=999")
    assert beyond.status_code == 302  # to the last page, every other parameter kept
    assert beyond.headers["Location"] == "/?q=OTAN+s%C3%A9curit%C3%A9&per_page=1&page=3"


def test_page_errors_are_pages_in_french_with_the_box(client: FlaskClient) -> None:
    response = client.get("/?q=le")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "aucun mot à chercher" in html and 'value="le"' in html
    assert client.get("/?q=otan&page=-1").status_code == 400
    assert client.get("/nulle-part").status_code == 404


def test_api_search_shape(client: FlaskClient) -> None:
    body = client.get("/api/search?q=Geoana&per_page=5").get_json()
    assert list(body) == [
        "query",
        "total",
        "page",
        "per_page",
        "sort",
        "results",
        "facets",
        "suggestion",
        "corrected",
        "partial",
        "shortened",
    ]
    assert (body["query"], body["total"], body["page"], body["per_page"]) == ("Geoana", 1, 1, 5)
    (hit,) = body["results"]
    assert {"id", "title", "date", "url", "score", "snippet"} <= set(hit)
    assert hit["url"] == "https://example.org/industrie-2024"
    assert "<mark>Geoană</mark>" in hit["snippet"]


def test_api_same_results_for_every_spelling(client: FlaskClient) -> None:
    def found(q: str) -> list[str]:
        return [
            r["id"] for r in client.get("/api/search", query_string={"q": q}).get_json()["results"]
        ]

    assert found("l’OTAN") == found("otan") == found("OTAN") != []


def test_api_errors_are_json_with_a_message(client: FlaskClient) -> None:
    cases = {
        "/api/search": (400, "q"),
        "/api/search?q=otan&page=zero": (400, "page"),
        "/api/search?q=otan&page=99999999999999999999": (400, "trop grand"),
        "/api/search?q=otan&per_page=101": (400, "per_page"),
        "/api/search?q=otan&per_page=0": (400, "per_page"),
        "/api/search?q=otan&page=2000": (400, "page trop lointaine"),
        "/api/search?q=les+des": (400, "aucun mot"),
        "/api/nope": (404, "introuvable"),
    }
    for url, (status, words) in cases.items():
        response = client.get(url)
        assert response.status_code == status, url
        body = response.get_json()
        assert body["status"] == status and words in body["error"], url
    response = client.put("/api/search?q=otan")
    assert response.status_code == 405 and "méthode" in response.get_json()["error"]


def test_without_an_index_the_service_says_what_to_do(tmp_path: Path) -> None:
    client = create_app({"index_dir": str(tmp_path / "none")}).test_client()
    response = client.get("/api/search?q=otan")
    assert response.status_code == 503 and "reindex" in response.get_json()["error"]
    assert client.get("/").status_code == 503


def test_every_api_parameter_is_documented_in_the_readme() -> None:
    from tests.conftest import ROOT
    from web.params import PARAMETERS

    readme = (ROOT / "README.md").read_text("utf-8")
    api_section = readme[readme.index("### `GET /api/search`") :]
    for name in PARAMETERS:
        assert f"| `{name}` |" in api_section, name


def test_health_says_when_the_index_was_built_with_another_format(
    index_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """After an update that changes the index format, the old index is still served, but the
    health endpoint and the log say that a reindex is needed."""
    with app_client(index_dir) as client:
        health = client.get("/api/health").get_json()
        assert (health["index_format"], health["reindex_needed"]) == (SCHEMA_VERSION, False)
    generation = served_generation(index_dir)
    assert generation is not None
    manifest = read_manifest(generation)
    write_manifest(generation, {**manifest, "schema": SCHEMA_VERSION - 1})
    with caplog.at_level(logging.WARNING), app_client(index_dir) as client:
        health = client.get("/api/health").get_json()
        assert health["status"] == "ok" and health["documents"] > 0  # still served
        assert (health["index_format"], health["reindex_needed"]) == (SCHEMA_VERSION - 1, True)
    assert "run reindex" in caplog.text
