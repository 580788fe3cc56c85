"""The Whoosh engine through the interface the adapters use: settings reach every stage that
reads them (two of them once did not)."""

from __future__ import annotations

from pathlib import Path

from search.config import load_settings
from search.engines import open_engine
from search.engines.whoosh.indexing import reindex
from search.indexing import ReindexOptions
from tests.support.corpus import write_jsonl

FILLER = "Une phrase sans rapport avec le reste du propos, répétée pour allonger le texte. "


def test_the_document_page_marks_prefixes_within_the_configured_expansions(
    tmp_path: Path,
) -> None:
    docs = [
        {"id": "a", "title": "Cybersécurité", "body": "cyberdéfense cyberattaque cyberattaque"},
        {"id": "b", "title": "Autre", "body": "cyberattaque"},
    ]
    reindex([write_jsonl(tmp_path / "c.jsonl", docs)], tmp_path / "ix")
    engine = open_engine(load_settings({"index_dir": tmp_path / "ix", "max_expansions": 1}))
    marked = " ".join(engine.paragraphs(engine.document("a"), "cyber*"))
    engine.close()
    assert marked.count("<mark>") == 2  # cyberattaque only, the most frequent of the three
    assert "<mark>cyberattaque</mark>" in marked and "<mark>cyberdéfense</mark>" not in marked


def test_similar_documents_weigh_titles_as_the_served_generation_was_built(
    tmp_path: Path,
) -> None:
    docs = [
        {"id": "source", "title": "Alpha", "body": "beta " * 6 + FILLER},
        {"id": "alpha", "title": "Note", "body": "alpha " + FILLER},
        {"id": "beta", "title": "Note", "body": "beta " + FILLER},
        *({"id": f"f{n}", "title": "Note", "body": FILLER} for n in range(8)),
    ]
    path = write_jsonl(tmp_path / "c.jsonl", docs)
    reindex([path], tmp_path / "ix", ReindexOptions(title_weight=20.0))
    engine = open_engine(load_settings({"index_dir": tmp_path / "ix"}))
    similar = [item.id for item in engine.similar("source")]
    engine.close()
    assert similar[:2] == ["alpha", "beta"]  # the title word weighs 20 body words, not 3
