"""Whoosh queries walked window by window under a request's deadline.

A phrase matcher visits every document holding all of the phrase's words and looks at their
positions; when the phrase is rare it may cross the whole index between two matches, inside
one ``next()`` call. Here the words of a query are read through matchers that look at the
clock every ``CHECK_EVERY`` steps and end at the edge of a window of ``WINDOW`` documents:
whatever wraps the words (phrases, ``Or``), the query ends at the next step once the walk
must stop, and a window walked to its end is known to be walked whole.

``walk`` gives the documents a query matches (with scores) and how far it got: documents
after ``reached`` were not looked at. It stops at the deadline once it is ``satisfied``
(the caller says when: a first match for a group being scored, a shown document known to be
free of it for an exclusion), and at the deadline's grace otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.matching import Matcher
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.searching import Searcher

from search.deadline import CHECK_EVERY, Deadline

WINDOW = 512  # documents walked between two points where the walk is known to be whole


class Walk:
    """What the matchers of one walk share: the window's end and when to stop."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.start = 0  # the current window's first (leaf) document number
        self.limit = 0  # the current window ends before this one
        self.satisfied = False
        self.stopped = False
        self.forced = False  # the first window is walked whole, whatever the time

    def must_stop(self) -> bool:
        if not self.stopped and not self.forced:
            deadline = self.deadline
            self.stopped = deadline.expired if self.satisfied else deadline.overdue
        return self.stopped


class TimedMatcher(WrappingMatcher):
    """A word's postings that end at the window's edge or when the walk must stop."""

    def __init__(self, child: Matcher, walk: Walk, boost: float = 1.0) -> None:
        super().__init__(child, boost)
        self.walk = walk
        self.steps = 0

    def copy(self) -> TimedMatcher:
        return TimedMatcher(self.child.copy(), self.walk, self.boost)

    def _replacement(self, newchild: Matcher) -> TimedMatcher:
        return TimedMatcher(newchild, self.walk, self.boost)

    def is_active(self) -> bool:
        child = self.child
        return bool(child.is_active()) and child.id() < self.walk.limit and not self.walk.stopped

    def _step(self) -> None:
        self.steps += 1
        if self.steps % CHECK_EVERY == 0:
            self.walk.must_stop()

    def next(self) -> Any:
        self._step()
        return self.child.next()

    def skip_to(self, id: int) -> Any:
        self._step()
        return self.child.skip_to(id)

    def skip_to_quality(self, minquality: float) -> Any:
        self._step()
        return self.child.skip_to_quality(minquality / self.boost)


class TimedTerm(wq.Term):
    """A ``Term`` whose matcher is a ``TimedMatcher`` of ``walk``."""

    def __init__(self, term: wq.Term, walk: Walk) -> None:
        super().__init__(term.fieldname, term.text, boost=term.boost, minquality=term.minquality)
        self.walk = walk

    def matcher(self, searcher: Searcher, context: Any = None) -> Matcher:
        found = super().matcher(searcher, context)
        if self.walk.start and found.is_active():
            found.skip_to(self.walk.start)
        return TimedMatcher(found, self.walk) if found.is_active() else found


def timed(query: wq.Query, walk: Walk) -> wq.Query:
    """``query`` with each of its words read through a ``TimedMatcher`` of ``walk``."""

    def swap(node: wq.Query) -> wq.Query:
        return TimedTerm(node, walk) if type(node) is wq.Term else node

    return query.accept(swap)


@dataclass(frozen=True)
class Walked:
    docs: np.ndarray  # matched document numbers, ascending
    scores: np.ndarray
    reached: int  # documents up to this number were looked at (all of them when complete)
    complete: bool


Satisfied = Callable[[list[int], int], bool]  # (matches so far, reached) -> enough to stop


def walk(
    searcher: Searcher,
    query: wq.Query,
    deadline: Deadline,
    satisfied: Satisfied,
    by_a_match: bool = False,
    candidates: np.ndarray | None = None,
) -> Walked:
    """Every document ``query`` matches, window by window, until the walk must stop.
    ``satisfied`` is asked between windows; ``by_a_match``: any match satisfies at once.
    ``candidates`` (ascending): only windows holding one of them are walked. The first window
    is always walked whole: a stage that has found nothing yet gets at least that much."""
    docs: list[int] = []
    scores: list[float] = []
    state = Walk(deadline)
    walked = timed(query, state)
    context = searcher.context()
    reached = -1
    for sub, offset in searcher.leaf_searchers():
        size = sub.doc_count_all()
        start = _next_start(candidates, offset, 0, size)
        while start < size:
            state.satisfied = state.satisfied or satisfied(docs, reached)
            if reached >= 0 and state.must_stop():
                return Walked(_ints(docs), _floats(scores), reached, False)
            state.start, state.limit, state.forced = start, start + WINDOW, reached < 0
            matcher = walked.matcher(sub, context)
            while matcher.is_active():
                docs.append(matcher.id() + offset)
                scores.append(matcher.score())
                state.satisfied = state.satisfied or by_a_match
                matcher.next()
            if state.stopped:
                return Walked(_ints(docs), _floats(scores), reached, False)
            start = _next_start(candidates, offset, start + WINDOW, size)
            reached = offset + min(start, size) - 1
        reached = offset + size - 1
    return Walked(_ints(docs), _floats(scores), reached, True)


def _next_start(candidates: np.ndarray | None, offset: int, start: int, size: int) -> int:
    """The first leaf document from ``start`` on that is a candidate (``size``: none left)."""
    if candidates is None:
        return start
    at = int(np.searchsorted(candidates, offset + start))
    return int(candidates[at]) - offset if at < len(candidates) else size


def _ints(values: list[int]) -> np.ndarray:
    return np.asarray(values, np.int64)


def _floats(values: list[float]) -> np.ndarray:
    return np.asarray(values, np.float64)
