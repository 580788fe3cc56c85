"""Build a new index generation from a corpus and publish it (the ``reindex`` stage).

Promises: the served index is never touched until the new generation is complete and synced
(see ``generations``); only one reindex runs at a time (see ``locking``); every document that
is not indexed is reported as a ``Problem`` with its place; a duplicate id keeps the first
document read and reports the later one.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from . import __version__, synonyms
from .analysis import WeightedText
from .corpus import Document, Problem, corpus_files, read_corpus
from .corpus.model import display_title
from .errors import CorpusError
from .generations import new_generation, prune, publish, write_manifest
from .locking import WriterLock
from .schema import TITLE_WEIGHT, build_schema
from .vocabulary import VocabularyBuilder

WRITER_MEMORY_MB = 256


@dataclass
class ReindexReport:
    """What a reindex did, as plain data (the CLI prints it, tests read it)."""

    indexed: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    generation: str = ""

    def summary(self) -> str:
        return (
            f"{self.indexed} documents indexés, {self.skipped} ignorés, "
            f"{self.seconds:.1f} s (génération {self.generation})"
        )


def reindex(
    paths: Iterable[str | Path],
    index_dir: str | Path,
    on_bytes: Callable[[int], object] = lambda n: None,
    on_problem: Callable[[Problem], None] = lambda p: None,
    title_weight: float = TITLE_WEIGHT,
    synonyms_file: str | Path = synonyms.FILE,
) -> ReindexReport:
    """Index every document under ``paths`` into a new generation of ``index_dir``.

    The generation also gets the corpus vocabulary and a copy of ``synonyms_file``.
    """
    started = time.perf_counter()
    files = corpus_files(paths)
    if not files:
        raise CorpusError("aucun fichier de corpus trouvé (.jsonl, .jsonl.gz, .md, .txt)")
    index_dir = Path(index_dir)
    with WriterLock(index_dir):
        prune(index_dir)
        generation = new_generation(index_dir)
        try:
            report = _build(generation, files, on_bytes, on_problem, title_weight)
            synonyms.copy_into(Path(synonyms_file), generation)
            write_manifest(generation, {**_manifest(report, files), "title_weight": title_weight})
            publish(index_dir, generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        prune(index_dir)
    report.seconds = time.perf_counter() - started
    return report


def _build(
    generation: Path,
    files: list[Path],
    on_bytes: Callable[[int], object],
    on_problem: Callable[[Problem], None],
    title_weight: float,
) -> ReindexReport:
    report = ReindexReport(generation=generation.name)
    seen: dict[str, str] = {}
    vocabulary = VocabularyBuilder()
    writer = whoosh_index.create_in(generation, build_schema()).writer(limitmb=WRITER_MEMORY_MB)
    try:
        for item in read_corpus(files, on_bytes):
            if isinstance(item, Document) and item.id in seen:
                item = Problem(item.path, f"id en double « {item.id} » (gardé : {seen[item.id]})")
            if isinstance(item, Problem):
                report.skipped += 1
                report.problems.append(item)
                on_problem(item)
                continue
            seen[item.id] = item.path
            fields = document_fields(item, title_weight)
            writer.add_document(**fields)
            vocabulary.add_document(fields["text"].words)
            report.indexed += 1
        if not report.indexed:
            raise CorpusError("aucun document lisible dans le corpus ; l’index servi est conservé")
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    vocabulary.save(generation)
    return report


def document_fields(doc: Document, title_weight: float = TITLE_WEIGHT) -> dict[str, Any]:
    """The Whoosh fields of a document (absent values are left out, as Whoosh requires)."""
    fields: dict[str, Any] = {
        "id": doc.id,
        "text": WeightedText(((doc.title or "", title_weight), (doc.body, 1.0))),
        "title": doc.title or "",
        "_stored_title": display_title(doc),
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


def _manifest(report: ReindexReport, files: list[Path]) -> dict[str, Any]:
    return {
        "documents": report.indexed,
        "skipped": report.skipped,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "version": __version__,
        "sources": [str(path) for path in files],
    }
