"""A damaged generation is never served as healthy: its files are checked against the digests
of its manifest when it is opened (refused, the previous one kept) and by ``/api/health``."""

from __future__ import annotations

from pathlib import Path

from search.engines.whoosh.generations import served_generation
from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.store import IndexStore
from search.indexing import ReindexOptions
from search.models import SearchRequest
from tests.support.corpus import DOCS, write_jsonl
from tests.support.index import app_client


def flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def two_generations(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An index whose previous generation holds 2 documents and whose served one 4."""
    index_dir = tmp_path / "ix"
    reindex([write_jsonl(tmp_path / "a.jsonl", DOCS[:2])], index_dir)
    previous = served_generation(index_dir)
    reindex([write_jsonl(tmp_path / "b.jsonl", DOCS)], index_dir, ReindexOptions(full=True))
    served = served_generation(index_dir)
    assert previous is not None and served is not None and previous != served
    return index_dir, previous, served


def test_a_damaged_new_generation_is_refused_and_the_previous_kept(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    reindex([write_jsonl(tmp_path / "a.jsonl", DOCS[:2])], index_dir)
    store = IndexStore(index_dir)
    first = store.current().folder
    reindex([write_jsonl(tmp_path / "b.jsonl", DOCS)], index_dir, ReindexOptions(full=True))
    published = served_generation(index_dir)
    assert published is not None
    flip(published / "vocabulary.tsv.gz")
    assert store.current().folder == first
    assert search(store.current(), SearchRequest("otan")).total >= 1
    assert store.problem and published.name in store.problem and "vocabulary" in store.problem
    store.close()


def test_a_new_process_serves_the_previous_sound_generation(tmp_path: Path) -> None:
    index_dir, previous, served = two_generations(tmp_path)
    flip(next(served.glob("*.seg")))
    with app_client(index_dir) as client:
        assert client.get("/api/search?q=otan").status_code == 200
        health = client.get("/api/health")
        body = health.get_json()
        assert health.status_code == 200 and body["status"] == "degraded"
        assert body["generation"] == previous.name and served.name in body["problem"]


def test_health_finds_the_served_generation_damaged(tmp_path: Path) -> None:
    index_dir, _previous, served = two_generations(tmp_path)
    with app_client(index_dir, verify_every=0.0) as client:
        assert client.get("/api/health").get_json()["status"] == "ok"
        flip(served / "synonyms.txt")
        health = client.get("/api/health")
        assert health.status_code == 503 and health.get_json()["status"] == "damaged"
        assert "synonyms.txt" in health.get_json()["problem"]
