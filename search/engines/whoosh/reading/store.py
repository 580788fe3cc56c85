"""Open the served generation and keep it open in this process, reopened after a reindex.

Each call to ``current()`` costs one ``stat`` of the ``CURRENT`` pointer: when a reindex has
published a new generation (the pointer file was replaced), the new one is opened and the old
searcher closed, so every server worker follows reindexes without a restart. What belongs to a
generation (its vocabulary, its synonyms, its columns) is read when it is opened, before it is
served, once its files are found as its manifest recorded them.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from functools import cached_property
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.scoring import WeightingModel
from whoosh.searching import Searcher

from search import synonyms
from search.config import defaults
from search.engines.whoosh.codec.postings import PostingLists
from search.engines.whoosh.generations import (
    GENERATIONS,
    POINTER,
    damaged_files,
    read_manifest,
    served_generation,
)
from search.engines.whoosh.reading.columns import Column
from search.engines.whoosh.reading.ranking.bm25 import bm25
from search.engines.whoosh.schema import SCHEMA_VERSION, SEARCH_FIELD
from search.errors import IndexUnavailable
from search.models import Health
from search.vocabulary import Vocabulary

LOG = logging.getLogger(__name__)
COLUMNS = ("year", "type", "source", "date")
CACHED_DOCUMENTS = 2_000  # stored fields kept: the reranked candidates, then the page's hits


class ServedIndex:
    """One open generation: its searcher, and what else queries need from its folder."""

    def __init__(self, folder: Path, searcher: Searcher) -> None:
        self.folder = folder
        self.searcher = searcher
        manifest = read_manifest(folder)
        self.title_weight: float = manifest.get("title_weight", defaults()["title_weight"])
        self.info = Health(
            engine="whoosh",
            generation=folder.name,
            documents=searcher.doc_count(),
            built_at=manifest.get("built_at"),
            index_format=manifest.get("schema"),
            reindex_needed=manifest.get("schema") != SCHEMA_VERSION,
        )
        if self.info.reindex_needed:
            LOG.warning(
                "index %s built with format %s, this version uses %s: run reindex",
                folder.name, self.info.index_format, SCHEMA_VERSION,
            )  # fmt: skip
        self._stored: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._stored_lock = threading.Lock()

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of ``docnum`` (read only). The last ``CACHED_DOCUMENTS`` read
        are kept: reranking reads the best candidates' texts, the page's snippets read the
        same texts again, and the next page those of the same candidates."""
        with self._stored_lock:
            if (fields := self._stored.get(docnum)) is not None:
                self._stored.move_to_end(docnum)
                return fields
        fields = self.searcher.stored_fields(docnum)
        with self._stored_lock:
            self._stored[docnum] = fields
            while len(self._stored) > CACHED_DOCUMENTS:
                self._stored.popitem(last=False)
        return fields

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary.load(self.folder)

    @cached_property
    def columns(self) -> dict[str, Column]:
        """Year, type, source, date and month of every document, read once: facets, the
        timeline and date sorting look values up here instead of in the index columns."""
        reader = self.searcher.reader()
        empty = [""] * reader.doc_count_all()
        values = {
            name: list(reader.column_reader(name)) if reader.has_column(name) else empty
            for name in COLUMNS
        }
        values["month"] = [date[:7] for date in values["date"]]
        return {name: Column(column) for name, column in values.items()}

    @cached_property
    def postings(self) -> PostingLists:
        """Decoded posting lists and field lengths, kept while this generation is served."""
        return PostingLists(self.searcher)

    @cached_property
    def thesaurus(self) -> synonyms.Thesaurus:
        return synonyms.load(self.folder / synonyms.SYNONYMS_FILE)

    def warm(self) -> None:
        """Read what every search needs (columns, lengths, vocabulary, synonyms) before the
        generation is served, so the first requests after a switch do not pay for it."""
        _ = self.columns, self.postings.lengths(SEARCH_FIELD), self.vocabulary, self.thesaurus

    def close(self) -> None:
        self.searcher.close()


