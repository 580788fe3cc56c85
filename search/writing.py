"""Write a corpus into a generation, from scratch or from the previous generation.

From scratch, every document is analysed and added, each process (the reindex process and its
workers, if the corpus is worth them) writing a segment of its own (``segmenting``).
Incrementally, the new generation starts as a copy of the previous one (segment files are hard
links: Whoosh never rewrites a segment, it only adds new ones and deletes old ones), and only
the differences are written: documents whose content hash is new are added, changed ones
replaced, vanished ones deleted, and the others left alone without being analysed again. The
vocabulary and the table of content hashes (``documents.tsv.gz``) are updated the same way.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from .analysing import analysed_fields, in_order, searched_text, workers_for
from .analysis.analyzer import raw_terms
from .corpus import Document, Problem, read_corpus
from .corpus.model import display_title, first_words
from .errors import CorpusError
from .schema import build_schema
from .segmenting import Writer, write_segments
from .vocabulary import VocabularyBuilder

HASHES = "documents.tsv.gz"
WRITER_MEMORY_MB = 256
EMPTY = "aucun document lisible dans le corpus ; l’index servi est conservé"


@dataclass
class Changes:
    """What writing the corpus changed, and what it could not read."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    problems: list[Problem] = field(default_factory=list)
    by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def documents(self) -> int:
        return self.added + self.updated + self.unchanged


def document_fields(doc: Document, title_weight: float) -> dict[str, Any]:
    """The Whoosh fields of a document (absent values are left out, as Whoosh requires)."""
    fields: dict[str, Any] = {
        "id": doc.id,
        "text": searched_text(doc.title or "", doc.body, title_weight),
        "title": doc.title or "",
        "heading": doc.title or first_words(doc.body),
        "_stored_title": display_title(doc),
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


def content_hash(doc: Document) -> str:
    """A fingerprint of everything indexed about a document (its line number left out)."""
    content = [doc.id, doc.title, doc.body, doc.date, doc.url, doc.type, doc.source, doc.path]
    canonical = json.dumps([*content, doc.extra], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()


def write_corpus(
    generation: Path,
    base: Path | None,
    files: list[Path],
    title_weight: float,
    on_bytes: Callable[[int], object],
    on_document: Callable[[], object],
    on_problem: Callable[[Problem], object],
    on_writing: Callable[[], object] = lambda: None,
    workers: int | None = None,
) -> Changes:
    """Write ``files`` into ``generation``, starting from ``base`` when one is given.
    ``workers`` processes analyse the documents (``None``: as many as the corpus is worth,
    see ``analysing.workers_for``)."""
    if base is not None:
        link_generation(base, generation)
        index = whoosh_index.open_dir(str(generation))
        previous, vocabulary = load_hashes(base), VocabularyBuilder.load(base)
    else:
        index = whoosh_index.create_in(str(generation), build_schema())
        previous, vocabulary = {}, VocabularyBuilder()
    changes, hashes = Changes(), dict[str, tuple[str, str]]()
    if workers is None:
        workers = workers_for(sum(path.stat().st_size for path in files))

    def to_write() -> Iterator[tuple[Document, str | None]]:
        """The new and changed documents (with their previous hash); the rest is counted."""
        for item in read_corpus(files, on_bytes):
            if isinstance(item, Document) and item.id in hashes:
                seen = hashes[item.id][1]
                item = Problem(
                    item.where, f"id en double « {item.id} » (gardé : {seen})", "duplicate_id"
                )
            if isinstance(item, Problem):
                changes.problems.append(item)
                changes.by_kind[item.kind] += 1
                on_problem(item)
                continue
            on_document()
            digest = content_hash(item)
            hashes[item.id] = (digest, item.where)
            if previous.get(item.id) == digest:
                changes.unchanged += 1
            else:
                yield item, previous.get(item.id)

    def all_read() -> None:
        """Reading is over: refuse an empty corpus, else say the files are being written."""
        if not hashes:
            raise CorpusError(EMPTY)
        on_writing()

    writer = Writer(index, limitmb=WRITER_MEMORY_MB)
    if base is None and workers:  # from scratch: one segment per process, written at once
        with _cancelled_on_error(writer):
            changes.added = write_segments(
                writer, generation, (doc for doc, _ in to_write()),
                partial(document_fields, title_weight=title_weight), title_weight, workers,
                vocabulary, all_read,
            )  # fmt: skip
    else:  # one writer; workers, if any, analyse for it
        with _old_documents(base) as old, _cancelled_on_error(writer):
            for (doc, before), postings in in_order(
                to_write(), lambda item: item[0], title_weight, workers
            ):
                fields = analysed_fields(document_fields(doc, title_weight), postings)
                _write_one(writer, doc.id, fields, postings[1], before, old, vocabulary, changes)
            if not hashes:
                raise CorpusError(EMPTY)
            for doc_id in previous.keys() - hashes.keys():
                vocabulary.remove_document(_indexed_words(old, doc_id))
                writer.delete_by_term("id", doc_id)
                changes.deleted += 1
        if changes.added or changes.updated or changes.deleted or base is None:
            on_writing()
            writer.commit()
        else:
            writer.cancel()
    save_hashes(generation, {doc_id: digest for doc_id, (digest, _) in hashes.items()})
    vocabulary.save(generation)
    return changes


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
        if _is_segment_file(source.name):
            try:
                os.link(source, target)
                continue
            except OSError:
                pass  # another file system, or no hard links: copy instead
        if source.is_file():
            shutil.copy2(source, target)


def _is_segment_file(name: str) -> bool:
    return name.startswith("MAIN_") and name != "MAIN_WRITELOCK" and not name.endswith(".toc")


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
