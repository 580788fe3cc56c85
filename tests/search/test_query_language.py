"""The query language, filters, facets, sorting, suggestions, synonyms and similar documents,
through the library and through the API, on a real index built for these tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.documents import similar_documents
from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.store import IndexStore, ServedIndex
from search.errors import BadRequest, NotFound
from search.filters import Filters
from search.indexing import ReindexOptions
from search.lexicon import prefix_words
from search.models import SearchRequest
from search.syntax import Clause
from search.vocabulary import Vocabulary
from tests.support.corpus import write_jsonl
from tests.support.index import app_client, served_from

FILL = " Le texte continue avec des informations générales sur la situation."


def doc(id: str, title: str, body: str, date: str, type: str, source: str) -> dict[str, str]:
    return {"id": id, "title": title, "body": body + FILL, "date": date, "type": type,
            "source": source}  # fmt: skip


DOCS = [
    doc("nato", "Réunion des ministres", "Les ministres de la NATO se réunissent à Bruxelles.",
        "2021-06-14", "communiqué", "OTAN"),
    doc("otan", "L’OTAN et l’espace", "L’OTAN adopte sa politique spatiale et la cyberdéfense.",
        "2019-12-04", "déclaration", "OTAN"),
    doc("ue", "Budget de l’UE", "L’UE présente son budget pour la cybersécurité.",
        "2024-02-20", "communiqué", "Union européenne"),
    doc("union", "Élections", "L’Union européenne organise les élections du Parlement.",
        "2024-06-06", "déclaration", "Union européenne"),
    doc("geoana1", "Visite", "Mircea Geoană ouvre le forum de l’industrie.",
        "2022-06-30", "discours", "OTAN"),
    doc("geoana2", "Forum", "Mircea Geoană salue les industriels.", "2025-03-19", "discours",
        "OTAN"),
    doc("geoana3", "Exercice", "Mircea Geoană lance l’exercice.", "2021-03-30",
        "point de presse", "OTAN"),
    doc("faute", "Note", "Une note citant Geoanna par erreur.", "2020-01-01", "communiqué",
        "Gouvernement"),
    doc("secu1", "Sécurité intérieure", "La sécurité des Jeux est assurée.", "2024-07-10",
        "communiqué", "Ministère de l’Intérieur"),
    doc("secu2", "Sécurité maritime", "La sécurité de la navigation en mer.", "2024-01-18",
        "déclaration", "Ministère de l’Europe et des Affaires étrangères"),
    doc("secu3", "Sécurité et élections", "La sécurité du scrutin est garantie.", "2022-04-05",
        "communiqué", "Ministère de l’Intérieur"),
    doc("same-old", "Sahel", "Aide au Sahel.", "2019-05-05", "communiqué", "Nations unies"),
    doc("same-new", "Sahel", "Aide au Sahel.", "2023-05-05", "communiqué", "Nations unies"),
]  # fmt: skip

SYNONYMS = "OTAN, NATO, Alliance atlantique\nUE, Union européenne\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedIndex]:
    folder = tmp_path_factory.mktemp("language")
    write_jsonl(folder / "docs.jsonl", DOCS)
    (folder / "synonyms.txt").write_text(SYNONYMS, "utf-8")
    reindex(
        [folder / "docs.jsonl"],
        folder / "ix",
        ReindexOptions(synonyms_file=folder / "synonyms.txt"),
    )
    with served_from(folder / "ix") as index:
        yield index


@pytest.fixture(scope="module")
def api(served: ServedIndex) -> Iterator[FlaskClient]:
    with app_client(served.folder.parent.parent) as test_client:
        yield test_client


def ids(served: ServedIndex, q: str, **kw: Any) -> list[str]:
    return [hit.id for hit in search(served, SearchRequest(q, per_page=50, **kw)).hits]


def api_get(api: FlaskClient, **params: Any) -> tuple[int, dict[str, Any]]:
    response = api.get("/api/search", query_string=params)
    return response.status_code, response.get_json()


# --- syntax -------------------------------------------------------------------------------


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
def test_punctuation_is_never_syntax_by_accident(
    served: ServedIndex, q: str, expected: str
) -> None:
    assert ids(served, q)[0] == expected


def test_title_restriction(served: ServedIndex, api: FlaskClient) -> None:
    assert ids(served, "titre:sécurité") == ids(served, "title:Sécurité")
    assert set(ids(served, "titre:sécurité")) == {"secu1", "secu2", "secu3"}
    assert ids(served, 'titre:"sécurité maritime"') == ["secu2"]
    assert ids(served, "espace") == ["otan"]
    assert ids(served, "titre:politique") == []  # only in the body
    assert api_get(api, q="titre:élections")[1]["total"] == 2


def test_prefixes(served: ServedIndex, api: FlaskClient) -> None:
    assert set(ids(served, "cyber*")) == {"otan", "ue"}
    page = search(served, SearchRequest("cyber*"))
    assert any("<mark>cyberdéfense</mark>" in hit.snippet for hit in page.hits)
    status, body = api_get(api, q="cy*")
    assert status == 400 and "3 lettres" in body["error"]
    status, body = api_get(api, q="*curité")
    assert status == 400 and "astérisque" in body["error"]


def test_prefix_expansions_are_capped_to_the_most_frequent() -> None:
    vocabulary = Vocabulary([("secu", "sécu", 1), ("securite", "sécurité", 30),
                             ("securitaire", "sécuritaire", 5)])  # fmt: skip
    assert prefix_words(vocabulary, Clause("sécu", prefix=True), 2) == ["securite", "securitaire"]


def test_exclusion_or_and_phrases(served: ServedIndex) -> None:
    assert set(ids(served, "sécurité -élections")) == {"secu1", "secu2"}
    assert set(ids(served, 'sécurité -"sécurité maritime"')) == {"secu1", "secu3"}
    assert set(ids(served, "Sahel OU Jeux")) == {"same-old", "same-new", "secu1"}
    assert set(ids(served, "Sahel OR Jeux")) == set(ids(served, "Sahel OU Jeux"))


@pytest.mark.parametrize("q", ["*", "le les des", "?", "-sécurité"])
def test_queries_matching_everything_or_nothing_are_refused(api: FlaskClient, q: str) -> None:
    status, body = api_get(api, q=q)
    assert status == 400 and ("aucun mot" in body["error"] or "tous les documents" in body["error"])


# --- typo tolerance and suggestions ----------------------------------------------------


def test_typos_find_the_right_word_below_exact_matches(served: ServedIndex) -> None:
    found = ids(served, "Geoanna")
    assert found[0] == "faute"  # the exact (rare) spelling first
    assert set(found) == {"faute", "geoana1", "geoana2", "geoana3"}
    assert set(ids(served, "secruité")) == {"secu1", "secu2", "secu3"}  # swapped letters
    assert ids(served, "sécuritéé") != []  # one letter too many


def test_suggestions_are_written_as_in_the_texts(served: ServedIndex, api: FlaskClient) -> None:
    assert search(served, SearchRequest("secruité Jeux")).suggestion == "sécurité Jeux"
    # OTAN is in one document: a word the corpus has once is still a neighbour
    assert search(served, SearchRequest("l'Ottan")).suggestion == "l'OTAN"
    assert search(served, SearchRequest("sécurité")).suggestion is None
    assert search(served, SearchRequest("Quand la sécurité ?")).suggestion is None  # stop words
    body = api_get(api, q="Geoanna")[1]
    assert body["suggestion"] == "Geoană" and body["corrected"] is True
    html = api.get("/?q=secruit%C3%A9").get_data(as_text=True)
    assert 'Vouliez-vous dire : <a href="/?q=s%C3%A9curit%C3%A9">sécurité</a>' in html


# --- synonyms ------------------------------------------------------------------------------


def test_synonyms(served: ServedIndex) -> None:
    assert set(ids(served, "OTAN")) >= {"nato", "otan"}
    assert set(ids(served, "NATO")) == set(ids(served, "OTAN"))
    assert set(ids(served, "Union européenne")) == {"ue", "union"}
    assert set(ids(served, "UE")) == {"ue", "union"}
    nato = search(served, SearchRequest("OTAN")).hits
    assert any("<mark>NATO</mark>" in hit.snippet for hit in nato)


def test_synonyms_are_reloaded_on_reindex(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "docs.jsonl", DOCS)
    synonyms = tmp_path / "synonyms.txt"
    synonyms.write_text("", "utf-8")
    reindex([tmp_path / "docs.jsonl"], tmp_path / "ix", ReindexOptions(synonyms_file=synonyms))
    store = IndexStore(tmp_path / "ix")
    assert ids(store.current(), "NATO") == ["nato"]
    synonyms.write_text("NATO, OTAN\n", "utf-8")
    reindex([tmp_path / "docs.jsonl"], tmp_path / "ix", ReindexOptions(synonyms_file=synonyms))
    assert "otan" in ids(store.current(), "NATO")
    store.close()


# --- filters, facets, sorting -----------------------------------------------------------


def test_date_filters_accept_years_months_and_days(served: ServedIndex) -> None:
    def dated(**kw: str | None) -> set[str]:
        return set(ids(served, "sécurité", filters=Filters.parse(**kw)))

    assert dated(date_from="2024") == {"secu1", "secu2"}
    assert dated(date_to="2023") == {"secu3"}
    assert dated(date_from="2024-02", date_to="2024-07") == {"secu1"}
    assert dated(date_from="2024-07-10", date_to="2024-07-10") == {"secu1"}
    assert dated(date_from="juillet 2024", date_to="07/2024") == {"secu1"}
    assert dated(date_from="2024", date_to="2023") == dated(date_from="2023", date_to="2024")
    with pytest.raises(BadRequest, match="AAAA"):
        Filters.parse(date_from="juin")
    with pytest.raises(BadRequest, match="existe"):
        Filters.parse(date_to="2024-02-30")


def test_type_and_source_filters_combine_with_any_query(served: ServedIndex) -> None:
    def only(q: str, **kw: tuple[str, ...]) -> set[str]:
        return set(ids(served, q, filters=Filters.parse(**kw)))

    assert only("sécurité", types=("communiqué",)) == {"secu1", "secu3"}
    assert only("sécurité", types=("communique",)) == {"secu1", "secu3"}  # accents optional
    assert only("sécurité", sources=("Ministère de l'Intérieur",)) == {"secu1", "secu3"}
    both = only(
        "sécurité", types=("déclaration", "communiqué"), sources=("ministere de l’interieur",)
    )
    assert both == {"secu1", "secu3"}
    assert only("OTAN", types=("discours",)) == set()  # "OTAN" is not in those texts
    with pytest.raises(BadRequest, match="inconnu"):  # a value no document has is said
        only("sécurité", types=("inconnu",))
    page = search(served, SearchRequest("sécurité", filters=Filters.parse(date_from="2030")))
    assert (page.total, page.hits) == (0, [])
    assert only("Geoană", types=("discours",), sources=("OTAN",)) == {"geoana1", "geoana2"}


def test_api_filters_facets_and_errors(api: FlaskClient) -> None:
    status, body = api_get(api, q="sécurité", type="communiqué", **{"from": "2023"})
    assert status == 200 and [r["id"] for r in body["results"]] == ["secu1"]
    status, body = api_get(api, q="sécurité")
    facets = {
        name: {v["value"]: v["count"] for v in values} for name, values in body["facets"].items()
    }
    assert facets["year"] == {"2024": 2, "2022": 1}
    assert facets["type"] == {"communiqué": 2, "déclaration": 1}
    assert facets["source"]["Ministère de l’Intérieur"] == 2
    assert list(facets["year"]) == ["2024", "2022"]  # newest first
    for params, words in [
        ({"from": "2024-13"}, "from"),
        ({"to": "hier"}, "to"),
        ({"from": "2024-02-30"}, "existe"),
        ({"sort": "pertinence"}, "sort"),
    ]:
        status, body = api_get(api, q="sécurité", **params)
        assert status == 400 and words in body["error"], params


def test_facet_links_filter_the_page(api: FlaskClient) -> None:
    html = api.get("/?q=s%C3%A9curit%C3%A9").get_data(as_text=True)
    assert 'href="/?q=s%C3%A9curit%C3%A9&amp;type=communiqu%C3%A9"' in html
    assert 'href="/?q=s%C3%A9curit%C3%A9&amp;from=2024&amp;to=2024"' in html
    filtered = api.get("/?q=s%C3%A9curit%C3%A9&type=communiqu%C3%A9").get_data(as_text=True)
    assert "2 résultats" in filtered and "Type : communiqué" in filtered


def test_sorting(served: ServedIndex, api: FlaskClient) -> None:
    assert ids(served, "sécurité", sort="date") == ["secu1", "secu2", "secu3"]
    assert ids(served, "sécurité", sort="date_asc") == ["secu3", "secu2", "secu1"]
    assert ids(served, "Sahel") == ["same-new", "same-old"]  # equal scores: newest first
    body = api_get(api, q="sécurité", sort="date")[1]
    assert body["sort"] == "date" and body["results"][0]["score"] is None


# --- similar documents ----------------------------------------------------------------


def test_similar_documents(served: ServedIndex, api: FlaskClient) -> None:
    similar = [item.id for item in similar_documents(served, "geoana1", limit=3)]
    assert "geoana1" not in similar and set(similar) & {"geoana2", "geoana3"}
    with pytest.raises(NotFound):
        similar_documents(served, "absent")
    response = api.get("/api/documents/geoana2/similar")
    assert response.status_code == 200 and response.get_json()["results"]
    assert api.get("/api/documents/absent/similar").status_code == 404
