"""The web part of a corpus: addresses of feeds, sitemaps, pages or PDFs, read into documents,
problems and pages kept as they were (``Kept``), for the change set of a reindex.

Promises:
- a source address is fetched, then read by what it is: a feed or a sitemap lists pages,
  each fetched in turn (at most ``max_pages`` per source, each address once per run); a page
  or a PDF is itself the document;
- a page read at the last run (``state``, and its document still indexed: ``known``) is asked
  for with its validators; ``304 Not Modified`` keeps its document without reading it again;
- a page that answers ``404`` or ``410`` is gone: its document is deleted, like a vanished
  file; any other failure is a ``Problem`` (``URL: reason``, counted by kind) and keeps the
  page's previous document, if any;
- a page read before that its source no longer lists (a feed shows its latest entries only),
  or whose source failed, is kept without a request;
- the id of a page's document is its address's last words and a short hash of the address;
- ``state`` afterwards holds what to remember for the next run, ``counts`` what was done.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from typing import Any

from search.corpus.html import document_from_html
from search.corpus.model import Document, Kept, Problem
from search.corpus.pdf import document_from_pdf
from search.fetch.client import Fetcher, FetchError, FetchOptions, Response
from search.fetch.listing import feed_links, kind_of, sitemap_links, unpacked
from search.fetch.state import FetchState

GONE = (404, 410)
COUNTS = ("requests", "downloaded", "not_modified", "gone", "kept_unlisted")
URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)

Item = Document | Problem | Kept


def is_url(path: object) -> bool:
    """Whether a corpus path given on the command line is a web address."""
    return bool(URL.match(str(path)))


def document_id(url: str) -> str:
    """A readable id, stable for an address: ``exercice-orion-3f2a9c1b``."""
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    words = re.sub(r"\.(html?|php|aspx?|pdf)$", "", path.rsplit("/", 1)[-1], flags=re.I)
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:60] or "page"
    return f"{slug}-{hashlib.blake2b(url.encode('utf-8'), digest_size=4).hexdigest()}"


class RemoteCorpus:
    """The pages under ``urls``, read with ``options`` against the last run's ``state``."""

    def __init__(self, urls: list[str], options: FetchOptions) -> None:
        self.urls, self.options = urls, options
        self.fetcher = Fetcher(options)
        self.state: FetchState = {}
        self.counts: Counter[str] = Counter(dict.fromkeys(COUNTS, 0))
        self.pending: list[Problem] = []  # sitemaps of an index that failed

    def read(self, previous: FetchState, known: set[str]) -> Iterator[Item]:
        """Every document, problem and kept page of the sources, in order."""
        self.previous, self.known = previous, known
        seen: set[str] = set()
        for source in self.urls:
            yield from self._source(source, seen)
        self.counts["requests"] = self.fetcher.requests

    def _source(self, source: str, seen: set[str]) -> Iterator[Item]:
        seen.add(source)
        try:
            response = self._get(source)
        except FetchError as error:
            yield from self._failed(source, source, error)
            yield from self._unlisted(source, seen)
            return
        try:
            body = unpacked(response.body, self.options.max_bytes)
        except FetchError as error:
            yield Problem(source, error.reason, error.kind)
            yield from self._unlisted(source, seen)
            return
        kind = "page" if response.status == 304 else kind_of(response.content_type, body)
        if kind in ("feed", "sitemap"):
            pages = self._listed(kind, body, seen)
            yield from self.pending
            self.pending.clear()
            for url in pages[: self.options.max_pages]:
                seen.add(url)
                yield from self._page(url, source)
            yield from self._unlisted(source, seen)
        else:
            yield self._document(source, source, response)

    def _listed(self, kind: str, body: bytes, seen: set[str]) -> list[str]:
        if kind == "feed":
            links = feed_links(body)
        else:
            links = sitemap_links(body, lambda url: self._sitemap(url, seen))
        return list(dict.fromkeys(url for url in links if url not in seen))

    def _sitemap(self, url: str, seen: set[str]) -> bytes | None:
        if url in seen:
            return None
        seen.add(url)
        try:
            return unpacked(self.fetcher.get(url).body, self.options.max_bytes)
        except FetchError as error:
            self.pending.append(Problem(url, error.reason, error.kind))
            return None

    def _page(self, url: str, source: str) -> Iterator[Item]:
        try:
            response = self._get(url)
        except FetchError as error:
            yield from self._failed(url, source, error)
            return
        yield self._document(url, source, response)

    def _get(self, url: str) -> Response:
        """A GET, conditional when the page's document is still indexed."""
        before = self.previous.get(url, {})
        if before.get("id") not in self.known:
            before = {}
        return self.fetcher.get(url, before.get("etag"), before.get("last_modified"))

    def _document(self, url: str, source: str, response: Response) -> Item:
        """The document of a fetched page, or its problem; ``Kept`` for a 304."""
        doc_id = document_id(url)
        if response.status == 304 and url not in self.previous:
            return Problem(url, "réponse 304 à une requête non conditionnelle", "http_304")
        if response.status == 304:
            self.counts["not_modified"] += 1
            self.state[url] = self.previous[url]
            return Kept(self.previous[url]["id"], url)
        self.counts["downloaded"] += 1
        kind = kind_of(response.content_type, response.body)
        item: Document | Problem
        if kind == "pdf":
            item = document_from_pdf(response.body, doc_id, url, response.url)
        elif kind == "html":
            item = document_from_html(response.body, doc_id, url, response.url)
        else:
            what = response.content_type or "inconnu"
            item = Problem(url, f"ni une page HTML ni un PDF (type {what})", "not_html")
        if isinstance(item, Document):
            self.state[url] = _remembered(doc_id, source, response)
        return item

    def _failed(self, url: str, source: str, error: FetchError) -> Iterator[Item]:
        before = self.previous.get(url)
        if before and before.get("id") in self.known and error.status in GONE:
            self.counts["gone"] += 1
            return  # not read: its document is deleted, as a vanished file's is
        yield Problem(url, error.reason, error.kind)
        if before and before.get("id") in self.known:
            self.state[url] = before
            yield Kept(before["id"], url)

    def _unlisted(self, source: str, seen: set[str]) -> Iterator[Item]:
        """Pages of ``source`` read before and not listed now: kept without a request."""
        for url, before in self.previous.items():
            if before.get("source") == source and url not in seen and before["id"] in self.known:
                seen.add(url)
                self.state[url] = before
                self.counts["kept_unlisted"] += 1
                yield Kept(before["id"], url)


def _remembered(doc_id: str, source: str, response: Response) -> dict[str, Any]:
    return {
        "id": doc_id,
        "source": source,
        "etag": response.etag,
        "last_modified": response.last_modified,
    }
