"""The postings a segment writer gathers before writing them, kept term by term.

Whoosh's pool keeps every posting as its own tuple, sorts all of them and, past its memory
limit, pickles them one by one to runs on disk that it merges back posting by posting: in a
profile of a 10k-article build that was about 40 % of the time (sort, pickling, heap merge).
Here each term's postings are appended to compact arrays as they come, in the order the
writer numbers its documents; only the terms are sorted. Past the memory limit, the terms are
written to a run on disk, one record per term, and the runs are merged term by term at the
end. The postings come out as Whoosh's pool gives them: ``(field, term, docnum, weight,
value)``, by field, term and document number.
"""

from __future__ import annotations

import contextlib
import heapq
import pickle
import uuid
from array import array
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

Posting = tuple[str, bytes, int, float, bytes]
Key = tuple[str, bytes]

# Memory a new term costs beyond its text (dict entry, key, the term's arrays), and a posting
# beyond its value (number 4, weight 8, end offset 4 bytes, and the arrays' spare room):
# measured with tracemalloc on 3,000 articles (550k postings, 39k terms), 42.3 MB held for
# 39.9 MB counted.
TERM_BYTES = 400
POSTING_BYTES = 20


class PooledTerm:
    """One term's postings: document numbers, weights, and their values end to end."""

    __slots__ = ("docs", "ends", "ordered", "values", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("d")
        self.ends = array("I")
        self.values = bytearray()
        self.ordered = True  # document numbers came in increasing order

    def add(self, docnum: int, weight: float, value: bytes) -> None:
        docs = self.docs
        if docs and docnum < docs[-1]:
            self.ordered = False
        docs.append(docnum)
        self.weights.append(weight)
        self.values += value
        self.ends.append(len(self.values))

    def extend(self, other: PooledTerm) -> None:
        if self.docs and other.docs and other.docs[0] < self.docs[-1]:
            self.ordered = False
        self.ordered = self.ordered and other.ordered
        shift = len(self.values)
        self.docs.extend(other.docs)
        self.weights.extend(other.weights)
        self.ends.extend(end + shift for end in other.ends)
        self.values += other.values

    def columns(self) -> tuple[list[int], list[float], list[bytes]]:
        """Document numbers, weights and values, in the order Whoosh's pool gives them."""
        values = bytes(self.values)
        starts = [0, *self.ends[:-1]]
        found = [values[s:e] for s, e in zip(starts, self.ends, strict=True)]
        if self.ordered:
            return self.docs.tolist(), self.weights.tolist(), found
        ordered = sorted(zip(self.docs, self.weights, found, strict=True))
        return [d for d, _, _ in ordered], [w for _, w, _ in ordered], [v for *_, v in ordered]

    def record(self) -> tuple[bytes, bytes, bytes, bytes, bool]:
        return (self.docs.tobytes(), self.weights.tobytes(), self.ends.tobytes(),
                bytes(self.values), self.ordered)  # fmt: skip

    @classmethod
    def from_record(cls, record: tuple[bytes, bytes, bytes, bytes, bool]) -> PooledTerm:
        term = cls()
        docs, weights, ends, values, term.ordered = record
        term.docs.frombytes(docs)
        term.weights.frombytes(weights)
        term.ends.frombytes(ends)
        term.values = bytearray(values)
        return term


class TermPool:
    """A drop-in for Whoosh's ``PostingPool`` (``add``, ``iter_postings``, ``cleanup``,
    ``fieldnames``, ``limit``), holding postings per term within ``limitmb``."""

    def __init__(self, tempstore: Any, segment: Any = None, limitmb: float = 128) -> None:
        self.tempstore = tempstore
        self.segment = segment
        self.limit = limitmb * 1024 * 1024
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []
        self._terms: dict[Key, PooledTerm] = {}
        self._size = 0

    def add(self, item: Posting) -> None:
        fieldname, text, docnum, weight, value = item
        value = value or b""
        term = self._terms.get((fieldname, text))
        if term is None:
            term = self._terms[(fieldname, text)] = PooledTerm()
            self.fieldnames.add(fieldname)
            self._size += TERM_BYTES + len(text)
        term.add(docnum, weight, value)
        self._size += POSTING_BYTES + len(value)
        if self._size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the terms held in memory to a run on disk, in order."""
        if not self._terms:
            return
        name = f"terms-{uuid.uuid4().hex}.run"  # the folder is shared by every writer
        with self.tempstore.create_file(name).raw_file() as run:
            for key in sorted(self._terms):
                pickle.dump((key, self._terms[key].record()), run, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)
        self._terms = {}
        self._size = 0

    def iter_postings(self) -> Iterator[Posting]:
        for (field, text), term in self.iter_terms():
            docs, weights, values = term.columns()
            for doc, weight, value in zip(docs, weights, values, strict=True):
                yield field, text, doc, weight, value

    def iter_terms(self) -> Iterator[tuple[Key, PooledTerm]]:
        """Each term with all its postings, by field and term."""
        in_memory = sorted(self._terms.items(), key=lambda item: item[0])
        sources = [*(self._read_run(name) for name in self.runs), iter(in_memory)]
        merged = heapq.merge(*sources, key=lambda item: item[0])  # equal keys: oldest first
        current: tuple[Key, PooledTerm] | None = None
        for key, term in merged:
            if current is not None and current[0] == key:
                current[1].extend(term)
                continue
            if current is not None:
                yield current
            current = (key, term)
        if current is not None:
            yield current

    def _read_run(self, name: str) -> Iterator[tuple[Key, PooledTerm]]:
        with self.tempstore.open_file(name).raw_file() as run:
            yield from ((key, PooledTerm.from_record(record)) for key, record in _records(run))

    def cleanup(self) -> None:
        for name in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(name)
        self.runs = []


def _records(run: BinaryIO) -> Iterable[tuple[Key, Any]]:
    while True:
        try:
            yield pickle.load(run)
        except EOFError:
            return