class IndexStore:
    """The served index of ``index_dir`` for this process.

    A generation is opened only when every file matches the digest its manifest recorded: a
    damaged one is refused, the one served before is kept (or, in a new process, the newest
    sound previous one), and ``problem`` says so. ``check`` looks again at the served one's
    digests, at most every ``verify_every`` seconds.
    """

    def __init__(
        self,
        index_dir: str | Path,
        weighting: WeightingModel | None = None,
        verify_every: float = 60.0,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.weighting = weighting or bm25(defaults())
        self.verify_every = verify_every
        self.problem: str | None = None  # what was refused or found damaged, in French
        self.served_damaged = False  # the served generation itself was found damaged
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._served: ServedIndex | None = None
        self._verified = 0.0

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> IndexStore:
        return cls(settings["index_dir"], bm25(settings), settings["verify_every"])

    def check(self) -> str | None:
        """``problem``, after hashing the served generation again if it was last checked more
        than ``verify_every`` seconds ago (a served generation found damaged stays served:
        there is nothing sound to switch to until a reindex)."""
        served = self.current()
        with self._lock:
            if time.monotonic() - self._verified >= self.verify_every:
                if damaged := _damaged(served.folder):
                    self.problem = _damage_message(served.folder, damaged, "servie")
                    self.served_damaged = True
                self._verified = time.monotonic()
            return self.problem

    def current(self) -> ServedIndex:
        """The currently served generation (``IndexUnavailable`` if there is none)."""
        with self._lock:
            stamp = self._pointer_stamp()
            if stamp != self._stamp or self._served is None:
                self._reopen(stamp)
            assert self._served is not None
            return self._served

    def searcher(self) -> Searcher:
        return self.current().searcher

    def info(self) -> Health:
        return self.current().info

    def close(self) -> None:
        with self._lock:
            if self._served is not None:
                self._served.close()
            self._served, self._stamp = None, None

    def _pointer_stamp(self) -> tuple[int, int]:
        try:
            status = os.stat(self.index_dir / POINTER)
        except FileNotFoundError:
            raise IndexUnavailable(
                f"aucun index dans « {self.index_dir} » : lancez d’abord la commande reindex"
            ) from None
        except OSError as error:
            raise IndexUnavailable(f"index illisible ({error.strerror})") from None
        return (status.st_ino, status.st_mtime_ns)

    def _reopen(self, stamp: tuple[int, int]) -> None:
        generation = served_generation(self.index_dir)
        if generation is None:
            raise IndexUnavailable("le pointeur CURRENT de l’index est vide : relancez reindex")
        problem = None
        if damaged := _damaged(generation):
            problem = self.problem = _damage_message(generation, damaged, "publiée")
            LOG.error("%s", problem)
            if self._served is not None:
                self._stamp = stamp  # keep serving the previous one; not hashed again
                return
            generation = self._sound_previous(generation)
            problem = self.problem
        opened = self._open(generation)
        opened.warm()
        if self._served is not None:
            self._served.close()
        self._served, self._stamp, self.problem = opened, stamp, problem
        self._verified, self.served_damaged = time.monotonic(), False

    def _open(self, generation: Path) -> ServedIndex:
        try:
            searcher = whoosh_index.open_dir(str(generation)).searcher(weighting=self.weighting)
        except Exception as error:  # Whoosh raises many kinds here; all mean "cannot open"
            raise IndexUnavailable(
                f"impossible d’ouvrir l’index servi ({type(error).__name__}) : relancez reindex"
            ) from error
        return ServedIndex(generation, searcher)

    def _sound_previous(self, damaged: Path) -> Path:
        """The newest other complete generation whose files are as recorded."""
        root = self.index_dir / GENERATIONS
        for other in sorted(root.iterdir(), reverse=True):
            if other != damaged and read_manifest(other) and not _damaged(other):
                LOG.warning("serving the previous generation %s instead", other.name)
                self.problem = f"{self.problem} ; la génération précédente {other.name} est servie"
                return other
        raise IndexUnavailable(f"{self.problem} et aucune génération saine : relancez reindex")


def _damaged(generation: Path) -> list[str]:
    """Files of ``generation`` that differ from its manifest's digests (none recorded, or no
    such folder: [], opening it then says what is wrong)."""
    if not generation.is_dir():
        return []
    return damaged_files(generation, read_manifest(generation).get("files") or {})


def _damage_message(generation: Path, damaged: list[str], which: str) -> str:
    return (
        f"génération {which} {generation.name} endommagée ({', '.join(damaged)}) : relancez reindex"
    )
