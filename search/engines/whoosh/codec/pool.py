"""The postings a segment writer gathers before writing them, grouped term by term.

Whoosh's pool keeps every posting as its own tuple, sorts all of them and, past its memory
limit, pickles them one by one to runs on disk that it merges back posting by posting: in a
profile of a 10k-article build that was about 40 % of the time (sort, pickling, heap merge).
Here the postings are appended to one log of compact arrays (term number, document, weight,
end of the value in one byte buffer), in the order they come; a term is numbered the first
time it is seen. Appending to the same few arrays keeps the memory touched per posting small
(an earlier version kept arrays per term: four scattered appends per posting, a third of the
time of adding a document). The log is grouped by term and document with one NumPy sort when
it is written out: past the memory limit to a run on disk, one record per term in term order,
and at the end, when the runs are merged term by term. The postings come out as Whoosh's
pool gives them: ``(field, term, docnum, weight, value)``, by field, term and document number.
"""

from __future__ import annotations

import contextlib
import heapq
import pickle
import uuid
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any, BinaryIO

import numpy as np

Posting = tuple[str, bytes, int, float, bytes]
TermKey = tuple[str, bytes]

# Memory a new term costs beyond its text (dict entry, key, list slot), and a posting beyond
# its value: 20 bytes in the log (term number 4, document 4, weight 8, value end 4) and about
# as much again while the log is grouped (the sort order and the sorted columns), the arrays'
# spare room aside. Measured with tracemalloc on the postings of 3,000 articles (548k
# postings): 29.5 MB held (the terms' texts aside), 50.4 MB at the peak of grouping, for 47 MB
# counted; the per-term arrays before held 41.6 MB (44.5 MB at the peak) for 39.2 MB counted.
TERM_BYTES = 200
POSTING_BYTES = 48


