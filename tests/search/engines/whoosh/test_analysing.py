"""Documents analysed in worker processes give the very index analysed in the reindex process,
and a ``kill -9`` of a reindex takes its workers with it."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search.analysis import WeightedText
from search.analysis.analyzer import raw_terms
from search.corpus.model import first_words
from search.engines.whoosh.generations import served_generation
from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.schema import build_schema
from search.engines.whoosh.writing.analysing import analyse, searched_sections, workers_for
from search.indexing import ReindexOptions
from search.vocabulary import WORDS_FILE
from tests.support.corpus import synthetic, write_jsonl
from tests.support.index import served_count
from tests.support.paths import BIN, ROOT
from tests.support.server import wait_for


def postings_of(index_dir: Path) -> dict[str, object]:
    """Every posting (document id, weight, encoded positions and offsets) and stored field,
    whatever the segments and the document numbers."""
    generation = served_generation(index_dir)
    assert generation is not None
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        reader = searcher.reader()
        ids = {doc: searcher.stored_fields(doc)["id"] for doc in reader.all_doc_ids()}
        found: dict[str, object] = {"segments": len(searcher.leaf_searchers())}
        for field in ("text", "title"):
            for term in reader.lexicon(field):
                matcher, postings = reader.postings(field, term), []
                while matcher.is_active():
                    postings.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                    matcher.next()
                found[f"{field}:{term!r}"] = sorted(postings)
        found["stored"] = sorted(
            (fields["id"], sorted(map(str, fields.items())))
            for fields in searcher.all_stored_fields()
        )
        found["lengths"] = sorted(
            (searcher.stored_fields(doc)["id"], reader.doc_field_length(doc, "text"))
            for doc in reader.all_doc_ids()
        )
    return found


def words_of(index_dir: Path) -> bytes:
    generation = served_generation(index_dir)
    assert generation is not None
    return gzip.decompress((generation / WORDS_FILE).read_bytes())


def test_workers_build_the_same_index_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From scratch, each worker writes a segment of its own (the bundled corpus and 400
    generated documents: a dozen chunks shared out); incrementally, workers analyse for the
    one writer. Either way the same postings, stored fields, lengths and vocabulary. The
    writers' memory is made tiny, so that they spill sorted runs to their shared temporary
    folder as on a big corpus."""
    monkeypatch.setattr("search.engines.whoosh.writing.corpus.WRITER_MEMORY_MB", 0.3)
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    write_jsonl(corpus / "generated.jsonl", synthetic(400))
    alone, shared = tmp_path / "alone", tmp_path / "shared"
    reindex([corpus], alone, ReindexOptions(workers=0))
    reindex([corpus], shared, ReindexOptions(workers=2))
    expected = postings_of(alone)
    assert len(expected) > 1000 and expected.pop("segments") == 1
    found = postings_of(shared)
    assert found.pop("segments") == 3, "one segment per process was expected"
    assert found == expected
    assert words_of(shared) == words_of(alone) and len(words_of(alone)) > 10_000
    # incrementally (documents added and changed): workers analyse, one process writes
    write_jsonl(corpus / "generated.jsonl", synthetic(450, marker="modifié"))
    reindex([corpus], alone, ReindexOptions(workers=0))
    reindex([corpus], shared, ReindexOptions(workers=2))
    expected, found = postings_of(alone), postings_of(shared)
    expected.pop("segments"), found.pop("segments")
    assert found == expected
    assert words_of(shared) == words_of(alone)


def test_postings_are_those_whooshs_fields_give() -> None:
    """``analyse`` computes the postings itself, from the analyzer's terms; they are what the
    schema's fields give for the same text through Whoosh's formats and tokens."""
    schema = build_schema()
    documents = [
        (
            "L’OTAN et l'O.T.A.N. : porte-parole",
            "Jeudi.Le porte-parole des États-Unis, a-t-il dit ?",
        ),
        ("", "Sans titre : la première ligne sert de titre.\nPuis 4 avril 1949, 2,5 % et œuvre."),
        ("Geoană à Bruxelles", "Geoana Geoană GEOANĂ jusqu’à aujourd’hui qu’il parle. " * 40),
    ] + [(doc["title"], doc["body"]) for doc in synthetic(30)]
    for title, body in documents:
        text_items, words, title_items, heading_items = analyse(title, body, 3.0)
        sections = searched_sections(title, body, 3.0)
        assert text_items == list(schema["text"].index(WeightedText(sections)))
        assert words == [
            section[start:end]
            for section, _ in sections
            for *_, start, end, _ in raw_terms(section)
        ]
        assert words
        assert title_items == (list(schema["title"].index(title)) if title else [])
        assert heading_items == list(schema["heading"].index(title or first_words(body)))


