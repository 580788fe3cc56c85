"""reindex under faults, with real processes: kill -9 at several points, a second writer,
a full disk, a read-only folder, bad input with --strict, incremental runs, and a running
``serve`` with two workers that answers throughout a reindex and then serves the new index."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import query as wq

from search.engines.whoosh.generations import GENERATIONS, new_generation, served_generation
from search.engines.whoosh.indexing import publish_copied, reindex
from search.engines.whoosh.reading.store import IndexStore
from search.indexing import ReindexOptions
from tests.support.corpus import DOCS, synthetic, write_jsonl
from tests.support.index import served_count
from tests.support.paths import BIN, SHARED_DATA
from tests.support.server import free_port, get, wait_for

pytestmark = [pytest.mark.process]


@pytest.fixture
def served_small(tmp_path: Path) -> Path:
    """An index serving the small test corpus (4 documents)."""
    index_dir = tmp_path / "ix"
    reindex([write_jsonl(tmp_path / "small.jsonl", DOCS)], index_dir)
    return index_dir


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "big.jsonl", synthetic(2500, marker="zanzibar"))


def start(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN / "reindex"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[arg-type]
    )


def new_toc(index_dir: Path, before: set[str]) -> bool:
    for generation in (index_dir / GENERATIONS).iterdir():
        if generation.name not in before and any(generation.glob("_MAIN_*.toc")):
            return True
    return False


@pytest.mark.parametrize("moment", ["reading", "writing", "committed"])
def test_kill_9_at_any_moment_keeps_the_served_index_whole(
    served_small: Path, big: Path, moment: str
) -> None:
    before = {p.name for p in (served_small / GENERATIONS).iterdir()}
    process = start(str(big), "--index", str(served_small), "--full")
    if moment == "reading":
        time.sleep(0.3)
    elif moment == "writing":
        time.sleep(1.5)
    else:  # the new generation's table of contents exists: Whoosh has committed
        wait_for(lambda: new_toc(served_small, before) or process.poll() is not None)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert served_count(served_small) in {len(DOCS), 2500}  # old or new, never half
    store = IndexStore(served_small)
    assert store.current().searcher.doc_count() in {len(DOCS), 2500}
    store.close()
    # the next run takes the lock the dead process held, cleans up, and completes
    result = subprocess.run(
        [str(BIN / "reindex"), str(big), "--index", str(served_small)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert served_count(served_small) == 2500
    assert len(list((served_small / GENERATIONS).iterdir())) <= 2


def test_a_second_writer_is_refused_at_once_naming_the_holder(
    served_small: Path, big: Path
) -> None:
    first = start(str(big), "--index", str(served_small), "--full")
    lock = served_small / "reindex.lock"
    wait_for(lambda: lock.exists() and lock.read_text().strip() == str(first.pid))
    started = time.monotonic()
    second = subprocess.run(
        [str(BIN / "reindex"), str(big), "--index", str(served_small)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert time.monotonic() - started < 10
    assert second.returncode == 75
    assert f"processus {first.pid}" in second.stderr
    first.communicate(timeout=120)
    assert first.returncode == 0


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_full_disk_gives_a_clear_error_and_keeps_the_served_index(
    served_small: Path, big: Path
) -> None:
    served = served_generation(served_small)
    process = start(str(big), "--index", str(served_small), "--full", preexec_fn=_limit_file_size)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 74, err
    assert "Erreur : écriture impossible" in err and "Traceback" not in err
    assert served_generation(served_small) == served
    assert served_count(served_small) == len(DOCS)
    assert len(list((served_small / GENERATIONS).iterdir())) == 1  # the failed one is gone


def _read_only(index_dir: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run reindex with ``index_dir`` read-only: a read-only bind mount in a private mount
    namespace when running as root (permissions do not stop root), file modes otherwise."""
    command = [str(BIN / "reindex"), *args]
    if os.geteuid() != 0:
        index_dir.chmod(0o555)
        (index_dir / GENERATIONS).chmod(0o555)
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=60)
        finally:
            index_dir.chmod(0o755)
            (index_dir / GENERATIONS).chmod(0o755)
    if not shutil.which("unshare"):
        pytest.fail("running as root without unshare: cannot make a folder read-only")
    mount = f'mount --bind "{index_dir}" "{index_dir}" && mount -o remount,ro,bind "{index_dir}"'
    script = f'{mount} && exec "$@"'
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, "sh", *command],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_a_read_only_index_folder_gives_a_clear_error(served_small: Path, big: Path) -> None:
    result = _read_only(served_small, [str(big), "--index", str(served_small)])
    assert result.returncode == 74, result.stderr
    assert "Erreur : écriture impossible" in result.stderr and "lecture seule" in result.stderr
    assert "Traceback" not in result.stderr
    assert served_count(served_small) == len(DOCS)


