"""The OpenSearch engine: the same search on a cluster, for corpora and query loads past one
machine (``COMMUNIQUES_ENGINE=opensearch``).

- ``client``: the connection (URL, credentials, CA file, bounded timeouts) and the one place
  where a cluster that cannot answer becomes ``IndexUnavailable``;
- ``analysis``: the index settings and mappings, generated from ``search.analysis``;
- ``indexing``: reindex into a new index per generation, then the alias swapped atomically;
- ``compiling``: our parsed query as query DSL; ``searching``: a request to a page (facets and
  timeline by aggregations, snippets by the highlighter); ``documents``: a document, similar
  ones, suggestions.
``OpenSearchEngine`` is the ``search.engine.Engine`` the adapters use.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from opensearchpy import exceptions as os_errors

from search.engines.opensearch import documents, indexing, searching
from search.engines.opensearch.analysis import MAPPING_VERSION
from search.engines.opensearch.client import call, connect, unavailable_as_error
from search.errors import IndexUnavailable
from search.indexing import ReindexEvents, ReindexReport
from search.models import (
    DocumentView,
    Health,
    Page,
    SearchOptions,
    SearchRequest,
    Similar,
    Suggestions,
)
from search.synonyms import Thesaurus

NO_INDEX = "aucun index n’est servi par OpenSearch (alias « {alias} ») : lancez « reindex »"
RECHECK = 2.0  # seconds a served index's synonyms are used before the alias is asked again
RED = "l’index servi par OpenSearch est rouge : des partitions n’ont plus aucune copie"


class OpenSearchEngine:
    """The alias ``opensearch_index`` on the cluster ``opensearch_url``."""

    name = "opensearch"

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.options = SearchOptions.from_settings(settings)
        self.alias = settings["opensearch_index"]
        self.client = connect(settings)
        self._thesaurus: tuple[str, Thesaurus] | None = None
        self._checked = 0.0

    def search(self, request: SearchRequest) -> Page:
        with self._served():
            return searching.search(
                self.client,
                self.alias,
                request,
                self.options,
                self._synonyms(),
            )

    def document(self, doc_id: str) -> DocumentView:
        with self._served():
            return documents.get_document(self.client, self.alias, doc_id)

    def paragraphs(self, doc: DocumentView, q: str) -> list[str]:
        with self._served():
            return documents.marked_paragraphs(
                self.client,
                self.alias,
                doc,
                q,
                self.options,
                self._synonyms(),
            )

    def similar(self, doc_id: str, limit: int = 5) -> list[Similar]:
        with self._served():
            return documents.similar_documents(self.client, self.alias, doc_id, limit)

    def suggest(self, typed: str, limit: int = 5) -> Suggestions:
        with self._served():
            return documents.suggest(self.client, self.alias, typed, limit)

    def health(self) -> Health:
        with self._served():
            served = indexing.served_index(self.client, self.alias)
            if served is None:
                raise IndexUnavailable(NO_INDEX.format(alias=self.alias))
            state = self.client.cluster.health(index=served, timeout="2s", request_timeout=3)
            if state["status"] == "red":
                raise IndexUnavailable(RED)
            mapping = self.client.indices.get_mapping(index=served)[served]["mappings"]
            meta = mapping.get("_meta", {})
            return Health(
                engine=self.name,
                generation=served,
                documents=int(self.client.count(index=served)["count"]),
                built_at=meta.get("built_at"),
                index_format=meta.get("mapping"),
                reindex_needed=meta.get("mapping") != MAPPING_VERSION,
                state=state["status"],
            )

    def reindex(
        self,
        paths: Iterable[str | Path],
        events: ReindexEvents | None = None,
        full: bool = False,
        strict: bool = False,
    ) -> ReindexReport:
        return indexing.reindex(self.client, self.settings, paths, events, full, strict)

    def publish(self, name: str) -> ReindexReport:
        return indexing.publish(self.client, self.alias, name)

    def close(self) -> None:
        call(self.client.close)

    def _served(self) -> Any:
        return _Served(self.alias)

    def _synonyms(self) -> Thesaurus:
        """The synonyms of the served index (its analysis settings), read once per index; which
        index the alias names is asked again after ``RECHECK`` seconds."""
        now = time.monotonic()
        if self._thesaurus is not None and now - self._checked < RECHECK:
            return self._thesaurus[1]
        served = indexing.served_index(self.client, self.alias)
        if served is None:
            raise IndexUnavailable(NO_INDEX.format(alias=self.alias))
        self._checked = now
        if self._thesaurus is None or self._thesaurus[0] != served:
            found = self.client.indices.get_settings(index=served)[served]["settings"]
            lines = found["index"]["analysis"]["filter"].get("fr_synonyms", {}).get("synonyms", [])
            parsed = [[part.strip() for part in line.split(",")] for line in lines]
            self._thesaurus = (served, Thesaurus(parsed))
        return self._thesaurus[1]


class _Served:
    """The cluster's failures as our errors, and an alias that names nothing as 503."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.inner = unavailable_as_error()

    def __enter__(self) -> None:
        self.inner.__enter__()

    def __exit__(self, kind: Any, error: Any, trace: Any) -> bool | None:
        if isinstance(error, os_errors.NotFoundError) and "index_not_found" in str(error):
            raise IndexUnavailable(NO_INDEX.format(alias=self.alias)) from error
        return self.inner.__exit__(kind, error, trace)
