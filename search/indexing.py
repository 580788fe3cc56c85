"""What a reindex is, whatever the engine: which documents of a corpus changed since the last
run, what a person sees while it runs, and what it did.

- ``ChangeSet`` reads the corpus once and yields the documents to write (new or changed, by
  content hash), counting the unchanged ones and reporting each unreadable line or file, and
  a duplicate id (the first one read is kept), as a ``Problem``;
- ``ReindexEvents`` is what the command line's progress display receives;
- ``ReindexOptions`` holds the settings of a run, ``ReindexReport`` what it did (plain data).
An engine's writer takes the change set and writes full or incremental.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Protocol

from search.config import defaults
from search.corpus import Document, Problem, read_corpus
from search.corpus.model import Kept
from search.errors import CorpusError
from search.fetch import FetchOptions
from search.wording import count


class ReindexEvents(Protocol):
    """What happens during a reindex, as it happens (``cli.progress.Progress`` shows it)."""

    def read(self, count: int) -> None:
        """``count`` more bytes of the corpus were read."""

    def document(self) -> None:
        """One more document was read whole."""

    def problem(self, problem: Problem) -> None:
        """A line or file could not be used."""

    def writing(self) -> None:
        """Reading is over; the index files are being written (the last step)."""


class NoEvents:
    """Events nobody watches."""

    def read(self, count: int) -> None:
        pass

    def document(self) -> None:
        pass

    def problem(self, problem: Problem) -> None:
        pass

    def writing(self) -> None:
        pass


@dataclass(frozen=True)
class ReindexOptions:
    """The settings of one reindex (defaults from the settings table)."""

    title_weight: float = defaults()["title_weight"]
    synonyms_file: str | Path = defaults()["synonyms"]
    full: bool = False  # rebuild from nothing instead of writing the differences
    strict: bool = False  # any problem in the corpus fails the run before the switch
    workers: int | None = None  # processes analysing beside reindex (None: as the corpus is worth)
    fetch: FetchOptions = field(default_factory=FetchOptions)  # how web addresses are read

    @classmethod
    def from_settings(cls, settings: dict[str, Any], full: bool, strict: bool) -> ReindexOptions:
        workers = settings["index_workers"]
        return cls(
            title_weight=settings["title_weight"],
            synonyms_file=settings["synonyms"],
            full=full,
            strict=strict,
            workers=None if workers < 0 else workers,
            fetch=FetchOptions.from_settings(settings),
        )


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
    fetched: dict[str, int] = field(default_factory=dict)  # web: requests, not_modified, …

    def summary(self) -> str:
        details = (
            f" ({count(self.added, 'ajouté')}, {count(self.updated, 'modifié')}, "
            f"{count(self.deleted, 'supprimé')}, {count(self.unchanged, 'inchangé')})"
            if self.mode == "incremental"
            else ""
        )
        mode = MODES.get(self.mode, self.mode)
        return (
            f"{count(self.indexed, 'document indexé')}{details}, {count(self.skipped, 'ignoré')}, "
            f"{self.seconds:.1f} s (génération {self.generation}, {mode})" + self._web()
        )

    def _web(self) -> str:
        if not self.fetched:
            return ""
        got = self.fetched.get
        return (
            f" ; web : {count(got('requests', 0), 'requête')}, "
            f"{count(got('downloaded', 0), 'page lue', 'pages lues')}, "
            f"{count(got('not_modified', 0), 'inchangée')} (304), "
            f"{count(got('gone', 0), 'disparue')}"
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
            "fetched": self.fetched,
        }


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
    fetched: Counter[str] = field(default_factory=Counter)  # what reading the web did

    @property
    def documents(self) -> int:
        return self.added + self.updated + self.unchanged


def content_hash(doc: Document) -> str:
    """A fingerprint of everything indexed about a document (its line number left out)."""
    content = [doc.id, doc.title, doc.body, doc.date, doc.url, doc.type, doc.source, doc.path]
    canonical = json.dumps([*content, doc.extra], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()


class ChangeSet:
    """The documents of ``files`` and ``remote`` (read from the web, ``search.fetch``) that
    differ from ``previous`` (id → content hash), read once.

    Iterating yields each new or changed document with its previous hash (``None``: new);
    afterwards ``hashes`` holds every document read and ``deleted`` the ids that vanished. A
    ``Kept`` item (a page unchanged since the last run) counts as an unchanged document."""

    def __init__(
        self,
        files: list[Path],
        previous: dict[str, str],
        changes: Changes,
        events: ReindexEvents,
        remote: Iterable[Document | Problem | Kept] = (),
    ) -> None:
        self.files, self.previous, self.changes, self.events = files, previous, changes, events
        self.remote = remote
        self.hashes: dict[str, tuple[str, str]] = {}  # id → (content hash, where it was read)

    def __iter__(self) -> Iterator[tuple[Document, str | None]]:
        for item in chain(read_corpus(self.files, self.events.read), self.remote):
            if isinstance(item, Kept):
                self._kept(item)
                continue
            if isinstance(item, Document) and item.id in self.hashes:
                seen = self.hashes[item.id][1]
                item = Problem(
                    item.where, f"id en double « {item.id} » (gardé : {seen})", "duplicate_id"
                )
            if isinstance(item, Problem):
                self.changes.problems.append(item)
                self.changes.by_kind[item.kind] += 1
                self.events.problem(item)
                continue
            self.events.document()
            digest = content_hash(item)
            self.hashes[item.id] = (digest, item.where)
            if self.previous.get(item.id) == digest:
                self.changes.unchanged += 1
            else:
                yield item, self.previous.get(item.id)

    def _kept(self, item: Kept) -> None:
        if item.id in self.previous and item.id not in self.hashes:
            self.hashes[item.id] = (self.previous[item.id], item.where)
            self.changes.unchanged += 1
            self.events.document()

    def all_read(self) -> None:
        """Reading is over: refuse an empty corpus, else say the files are being written."""
        if not self.hashes:
            raise CorpusError(EMPTY)
        self.events.writing()

    @property
    def deleted(self) -> set[str]:
        return self.previous.keys() - self.hashes.keys()

    def digests(self) -> dict[str, str]:
        return {doc_id: digest for doc_id, (digest, _) in self.hashes.items()}


def add_problems(report: ReindexReport, problems: list[Problem], events: ReindexEvents) -> None:
    """Count and report problems found outside the documents (entries of the folders)."""
    for problem in problems:
        events.problem(problem)
        report.problems.append(problem)
        report.skipped += 1
        report.skipped_by_reason[problem.kind] = report.skipped_by_reason.get(problem.kind, 0) + 1


def report_of(
    changes: Changes, generation: str, incremental: bool, index_bytes: int
) -> ReindexReport:
    """What a run that wrote ``changes`` into ``generation`` did (every engine's report)."""
    return ReindexReport(
        generation=generation,
        mode="incremental" if incremental else "full",
        indexed=changes.documents,
        added=changes.added,
        updated=changes.updated,
        unchanged=changes.unchanged,
        deleted=changes.deleted,
        skipped=len(changes.problems),
        skipped_by_reason=dict(changes.by_kind),
        problems=changes.problems,
        index_bytes=index_bytes,
        fetched=dict(changes.fetched),
    )
