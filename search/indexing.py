"""Build a new index generation from a corpus and publish it (the ``reindex`` stage).

Promises:
- the served index is never touched until the new generation is complete and synced (see
  ``generations``); a failure of any kind (a crash, ``kill -9``, a full disk, a read-only
  folder) leaves the served index whole, and the next run starts cleanly;
- only one reindex runs at a time (see ``locking``);
- incremental by default: the previous generation is the starting point and only new, changed
  and vanished documents are written (see ``writing``); ``full=True`` rebuilds from nothing,
  and so does a change of index format or of the title weight;
- every document not indexed is reported as a ``Problem`` with its place and counted by kind;
  with ``strict=True`` any problem fails the run before the served index changes; a
  duplicate id keeps the first document read and reports the later one.
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
from .corpus import Problem, corpus_files, not_files
from .errors import CorpusError, IndexWriteError
from .generations import (
    GENERATIONS,
    checksums,
    damaged_files,
    new_generation,
    prune,
    publish,
    read_manifest,
    served_generation,
    write_manifest,
)
from .locking import WriterLock
from .schema import SCHEMA_VERSION, TITLE_WEIGHT
from .writing import Changes, write_corpus

MODES = {"full": "complète", "incremental": "incrémentale", "copied": "copiée"}


@dataclass
class ReindexReport:
    """What a reindex did, as plain data (the CLI prints it, tests read it)."""

    generation: str = ""
    mode: str = "full"  # or "incremental"
    indexed: int = 0  # documents in the new generation
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a person should know (in French)
    seconds: float = 0.0
    index_bytes: int = 0

    def summary(self) -> str:
        details = (
            f" ({self.added} ajoutés, {self.updated} modifiés, {self.deleted} supprimés, "
            f"{self.unchanged} inchangés)"
            if self.mode == "incremental"
            else ""
        )
        mode = MODES.get(self.mode, self.mode)
        return (
            f"{self.indexed} documents indexés{details}, {self.skipped} ignorés, "
            f"{self.seconds:.1f} s (génération {self.generation}, {mode})"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "generation": self.generation,
            "mode": self.mode,
            "indexed": self.indexed,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "skipped": self.skipped,
            "skipped_by_reason": self.skipped_by_reason,
            "seconds": round(self.seconds, 3),
            "index_bytes": self.index_bytes,
        }


# on_bytes, on_document, on_problem, on_writing (see ``reindex``)
Callbacks = tuple[
    Callable[[int], object], Callable[[], object], Callable[[Problem], object], Callable[[], object]
]


def reindex(
    paths: Iterable[str | Path],
    index_dir: str | Path,
    on_bytes: Callable[[int], object] = lambda n: None,
    on_problem: Callable[[Problem], object] = lambda p: None,
    title_weight: float = TITLE_WEIGHT,
    synonyms_file: str | Path = synonyms.FILE,
    full: bool = False,
    strict: bool = False,
    on_document: Callable[[], object] = lambda: None,
    workers: int | None = None,
    on_writing: Callable[[], object] = lambda: None,
) -> ReindexReport:
    """Index every document under ``paths`` into a new generation of ``index_dir`` and
    publish it. The generation also gets the corpus vocabulary and a copy of ``synonyms_file``.
    ``workers`` processes analyse documents beside this one (``None``: as the corpus size and
    the cores warrant, see ``analysing``).
    """
    started = time.perf_counter()
    files = corpus_files(paths)
    if not files:
        raise CorpusError("aucun fichier de corpus trouvé (.jsonl, .jsonl.gz, .md, .txt, .html)")
    odd = not_files(paths)
    if strict and odd:
        raise CorpusError(f"{odd[0]} (et {len(odd) - 1} autre(s)) et --strict demandé")
    index_dir = Path(index_dir)
    try:
        with WriterLock(index_dir):
            prune(index_dir)
            notes: list[str] = []
            served = served_generation(index_dir)
            base = None if full else _reusable(served, title_weight, notes)
            report = _new_generation(
                index_dir, base, files, title_weight, synonyms_file, strict,
                (on_bytes, on_document, on_problem, on_writing), workers,
            )  # fmt: skip
            report.notes = notes
            _add_problems(report, odd, on_problem)
            prune(index_dir)
    except OSError as error:
        raise IndexWriteError(
            f"écriture impossible dans « {index_dir} » ({error.strerror or error}) : disque plein "
            "ou dossier en lecture seule ? L’index servi est conservé"
        ) from error
    report.seconds = time.perf_counter() - started
    return report


def publish_copied(index_dir: str | Path, name: str) -> ReindexReport:
    """Serve ``generations/<name>``, a generation copied from another host (rsync, object
    store): checked (it must open and carry its manifest), synced, then published like a new
    one. ``CorpusError`` when it is missing or incomplete."""
    index_dir = Path(index_dir)
    generation = index_dir / GENERATIONS / name
    manifest = read_manifest(generation)
    if "/" in name or not generation.is_dir() or not manifest:
        raise CorpusError(f"génération introuvable ou incomplète : {generation}")
    try:
        with WriterLock(index_dir):
            documents = whoosh_index.open_dir(str(generation)).doc_count()
            publish(index_dir, generation)
            prune(index_dir)
    except OSError as error:
        raise IndexWriteError(f"publication impossible ({error.strerror or error})") from error
    except Exception as error:  # Whoosh raises many kinds for a damaged index
        raise CorpusError(
            f"génération illisible ({type(error).__name__}) : {generation}"
        ) from error
    return ReindexReport(generation=name, mode="copied", indexed=documents)


def _new_generation(
    index_dir: Path,
    base: Path | None,
    files: list[Path],
    title_weight: float,
    synonyms_file: str | Path,
    strict: bool,
    callbacks: Callbacks,
    workers: int | None,
) -> ReindexReport:
    generation = new_generation(index_dir)
    try:
        changes = write_corpus(generation, base, files, title_weight, *callbacks, workers=workers)
        if strict and changes.problems:
            raise CorpusError(
                f"{len(changes.problems)} problème(s) dans le corpus et --strict demandé : "
                "l’index servi est conservé"
            )
        synonyms.copy_into(Path(synonyms_file), generation)
        report = _report(generation, base, changes)
        manifest = _manifest(report, files, title_weight)
        write_manifest(generation, {**manifest, "files": checksums(generation)})
        publish(index_dir, generation)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    return report


def _add_problems(
    report: ReindexReport, problems: list[Problem], on_problem: Callable[[Problem], object]
) -> None:
    """Count and report problems found outside the documents (entries of the folders)."""
    for problem in problems:
        on_problem(problem)
        report.problems.append(problem)
        report.skipped += 1
        report.skipped_by_reason[problem.kind] = report.skipped_by_reason.get(problem.kind, 0) + 1


def _reusable(served: Path | None, title_weight: float, notes: list[str]) -> Path | None:
    """The served generation, if a new one can start from it: same format and weights, and
    every file as it was written (a damaged one is reported and rebuilt from scratch)."""
    if served is None or not served.is_dir():
        return None
    manifest = read_manifest(served)
    same = manifest.get("schema") == SCHEMA_VERSION and manifest.get("title_weight") == title_weight
    if not same:
        return None
    damaged = damaged_files(served, manifest.get("files", {}))
    if damaged:
        notes.append(
            f"génération servie endommagée ({', '.join(damaged)}) : reconstruction complète"
        )
        return None
    return served


def _report(generation: Path, base: Path | None, changes: Changes) -> ReindexReport:
    return ReindexReport(
        generation=generation.name,
        mode="incremental" if base is not None else "full",
        indexed=changes.documents,
        added=changes.added,
        updated=changes.updated,
        unchanged=changes.unchanged,
        deleted=changes.deleted,
        skipped=len(changes.problems),
        skipped_by_reason=dict(changes.by_kind),
        problems=changes.problems,
        index_bytes=sum(p.stat().st_size for p in generation.iterdir() if p.is_file()),
    )


def _manifest(report: ReindexReport, files: list[Path], title_weight: float) -> dict[str, Any]:
    return {
        "documents": report.indexed,
        "skipped": report.skipped,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "version": __version__,
        "schema": SCHEMA_VERSION,
        "title_weight": title_weight,
        "mode": report.mode,
        "sources": [str(path) for path in files],
    }
