"""Ranking: BM25 over the title shown and the body, idf that ignores ubiquitous words, the
coordination factor, and the second stage (proximity, exact form). Each test isolates one
effect on a real index."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.store import IndexStore
from search.models import SearchOptions, SearchRequest
from tests.support.corpus import write_jsonl

FILLER = "Le texte se poursuit sans rapport avec la question posée ici. " * 3


def ranked(tmp_path: Path, docs: list[dict[str, str]], q: str, **options: object) -> list[str]:
    path = write_jsonl(tmp_path / "c.jsonl", docs)
    reindex([path], tmp_path / "ix")
    store = IndexStore(tmp_path / "ix")
    page = search(store.current(), SearchRequest(q), replace(SearchOptions.defaults(), **options))  # type: ignore[arg-type]
    store.close()
    return [hit.id for hit in page.hits]


def test_a_title_word_weighs_more_than_the_same_word_in_the_body(tmp_path: Path) -> None:
    docs = [
        {"id": "body", "title": "Communiqué du jour", "body": f"Le climat. {FILLER}"},
        {"id": "title", "title": "Le climat", "body": f"Communiqué du jour. {FILLER}"},
    ]
    assert ranked(tmp_path, docs, "climat") == ["title", "body"]


def test_words_close_together_rank_first(tmp_path: Path) -> None:
    docs = [
        {"id": "far", "title": "Note", "body": f"La politique. {FILLER} La stratégie spatiale."},
        {"id": "near", "title": "Note", "body": f"La politique spatiale. {FILLER} La stratégie."},
    ]
    assert ranked(tmp_path, docs, "politique spatiale") == ["near", "far"]
    assert ranked(tmp_path, docs, "politique spatiale", proximity_weight=0.0)[0] == "far"


def test_the_exact_form_typed_ranks_first_among_same_stems(tmp_path: Path) -> None:
    docs = [
        {"id": "masculin", "title": "Note", "body": f"Le plan national. {FILLER}"},
        {"id": "feminin", "title": "Note", "body": f"La stratégie nationale. {FILLER}"},
    ]
    assert ranked(tmp_path, docs, "nationale")[0] == "feminin"
    assert ranked(tmp_path, docs, "national")[0] == "masculin"


def test_a_word_found_in_every_document_barely_counts(tmp_path: Path) -> None:
    docs = [
        {"id": f"d{i}", "title": "Communiqué", "body": f"Le ministère annonce. {FILLER}"}
        for i in range(5)
    ] + [{"id": "rare", "title": "Communiqué", "body": f"Le Sahel. {FILLER}"}]
    # "ministère" is everywhere, "Sahel" in one document: that one comes first
    assert ranked(tmp_path, docs, "ministère Sahel")[0] == "rare"


def test_a_long_question_is_not_buried_by_documents_repeating_common_words(
    tmp_path: Path,
) -> None:
    common = "Le ministère peut faire une demande. " * 4
    everyday = [  # the question's common words are common in the collection too
        {"id": f"other{i}", "title": "Note", "body": f"{common} {FILLER}"} for i in range(20)
    ]
    docs = [
        *everyday,
        *[
            {"id": f"common{i}", "title": "Note", "body": f"{common} Une médiation familiale."}
            for i in range(3)
        ],
        {
            "id": "answer",
            "title": "Médiation familiale",
            "body": f"La médiation familiale : faire une demande au médiateur. {FILLER}",
        },
    ]
    question = "Comment le ministère peut-il faire une demande de médiation familiale ?"
    assert ranked(tmp_path, docs, question)[0] == "answer"
    # a strict "every word first" rule would put the documents repeating the question first
    assert ranked(tmp_path, docs, question, all_words_first_up_to=10)[0] != "answer"


def test_documents_holding_more_of_the_words_rank_first(tmp_path: Path) -> None:
    docs = [
        {"id": "both", "title": "Note", "body": f"Le Sahel et le climat. {FILLER}"},
        {"id": "one", "title": "Sahel Sahel", "body": "Sahel, Sahel, Sahel."},
    ]
    assert ranked(tmp_path, docs, "Sahel climat") == ["both", "one"]  # coordination
    assert ranked(tmp_path, docs, "Sahel climat", all_words_first_up_to=3) == ["both", "one"]
    # neither coordination nor tiers: "one" says Sahel in its short title and body
    assert ranked(tmp_path, docs, "Sahel climat", coordination=0.0)[0] == "one"


def test_without_a_title_the_first_words_rank_as_one(tmp_path: Path) -> None:
    """A document without a title shows the first words of its body as its title; they also
    weigh as a title. Title-only searches still look at documents' own titles."""
    docs = [
        {"id": "lead", "body": f"Le climat se réchauffe. {FILLER} Communiqué du jour."},
        {"id": "deep", "body": f"Communiqué du jour. {FILLER} Le climat se réchauffe."},
    ]
    for order, folder in ((docs, tmp_path / "a"), (docs[::-1], tmp_path / "b")):
        folder.mkdir()
        assert ranked(folder, order, "climat") == ["lead", "deep"]
        assert ranked(folder, order, "titre:climat") == []


def test_a_document_without_a_heading_is_scored_like_the_others(tmp_path: Path) -> None:
    """A title of punctuation or stop words only gives no heading words: the document's length
    in that field is not recorded (NaN), which once made its score NaN and sent it last."""
    docs = [
        {"id": "sans-entete", "title": "« … »", "body": f"Le congé parental salarié. {FILLER}"},
        {"id": "titre", "title": "Droits des salariés", "body": f"Congé parental, suite. {FILLER}"},
        *({"id": f"autre{n}", "title": "Autre", "body": FILLER} for n in range(3)),
    ]
    path = write_jsonl(tmp_path / "c.jsonl", docs)
    reindex([path], tmp_path / "ix")
    store = IndexStore(tmp_path / "ix")
    page = search(
        store.current(), SearchRequest("congé parental salarié"), SearchOptions.defaults()
    )
    store.close()
    assert [hit.id for hit in page.hits][:2] == ["sans-entete", "titre"]
    assert all(hit.score is not None and math.isfinite(hit.score) for hit in page.hits)
