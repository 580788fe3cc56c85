"""A large accepted document (over a megabyte) gets its page and its similar documents with
bounded work: words are marked in its beginning only, key terms drawn from its beginning."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from search.engines.whoosh.codec.postings import MAX_OCCURRENCES
from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.documents import similar_documents
from search.engines.whoosh.reading.querying import search
from search.models import MARKED_CHARS, SHOWN_CHARS, SIMILAR_CHARS, SearchOptions, SearchRequest
from tests.support.corpus import DOCS, write_jsonl
from tests.support.index import app_client, served_from

PENSIONS = "La réforme des retraites change le calcul des pensions et l’âge de départ. "
SECURITY = "La sécurité de l’espace est au cœur de la politique spatiale de l’OTAN. "
ENERGY = (
    "hydrogène électrolyseur éolienne photovoltaïque réacteur uranium barrage géothermie "
    "biomasse méthanisation batterie lithium recyclage stockage turbine centrale. "
)


def large(tmp_path: Path) -> Path:
    head = PENSIONS * (max(MARKED_CHARS, SIMILAR_CHARS) // len(PENSIONS) + 1)
    tail = (SECURITY + ENERGY) * 2_000
    big = {"id": "big", "title": "Dossier", "body": head + tail}  # 0.8 MB
    pensions = {"id": "pensions", "title": "Retraites", "body": PENSIONS * 3}
    energy = {"id": "energy", "title": "Énergie", "body": ENERGY * 3}
    index_dir = tmp_path / "ix"
    reindex([write_jsonl(tmp_path / "c.jsonl", [*DOCS, big, pensions, energy])], index_dir)
    return index_dir


def test_a_large_document_is_marked_in_its_beginning_and_shown_whole(tmp_path: Path) -> None:
    with app_client(large(tmp_path)) as client:
        page = client.get("/documents/big?q=s%C3%A9curit%C3%A9").get_data(as_text=True)
    assert "<mark>" not in page  # sécurité first comes after the marked part
    assert "surlignés dans ses 200 000 premiers caractères" in page
    assert page.count("politique spatiale") == 2_000


def test_the_page_of_a_huge_document_shows_its_beginning_and_the_api_all_of_it(
    tmp_path: Path,
) -> None:
    body = PENSIONS * (3 * SHOWN_CHARS // len(PENSIONS))
    docs = [*DOCS, {"id": "huge", "title": "Énorme", "body": body}]
    reindex([write_jsonl(tmp_path / "c.jsonl", docs)], tmp_path / "ix")
    with app_client(tmp_path / "ix") as client:
        page = client.get("/documents/huge?q=retraites").get_data(as_text=True)
        assert client.get("/api/documents/huge").get_json()["body"] == body.strip()
    assert len(page) < 1.2 * SHOWN_CHARS and "texte complet est donné par" in page
    assert "/api/documents/huge" in page


def test_similar_documents_of_a_large_document_come_from_its_beginning(tmp_path: Path) -> None:
    with served_from(large(tmp_path)) as index:
        similar = [item.id for item in similar_documents(index, "big")]
    assert similar[0] == "pensions" and "energy" not in similar  # energy: only after 200 kB


def test_a_large_document_among_the_hits_is_ranked_and_cut_with_its_first_occurrences(
    tmp_path: Path,
) -> None:
    with served_from(large(tmp_path)) as index:
        page = search(
            index,
            SearchRequest("réforme retraites"),
            replace(SearchOptions.defaults(), time_limit=600),
        )
        assert "big" in {hit.id for hit in page.hits} and not page.partial
        assert "<mark>retraites</mark>" in next(h for h in page.hits if h.id == "big").snippet
        big = index.searcher.document_number(id="big")
        ((weight, occurrences),) = index.postings.characters("text", "retrait", [big]).values()
        assert weight > MAX_OCCURRENCES and len(occurrences) == MAX_OCCURRENCES
