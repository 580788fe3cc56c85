"""A word's BM25 over two fields, the heading (the title shown) and the body, each with its own
idf, length normalisation and average length, the heading's score weighing ``heading_weight``:
the sum Whoosh's ``BM25F`` gives for a word searched in two fields. A short title that says
the query's words is then not diluted by the length of its body, nor a long body favoured for
repeating them.

The index does not keep the body as a field of its own: ``text`` holds the heading (each word
weighing the index's ``title_weight``) and the body, and ``heading`` the heading's frequencies.
A document's body frequency is its ``text`` weight minus ``title_weight`` times its heading
frequency, its body length its ``text`` length minus its heading length, and a word's body
document frequency that of ``text`` minus the documents that have it only in their heading.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.searching import Searcher

from search.engines.whoosh.codec.postings import PostingLists
from search.engines.whoosh.reading.ranking.bm25 import rsj_idf
from search.engines.whoosh.schema import HEADING_FIELD, SEARCH_FIELD


@dataclass(frozen=True)
class Fields:
    """How a word of ``text`` is scored as two fields."""

    title_weight: float  # what the index gave a heading word in ``text``
    heading_weight: float  # the heading's BM25 against the body's
    heading_b: float
    body_b: float
    k1: float


def word_scores(
    searcher: Searcher, postings: PostingLists, text: str, fields: Fields
) -> tuple[np.ndarray, np.ndarray]:
    """The documents containing ``text`` (ascending) and the word's score in each."""
    docs, weights = postings.get(SEARCH_FIELD, text)
    scores = np.zeros(len(docs))
    if not len(docs):
        return docs, scores
    in_heading = _heading_frequencies(postings, text, docs)
    in_body = np.maximum(weights - fields.title_weight * in_heading, 0.0)
    # a document without a heading has no length recorded in that field (NaN): 0
    heading_lengths = np.nan_to_num(postings.lengths(HEADING_FIELD)[docs], nan=0.0)
    body_lengths = np.maximum(postings.lengths(SEARCH_FIELD)[docs] - heading_lengths, 1.0)
    total_heading = searcher.field_length(HEADING_FIELD)
    count = searcher.doc_count() or 1
    if (heading := in_heading > 0).any():
        df = searcher.doc_frequency(HEADING_FIELD, text)
        average = total_heading / count or 1.0
        scores[heading] += fields.heading_weight * _bm25(
            rsj_idf(searcher.doc_count_all(), df),
            (in_heading[heading], heading_lengths[heading], average),
            fields.heading_b,
            fields.k1,
        )
    if (body := in_body > 1e-6).any():  # the body's df: text's less the heading-only documents
        df = max(searcher.doc_frequency(SEARCH_FIELD, text) - int((~body).sum()), 1)
        average = (searcher.field_length(SEARCH_FIELD) - total_heading) / count or 1.0
        scores[body] += _bm25(
            rsj_idf(searcher.doc_count_all(), df),
            (in_body[body], body_lengths[body], average),
            fields.body_b,
            fields.k1,
        )
    return docs, scores


def _heading_frequencies(postings: PostingLists, text: str, docs: np.ndarray) -> np.ndarray:
    """The heading frequency of ``text`` in each of ``docs`` (0 where it is not there)."""
    found = np.zeros(len(docs))
    heading_docs, heading_weights = postings.get(HEADING_FIELD, text)
    if len(heading_docs):
        at = np.minimum(np.searchsorted(docs, heading_docs), len(docs) - 1)
        same = docs[at] == heading_docs
        found[at[same]] = heading_weights[same]
    return found


def _bm25(
    idf: float, found: tuple[np.ndarray, np.ndarray, float], b: float, k1: float
) -> np.ndarray:
    """BM25 of frequencies ``tf`` in fields of ``length`` words (``average`` on average)."""
    tf, length, average = found
    norm = k1 * ((1 - b) + b * length / average)
    return idf * ((tf * (k1 + 1)) / (tf + norm))
