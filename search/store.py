"""Open the served generation and keep it open in this process, reopened after a reindex.

Each call to ``current()`` costs one ``stat`` of the ``CURRENT`` pointer: when a reindex has
published a new generation (the pointer file was replaced), the new one is opened and the old
searcher closed, so every server worker follows reindexes without a restart. What belongs to a
generation (its vocabulary, its synonyms) is loaded from its folder on first use.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.scoring import WeightingModel
from whoosh.searching import Searcher

from . import synonyms
from .columns import Column
from .config import SETTINGS
from .errors import IndexUnavailable
from .generations import POINTER, read_manifest, served_generation
from .postings import PostingLists
from .schema import SCHEMA_VERSION
from .scoring import Bm25
from .vocabulary import Vocabulary

LOG = logging.getLogger(__name__)
COLUMNS = ("year", "type", "source", "date")
CACHED_DOCUMENTS = 2_000  # stored fields kept: the reranked candidates, then the page's hits


@dataclass(frozen=True)
class IndexInfo:
    """What the served index is: for the home page and the health endpoint."""

    generation: str
    documents: int
    built_at: str | None
    index_format: int | None  # the schema version it was built with

    @property
    def reindex_needed(self) -> bool:
        """Built by another version of the index format: queries are analysed by this
        version's rules, so some words may not match until ``reindex`` rebuilds it."""
        return self.index_format != SCHEMA_VERSION


class ServedIndex:
    """One open generation: its searcher, and what else queries need from its folder."""

    def __init__(self, folder: Path, searcher: Searcher) -> None:
        self.folder = folder
        self.searcher = searcher
        manifest = read_manifest(folder)
        self.title_weight: float | None = manifest.get("title_weight")  # of heading words in text
        self.info = IndexInfo(
            folder.name, searcher.doc_count(), manifest.get("built_at"), manifest.get("schema")
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
        return synonyms.load(self.folder / synonyms.FILE)

    def close(self) -> None:
        self.searcher.close()


def _default_weighting() -> Bm25:
    defaults = {setting.name: setting.default for setting in SETTINGS}
    return Bm25(B=defaults["bm25_b"], K1=defaults["bm25_k1"])


class IndexStore:
    """The served index of ``index_dir`` for this process."""

    def __init__(self, index_dir: str | Path, weighting: WeightingModel | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.weighting = weighting or _default_weighting()
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._served: ServedIndex | None = None

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> IndexStore:
        return cls(settings["index_dir"], Bm25(B=settings["bm25_b"], K1=settings["bm25_k1"]))

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

    def info(self) -> IndexInfo:
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
        try:
            searcher = whoosh_index.open_dir(str(generation)).searcher(weighting=self.weighting)
        except Exception as error:  # Whoosh raises many kinds here; all mean "cannot open"
            raise IndexUnavailable(
                f"impossible d’ouvrir l’index servi ({type(error).__name__}) : relancez reindex"
            ) from error
        if self._served is not None:
            self._served.close()
        self._served, self._stamp = ServedIndex(generation, searcher), stamp
