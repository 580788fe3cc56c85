"""A full build written as several Whoosh segments at once, one per process.

Whoosh's writer is pure Python from end to end: after the analysis, adding the postings to its
pool, sorting them and writing the segment's blocks took as long again, in the one process
that held the writer (the pool is now ours, ``pooling``). For a build from scratch, each
analysis worker (see ``analysing``) therefore gets a writer of its own: it analyses its share
of the documents, adds them to its own segment and writes that segment's files while the
reindex process does the same with its share; the reindex process then commits every segment
together, in one table of contents. The index has one segment per process (a search reads one
posting list per segment and term).

Workers open the generation without taking Whoosh's write lock (the reindex process holds it,
as Whoosh's ``MpWriter`` does for its sub-writers), are started with ``spawn`` and die with the
reindex process. The segment-writer steps this needs (those ``MpWriter`` uses) are in
``codec.segments``.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search.corpus import Document
from search.engines.whoosh.codec.segments import Writer, commit_segments, finish_segment
from search.engines.whoosh.writing.analysing import AHEAD, CHUNK, analyse, analysed_fields
from search.engines.whoosh.writing.workers import Worker, round_robin, running
from search.vocabulary import VocabularyBuilder

# Of every MAIN_PARTS + WORKER_PARTS × workers chunks, the reindex process writes MAIN_PARTS,
# each worker WORKER_PARTS. The reindex process also reads the corpus and saves the vocabulary
# (about 9 s of a 34k build, profiled), but its writer no longer costs more than a worker's:
# full 34k builds with one worker, 3/5 here 76.9 s, 1/2 70.1 and 72.6 s. (With Whoosh's pool,
# on 10k articles: 3/5 30.5 s, 1/2 36-40 s, 2/5 38 s, 1/3 42 s.)
MAIN_PARTS, WORKER_PARTS = 1, 1


def write_segments(
    writer: SegmentWriter,
    generation: Path,
    documents: Iterable[Document],
    fields_of: Callable[[Document], dict[str, Any]],
    title_weight: float,
    workers: int,
    vocabulary: VocabularyBuilder,
    on_writing: Callable[[], object],
) -> int:
    """Add ``documents`` (new ones: nothing is replaced) to ``writer``'s segment and to one
    segment per worker, then commit them all. ``fields_of`` gives a document's fields (a
    module-level function or a ``partial`` of one: workers receive it pickled). Returns the
    number of documents written."""
    limitmb = writer.pool.limit / (1024 * 1024) / (workers + 1)  # the memory shared out
    start = (str(generation), limitmb, fields_of, title_weight)
    with running([Worker(_start_writer, start) for _ in range(workers)]) as pool:
        written = _dispatch(writer, documents, fields_of, title_weight, pool, vocabulary)
        on_writing()
        for worker in pool:
            worker.send(_finish_writer)
        segments = [finished] if (finished := finish_segment(writer)) else []
        for worker in pool:
            segment, words = worker.receive()
            vocabulary.merge(words)
            if segment is not None:
                segments.append(segment)
    commit_segments(writer, segments)
    return written


def _dispatch(
    writer: SegmentWriter,
    documents: Iterable[Document],
    fields_of: Callable[[Document], dict[str, Any]],
    title_weight: float,
    pool: list[Worker],
    vocabulary: VocabularyBuilder,
) -> int:
    """Send chunks of documents round the workers, writing the reindex process's share here;
    at most ``AHEAD`` chunks wait per worker (the memory of a reindex stays bounded)."""
    pending: deque[Worker] = deque()
    written = 0
    for chunk, worker in round_robin(documents, pool, CHUNK, MAIN_PARTS, WORKER_PARTS):
        written += len(chunk)
        if worker is None:
            for doc in chunk:
                _add(writer, vocabulary, doc, fields_of, title_weight)
            continue
        worker.send(_add_chunk, chunk)
        pending.append(worker)
        while len(pending) > AHEAD * len(pool):
            pending.popleft().receive()
    for worker in pending:
        worker.receive()
    return written


def _add(
    writer: SegmentWriter,
    vocabulary: VocabularyBuilder,
    doc: Document,
    fields_of: Callable[[Document], dict[str, Any]],
    title_weight: float,
) -> None:
    postings = analyse(doc.title or "", doc.body, title_weight)
    writer.add_document(**analysed_fields(fields_of(doc), postings))
    vocabulary.add_document(postings.words)


# In a worker process: its own segment writer, what it needs, and its documents' words.
_worker: dict[str, Any] = {}


def _start_writer(
    generation: str,
    limitmb: float,
    fields_of: Callable[[Document], dict[str, Any]],
    title_weight: float,
) -> None:
    _worker.update(
        writer=Writer(whoosh_index.open_dir(generation), _lk=False, limitmb=limitmb),
        fields_of=fields_of,
        title_weight=title_weight,
        vocabulary=VocabularyBuilder(),
    )


def _add_chunk(docs: list[Document]) -> None:
    for doc in docs:
        _add(_worker["writer"], _worker["vocabulary"], doc, _worker["fields_of"],
             _worker["title_weight"])  # fmt: skip


def _finish_writer() -> tuple[Any, Counter[str]]:
    """Write this worker's segment: its description, and the words its documents hold.
    (Not ``commit_segments``: it would remove the temporary folder all the writers share, which the
    reindex process's writer removes when it is done.)"""
    writer: SegmentWriter = _worker["writer"]
    segment = finish_segment(writer)
    return segment, _worker["vocabulary"].counts()
