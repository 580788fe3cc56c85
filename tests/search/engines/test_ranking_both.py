"""The ranking of docs/ranking.md from both engines (whoosh and opensearch, parametrized): the
title shown scored as a field of its own (an untitled document's first line too), and the
coordination factor. Each scenario has words of its own in one shared corpus; where a setting
turns an effect off, the same search with it off shows that the effect decides."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from search.engine import Engine
from search.engines import open_engine
from search.models import SearchRequest
from tests.support.corpus import write_jsonl
from tests.support.engines import built, engine_settings

KINDS = ["whoosh", pytest.param("opensearch", marks=pytest.mark.cluster)]
FILLER = "Le texte se poursuit sans rapport avec la question posée ici. " * 3
OTHERS = [  # words of the scenarios are rare here, as in a real corpus
    {"id": f"other{i}", "title": f"Note {i}", "body": FILLER, "date": "2020-01-01"}
    for i in range(12)
]
DOCS = [
    *OTHERS,
    # a short title that says the word, a body that says it once
    {"id": "title", "title": "Le climat", "body": f"Communiqué du jour. {FILLER}"},
    {"id": "body", "title": "Communiqué du jour", "body": f"Le climat. {FILLER}"},
    # untitled: the first line is the title shown; the same words, the word first or last
    {"id": "lead", "title": "", "body": f"Sécheresse en Provence.\n{FILLER}",
     "date": "2020-01-01"},
    {"id": "deep", "title": "", "body": f"En Provence.\n{FILLER} Sécheresse.",
     "date": "2024-01-01"},
    # both words of the query once in a long body, or one of them over and over
    {"id": "both", "title": "Note", "body": f"Le cépage. {FILLER * 4} La grêle."},
    {"id": "repeat", "title": "Note", "body": "La grêle. " * 4},
    # a compound written with its hyphen, or its words apart
    {"id": "hyphen", "title": "Note", "body": f"Le porte-parole répond. {FILLER}"},
    {"id": "apart", "title": "Note", "body": f"Le porte parole répond. {FILLER}"},
]  # fmt: skip


@pytest.fixture(scope="module", params=KINDS)
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp(f"rank-{request.param}")
    write_jsonl(folder / "docs.jsonl", DOCS)
    cluster = (
        request.getfixturevalue("opensearch_cluster") if request.param == "opensearch" else None
    )
    return engine_settings(request.param, folder, cluster), folder / "docs.jsonl"


@pytest.fixture(scope="module")
def engine(settings: Any) -> Iterator[Engine]:
    values, corpus = settings
    with built(values, [corpus]) as opened:
        yield opened


def ids(engine: Engine, q: str) -> list[str]:
    return [hit.id for hit in engine.search(SearchRequest(q)).hits]


def ids_with(settings: Any, q: str, **changes: Any) -> list[str]:
    """``q``'s ranking on the same index, searched with other ranking settings."""
    other = open_engine({**settings[0], **changes})
    try:
        return ids(other, q)
    finally:
        other.close()


def test_a_short_title_saying_the_word_outranks_a_body_saying_it_once(engine: Engine) -> None:
    assert ids(engine, "climat") == ["title", "body"]


def test_an_untitled_documents_first_line_ranks_as_its_title(engine: Engine) -> None:
    # same words, same length: without the heading, the newer "deep" would come first
    assert ids(engine, "sécheresse") == ["lead", "deep"]


def test_holding_more_of_the_query_outranks_repeating_one_word(
    engine: Engine, settings: Any
) -> None:
    assert ids(engine, "cépage grêle")[0] == "both"
    assert ids_with(settings, "cépage grêle", coordination=0.0)[0] == "repeat"


def test_a_compound_typed_also_finds_its_words_written_apart(engine: Engine) -> None:
    assert set(ids(engine, "porte-parole")) == {"hyphen", "apart"}