class PooledTerm:
    """One term's postings: document numbers, weights and values."""

    __slots__ = ("docs", "ordered", "values", "weights")

    def __init__(self, docs: array[int], weights: array[float], values: list[bytes]) -> None:
        self.docs = docs
        self.weights = weights
        self.values = values
        self.ordered = True  # document numbers in increasing order

    def extend(self, other: PooledTerm) -> None:
        """Add the postings of ``other`` (the same term, gathered later)."""
        if self.docs and other.docs and other.docs[0] < self.docs[-1]:
            self.ordered = False
        self.ordered = self.ordered and other.ordered
        self.docs.extend(other.docs)
        self.weights.extend(other.weights)
        self.values.extend(other.values)

    def columns(self) -> tuple[list[int], list[float], list[bytes]]:
        """Document numbers, weights and values, in the order Whoosh's pool gives them."""
        if self.ordered:
            return self.docs.tolist(), self.weights.tolist(), self.values
        ordered = sorted(zip(self.docs, self.weights, self.values, strict=True))
        return [d for d, _, _ in ordered], [w for _, w, _ in ordered], [v for *_, v in ordered]

    def record(self) -> tuple[bytes, bytes, bytes, bytes, bool]:
        ends = array("I", accumulate(map(len, self.values)))
        return (self.docs.tobytes(), self.weights.tobytes(), ends.tobytes(),
                b"".join(self.values), self.ordered)  # fmt: skip

    @classmethod
    def from_record(cls, record: tuple[bytes, bytes, bytes, bytes, bool]) -> PooledTerm:
        docs, weights, ends, values = array("I"), array("d"), array("I"), record[3]
        docs.frombytes(record[0])
        weights.frombytes(record[1])
        ends.frombytes(record[2])
        starts = [0, *ends[:-1]]
        term = cls(docs, weights, list(map(values.__getitem__, map(slice, starts, ends))))
        term.ordered = record[4]
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
        self._clear()

    def _clear(self) -> None:
        self._numbers: dict[TermKey, int] = {}  # each term's number in the log
        self._keys: list[TermKey] = []  # each number's term
        self._terms = array("I")  # the log: per posting, its term's number,
        self._docs = array("I")  # its document,
        self._weights = array("d")  # its weight,
        self._ends = array("I")  # and where its value ends in _values
        self._values = bytearray()
        self._size = 0

    def add(self, item: Posting) -> None:
        fieldname, text, docnum, weight, value = item
        key = (fieldname, text)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self._keys)
            self._keys.append(key)
            self.fieldnames.add(fieldname)
            self._size += TERM_BYTES + len(text)
        self._terms.append(number)
        self._docs.append(docnum)
        self._weights.append(weight)
        if value:
            self._values += value
            self._size += len(value)
        self._ends.append(len(self._values))
        self._size += POSTING_BYTES
        if self._size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the terms held in memory to a run on disk, in order."""
        if not self._keys:
            return
        name = f"terms-{uuid.uuid4().hex}.run"  # the folder is shared by every writer
        with self.tempstore.create_file(name).raw_file() as run:
            for key, term in self._grouped():
                pickle.dump((key, term.record()), run, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)
        self._clear()

    def _grouped(self) -> Iterator[tuple[TermKey, PooledTerm]]:
        """The terms of the log with their postings, by term, each term's by document."""
        keys, count = self._keys, len(self._terms)
        if not keys:
            return
        terms = np.frombuffer(self._terms, np.uint32, count)
        docs = np.frombuffer(self._docs, np.uint32, count)
        bounds = [0, *np.cumsum(np.bincount(terms, minlength=len(keys))).tolist()]
        order = np.lexsort((docs, terms))  # by term, then document
        ends = np.frombuffer(self._ends, np.uint32, count)
        starts = np.concatenate((np.zeros(1, np.uint32), ends[:-1]))
        weights = np.frombuffer(self._weights, np.float64, count)
        # the columns in that order, as arrays again: a term's slice of them is taken in C
        sorted_docs, sorted_weights, sorted_starts, sorted_ends = (
            _array(code, column[order])
            for code, column in (("I", docs), ("d", weights), ("I", starts), ("I", ends))
        )
        del order, starts
        values = memoryview(self._values)  # each value copied out alone: no copy of the whole
        for number in sorted(range(len(keys)), key=keys.__getitem__):
            first, last = bounds[number], bounds[number + 1]
            term_values = map(slice, sorted_starts[first:last], sorted_ends[first:last])
            yield (
                keys[number],
                PooledTerm(
                    sorted_docs[first:last],
                    sorted_weights[first:last],
                    list(map(bytes, map(values.__getitem__, term_values))),
                ),
            )
        values.release()

    def iter_postings(self) -> Iterator[Posting]:
        for (field, text), term in self.iter_terms():
            docs, weights, values = term.columns()
            for doc, weight, value in zip(docs, weights, values, strict=True):
                yield field, text, doc, weight, value

    def iter_terms(self) -> Iterator[tuple[TermKey, PooledTerm]]:
        """Each term with all its postings, by field and term."""
        sources = [*(self._read_run(name) for name in self.runs), self._grouped()]
        merged = heapq.merge(*sources, key=lambda item: item[0])  # equal keys: oldest first
        current: tuple[TermKey, PooledTerm] | None = None
        for key, term in merged:
            if current is not None and current[0] == key:
                current[1].extend(term)
                continue
            if current is not None:
                yield current
            current = (key, term)
        if current is not None:
            yield current

    def _read_run(self, name: str) -> Iterator[tuple[TermKey, PooledTerm]]:
        with self.tempstore.open_file(name).raw_file() as run:
            yield from ((key, PooledTerm.from_record(record)) for key, record in _records(run))

    def cleanup(self) -> None:
        for name in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(name)
        self.runs = []


def _array(typecode: str, column: np.ndarray) -> array[Any]:
    """``column`` (contiguous, of the same item type) copied into an ``array``."""
    made = array(typecode)
    made.frombytes(column.data.cast("B"))
    return made


def _records(run: BinaryIO) -> Iterable[tuple[TermKey, Any]]:
    while True:
        try:
            yield pickle.load(run)
        except EOFError:
            return