def test_large_corpora_get_workers_small_ones_none() -> None:
    assert workers_for(10_000) == 0
    assert workers_for(50_000_000) == max(0, min((os.cpu_count() or 1) - 1, 3))


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found |= {int(child) for child in text.split()}
    return found


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except FileNotFoundError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.process
def test_kill_9_of_a_reindex_leaves_no_worker_behind(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "big.jsonl", synthetic(2500))
    process = subprocess.Popen(
        [str(BIN / "reindex"), str(corpus), "--index", str(tmp_path / "ix")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "COMMUNIQUES_INDEX_WORKERS": "1"},
    )
    workers: set[int] = set()

    def working() -> bool:
        workers.update(children_of(process.pid))
        return any("spawn_main" in command_of(pid) for pid in workers) or bool(process.poll())

    wait_for(working)
    assert process.poll() is None, "the reindex ended before its workers could be seen"
    time.sleep(1.5)  # the worker is running and analysing
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)
    result = subprocess.run(
        [str(BIN / "reindex"), str(corpus), "--index", str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COMMUNIQUES_INDEX_WORKERS": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert served_count(tmp_path / "ix") == 2500


@pytest.mark.process
@pytest.mark.parametrize("flags", [["--full"], []], ids=["own-segments", "incremental"])
def test_a_worker_killed_mid_build_fails_the_reindex_and_keeps_the_served_index(
    tmp_path: Path, flags: list[str]
) -> None:
    """A worker dies (out of memory, say) while writing its own segment (full build) or
    analysing for the one writer (incremental): reindex stops with a clear message and a
    non-zero status, the served index is the old one, no new generation is left."""
    index = tmp_path / "ix"
    reindex([ROOT / "corpus"], index)
    before = served_generation(index)
    # big enough that the run lasts well past the kill on an idle machine (2,500 documents
    # were written in about a second: the worker had ended before it was killed)
    corpus = write_jsonl(tmp_path / "big.jsonl", synthetic(10_000))
    process = subprocess.Popen(
        [str(BIN / "reindex"), str(corpus), "--index", str(index), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COMMUNIQUES_INDEX_WORKERS": "1"},
    )
    workers: set[int] = set()

    def working() -> bool:
        workers.update(p for p in children_of(process.pid) if "spawn_main" in command_of(p))
        return bool(workers) or process.poll() is not None

    wait_for(working)
    assert process.poll() is None, "the reindex ended before its worker could be seen"
    time.sleep(0.5)  # the worker is writing
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert (
        "processus auxiliaire de reindex s’est arrêté brutalement" in stderr
        and "l’index servi est conservé" in stderr
    )
    assert "Traceback" not in stderr
    assert served_generation(index) == before
    assert served_count(index) == 50
    assert [g.name for g in (index / "generations").iterdir()] == [before.name]  # type: ignore[union-attr]


def block_statistics(index_dir: Path) -> dict[str, object]:
    """What Whoosh writes beside each posting list for its block-skipping searches: per term
    and per block, the shortest and longest document and the highest weight."""
    generation = served_generation(index_dir)
    assert generation is not None
    found: dict[str, object] = {}
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        reader = searcher.reader()
        for field in ("text", "title"):
            for term in reader.lexicon(field):
                info = reader.term_info(field, term)
                blocks, matcher = [], reader.postings(field, term)
                while matcher.is_active():
                    blocks.append((matcher.block_min_length(), matcher.block_max_length(),
                                   matcher.block_max_weight()))  # fmt: skip
                    matcher._next_block()
                found[f"{field}:{term!r}"] = (
                    info.min_length(),
                    info.max_length(),
                    info.max_weight(),
                    blocks,
                )
    return found


def test_the_segment_writer_writes_what_whooshs_own_writer_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``segmenting.Writer`` pools postings term by term and reads document lengths its own
    way; the postings, and the lengths recorded per term and per block, are those of Whoosh's
    ``SegmentWriter``. Memory is made tiny, so both spill runs to disk."""
    monkeypatch.setattr("search.engines.whoosh.writing.corpus.WRITER_MEMORY_MB", 0.3)
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    write_jsonl(corpus / "generated.jsonl", synthetic(300))
    reindex([corpus], tmp_path / "ours", ReindexOptions(workers=0))
    monkeypatch.setattr("search.engines.whoosh.writing.corpus.Writer", SegmentWriter)
    reindex([corpus], tmp_path / "whooshs", ReindexOptions(workers=0))
    ours, whooshs = block_statistics(tmp_path / "ours"), block_statistics(tmp_path / "whooshs")
    assert len(ours) > 1000 and ours == whooshs
    assert any(len(blocks) > 1 for *_, blocks in ours.values())  # type: ignore[misc]
    assert postings_of(tmp_path / "ours") == postings_of(tmp_path / "whooshs")
