"""Write a corpus into a generation, from scratch or from the previous generation.

From scratch, every document is analysed and added, each process (the reindex process and its
workers, if the corpus is worth them) writing a segment of its own (``segmenting``).
Incrementally, the new generation starts as a copy of the previous one (segment files are hard
links: Whoosh never rewrites a segment, it only adds new ones and deletes old ones), and only
the differences are written: documents whose content hash is new are added, changed ones
replaced, vanished ones deleted, and the others left alone without being analysed again. The
vocabulary and the table of content hashes (``documents.tsv.gz``) are updated the same way;
what the web pages answered (``search.fetch.state``) is saved beside it.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from search.analysis.analyzer import raw_terms
from search.corpus import Document
from search.corpus.model import display_title
from search.engines.whoosh.codec.segments import Writer, is_segment_file
from search.engines.whoosh.schema import build_schema
from search.engines.whoosh.writing.analysing import (
    analysed_fields,
    in_order,
    workers_for,
)
from search.engines.whoosh.writing.segments import write_segments
from search.errors import CorpusError
from search.fetch import RemoteCorpus, load_state, save_state
from search.indexing import EMPTY, Changes, ChangeSet, ReindexEvents
from search.vocabulary import VocabularyBuilder

HASHES = "documents.tsv.gz"
WRITER_MEMORY_MB = 256


def document_fields(doc: Document) -> dict[str, Any]:
    """The Whoosh fields of a document but its analysed ones (``analysing.analysed_fields``);
    absent values are left out, as Whoosh requires."""
    fields: dict[str, Any] = {
        "id": doc.id,
        "_stored_title": display_title(doc),  # the title shown (``title`` is pre-analysed)
        "untitled": not doc.title,
        "body": doc.body,
        "path": doc.path,
        "url": doc.url,
        "extra": doc.extra or None,
    }
    if doc.date:
        fields["date"] = doc.date
        fields["year"] = doc.date[:4]
    if doc.type:
        fields["type"] = doc.type
    if doc.source:
        fields["source"] = doc.source
    return fields


def write_corpus(
    generation: Path,
    base: Path | None,
    files: list[Path],
    title_weight: float,
    events: ReindexEvents,
    workers: int | None = None,
    remote: RemoteCorpus | None = None,
) -> Changes:
    """Write ``files`` and the pages of ``remote`` into ``generation``, starting from ``base``
    when one is given. ``workers`` processes analyse the documents (``None``: as many as the
    corpus is worth, see ``analysing.workers_for``)."""
    if base is not None:
        link_generation(base, generation)
        index = whoosh_index.open_dir(str(generation))
        previous, vocabulary = load_hashes(base), VocabularyBuilder.load(base)
    else:
        index = whoosh_index.create_in(str(generation), build_schema())
        previous, vocabulary = {}, VocabularyBuilder()
    changes = Changes()
    pages = remote.read(load_state(base), set(previous)) if remote and remote.urls else ()
    change_set = ChangeSet(files, previous, changes, events, pages)
    if workers is None:
        workers = workers_for(sum(path.stat().st_size for path in files))
    writer = Writer(index, limitmb=WRITER_MEMORY_MB)
    if base is None and workers:  # from scratch: one segment per process, written at once
        with _cancelled_on_error(writer):
            changes.added = write_segments(
                writer, generation, (doc for doc, _ in change_set),
                document_fields, title_weight, workers,
                vocabulary, change_set.all_read,
            )  # fmt: skip
    else:  # one writer; workers, if any, analyse for it
        _write_differences(writer, base, change_set, title_weight, workers, vocabulary)
    save_hashes(generation, change_set.digests())
    save_state(generation, remote.state if remote else {})
    changes.fetched = remote.counts if remote and remote.urls else Counter()
    vocabulary.save(generation)
    return changes


def _write_differences(
    writer: Writer,
    base: Path | None,
    change_set: ChangeSet,
    title_weight: float,
    workers: int,
    vocabulary: VocabularyBuilder,
) -> None:
    """Add new documents, replace changed ones and delete vanished ones with one writer."""
    changes = change_set.changes
    with _old_documents(base) as old, _cancelled_on_error(writer):
        for (doc, before), postings in in_order(
            change_set, lambda item: item[0], title_weight, workers
        ):
            fields = analysed_fields(document_fields(doc), postings)
            _write_one(writer, doc.id, fields, postings.words, before, old, vocabulary, changes)
        if not change_set.hashes:
            raise CorpusError(EMPTY)
        for doc_id in change_set.deleted:
            vocabulary.remove_document(_indexed_words(old, doc_id))
            writer.delete_by_term("id", doc_id)
            changes.deleted += 1
    if changes.added or changes.updated or changes.deleted or base is None:
        change_set.events.writing()
        writer.commit()
    else:
        writer.cancel()


def _write_one(
    writer: IndexWriter,
    doc_id: str,
    fields: dict[str, Any],
    words: list[str],
    before: str | None,
    old: Searcher | None,
    vocabulary: VocabularyBuilder,
    changes: Changes,
) -> None:
    """Add a new document, or replace a changed one (``before``: its previous hash)."""
    if before is None:
        writer.add_document(**fields)
        changes.added += 1
    else:
        vocabulary.remove_document(_indexed_words(old, doc_id))
        writer.update_document(**fields)
        changes.updated += 1
    vocabulary.add_document(words)


def _indexed_words(old: Searcher | None, doc_id: str) -> list[str]:
    """The written words a document of the previous generation added to the vocabulary."""
    stored = old.document(id=doc_id) if old is not None else None
    if not stored:
        return []
    title = "" if stored.get("untitled") else stored.get("title", "")
    return [
        text[start:end]
        for text in (title, stored.get("body", ""))
        for _, _, start, end, _ in raw_terms(text)
    ]


@contextmanager
def _old_documents(base: Path | None) -> Iterator[Searcher | None]:
    if base is None:
        yield None
        return
    searcher = whoosh_index.open_dir(str(base)).searcher()
    try:
        yield searcher
    finally:
        searcher.close()


@contextmanager
def _cancelled_on_error(writer: IndexWriter) -> Iterator[None]:
    try:
        yield
    except BaseException:
        writer.cancel()
        raise


def link_generation(base: Path, generation: Path) -> None:
    """Fill ``generation`` with the files of ``base``: hard links for Whoosh's segment files
    (never modified once written), copies for everything else (tables of contents, lock)."""
    for source in base.iterdir():
        target = generation / source.name
        if is_segment_file(source.name):
            try:
                os.link(source, target)
                continue
            except OSError:
                pass  # another file system, or no hard links: copy instead
        if source.is_file():
            shutil.copy2(source, target)


def load_hashes(folder: Path) -> dict[str, str]:
    try:
        with gzip.open(folder / HASHES, "rt", encoding="utf-8") as lines:
            return dict(json.loads(line) for line in lines)
    except FileNotFoundError:
        return {}


def save_hashes(folder: Path, hashes: dict[str, str]) -> None:
    with gzip.open(folder / HASHES, "wt", encoding="utf-8", compresslevel=3) as out:
        for doc_id, digest in hashes.items():
            out.write(json.dumps([doc_id, digest], ensure_ascii=False) + "\n")
