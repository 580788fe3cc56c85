"""The term-by-term postings pool gives exactly what Whoosh's pool gives, in memory or
spilled to runs on disk, documents in order or not; and an index written through it reads
back the same postings as one written through Whoosh's pool."""

from __future__ import annotations

import random
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.writing import PostingPool

from search.engines.whoosh.codec.pool import TermPool

Posting = tuple[str, bytes, int, float, bytes]


def postings(seed: int, documents: int, shuffled_tail: int = 0) -> list[Posting]:
    """Postings as a writer adds them: document by document, then (``shuffled_tail``) some
    documents added out of order, as a merge of segments can."""
    rng = random.Random(seed)
    words = [f"mot{n}".encode() for n in range(60)] + ["été".encode(), "œuvre".encode()]
    order = list(range(documents))
    if shuffled_tail:
        tail = order[-shuffled_tail:]
        rng.shuffle(tail)
        order[-shuffled_tail:] = tail
    items = []
    for doc in order:
        for field in ("text", "title"):
            for word in rng.sample(words, rng.randint(1, 12)):
                value = bytes(rng.randrange(256) for _ in range(rng.randint(0, 30)))
                items.append((field, word, doc, float(rng.randint(1, 9)), value))
    return items


def pooled(pool: TermPool | PostingPool, items: list[Posting]) -> list[Posting]:
    for item in items:
        pool.add(item)
    return list(pool.iter_postings())


def test_same_postings_as_whoosh_in_memory_and_spilled(tmp_path: Path) -> None:
    storage = FileStorage(str(tmp_path)).create()
    for seed, shuffled in ((1, 0), (2, 40)):
        items = postings(seed, 400, shuffled)
        expected = pooled(PostingPool(storage, None, limitmb=512), items)
        assert pooled(TermPool(storage, limitmb=512), items) == expected
        spilling = TermPool(storage, limitmb=0.02)
        assert pooled(spilling, items) == expected
        assert len(spilling.runs) > 5  # the terms went to disk several times
        spilling.cleanup()
        assert not [name for name in storage.list() if name.endswith(".run")]


def test_a_term_added_again_after_a_spill_keeps_its_document_order(tmp_path: Path) -> None:
    storage = FileStorage(str(tmp_path)).create()
    pool = TermPool(storage, limitmb=512)
    pool.add(("text", b"otan", 3, 1.0, b"c"))
    pool.add(("text", b"otan", 7, 2.0, b"d"))
    pool.save()
    pool.add(("text", b"otan", 1, 1.0, b"a"))  # earlier than what went to disk
    pool.add(("text", b"alliance", 9, 1.0, b""))
    pool.add(("text", b"otan", 12, 1.0, b"e"))
    assert list(pool.iter_postings()) == [
        ("text", b"alliance", 9, 1.0, b""),
        ("text", b"otan", 1, 1.0, b"a"),
        ("text", b"otan", 3, 1.0, b"c"),
        ("text", b"otan", 7, 2.0, b"d"),
        ("text", b"otan", 12, 1.0, b"e"),
    ]
    assert pool.fieldnames == {"text"}
