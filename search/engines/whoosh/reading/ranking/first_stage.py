"""First ranking stage, scored term at a time: every document a compiled query matches, its
BM25F score and how many of the query's groups it contains, in one pass over whole posting
lists (NumPy arrays from ``postings``).

The scores are Whoosh's own: the same BM25 formula with the scorer's idf, average length, B
and K1, and the same sums (a document's score is the sum of the scores of the groups it
matches, a group's the sum of its words' scores, a word's multiplied by its boost), so the
order is the one ``searcher.search(Or(groups))`` would give. Words are scored from their
posting arrays; what a group holds besides words (a phrase, a compound's words side by side)
is scored through Whoosh's matchers. Exclusions and filters remove documents afterwards.

Work stops between two words, or within a phrase's walk, once the deadline has passed; what
was scored is kept. Until some allowed document is found the deadline's grace is used (a
page is not left empty because an earlier stage used the time). Exclusions are walked under
the same deadline; documents past the point where it stopped them are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher

from search.deadline import Deadline
from search.engines.whoosh.codec.postings import PostingLists
from search.engines.whoosh.reading.matching import CompiledQuery
from search.engines.whoosh.reading.ranking.fielded import Fields, word_scores
from search.engines.whoosh.reading.timed import Satisfied, walk
from search.engines.whoosh.schema import SEARCH_FIELD

Words = list[tuple[wq.Term, float]]  # words of a group and their boosts


@dataclass(frozen=True)
class Accumulated:
    """The documents a query matches (ascending), their scores and matched group counts."""

    docs: np.ndarray
    scores: np.ndarray
    groups: np.ndarray
    wanted_groups: int  # how many groups the query has
    coverage: np.ndarray | None = None  # share of the groups' idf each document holds

    @property
    def total(self) -> int:
        return len(self.docs)


def accumulate(
    searcher: Searcher,
    postings: PostingLists,
    compiled: CompiledQuery,
    allowed: np.ndarray | None,
    deadline: Deadline,
    fields: Fields | None = None,
) -> Accumulated:
    """Score every document matching some group of ``compiled`` among those ``allowed`` (a
    mask over document numbers; ``None``: all); with ``fields``, the words of ``text`` as
    heading and body (see ``fielded``)."""
    size = postings.size
    scores = np.zeros(size)
    counts = np.zeros(size, np.int16)
    covered = np.zeros(size)
    weights = [_weight(searcher, group) for group in compiled.groups]
    for group, weight in zip(compiled.groups, weights, strict=True):
        if deadline.stop_now:
            break
        group_scores, group_hits = _group(searcher, postings, group, deadline, fields)
        scores += group_scores
        counts += group_hits
        covered += weight * group_hits
        found = group_hits if allowed is None else group_hits & allowed
        deadline.scored = deadline.scored or bool(found.any())
    keep = counts > 0
    if allowed is not None:
        keep &= allowed
    if compiled.excluded is not None and keep.any():
        shown = np.flatnonzero(keep)
        excluded = walk(searcher, compiled.excluded, deadline, _shows_one(keep), False, shown)
        keep[excluded.docs] = False
        keep[excluded.reached + 1 :] = False  # not known to be free of what is excluded
    docs = np.flatnonzero(keep)
    coverage = covered[docs] / (sum(weights) or 1.0)
    return Accumulated(docs, scores[docs], counts[docs], len(compiled.groups), coverage)


def _weight(searcher: Searcher, query: wq.Query) -> float:
    """How much a group says: the largest idf of its words (1 for a group without words)."""
    words, _ = _parts(query, 1.0)
    if not words:
        return 1.0
    return max(searcher.idf(term.fieldname, term.text) for term, _ in words)


def _group(
    searcher: Searcher,
    postings: PostingLists,
    query: wq.Query,
    deadline: Deadline,
    fields: Fields | None,
) -> tuple[np.ndarray, np.ndarray]:
    """A group's score for every document, and whether each document matches it."""
    scores = np.zeros(postings.size)
    hits = np.zeros(postings.size, bool)
    words, others = _parts(query, 1.0)
    for other, boost in others:  # phrases (a compound's words side by side) and the like
        if deadline.stop_now:
            break
        docs, matched_scores = _by_matcher(searcher, other, deadline)
        scores[docs] += boost * matched_scores
        hits[docs] = True
    for term, boost in words:
        if deadline.stop_now:
            break
        if (term.fieldname, term.text) not in searcher.reader():
            continue
        if fields is not None and term.fieldname == SEARCH_FIELD:
            docs, word = word_scores(searcher, postings, term.text, fields)
            scores[docs] += boost * word
            hits[docs] = True
            continue
        scorer = searcher.weighting.scorer(searcher, term.fieldname, term.text)
        if not isinstance(scorer, BM25FScorer):
            docs, matched_scores = _by_matcher(searcher, term, deadline)
            scores[docs] += matched_scores
            hits[docs] = True
            continue
        docs, weights = postings.get(term.fieldname, term.text)
        lengths = postings.lengths(term.fieldname)[docs]
        tf = weights.astype(np.float64)
        norm = scorer.K1 * ((1 - scorer.B) + scorer.B * lengths / scorer.avgfl)
        scores[docs] += boost * (scorer.idf * ((tf * (scorer.K1 + 1)) / (tf + norm)))
        hits[docs] = True
    return scores, hits


def _parts(query: wq.Query, boost: float) -> tuple[Words, list[tuple[wq.Query, float]]]:
    """A group's words (``Term`` or ``Or`` of them) with their boosts, scored from their
    postings; and what is not made of words with the boost it is under (a phrase, a compound's
    words side by side), scored through Whoosh's matchers."""
    if isinstance(query, wq.Term):
        return [(query, boost * query.boost)], []
    if query is wq.NullQuery:
        return [], []
    if type(query) is wq.Or and query.scale is None and not query.minmatch:
        words: Words = []
        others: list[tuple[wq.Query, float]] = []
        for sub in query.subqueries:
            sub_words, sub_others = _parts(sub, boost * query.boost)
            words.extend(sub_words)
            others.extend(sub_others)
        return words, others
    return [], [(query, boost)]


def _by_matcher(
    searcher: Searcher, query: wq.Query, deadline: Deadline
) -> tuple[np.ndarray, np.ndarray]:
    """Documents and scores of ``query`` through Whoosh's matchers (phrases and the like),
    as far as the deadline lets them go."""
    found = walk(searcher, query, deadline, lambda docs, reached: deadline.scored, True)
    deadline.scored = deadline.scored or bool(len(found.docs))
    return found.docs, found.scores


def _shows_one(keep: np.ndarray) -> Satisfied:
    """Whether some document of ``keep`` up to ``reached`` is known to be free of the
    exclusions (not among ``docs``): then the page will not be empty."""

    def satisfied(docs: list[int], reached: int) -> bool:
        shown = keep[: reached + 1].copy()
        shown[np.asarray(docs, np.int64)] = False
        return bool(shown.any())

    return satisfied
