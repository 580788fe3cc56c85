"""Documents analysed in worker processes give the very index analysed in the reindex process,
and a ``kill -9`` of a reindex takes its workers with it."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import time
from pathlib import Path

from whoosh import index as whoosh_index

from search.analysing import workers_for
from search.generations import served_generation
from search.indexing import reindex
from search.vocabulary import WORDS_FILE

from .conftest import ROOT
from .test_reindex_safety import BIN, served_count, synthetic, wait_for, write_jsonl


def postings_of(index_dir: Path) -> dict[str, object]:
    """Every posting (document, weight, encoded positions and offsets) and stored field."""
    generation = served_generation(index_dir)
    assert generation is not None
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        reader = searcher.reader()
        found: dict[str, object] = {}
        for field in ("text", "title"):
            for term in reader.lexicon(field):
                matcher, postings = reader.postings(field, term), []
                while matcher.is_active():
                    postings.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                found[f"{field}:{term!r}"] = postings
        found["stored"] = sorted(
            (fields["id"], sorted(map(str, fields.items())))
            for fields in searcher.all_stored_fields()
        )
        found["lengths"] = sorted(
            (searcher.stored_fields(doc)["id"], reader.doc_field_length(doc, "text"))
            for doc in reader.all_doc_ids()
        )
    return found


def test_workers_build_the_same_index_as_one_process(tmp_path: Path) -> None:
    alone, shared = tmp_path / "alone", tmp_path / "shared"
    reindex([ROOT / "corpus"], alone, workers=0)
    reindex([ROOT / "corpus"], shared, workers=2)
    expected = postings_of(alone)
    assert len(expected) > 1000
    assert postings_of(shared) == expected
    words = [
        gzip.decompress((served_generation(folder) / WORDS_FILE).read_bytes())  # type: ignore[operator]
        for folder in (alone, shared)
    ]
    assert words[0] == words[1] and len(words[0]) > 10_000


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