def test_strict_fails_on_bad_input_and_keeps_the_served_index(
    served_small: Path, tmp_path: Path
) -> None:
    bad = write_jsonl(tmp_path / "bad.jsonl", DOCS[:2])
    with bad.open("a", encoding="utf-8") as handle:
        handle.write("{oops\n")
    result = subprocess.run(
        [str(BIN / "reindex"), str(bad), "--index", str(served_small), "--strict"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert f"{bad}:3: JSON invalide" in result.stderr and "--strict" in result.stderr
    assert served_count(served_small) == len(DOCS)


def test_every_kind_of_bad_input_is_reported_counted_and_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [
        json.dumps(DOCS[0]),
        "{not json",
        json.dumps({"id": "t", "title": "sans corps"}),
        json.dumps({"id": "d", "title": "T", "body": "B", "date": "2024-02-30"}),
        json.dumps(DOCS[0]),  # duplicate id: the first one read is kept
    ]
    (corpus / "a.jsonl").write_bytes(
        ("\n".join(lines) + "\n").encode() + b'{"id": "x", "body": "caf\xe9"}\n'
    )
    (corpus / "b-empty.jsonl").write_bytes(b"")
    (corpus / "c-huge.jsonl").write_bytes(
        json.dumps({"id": "h", "body": "x" * (51 * 1024 * 1024)}).encode() + b"\n"
    )
    result = subprocess.run(
        [str(BIN / "reindex"), str(corpus), "--index", str(tmp_path / "ix"), "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    a = corpus / "a.jsonl"
    for expected in [
        f"{a}:2: JSON invalide",
        f"{a}:3: champ « body » manquant ou vide",
        f"{a}:4: date impossible",
        f"{a}:5: id en double « espace-2019 » (gardé : {a}:1)",
        f"{a}:6: octets non UTF-8",
        f"{corpus / 'b-empty.jsonl'}: fichier vide",
        f"{corpus / 'c-huge.jsonl'}:1: document trop gros (51 Mo ; 50 Mo au plus)",
    ]:
        assert expected in result.stderr, expected
    summary = json.loads(result.stdout)
    assert summary["indexed"] == 1 and summary["skipped"] == 7
    assert summary["skipped_by_reason"] == {
        "invalid_json": 1,
        "missing_field": 1,
        "impossible_date": 1,
        "duplicate_id": 1,
        "not_utf8": 1,
        "empty_file": 1,
        "too_large": 1,
    }


def test_incremental_runs_write_only_what_changed(tmp_path: Path) -> None:
    docs = synthetic(300)
    path = write_jsonl(tmp_path / "c.jsonl", docs)
    index_dir = tmp_path / "ix"
    first = reindex([path], index_dir)
    assert (first.mode, first.added) == ("full", 300)
    before = sorted(file.name for file in served_generation(index_dir).iterdir())  # type: ignore[union-attr]
    again = reindex([path], index_dir)
    assert (again.mode, again.unchanged, again.added + again.updated + again.deleted) == (
        "incremental", 300, 0,
    )  # fmt: skip
    after = sorted(file.name for file in served_generation(index_dir).iterdir())  # type: ignore[union-attr]
    assert after == before  # nothing written, nothing left behind
    docs[0]["body"] += " kilimandjaro"
    del docs[1]
    docs.append({"id": "new", "title": "Nouveau", "body": "Un texte sur le kilimandjaro."})
    write_jsonl(path, docs)
    third = reindex([path], index_dir)
    assert (third.updated, third.deleted, third.added, third.unchanged) == (1, 1, 1, 298)
    store = IndexStore(index_dir)
    searcher = store.current().searcher
    assert searcher.doc_count() == 300
    found = searcher.search(wq.Term("text", "kilimandjaro"))
    assert {hit["id"] for hit in found} == {"s0", "new"}
    vocabulary = store.current().vocabulary
    assert vocabulary.get("kilimandjaro") is not None
    assert vocabulary.get("kilimandjaro").documents == 2  # type: ignore[union-attr]
    store.close()
    full = reindex([path], index_dir, ReindexOptions(full=True))
    assert (full.mode, full.indexed) == ("full", 300)


@pytest.fixture
def server(served_small: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "serve"), "--index", str(served_small), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(base), timeout=20)
    yield base
    process.terminate()
    process.wait(timeout=20)


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/api/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_serve_answers_throughout_a_reindex_then_serves_the_new_index(
    server: str, served_small: Path, big: Path
) -> None:
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            status, _ = get(f"{server}/api/search?q=s%C3%A9curit%C3%A9")
            statuses.append(status)

    clients = [threading.Thread(target=hammer) for _ in range(3)]
    for client in clients:
        client.start()
    result = subprocess.run(
        [str(BIN / "reindex"), str(big), "--index", str(served_small), "--full"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    time.sleep(0.3)
    stop.set()
    for client in clients:
        client.join(timeout=20)
    assert result.returncode == 0, result.stderr
    assert len(statuses) > 20 and set(statuses) == {200}
    # every worker follows the new generation without a restart
    for _ in range(10):
        status, body = get(f"{server}/api/search?q=zanzibar")
        assert status == 200 and body["total"] == 2500


def test_a_generation_copied_from_another_host_is_published(tmp_path: Path, big: Path) -> None:
    builder, web_host = tmp_path / "builder", tmp_path / "web"
    report = reindex([big], builder)
    reindex([write_jsonl(tmp_path / "small.jsonl", DOCS)], web_host)
    shutil.copytree(
        builder / GENERATIONS / report.generation, web_host / GENERATIONS / report.generation
    )
    store = IndexStore(web_host)
    assert store.info().documents == len(DOCS)
    result = subprocess.run(
        [str(BIN / "reindex"), "--publish", report.generation, "--index", str(web_host)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert store.info().documents == 2500  # the running process switched by itself
    store.close()
    missing = subprocess.run(
        [str(BIN / "reindex"), "--publish", "nope", "--index", str(web_host)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert missing.returncode == 2 and "génération introuvable" in missing.stderr


def _corpus_for_load(tmp_path: Path) -> Path:
    """3,000 real OrangeSum articles when ../shared/data is there, else synthetic ones."""
    shared = SHARED_DATA / "orangesum" / "docs.jsonl.gz"
    target = tmp_path / "load.jsonl"
    if shared.is_file():
        import gzip

        with gzip.open(shared, "rt", encoding="utf-8") as lines, target.open("w") as out:
            for number, line in enumerate(lines):
                if number == 3_000:
                    break
                out.write(line)
        return target
    return write_jsonl(target, synthetic(3_000, marker="zanzibar"))


def test_eight_clients_for_thirty_seconds_during_a_full_reindex_and_swap(
    server: str, served_small: Path, tmp_path: Path
) -> None:
    corpus = _corpus_for_load(tmp_path)
    queries = [
        "s%C3%A9curit%C3%A9",
        "gouvernement",
        "politique+spatiale",
        "OTAN",
        "climat+%C3%A9nergie",
    ]
    results: list[tuple[int, float]] = []
    stop = threading.Event()

    def client(number: int) -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                status, _ = get(f"{server}/api/search?q={queries[number % len(queries)]}")
            except OSError:
                status = 0  # a refused or broken connection counts as a failure
            results.append((status, time.monotonic() - started))

    clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    started = time.monotonic()
    for thread in clients:
        thread.start()
    time.sleep(2)
    reindexing = start(str(corpus), "--index", str(served_small), "--full")
    _out, err = reindexing.communicate(timeout=300)
    time.sleep(max(2.0, 30 - (time.monotonic() - started)))
    stop.set()
    for thread in clients:
        thread.join(timeout=30)
    assert reindexing.returncode == 0, err
    statuses = [status for status, _ in results]
    assert len(statuses) > 100
    assert statuses.count(200) == len(statuses), {s: statuses.count(s) for s in set(statuses)}
    status, body = get(f"{server}/api/health")
    assert status == 200 and body["documents"] == 3_000


def test_a_killed_run_leftover_is_pruned_first_and_rollback_still_works(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    reindex([write_jsonl(tmp_path / "a.jsonl", DOCS[:1])], index_dir)
    reindex([write_jsonl(tmp_path / "b.jsonl", DOCS[:2])], index_dir)
    previous = served_generation(index_dir)
    assert previous is not None
    time.sleep(1.1)  # generation names sort by the second they were made in
    leftover = new_generation(index_dir)  # what a reindex killed while writing leaves
    (leftover / "_MAIN_1.toc").write_bytes(b"half")
    time.sleep(1.1)
    reindex([write_jsonl(tmp_path / "c.jsonl", DOCS[:3])], index_dir)
    kept = sorted(p.name for p in (index_dir / GENERATIONS).iterdir())
    assert leftover.name not in kept and previous.name in kept and len(kept) == 2
    assert publish_copied(index_dir, previous.name).indexed == 2  # rollback
    assert IndexStore(index_dir).info().documents == 2
