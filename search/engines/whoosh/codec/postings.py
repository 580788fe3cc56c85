"""Postings read for ranking, kept per served generation: a term's whole posting list as
arrays (document numbers, weights) and every document's field length for the first stage, and
a term's occurrences (positions, character offsets) in chosen documents for the second stage
and the snippets.

Whoosh's matchers hand out one posting at a time, through several Python calls each; scoring
every match of a query that way costs most of a search. Here a term's postings are read block
by block (each block of Whoosh's ``W3`` codec is decoded whole anyway) into two NumPy arrays,
so BM25 can be computed for all of them at once. Reading a block also decodes its positions
and character offsets, which dominates what is left; decoded terms are therefore kept in a
cache bounded by a number of postings (least recently used first out). Occurrences are read
from the blocks holding the asked documents only, and kept in a cache bounded by a number of
(term, document) pairs. The blocks the first stage has just decoded are kept too, for a while
(bounded by their number of postings): the second stage then finds its candidates'
occurrences in memory instead of reading and unpickling the same blocks again.

This leans on the block attributes of the ``W3`` codec of Whoosh-Reloaded 2.7.5 (the pinned
version); a posting reader of any other kind is read through the public matcher interface.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ListMatcher, Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

Postings = tuple[np.ndarray, np.ndarray]  # (document numbers int32 ascending, weights float32)
EMPTY: Postings = (np.zeros(0, np.int32), np.zeros(0, np.float32))
CACHED_POSTINGS = 4_000_000  # about 32 MB of decoded postings per server process
CACHED_OCCURRENCES = 50_000  # (term, document) occurrence lists kept: reranking, snippets
MAX_OCCURRENCES = 1_000  # a term's first occurrences in a document kept for reranking and
# snippets: a 20 MB body holds 200,000 of a common word, and proximity over them took minutes
CACHED_BLOCK_POSTINGS = 500_000  # postings of decoded blocks kept with their values: ~25 MB
Occurrences = tuple[float, list[tuple[int, int, int]]]  # weight, (position, start, end) each
Block = tuple[np.ndarray, np.ndarray, bytes, np.ndarray]  # one decoded block: local ids,
# weights, and the encoded values (positions, character offsets) joined, with each one's end
Directory = list[list[int]]  # per leaf, the last local id of each block of a term


class PostingLists:
    """The postings of ``searcher``'s index, addressed by top-level document numbers."""

    def __init__(
        self,
        searcher: Searcher,
        budget: int = CACHED_POSTINGS,
        block_budget: int = CACHED_BLOCK_POSTINGS,
    ) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.budget = budget
        self.block_budget = block_budget
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._cached = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._occurrences: OrderedDict[tuple[str, str, int], Occurrences] = OrderedDict()
        self._directories: dict[tuple[str, str], Directory] = {}  # for the cached terms
        self._blocks: OrderedDict[tuple[str, str, int, int], Block] = OrderedDict()
        self._block_postings = 0
        self._lock = threading.Lock()

    def get(self, field: str, text: str) -> Postings:
        """Every live document containing ``text`` in ``field``, with the posting weight."""
        key = (field, text)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        postings, directory, blocks = self._read(field, text)
        with self._lock:
            if key not in self._cache and len(postings[0]) <= self.budget:
                self._cache[key] = postings
                self._directories[key] = directory
                self._cached += len(postings[0])
                while self._cached > self.budget:
                    evicted, (ids, _) = self._cache.popitem(last=False)
                    del self._directories[evicted]
                    self._cached -= len(ids)
                self._keep_blocks(key, blocks)
        return postings

    def lengths(self, field: str) -> np.ndarray:
        """Each document's length in ``field`` as Whoosh's scorers see it (stored as a byte)."""
        with self._lock:
            if field not in self._lengths:
                parts = [
                    np.fromiter(
                        (sub.doc_field_length(doc, field, 1) for doc in range(sub.doc_count_all())),
                        np.float64,
                        sub.doc_count_all(),
                    )
                    for sub, _ in self.searcher.leaf_searchers()
                ]
                self._lengths[field] = np.concatenate(parts) if parts else np.zeros(0)
            return self._lengths[field]

    def characters(self, field: str, text: str, docnums: Sequence[int]) -> dict[int, Occurrences]:
        """For each of ``docnums`` containing ``text``: its posting weight and the term's
        first ``MAX_OCCURRENCES`` ``(position, start char, end char)`` occurrences. Only the
        blocks holding one of ``docnums`` are decoded, and the occurrences read are kept for a
        while: the page's snippets need those of its hits, the next page those of the same
        candidates."""
        found: dict[int, Occurrences] = {}
        present = []
        candidates = _present(self.get(field, text)[0], docnums)
        with self._lock:
            for doc in candidates:
                if (known := self._occurrences.get((field, text, doc))) is not None:
                    self._occurrences.move_to_end((field, text, doc))
                    found[doc] = known
                else:
                    present.append(doc)
        if not present:
            return found
        read = {
            doc: (weight, occurrences[:MAX_OCCURRENCES])
            for doc, (weight, occurrences) in self._read_characters(field, text, present).items()
        }
        with self._lock:
            for doc, occurrences in read.items():
                self._occurrences[(field, text, doc)] = occurrences
            while len(self._occurrences) > CACHED_OCCURRENCES:
                self._occurrences.popitem(last=False)
        return found | read

    def _keep_blocks(self, key: tuple[str, str], blocks: list[list[Block]]) -> None:
        """Keep the decoded blocks of a term just read (the caller holds the lock)."""
        for leaf, leaf_blocks in enumerate(blocks):
            for number, block in enumerate(leaf_blocks):
                self._blocks[(*key, leaf, number)] = block
                self._block_postings += len(block[0])
        while self._block_postings > self.block_budget:
            _, (ids, _, _, _) = self._blocks.popitem(last=False)
            self._block_postings -= len(ids)

    def _from_blocks(
        self, field: str, text: str, leaf: int, local: list[int], offset: int
    ) -> tuple[dict[int, Occurrences], list[int]]:
        """The occurrences of those of ``local`` whose block is still decoded in memory, and
        the documents left to read from disk."""
        found: dict[int, Occurrences] = {}
        missing: list[int] = []
        decode = self.searcher.schema[field].format.decode_characters
        with self._lock:
            directory = self._directories.get((field, text))
            last_ids = directory[leaf] if directory and leaf < len(directory) else None
            for doc in local:
                number = bisect_left(last_ids, doc) if last_ids is not None else -1
                block = self._blocks.get((field, text, leaf, number)) if number >= 0 else None
                if block is None:
                    missing.append(doc)
                    continue
                ids, weights, values, ends = block
                at = int(np.searchsorted(ids, doc))
                if at < len(ids) and ids[at] == doc:
                    start = int(ends[at - 1]) if at else 0
                    found[doc + offset] = (float(weights[at]), decode(values[start : ends[at]]))
        return found, missing

    def _read_characters(self, field: str, text: str, present: list[int]) -> dict[int, Occurrences]:
        found: dict[int, Occurrences] = {}
        for leaf, (sub, offset) in enumerate(self.searcher.leaf_searchers()):
            reader = sub.reader()
            size = sub.doc_count_all()
            local = sorted(doc - offset for doc in present if 0 <= doc - offset < size)
            if local:
                decoded, local = self._from_blocks(field, text, leaf, local, offset)
                found |= decoded
            if not local or (field, text) not in reader:
                continue
            matcher = reader.postings(field, text)
            if isinstance(matcher, FilterMatcher):  # deleted documents are not asked for
                matcher = matcher.child
            for doc in local:
                if not _move_to(matcher, doc):
                    break
                if matcher.id() == doc:
                    found[doc + offset] = (matcher.weight(), matcher.value_as("characters"))
        return found

    def _read(self, field: str, text: str) -> tuple[Postings, Directory, list[list[Block]]]:
        """The term's postings, the last id of each of its blocks and the decoded blocks
        (both per leaf; empty for a leaf read another way)."""
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        directory: Directory = []
        blocks: list[list[Block]] = []
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            leaf_blocks: list[Block] = []
            blocks.append(leaf_blocks)
            directory.append([])
            if (field, text) not in reader:
                continue
            leaf_ids, leaf_weights = _read_matcher(reader.postings(field, text), leaf_blocks)
            directory[-1] = [int(block[0][-1]) for block in leaf_blocks]
            ids.append(leaf_ids + offset)
            weights.append(leaf_weights)
        if not ids:
            return EMPTY, directory, blocks
        return (np.concatenate(ids).astype(np.int32), np.concatenate(weights)), directory, blocks


