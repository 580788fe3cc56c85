"""Documents analysed on the machine's other cores: worker processes turn each document's
title and body into the postings Whoosh will write, in order, a bounded number of chunks ahead.

Analysis (tokenizing, folding, stemming, encoding positions and character offsets) is about
half of a reindex; the writer itself (Whoosh's pool, sort and segment files) stays in the
reindex process, which also analyses one chunk in ``workers + 1`` itself so that neither side
waits much. The postings come back as plain tuples and are handed to the schema's
``AnalysedText`` fields, which index them as given. Workers are started with ``spawn`` (they
inherit no file descriptor, so never the writer's lock) and die with the reindex process
(``PR_SET_PDEATHSIG`` on Linux), so a ``kill -9`` of a reindex leaves no worker behind.
This serves incremental reindexes (one writer replaces and deletes); a build from scratch
gives each worker a writer of its own instead (``segmenting``).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

from whoosh.fields import Schema

from .analysis import WeightedText
from .corpus import Document
from .corpus.model import first_words
from .errors import IndexWriteError
from .schema import Analysed, PostingItem, build_schema

T = TypeVar("T")
CHUNK = 32  # documents sent to a worker at once
AHEAD = 4  # chunks in flight per worker (bounds the memory of a reindex)
PARALLEL_FROM_BYTES = 4_000_000  # smaller corpora are analysed in the reindex process
PR_SET_PDEATHSIG = 1

Postings = tuple[list[PostingItem], list[str], list[PostingItem]]  # text, its words, title


def searched_text(title: str, body: str, title_weight: float) -> WeightedText:
    """The ``text`` field of a document: its title weighing ``title_weight``, then its body.
    Without a title, the first words of the body (the title shown) rank as one."""
    return WeightedText(((title or first_words(body), title_weight), (body, 1.0)))


def analyse(title: str, body: str, title_weight: float) -> Postings:
    """The postings of the ``text`` and ``title`` fields of one document, and its words."""
    schema = _schema()
    text = searched_text(title, body, title_weight)
    text_items = list(schema["text"].index(text))
    title_items = list(schema["title"].index(title)) if title else []
    return text_items, text.words, title_items


def analysed_fields(fields: dict[str, object], postings: Postings) -> dict[str, object]:
    """``fields`` (see ``writing.document_fields``) with ``text`` and ``title`` pre-analysed."""
    text_items, _, title_items = postings
    return {
        **fields,
        "text": Analysed.of(str(fields["text"]), text_items),
        "title": Analysed.of(str(fields["title"]), title_items),
    }


def workers_for(total_bytes: int) -> int:
    """How many analysis workers a corpus of ``total_bytes`` is worth on this machine."""
    if total_bytes < PARALLEL_FROM_BYTES:
        return 0
    return max(0, min((os.cpu_count() or 1) - 1, 3))


def in_order(
    items: Iterable[T], document: Callable[[T], Document], title_weight: float, workers: int
) -> Iterator[tuple[T, Postings]]:
    """Each of ``items`` with the postings of its document, in the order given; ``workers``
    processes analyse beside this one (none: all here, one document at a time)."""
    if workers < 1:
        for item in items:
            doc = document(item)
            yield item, analyse(doc.title or "", doc.body, title_weight)
        return
    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[list[T], list[tuple[str, str]], Future[list[Postings]] | None]] = deque()
    source = iter(items)
    sent = 0
    with worker_failures(), _executor(workers, context) as executor:
        while True:
            while len(pending) < (workers + 1) * AHEAD and (chunk := list(islice(source, CHUNK))):
                texts = [(d.title or "", d.body) for d in map(document, chunk)]
                sent += 1
                future = None  # every (workers + 1)th chunk is analysed here, when its turn comes
                if sent % (workers + 1):
                    future = executor.submit(_analyse_chunk, texts, title_weight)
                pending.append((chunk, texts, future))
            if not pending:
                return
            chunk, texts, future = pending.popleft()
            if future is None:
                yield from zip(chunk, _analyse_chunk(texts, title_weight), strict=True)
                continue
            yield from zip(chunk, future.result(), strict=True)


@contextlib.contextmanager
def worker_failures() -> Iterator[None]:
    """A worker that died (killed, out of memory) becomes a clear ``IndexWriteError``, whether
    its death shows when a result is awaited or when more work is sent."""
    try:
        yield
    except BrokenProcessPool as error:
        raise IndexWriteError(
            "un processus auxiliaire de reindex s’est arrêté brutalement (mémoire "
            "insuffisante ?) : l’index servi est conservé ; relancez avec "
            "COMMUNIQUES_INDEX_WORKERS=0"
        ) from error


@contextlib.contextmanager
def _executor(
    workers: int, context: multiprocessing.context.SpawnContext
) -> Iterator[ProcessPoolExecutor]:
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=die_with_parent)
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _analyse_chunk(texts: list[tuple[str, str]], title_weight: float) -> list[Postings]:
    return [analyse(title, body, title_weight) for title, body in texts]


def die_with_parent() -> None:
    """Ask Linux to kill this worker when the reindex process dies (even by ``kill -9``)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


@functools.cache
def _schema() -> Schema:
    return build_schema()
