"""Documents analysed on the machine's other cores: worker processes turn each document's
title and body into the postings Whoosh will write, in order, a bounded number of chunks ahead.

Analysis (tokenizing, folding, stemming, encoding positions and character offsets) is about
half of a reindex; the writer itself (pool, block encoding, segment files) stays in the
reindex process, which also analyses one chunk in ``workers + 1`` itself so that neither side
waits much. The postings come back as plain tuples and are handed to the schema's
``AnalysedText`` fields, which index them as given. The worker processes (``workers``) are
spawned, die with the reindex process, and one that dies fails the reindex with a clear
error. This serves incremental reindexes (one writer replaces and deletes); a build from
scratch gives each worker a writer of its own instead (``segmenting``).
"""

from __future__ import annotations

import functools
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from typing import Any, NamedTuple, TypeVar

from whoosh.fields import Schema
from whoosh.formats import Characters, Format
from whoosh.system import pack_uint

from search.analysis.analyzer import SECTION_SPAN, term_table
from search.corpus import Document
from search.corpus.model import first_words
from search.engines.whoosh.schema import Analysed, PostingItem, build_schema
from search.engines.whoosh.writing.workers import Worker, round_robin, running

T = TypeVar("T")
CHUNK = 32  # documents sent to a worker at once
AHEAD = 4  # chunks in flight per worker (bounds the memory of a reindex)
PARALLEL_FROM_BYTES = 4_000_000  # smaller corpora are analysed in the reindex process

Sections = tuple[tuple[str, float], ...]  # (text, weight) of a field's parts


class AnalysedDocument(NamedTuple):
    """One document analysed: what the writer indexes and what the vocabulary counts."""

    text: list[PostingItem]  # postings of the ``text`` field (title weighted, then body)
    words: list[str]  # the written words indexed, for the vocabulary
    title: list[PostingItem]  # postings of the ``title`` field
    heading: list[PostingItem]  # postings of the ``heading`` field (the title shown)


def searched_sections(title: str, body: str, title_weight: float) -> Sections:
    """The ``text`` field of a document: its title weighing ``title_weight``, then its body.
    Without a title, the first words of the body (the title shown) rank as one."""
    return ((title or first_words(body), title_weight), (body, 1.0))


def analyse(title: str, body: str, title_weight: float) -> AnalysedDocument:
    """The postings of the ``text``, ``title`` and ``heading`` fields of one document, and its
    words."""
    schema, words = _schema(), list[str]()
    sections = searched_sections(title, body, title_weight)
    text_items = field_postings(schema["text"].format, sections, words)
    title_items = field_postings(schema["title"].format, ((title, 1.0),)) if title else []
    return AnalysedDocument(text_items, words, title_items, frequencies(sections[0][0]))


def frequencies(text: str) -> list[PostingItem]:
    """The postings of a frequency-only field (``heading``) whose value is ``text``."""
    counts = Counter(term for term in term_table(text)[0] if term is not None)
    return [(term.encode("utf-8"), n, float(n), pack_uint(n)) for term, n in counts.items()]


def field_postings(
    fmt: Format, sections: Sequence[tuple[str, float]], words: list[str] | None = None
) -> list[PostingItem]:
    """What Whoosh's ``field.index`` gives for a field of format ``fmt`` (``Positions`` or
    ``Characters``) whose value is ``sections`` read through ``FrenchAnalyzer`` (the written
    words go to ``words``), without its token objects and generators: one
    ``(term, frequency, weight, encoded positions)`` per term, in order of first use."""
    chars = isinstance(fmt, Characters)
    places: dict[str, list[Any]] = {}
    weights: dict[str, float] = {}
    for number, (section, weight) in enumerate(sections):
        terms, positions, starts, ends, _ = term_table(section)
        if number:
            positions = [pos + number * SECTION_SPAN for pos in positions]
        if words is not None:
            words += compress(map(section.__getitem__, map(slice, starts, ends)), terms)
        found_at = zip(positions, starts, ends, strict=True) if chars else positions
        for term, place in zip(terms, found_at, strict=True):
            if term is None:
                continue
            if (found := places.get(term)) is None:
                places[term] = [place]
                weights[term] = weight
            else:
                found.append(place)
                weights[term] += weight
    encode, boost = fmt.encode, fmt.field_boost
    return [
        (term.encode("utf-8"), len(found), weights[term] * boost, encode(found))
        for term, found in places.items()
    ]


def analysed_fields(fields: dict[str, object], analysed: AnalysedDocument) -> dict[str, object]:
    """``fields`` (see ``writing.corpus.document_fields``) with ``text``, ``title`` and
    ``heading``."""
    return {
        **fields,
        "text": Analysed(analysed.text),
        "title": Analysed(analysed.title),
        "heading": Analysed(analysed.heading),
    }


def workers_for(total_bytes: int) -> int:
    """How many analysis workers a corpus of ``total_bytes`` is worth on this machine."""
    if total_bytes < PARALLEL_FROM_BYTES:
        return 0
    return max(0, min((os.cpu_count() or 1) - 1, 3))


def in_order(
    items: Iterable[T], document: Callable[[T], Document], title_weight: float, workers: int
) -> Iterator[tuple[T, AnalysedDocument]]:
    """Each of ``items`` with the postings of its document, in the order given; ``workers``
    processes analyse beside this one (none: all here, one document at a time)."""
    if workers < 1:
        for item in items:
            doc = document(item)
            yield item, analyse(doc.title or "", doc.body, title_weight)
        return
    pending: deque[tuple[list[T], list[tuple[str, str]], Worker | None]] = deque()
    with running([Worker() for _ in range(workers)]) as pool:
        chunks = round_robin(items, pool, CHUNK)  # one in workers + 1 is analysed here
        while True:
            while len(pending) < (workers + 1) * AHEAD and (turn := next(chunks, None)):
                chunk, worker = turn
                texts = [(d.title or "", d.body) for d in map(document, chunk)]
                if worker is not None:
                    worker.send(_analyse_chunk, texts, title_weight)
                pending.append((chunk, texts, worker))
            if not pending:
                return
            chunk, texts, worker = pending.popleft()
            analysed = _analyse_chunk(texts, title_weight) if worker is None else worker.receive()
            yield from zip(chunk, analysed, strict=True)


def _analyse_chunk(texts: list[tuple[str, str]], title_weight: float) -> list[AnalysedDocument]:
    return [analyse(title, body, title_weight) for title, body in texts]


@functools.cache
def _schema() -> Schema:
    return build_schema()
