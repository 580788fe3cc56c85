"""reindex: generations published atomically, problems counted, one writer, old index kept."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from search.corpus import Problem
from search.engines.whoosh.generations import GENERATIONS, POINTER, read_manifest, served_generation
from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.locking import WriterLock
from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.store import IndexStore
from search.errors import CorpusError, IndexBusy
from search.models import SearchRequest
from tests.support.corpus import DOCS, write_jsonl
from tests.support.index import Seen, app_client


def test_reindex_publishes_a_complete_generation(tmp_path: Path, corpus_dir: Path) -> None:
    report = reindex([corpus_dir], tmp_path / "ix")
    assert (report.indexed, report.skipped) == (len(DOCS), 0)
    generation = served_generation(tmp_path / "ix")
    assert generation is not None and generation.name == report.generation
    manifest = read_manifest(generation)
    assert manifest["documents"] == len(DOCS)
    assert "indexés" in report.summary()


def test_bad_lines_are_counted_and_the_rest_indexed(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [*DOCS, DOCS[0]])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{broken\n")
    seen: list[Problem] = []

    report = reindex([path], tmp_path / "ix", events=Seen(seen))
    assert (report.indexed, report.skipped) == (len(DOCS), 2)
    assert str(seen[0]) == (
        f"{path}:{len(DOCS) + 1}: id en double « espace-2019 » (gardé : {path}:1)"
    )


def test_a_document_without_title_is_indexed_and_shown_by_its_first_words(
    tmp_path: Path,
) -> None:
    body = "À titre expérimental, une tentative de médiation est obligatoire.\nSuite du texte."
    path = write_jsonl(tmp_path / "c.jsonl", [{"id": "fiche", "title": None, "body": body}])
    assert reindex([path], tmp_path / "ix").indexed == 1
    (hit,) = search(IndexStore(tmp_path / "ix").current(), SearchRequest("médiation")).hits
    assert hit.title == "À titre expérimental, une tentative de médiation est obligatoire."


def test_a_new_reindex_replaces_the_served_index_and_searchers_follow(
    tmp_path: Path, corpus_dir: Path
) -> None:
    index_dir = tmp_path / "ix"
    reindex([corpus_dir], index_dir)
    store = IndexStore(index_dir)
    assert search(store.current(), SearchRequest("spatiale")).total == 2
    write_jsonl(corpus_dir / "docs.jsonl", DOCS[:1])
    reindex([corpus_dir], index_dir)
    assert search(store.current(), SearchRequest("spatiale")).total == 1
    assert store.info().documents == 1
    store.close()
    kept = sorted(p.name for p in (index_dir / GENERATIONS).iterdir())
    assert len(kept) == 2  # the served one and the previous one


def test_a_corpus_with_nothing_readable_keeps_the_served_index(
    tmp_path: Path, corpus_dir: Path
) -> None:
    index_dir = tmp_path / "ix"
    reindex([corpus_dir], index_dir)
    before = (index_dir / POINTER).read_text()
    (corpus_dir / "docs.jsonl").write_text("{broken\n", "utf-8")
    with pytest.raises(CorpusError, match="l’index servi est conservé"):
        reindex([corpus_dir], index_dir)
    assert (index_dir / POINTER).read_text() == before
    assert len(list((index_dir / GENERATIONS).iterdir())) == 1


def test_a_second_writer_is_refused_and_named(tmp_path: Path, corpus_dir: Path) -> None:
    index_dir = tmp_path / "ix"
    with WriterLock(index_dir), pytest.raises(IndexBusy, match=r"processus \d+"):
        reindex([corpus_dir], index_dir)
    assert reindex([corpus_dir], index_dir).indexed == len(DOCS)


PAIR = r'{"id": "pair", "title": "t", "body": "\ud83d\ude00 ok"}'  # a whole pair is fine


@pytest.mark.parametrize(
    "line",
    [
        r'{"id": "s1", "title": "t", "body": "x \ud800 y"}',
        r'{"id": "s2", "title": "x \udfff", "body": "y"}',
        r'{"id": "s\ud800", "title": "t", "body": "y"}',
        r'{"id": "s4", "title": "t", "body": "y", "speakers": ["\udc00"]}',
    ],
)
def test_a_lone_surrogate_is_one_reported_line(tmp_path: Path, line: str) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", DOCS)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n" + PAIR + "\n")
    seen: list[Problem] = []
    report = reindex([path], tmp_path / "ix", events=Seen(seen))
    assert (report.indexed, report.skipped) == (len(DOCS) + 1, 1)
    assert seen[0].where == f"{path}:{len(DOCS) + 1}" and "surrogate" in str(seen[0])


@pytest.mark.parametrize(
    "doc_id",
    ["foo/similar", "a\rb", "a\nb", "a/./b", "a/../b", "..", "x" * 4_000],
)
def test_ids_whose_page_cannot_be_reached_are_refused_and_reported(
    tmp_path: Path, doc_id: str
) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [*DOCS, {"id": doc_id, "title": "t", "body": "b"}])
    seen: list[Problem] = []
    report = reindex([path], tmp_path / "ix", events=Seen(seen))
    assert (report.indexed, report.skipped_by_reason) == (len(DOCS), {"bad_id": 1})
    assert "refusé" in str(seen[0])


def test_ids_with_slashes_spaces_and_accents_are_still_reachable(tmp_path: Path) -> None:
    ids = ["2024/02/communiqué", "a b", "similar", "a.b", "x" * 600, "/lead", "a//b", "end/"]
    docs = [{"id": doc_id, "title": "t", "body": "otan"} for doc_id in ids]
    reindex([write_jsonl(tmp_path / "c.jsonl", docs)], tmp_path / "ix")
    with app_client(tmp_path / "ix") as client:
        for doc_id in ids:
            assert client.get(f"/api/documents/{quote(doc_id)}").get_json()["id"] == doc_id


def test_links_to_nothing_loops_and_named_pipes_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_jsonl(folder / "docs.jsonl", DOCS)
    (folder / "dangling.jsonl").symlink_to(folder / "absent.jsonl")
    (folder / "loop-a.md").symlink_to(folder / "loop-b.md")
    (folder / "loop-b.md").symlink_to(folder / "loop-a.md")
    os.mkfifo(folder / "pipe.jsonl")
    seen: list[Problem] = []
    report = reindex([folder], tmp_path / "ix", events=Seen(seen))
    assert report.indexed == len(DOCS)
    assert report.skipped_by_reason == {"broken_link": 3, "not_a_file": 1}
    assert sorted(Path(problem.where).name for problem in seen) == [
        "dangling.jsonl", "loop-a.md", "loop-b.md", "pipe.jsonl"
    ]  # fmt: skip
