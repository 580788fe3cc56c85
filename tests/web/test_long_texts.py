"""A pasted text up to ``max_text_chars`` finds the document it comes from: POSTed to the page
and to the API (form-encoded or JSON), through the Flask app on both engines (whoosh and
opensearch, parametrized) and a real ``serve`` process."""

from __future__ import annotations

import json
import random
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from search.engines.whoosh.indexing import reindex
from search.models import SearchOptions
from tests.support.corpus import write_jsonl
from tests.support.engines import built, engine_settings
from tests.support.server import serving
from web import create_app
from web.context import ENGINE

LIMIT = SearchOptions.defaults().max_text_chars
SYLLABLES = ["ka", "zo", "mi", "tru", "vel", "pa", "ren", "dor", "lu", "bis", "fa", "gon"]
VOCABULARY = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES]
KINDS = ["whoosh", pytest.param("opensearch", marks=pytest.mark.cluster)]


def generated(count: int, seed: int = 5) -> list[dict[str, str]]:
    """``count`` documents of 150 invented words, then the target: 1,600 words, over
    ``LIMIT`` characters."""
    rng = random.Random(seed)
    docs = [
        {
            "id": f"g{i}",
            "title": f"Communiqué {i}",
            "body": " ".join(rng.choices(VOCABULARY, k=150)),
        }
        for i in range(count)
    ]
    target = {"id": "cible", "title": "La cible", "body": " ".join(rng.choices(VOCABULARY, k=1600))}
    assert len(target["body"]) > LIMIT
    return [*docs, target]


@pytest.fixture(scope="module")
def long_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The generated corpus, and the target's opening of ``LIMIT`` characters."""
    folder = tmp_path_factory.mktemp("long")
    docs = generated(80)
    corpus = write_jsonl(folder / "docs.jsonl", docs)
    text = docs[-1]["body"][: LIMIT + 1].rsplit(" ", 1)[0]
    text += " " + "x" * (LIMIT - len(text) - 1)  # exactly LIMIT characters
    assert len(text) == LIMIT
    return corpus, text


@pytest.fixture(scope="module", params=KINDS)
def long_settings(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    long_corpus: tuple[Path, str],
) -> Iterator[dict[str, Any]]:
    """The settings of an engine of each kind with the generated corpus indexed."""
    folder = tmp_path_factory.mktemp(f"long-{request.param}")
    cluster = (
        request.getfixturevalue("opensearch_cluster") if request.param == "opensearch" else None
    )
    values = engine_settings(request.param, folder, cluster)
    with built(values, [long_corpus[0]]):
        yield values


@pytest.fixture
def long_client(long_settings: dict[str, Any]) -> Iterator[FlaskClient]:
    app = create_app(long_settings)
    try:
        yield app.test_client()
    finally:
        app.extensions[ENGINE].close()


def test_a_pasted_text_posted_to_the_page_finds_its_document(
    long_client: FlaskClient, long_corpus: tuple[Path, str]
) -> None:
    response = long_client.post("/", data={"q": long_corpus[1]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Texte long : la recherche porte sur ses mots les plus significatifs" in html
    assert html.index('href="/documents/cible') < html.index('href="/documents/g')
    sort_link = re.search(r'href="(/\?[^"]*sort=date[^"]*)"', html)
    assert sort_link is not None and len(sort_link.group(1)) < 2000  # the words, not the text
    onward = long_client.get(sort_link.group(1).replace("&amp;", "&"))
    assert onward.status_code == 200 and "Texte long" in onward.get_data(as_text=True)


def test_the_home_page_has_a_form_to_paste_a_text(long_client: FlaskClient) -> None:
    html = long_client.get("/").get_data(as_text=True)
    assert '<form method="post" action="/">' in html
    assert f'<textarea id="texte" name="q" rows="6" maxlength="{LIMIT}"' in html


def test_the_api_takes_a_posted_text_as_a_form_or_as_json(
    long_client: FlaskClient, long_corpus: tuple[Path, str]
) -> None:
    as_form = long_client.post("/api/search", data={"q": long_corpus[1], "per_page": "3"})
    as_json = long_client.post("/api/search", json={"q": long_corpus[1], "per_page": 3})
    for response in (as_form, as_json):
        body = response.get_json()
        assert response.status_code == 200, body
        assert body["results"][0]["id"] == "cible" and len(body["results"]) == 3
        assert body["shortened"] and len(body["shortened"].split()) <= 64
        assert body["query"] == long_corpus[1]
    assert as_form.get_json() == as_json.get_json()


def test_one_character_over_the_limit_is_refused_in_french(
    long_client: FlaskClient, long_corpus: tuple[Path, str]
) -> None:
    over = long_corpus[1] + "z"
    api = long_client.post("/api/search", data={"q": over})
    assert api.status_code == 400
    assert api.get_json()["error"].startswith(f"texte trop long ({LIMIT + 1} caractères")
    page = long_client.post("/", data={"q": over})
    assert page.status_code == 400 and "Texte trop long (10001 caractères" in page.get_data(
        as_text=True
    )
    not_an_object = long_client.post("/api/search", json=["q"])
    assert not_an_object.status_code == 400
    assert "objet" in not_an_object.get_json()["error"]


def test_a_query_of_3000_bytes_still_works_with_get(
    long_client: FlaskClient, long_corpus: tuple[Path, str]
) -> None:
    q = long_corpus[1][:3000].rsplit(" ", 1)[0]
    response = long_client.get("/api/search?" + urllib.parse.urlencode({"q": q}))
    assert len(urllib.parse.quote(q)) >= 3000 and response.status_code == 200
    assert response.get_json()["results"][0]["id"] == "cible"
    assert response.get_json()["shortened"]


def test_a_short_query_is_not_shortened(long_client: FlaskClient) -> None:
    body = long_client.get("/api/search?q=kazomi").get_json()
    assert body["shortened"] is None


@pytest.mark.process
def test_a_real_server_takes_a_pasted_text_by_post(
    long_corpus: tuple[Path, str], tmp_path: Path
) -> None:
    corpus, text = long_corpus
    reindex([corpus], tmp_path / "index")
    with serving(tmp_path / "index") as base:
        form = urllib.parse.urlencode({"q": text}).encode()
        with urllib.request.urlopen(f"{base}/api/search", data=form, timeout=30) as response:
            body = json.load(response)
        assert body["results"][0]["id"] == "cible" and body["shortened"]
        with urllib.request.urlopen(f"{base}/", data=form, timeout=30) as response:
            assert "Texte long" in response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/api/search?{form.decode()}", timeout=30)
        refused.value.close()
        assert refused.value.code == 414  # why the text must be posted: a long address is refused