def _read_matcher(matcher: Matcher, blocks: list[Block]) -> Postings:
    """The matcher's postings (deleted documents left out); the blocks of a ``W3`` matcher,
    decoded on the way, are appended to ``blocks``."""
    keep: tuple[set[int], bool] | None = None
    if isinstance(matcher, FilterMatcher):  # deleted documents of the segment
        keep = (matcher._ids, matcher._exclude)
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        ids, weights = _read_blocks(matcher, blocks)
    elif isinstance(matcher, ListMatcher) and not isinstance(matcher._ids, range):
        ids = np.asarray(matcher._ids, np.int64)
        weights = _weights(matcher._weights, len(ids))
    else:
        ids, weights = _read_one_by_one(matcher)
    if keep is not None:
        listed = np.isin(ids, np.fromiter(keep[0], np.int64, len(keep[0])))
        wanted = ~listed if keep[1] else listed
        ids, weights = ids[wanted], weights[wanted]
    return ids, weights


def _present(ids: np.ndarray, docnums: Sequence[int]) -> list[int]:
    """Those of ``docnums`` found in the ascending ``ids``."""
    if not len(ids) or not len(docnums):
        return []
    wanted = np.asarray(docnums, np.int64)
    at = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    return wanted[ids[at] == wanted].tolist()


def _move_to(matcher: Matcher, doc: int) -> bool:
    """Move ``matcher`` to ``doc`` or the next document after it, skipping whole blocks and
    finding the place in a block by bisection (Whoosh's ``skip_to`` steps one id at a time)."""
    if not matcher.is_active():
        return False
    if not isinstance(matcher, W3LeafMatcher):
        if matcher.id() < doc:
            matcher.skip_to(doc)
        return matcher.is_active()
    while matcher.is_active() and matcher.block_max_id() < doc:
        matcher._next_block()
    if not matcher.is_active():
        return False
    if matcher._ids is None:
        matcher._read_ids()
    matcher._i = max(matcher._i, bisect_left(matcher._ids, doc))
    return True


def _read_blocks(matcher: W3LeafMatcher, blocks: list[Block]) -> Postings:
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()  # already unpickled with the ids: kept for the second stage
        ids.append(np.asarray(matcher._ids, np.int64))
        weights.append(_weights(matcher._weights, len(ids[-1])))
        values = matcher._values
        ends = np.cumsum(np.fromiter(map(len, values), np.int32, len(values)), dtype=np.int32)
        blocks.append((ids[-1], weights[-1], b"".join(values), ends))
        matcher._next_block()
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(ids), np.concatenate(weights)


def _weights(weights: object, count: int) -> np.ndarray:
    if weights is None:
        return np.ones(count, np.float32)
    return np.asarray(weights, np.float32)


def _read_one_by_one(matcher: Matcher) -> Postings:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, np.int64), np.asarray(weights, np.float32)
