"""The same behaviour from both engines (whoosh and opensearch, parametrized): the query
language, synonyms, typo tolerance, filters, facets, sorts, snippets, similar documents, the
API's JSON shape and its answers to bad input, on the corpus of ``test_query_language``.
What the opensearch engine cannot match is listed in docs/opensearch.md, with its reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from search.engine import Engine
from search.errors import BadRequest, NotFound
from search.filters import Filters
from search.models import SearchRequest
from tests.search.test_query_language import DOCS, SYNONYMS, doc
from tests.support.corpus import write_jsonl
from tests.support.engines import built, engine_settings
from web import create_app
from web.context import ENGINE

MORE = [
    doc("html", "Cryptographie <script>alert(1)</script>",
        "Le budget R&D de la cryptographie « <b>quantique</b> » augmente.", "2023-09-01",
        "communiqué", "Gouvernement"),
    doc("phrase-a", "Conseil", "Le secrétaire général ouvre le conseil.", "2021-02-02",
        "communiqué", "Gouvernement"),
    doc("phrase-b", "Conseil", "Le secrétaire du général ouvre le conseil.", "2021-02-03",
        "communiqué", "Gouvernement"),
]  # fmt: skip
KINDS = ["whoosh", pytest.param("opensearch", marks=pytest.mark.cluster)]


@pytest.fixture(scope="module", params=KINDS)
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp(f"both-{request.param}")
    write_jsonl(folder / "docs.jsonl", [*DOCS, *MORE])
    (folder / "synonyms.txt").write_text(SYNONYMS, "utf-8")
    cluster = (
        request.getfixturevalue("opensearch_cluster") if request.param == "opensearch" else None
    )
    values = engine_settings(request.param, folder, cluster, synonyms=str(folder / "synonyms.txt"))
    return values, folder / "docs.jsonl"


@pytest.fixture(scope="module")
def engine(settings: Any) -> Iterator[Engine]:
    values, corpus = settings
    with built(values, [corpus]) as opened:
        yield opened


@pytest.fixture(scope="module")
def api(settings: Any, engine: Engine) -> Iterator[FlaskClient]:
    app = create_app(settings[0])
    yield app.test_client()
    app.extensions[ENGINE].close()


def ids(engine: Engine, q: str, **kw: Any) -> list[str]:
    return [hit.id for hit in engine.search(SearchRequest(q, per_page=50, **kw)).hits]


def api_get(api: FlaskClient, path: str = "/api/search", **params: Any) -> tuple[int, Any]:
    response = api.get(path, query_string=params)
    return response.status_code, response.get_json()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Quand l'OTAN a-t-elle adopté sa politique spatiale ?", "otan"),
        ("politique spatiale !", "otan"),
        ("Sécurité : quelles mesures pour les Jeux ?", "secu1"),
        ("(OTAN) [espace] {cyber} ^2 ~ espace:", "otan"),
        ("title: espace", "otan"),
        ("OR espace OU", "otan"),
        ('"politique spatiale', "otan"),
    ],
)
def test_punctuation_is_never_syntax(engine: Engine, q: str, expected: str) -> None:
    assert ids(engine, q)[0] == expected


def test_title_prefix_exclusion_or_and_phrases(engine: Engine) -> None:
    assert set(ids(engine, "titre:sécurité")) == {"secu1", "secu2", "secu3"}
    assert ids(engine, 'titre:"sécurité maritime"') == ["secu2"]
    assert ids(engine, "titre:politique") == []
    assert set(ids(engine, "cyber*")) == {"otan", "ue"}
    assert set(ids(engine, "sécurité -élections")) == {"secu1", "secu2"}
    assert set(ids(engine, 'sécurité -"sécurité maritime"')) == {"secu1", "secu3"}
    assert set(ids(engine, "Sahel OU Jeux")) == {"same-old", "same-new", "secu1"}
    assert set(ids(engine, "Sahel OR Jeux")) == set(ids(engine, "Sahel OU Jeux"))
    assert ids(engine, '"secrétaire général"') == ["phrase-a"]  # not across « du »


@pytest.mark.parametrize(
    ("q", "words"),
    [("*", "tous les documents"), ("le les des", "aucun mot"), ("?", "aucun mot"),
     ("-sécurité", "aucun mot"), ("cy*", "3 lettres"), ("*curité", "astérisque")],
)  # fmt: skip
def test_bad_queries_are_refused_alike(api: FlaskClient, q: str, words: str) -> None:
    status, body = api_get(api, q=q)
    assert status == 400 and words in body["error"]


def test_a_text_over_the_term_cap_is_searched_by_its_most_informative_words(
    engine: Engine,
) -> None:
    syllables = ("ka", "zo", "tru", "vel", "dor", "bis", "ren", "gon")
    invented = [a + b for a in syllables for b in "ptrlmnsgvf"]  # 80 words the corpus lacks
    q = " ".join([*invented[:30], "Mircea Geoană", *invented[30:]])
    page = engine.search(SearchRequest(q, per_page=50))
    words = (page.shortened or "").split()
    assert len(words) == 64 and "Geoană" in words and "Mircea" in words
    assert {"geoana1", "geoana2", "geoana3"} <= {hit.id for hit in page.hits}


def test_a_misspelt_word_is_corrected_beside_words_that_find_plenty(engine: Engine) -> None:
    # Mircea and Sahel find 5 documents (typo_below): the misspelt word still counts
    page = engine.search(SearchRequest("secruité Mircea Sahel", per_page=50))
    assert {"secu1", "secu2", "secu3"} <= {hit.id for hit in page.hits}
    assert page.corrected and page.suggestion == "sécurité Mircea Sahel"
    # a word that one document holds is left as typed when the results are many
    page = engine.search(SearchRequest("Geoanna Mircea Sahel", per_page=50))
    assert not page.corrected and page.suggestion is None
    assert "faute" in {hit.id for hit in page.hits}


def test_typos_and_synonyms(engine: Engine) -> None:
    found = ids(engine, "Geoanna")
    assert found[0] == "faute"
    assert set(found) == {"faute", "geoana1", "geoana2", "geoana3"}
    assert engine.search(SearchRequest("Geoanna")).corrected
    assert set(ids(engine, "secruité")) == {"secu1", "secu2", "secu3"}
    assert engine.search(SearchRequest("secruité Jeux")).suggestion == "sécurité Jeux"
    assert engine.search(SearchRequest("l'Ottan")).suggestion == "l'OTAN"
    assert engine.search(SearchRequest("Geoanna")).suggestion == "Geoană"
    assert engine.search(SearchRequest("sécurité")).suggestion is None
    assert set(ids(engine, "OTAN")) >= {"nato", "otan"}
    assert set(ids(engine, "NATO")) == set(ids(engine, "OTAN"))
    assert set(ids(engine, "Union européenne")) == {"ue", "union"}
    assert set(ids(engine, "UE")) == {"ue", "union"}


def test_filters(engine: Engine) -> None:
    def only(q: str, **kw: Any) -> set[str]:
        return set(ids(engine, q, filters=Filters.parse(**kw)))

    assert only("sécurité", date_from="2024") == {"secu1", "secu2"}
    assert only("sécurité", date_from="2024-02", date_to="2024-07") == {"secu1"}
    assert only("sécurité", date_from="2024-07-10", date_to="2024-07-10") == {"secu1"}
    assert only("sécurité", types=("communique",)) == {"secu1", "secu3"}
    assert only("sécurité", sources=("Ministère de l'Intérieur",)) == {"secu1", "secu3"}
    assert only("Geoană", types=("discours",), sources=("OTAN",)) == {"geoana1", "geoana2"}
    with pytest.raises(BadRequest, match="inconnu"):
        only("sécurité", types=("inconnu",))


def test_facets_timeline_and_sorts(engine: Engine, api: FlaskClient) -> None:
    page = engine.search(SearchRequest("sécurité"))
    facets = {name: {v.value: v.count for v in values} for name, values in page.facets.items()}
    assert facets["year"] == {"2024": 2, "2022": 1} and list(facets["year"]) == ["2024", "2022"]
    assert facets["type"] == {"communiqué": 2, "déclaration": 1}
    assert [(bar.period, bar.count) for bar in page.timeline] == [
        ("2022", 1), ("2023", 0), ("2024", 2)]  # fmt: skip
    chosen = engine.search(SearchRequest("sécurité", filters=Filters.parse(types=("communiqué",))))
    assert chosen.total == 2 and {v.value for v in chosen.facets["type"]} == {
        "communiqué", "déclaration"}  # fmt: skip
    assert ids(engine, "sécurité", sort="date") == ["secu1", "secu2", "secu3"]
    assert ids(engine, "sécurité", sort="date_asc") == ["secu3", "secu2", "secu1"]
    assert ids(engine, "Sahel") == ["same-new", "same-old"]  # equal scores: newest first
    body = api_get(api, q="sécurité", sort="date")[1]
    assert body["sort"] == "date" and body["results"][0]["score"] is None


def test_snippets_mark_words_in_escaped_text(engine: Engine) -> None:
    hit = engine.search(SearchRequest("cryptographie")).hits[0]
    assert hit.id == "html" and "<mark>cryptographie</mark>" in hit.snippet
    assert "&lt;b&gt;quantique&lt;/b&gt;" in hit.snippet and "R&amp;D" in hit.snippet
    assert hit.title_marked.startswith("<mark>Cryptographie</mark> &lt;script&gt;")
    assert "<b>" not in hit.snippet and "<script>" not in hit.title_marked
    paragraphs = engine.paragraphs(engine.document("html"), "quantique")
    assert paragraphs == [
        "Le budget R&amp;D de la cryptographie « &lt;b&gt;<mark>quantique</mark>&lt;/b&gt; » "
        "augmente. Le texte continue avec des informations générales sur la situation."
    ]
    phrase = engine.search(SearchRequest('"secrétaire général"')).hits[0].snippet
    assert "<mark>secrétaire</mark> <mark>général</mark>" in phrase


def test_documents_similar_and_suggestions(engine: Engine) -> None:
    assert engine.document("geoana1").title == "Visite"
    with pytest.raises(NotFound):
        engine.document("absent")
    similar = [item.id for item in engine.similar("geoana1", limit=3)]
    assert "geoana1" not in similar and set(similar) & {"geoana2", "geoana3"}
    suggestions = engine.suggest("sécu")
    assert "sécurité" in suggestions.words
    assert {t.id for t in suggestions.titles} >= {"secu1", "secu2", "secu3"}


def test_api_json_shape_and_bad_input(api: FlaskClient, settings: Any) -> None:
    status, body = api_get(api, q="sécurité", per_page=2)
    assert status == 200
    assert set(body) == {"query", "total", "page", "per_page", "results", "facets",
                         "suggestion", "corrected", "partial", "sort", "shortened"}  # fmt: skip
    assert set(body["results"][0]) == {"id", "title", "date", "url", "type", "source", "score",
                                       "snippet", "title_marked"}  # fmt: skip
    status, health = api_get(api, "/api/health")
    assert status == 200 and health["engine"] == settings[0]["engine"]
    assert health["documents"] == len(DOCS) + len(MORE)
    for params, words in [({"per_page": 1000}, "per_page"), ({"page": 0}, "page"),
                          ({"page": 2000, "per_page": 10}, "lointaine"),
                          ({"q": "x" * 10_001}, "trop long"), ({"type": "inconnu"}, "inconnu"),
                          ({"from": "2024-02-30"}, "existe")]:  # fmt: skip
        status, body = api_get(api, **{"q": "sécurité", **params})
        assert status == 400 and words in body["error"], params
    assert api_get(api, "/api/documents/absent")[0] == 404
