"""The engine interface: everything the web site, the command line and the benchmarks ask of a
search engine, in plain data from ``search.models`` and ``search.indexing``.

An engine is chosen by the ``engine`` setting and opened by ``search.engines.open_engine``;
``whoosh`` (an index folder on this machine) is the default, ``opensearch`` (a cluster) the
other.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from search.indexing import ReindexEvents, ReindexReport
from search.models import DocumentView, Health, Page, SearchRequest, Similar, Suggestions


class Engine(Protocol):
    """One served index, searched and written through the same settings."""

    name: str

    def search(self, request: SearchRequest) -> Page:
        """The asked page of hits (``BadRequest`` for a request it cannot answer); without
        words, every document the filters allow, by date."""
        ...

    def document(self, doc_id: str) -> DocumentView:
        """One document as shown (``NotFound`` when there is none by that id)."""
        ...

    def paragraphs(self, doc: DocumentView, q: str) -> list[str]:
        """The document's body as HTML paragraphs, with what ``q`` finds marked."""
        ...

    def similar(self, doc_id: str, limit: int = 5) -> list[Similar]:
        """The documents most like ``doc_id`` (more-like-this), itself left out."""
        ...

    def suggest(self, typed: str, limit: int = 5) -> Suggestions:
        """Completions of the last word typed, and titles that match."""
        ...

    def health(self) -> Health:
        """What is served (``IndexUnavailable`` when nothing is)."""
        ...

    def reindex(
        self,
        paths: Iterable[str | Path],
        events: ReindexEvents | None = None,
        full: bool = False,
        strict: bool = False,
    ) -> ReindexReport:
        """Index the corpus under ``paths`` and serve it once whole (``full``: rebuild from
        nothing; ``strict``: any problem in the corpus fails the run before the switch)."""
        ...

    def publish(self, name: str) -> ReindexReport:
        """Serve a generation copied from another host."""
        ...

    def close(self) -> None: ...
