"""The Whoosh engine: an index folder on this machine, searched in this process.

- ``codec``: the only code that touches Whoosh's private internals (version-guarded);
- ``schema``, ``generations``, ``locking``: the index fields, the folder of generations with its
  atomic ``CURRENT`` pointer, one writer at a time;
- ``writing``: documents analysed (on every core), pooled and written as segments; ``indexing``
  builds a generation, full or incremental, and publishes it;
- ``reading``: the served generation (``store``), query compilation, filters, the ranking
  stages, snippets, facets, timeline, suggestions, documents and similar ones.
``WhooshEngine`` is the ``search.engine.Engine`` the adapters use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from search.engines.whoosh.indexing import publish_copied, reindex
from search.engines.whoosh.reading.browsing import browse
from search.engines.whoosh.reading.documents import (
    get_document,
    marked_paragraphs,
    similar_documents,
)
from search.engines.whoosh.reading.querying import highlighting, search
from search.engines.whoosh.reading.store import IndexStore
from search.engines.whoosh.reading.suggest import suggest
from search.indexing import ReindexEvents, ReindexOptions, ReindexReport
from search.models import (
    DocumentView,
    Health,
    Page,
    SearchOptions,
    SearchRequest,
    Similar,
    Suggestions,
)


class WhooshEngine:
    """The index folder ``index_dir`` of the settings, searched with the settings' options."""

    name = "whoosh"

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.options = SearchOptions.from_settings(settings)
        self.store = IndexStore.from_settings(settings)

    def search(self, request: SearchRequest) -> Page:
        if not request.q.strip():  # no words: every document the filters allow, newest first
            return browse(self.store.current(), request, self.options)
        return search(self.store.current(), request, self.options)

    def document(self, doc_id: str) -> DocumentView:
        return get_document(self.store.current(), doc_id)

    def paragraphs(self, doc: DocumentView, q: str) -> list[str]:
        served = self.store.current()
        terms, phrases = highlighting(served, q, self.options) if q.strip() else (frozenset(), ())
        return marked_paragraphs(doc, terms, phrases)

    def similar(self, doc_id: str, limit: int = 5) -> list[Similar]:
        return similar_documents(self.store.current(), doc_id, limit)

    def suggest(self, typed: str, limit: int = 5) -> Suggestions:
        return suggest(self.store.current(), typed, limit)

    def health(self) -> Health:
        problem = self.store.check()  # digests checked again every verify_every seconds
        status = "damaged" if self.store.served_damaged else "degraded" if problem else "ok"
        return replace(self.store.info(), status=status, problem=problem)

    def reindex(
        self,
        paths: Iterable[str | Path],
        events: ReindexEvents | None = None,
        full: bool = False,
        strict: bool = False,
    ) -> ReindexReport:
        options = ReindexOptions.from_settings(self.settings, full, strict)
        return reindex(paths, self.settings["index_dir"], options, events)

    def publish(self, name: str) -> ReindexReport:
        return publish_copied(self.settings["index_dir"], name)

    def close(self) -> None:
        self.store.close()
