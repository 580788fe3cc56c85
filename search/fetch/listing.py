"""What a fetched address is (a feed, a sitemap, a sitemap index, a page or a PDF) and the
page addresses a feed or a sitemap lists.

Feeds (RSS 0.9x to 2.0, RDF, Atom) are read by feedparser: each entry's link. Sitemaps are
read as XML (gzipped or not): each ``<url><loc>``; a sitemap index lists sitemaps, read in
turn (up to ``MAX_DEPTH`` levels, each at most once).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable

from search.fetch.client import FetchError

FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]")
SITEMAP_ROOT = re.compile(rb"<(urlset|sitemapindex)[\s>]")
MAX_DEPTH = 3


def unpacked(body: bytes, limit: int) -> bytes:
    """``body``, gunzipped when it is gzip (``sitemap.xml.gz``), at most ``limit`` bytes."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit)
    except zlib.error as error:
        raise FetchError("damaged_file", "fichier compressé endommagé") from error
    if not inflater.eof:
        raise FetchError("too_large", f"trop gros une fois décompressé (plus de {limit} octets)")
    return data


def kind_of(content_type: str, body: bytes) -> str:
    """``pdf``, ``feed``, ``sitemap``, ``html`` or ``other``."""
    head = body[:2048].lstrip()
    if content_type == "application/pdf" or head.startswith(b"%PDF"):
        return "pdf"
    if SITEMAP_ROOT.search(head):
        return "sitemap"
    if FEED_ROOT.search(head) or content_type in ("application/rss+xml", "application/atom+xml"):
        return "feed"
    if content_type in ("text/html", "application/xhtml+xml") or b"<html" in head.lower():
        return "html"
    return "other"


def feed_links(body: bytes) -> list[str]:
    """The link of every entry of a feed, in its order."""
    import feedparser  # imported when a feed is read

    parsed = feedparser.parse(body)
    return [str(entry.link) for entry in parsed.entries if entry.get("link")]


def sitemap_links(body: bytes, get: Callable[[str], bytes | None], depth: int = 0) -> list[str]:
    """Every page a sitemap lists; ``get`` fetches a sitemap an index lists (``None``: failed,
    already reported)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return []
    locations = [
        (element.text or "").strip() for element in root.iter() if _local(element.tag) == "loc"
    ]
    if _local(root.tag) != "sitemapindex":
        return [url for url in locations if url]
    if depth >= MAX_DEPTH:
        return []
    pages: list[str] = []
    for url in locations:
        child = get(url) if url else None
        if child is not None:
            pages.extend(sitemap_links(child, get, depth + 1))
    return pages


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
