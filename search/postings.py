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
(term, document) pairs.

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
Occurrences = tuple[float, list[tuple[int, int, int]]]  # weight, (position, start, end) each


class PostingLists:
    """The postings of ``searcher``'s index, addressed by top-level document numbers."""

    def __init__(self, searcher: Searcher, budget: int = CACHED_POSTINGS) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.budget = budget
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._cached = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._occurrences: OrderedDict[tuple[str, str, int], Occurrences] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, field: str, text: str) -> Postings:
        """Every live document containing ``text`` in ``field``, with the posting weight."""
        key = (field, text)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        postings = self._read(field, text)
        with self._lock:
            if key not in self._cache and len(postings[0]) <= self.budget:
                self._cache[key] = postings
                self._cached += len(postings[0])
                while self._cached > self.budget:
                    _, (ids, _) = self._cache.popitem(last=False)
                    self._cached -= len(ids)
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
        ``(position, start char, end char)`` occurrences. Only the blocks holding one of
        ``docnums`` are decoded, and the occurrences read are kept for a while: the page's
        snippets need those of its hits, the next page those of the same candidates."""
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
        read = self._read_characters(field, text, present)
        with self._lock:
            for doc, occurrences in read.items():
                self._occurrences[(field, text, doc)] = occurrences
            while len(self._occurrences) > CACHED_OCCURRENCES:
                self._occurrences.popitem(last=False)
        return found | read

    def _read_characters(self, field: str, text: str, present: list[int]) -> dict[int, Occurrences]:
        found: dict[int, Occurrences] = {}
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            size = sub.doc_count_all()
            local = sorted(doc - offset for doc in present if 0 <= doc - offset < size)
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

    def _read(self, field: str, text: str) -> Postings:
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            if (field, text) not in reader:
                continue
            leaf_ids, leaf_weights = _read_matcher(reader.postings(field, text))
            ids.append(leaf_ids + offset)
            weights.append(leaf_weights)
        if not ids:
            return EMPTY
        return np.concatenate(ids).astype(np.int32), np.concatenate(weights)


def _read_matcher(matcher: Matcher) -> Postings:
    keep: tuple[set[int], bool] | None = None
    if isinstance(matcher, FilterMatcher):  # deleted documents of the segment
        keep = (matcher._ids, matcher._exclude)
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        ids, weights = _read_blocks(matcher)
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


def _read_blocks(matcher: W3LeafMatcher) -> Postings:
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.append(np.asarray(matcher._ids, np.int64))
        weights.append(_weights(matcher._weights, len(ids[-1])))
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
