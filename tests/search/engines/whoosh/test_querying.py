"""The search library: ranking, query syntax, snippets and bounds, on a real index on disk."""

from __future__ import annotations

import pytest

from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.store import IndexStore
from search.errors import BadRequest
from search.models import SearchOptions, SearchRequest


def ids(store: IndexStore, q: str) -> list[str]:
    return [hit.id for hit in search(store.current(), SearchRequest(q)).hits]


def test_accents_apostrophes_and_case_do_not_matter(store: IndexStore) -> None:
    assert ids(store, "l’OTAN") == ids(store, "l'otan") == ids(store, "OTAN") != []
    assert ids(store, "securite") == ids(store, "Sécurité") != []
    assert ids(store, "Geoana") == ids(store, "Geoană") == ["industrie-2024"]
    assert ids(store, "oeuvre") == ["espace-2019"]


def test_a_whole_question_finds_the_answer_first(store: IndexStore) -> None:
    page = search(
        store.current(), SearchRequest("Quand l'OTAN a-t-elle adopté sa politique spatiale ?")
    )
    assert page.hits[0].id == "espace-2019"
    assert page.total == 3  # partial matches follow: no zero results for a missing word


def test_documents_with_every_word_come_before_higher_scoring_partial_ones(
    store: IndexStore,
) -> None:
    # "industrie-2024" has "spatiale" and "OTAN" in its title (high score) but not "politique";
    # "secretaire-du-general" has only "politique".
    order = ids(store, "politique spatiale OTAN")
    assert order[0] == "espace-2019"
    assert set(order[1:]) == {"industrie-2024", "secretaire-du-general"}


def test_title_matches_weigh_more_than_body_matches(store: IndexStore) -> None:
    assert ids(store, "partenariat industrie")[0] == "industrie-2024"
    scores = {h.id: h.score for h in search(store.current(), SearchRequest("spatiale")).hits}
    assert scores["industrie-2024"] > scores["espace-2019"]


def test_phrases_keep_the_distance_of_removed_stop_words(store: IndexStore) -> None:
    assert ids(store, '"secrétaire général"') == ["industrie-2024"]
    assert ids(store, '"secrétaire du général"') == ["secretaire-du-general"]
    assert ids(store, "« politique spatiale »") == ["espace-2019"]


def test_exclusion_and_or(store: IndexStore) -> None:
    assert ids(store, "OTAN -Geoana") == ["espace-2019"]
    assert ids(store, 'OTAN -"politique spatiale"') == ["industrie-2024"]
    assert set(ids(store, "préfet OU Geoana")) == {"secretaire-du-general", "industrie-2024"}


def test_compounds_match_whole_or_as_parts(store: IndexStore) -> None:
    assert ids(store, "porte-parole") == ids(store, "porte parole") == ["industrie-2024"]
    assert ids(store, "Etats-Unis") == ["industrie-2024"]


def test_snippets_mark_the_original_accented_words_and_escape_everything(
    store: IndexStore,
) -> None:
    page = search(store.current(), SearchRequest("securite"))
    snippets = {hit.id: hit.snippet for hit in page.hits}
    assert "<mark>sécurité</mark>" in snippets["espace-2019"]
    trap = snippets["piege"]
    assert "<script>" not in trap and "<img" not in trap
    assert "&lt;script&gt;" in trap and "&quot;&gt;&lt;img" in trap
    page = search(store.current(), SearchRequest("otan"))
    assert "L’<mark>OTAN</mark>" in page.hits[0].snippet + page.hits[1].snippet


def test_queries_with_nothing_to_search_are_refused_clearly(store: IndexStore) -> None:
    for q in ["le", "?", "a-t-elle", '""', "-otan"]:
        with pytest.raises(BadRequest, match="aucun mot"):
            search(store.current(), SearchRequest(q))


def test_bounds_on_pages_and_query_length(store: IndexStore) -> None:
    limits = SearchOptions.defaults()
    with pytest.raises(BadRequest, match="per_page"):
        search(store.current(), SearchRequest("otan", per_page=101), limits)
    with pytest.raises(BadRequest, match="page trop lointaine"):
        search(store.current(), SearchRequest("otan", page=1001, per_page=10), limits)
    with pytest.raises(BadRequest, match="texte trop long"):
        search(store.current(), SearchRequest("otan " * 2001), limits)
    page = search(store.current(), SearchRequest("otan", page=50))
    assert page.hits == [] and page.total == 2


def test_paging_splits_the_ranking_without_gaps(store: IndexStore) -> None:
    every = ids(store, "OTAN sécurité préfet")
    pages = [
        hit.id
        for number in (1, 2, 3, 4)
        for hit in search(store.current(), SearchRequest("OTAN sécurité préfet", number, 1)).hits
    ]
    assert pages == every
