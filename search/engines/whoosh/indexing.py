"""The Whoosh engine's reindex: a new index generation built from a corpus, then published.

Promises:
- the served index is never touched until the new generation is complete and synced (see
  ``generations``); a failure of any kind (a crash, ``kill -9``, a full disk, a read-only
  folder) leaves the served index whole, and the next run starts cleanly;
- only one reindex runs at a time (see ``locking``);
- incremental by default: the previous generation is the starting point and only new, changed
  and vanished documents are written (see ``writing``); ``full=True`` rebuilds from nothing,
  and so does a change of index format or of the title weight;
- web addresses among the paths (feeds, sitemaps, pages, PDFs) are read by
  ``search.fetch.RemoteCorpus`` in the same run; what it remembers for conditional requests
  is kept in the generation beside the content hashes;
- every document not indexed is reported as a ``Problem`` with its place and counted by kind;
  with ``strict=True`` any problem fails the run before the served index changes; a
  duplicate id keeps the first document read and reports the later one.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search import __version__, synonyms
from search.corpus import corpus_files, not_files
from search.engines.whoosh.generations import (
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
from search.engines.whoosh.locking import WriterLock
from search.engines.whoosh.schema import SCHEMA_VERSION
from search.engines.whoosh.writing.corpus import write_corpus
from search.errors import CorpusError, IndexWriteError
from search.fetch import RemoteCorpus, is_url
from search.indexing import (
    Changes,
    NoEvents,
    ReindexEvents,
    ReindexOptions,
    ReindexReport,
    add_problems,
    report_of,
)


def reindex(
    paths: Iterable[str | Path],
    index_dir: str | Path,
    options: ReindexOptions | None = None,
    events: ReindexEvents | None = None,
) -> ReindexReport:
    """Index every document under ``paths`` into a new generation of ``index_dir`` and
    publish it. The generation also gets the corpus vocabulary and a copy of the synonyms file.
    """
    options, events = options or ReindexOptions(), events or NoEvents()
    started = time.perf_counter()
    paths = list(paths)
    files = corpus_files([path for path in paths if not is_url(path)])
    remote = RemoteCorpus([str(path) for path in paths if is_url(path)], options.fetch)
    if not files and not remote.urls:
        raise CorpusError(
            "aucun fichier de corpus trouvé (.jsonl, .jsonl.gz, .md, .txt, .html, .pdf)"
        )
    odd = not_files([path for path in paths if not is_url(path)])
    if options.strict and odd:
        raise CorpusError(f"{odd[0]} (et {len(odd) - 1} autre(s)) et --strict demandé")
    index_dir = Path(index_dir)
    try:
        with WriterLock(index_dir):
            prune(index_dir)
            notes: list[str] = []
            served = served_generation(index_dir)
            base = None if options.full else _reusable(served, options.title_weight, notes)
            report = _new_generation(index_dir, base, files, remote, options, events)
            report.notes = notes
            add_problems(report, odd, events)
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
    remote: RemoteCorpus,
    options: ReindexOptions,
    events: ReindexEvents,
) -> ReindexReport:
    generation = new_generation(index_dir)
    try:
        changes = write_corpus(
            generation, base, files, options.title_weight, events, options.workers, remote
        )
        if options.strict and changes.problems:
            raise CorpusError(
                f"{len(changes.problems)} problème(s) dans le corpus et --strict demandé : "
                "l’index servi est conservé"
            )
        synonyms.copy_into(Path(options.synonyms_file), generation)
        report = _report(generation, base, changes)
        manifest = _manifest(report, [*map(str, files), *remote.urls], options.title_weight)
        write_manifest(generation, {**manifest, "files": checksums(generation)})
        publish(index_dir, generation)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    return report


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
    size = sum(p.stat().st_size for p in generation.iterdir() if p.is_file())
    return report_of(changes, generation.name, base is not None, size)


def _manifest(report: ReindexReport, sources: list[str], title_weight: float) -> dict[str, Any]:
    return {
        "documents": report.indexed,
        "skipped": report.skipped,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "version": __version__,
        "schema": SCHEMA_VERSION,
        "title_weight": title_weight,
        "mode": report.mode,
        "sources": sources,
    }
