"""Read one HTML page of a press release as one document, with a real HTML parser.

BeautifulSoup parses the page (any encoding it declares). The text is taken from ``<article>``
(else ``<main>``, else ``<body>``) without the page's furniture: navigation, header, footer,
asides, menus, scripts, styles, forms. Paragraphs, list items and headings become paragraphs
of the body. Metadata comes from the usual places:

- title: ``og:title``, else the first ``<h1>``, else ``<title>``;
- date: ``article:published_time``, ``DC.date``, ``date`` metas, else the first ``<time
  datetime>`` of the article;
- url: ``<link rel="canonical">``, else ``og:url``;
- type and source: ``<meta name="type">`` and ``og:site_name`` (or ``<meta name="source">``).

The id is the file name without its extension.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

from search.corpus.model import BadRecord, Document, Problem, document_from_record, too_large

FURNITURE = ["nav", "header", "footer", "aside", "script", "style", "noscript", "form",
             "button", "template", "svg", "iframe"]  # fmt: skip
FURNITURE_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search")
BLOCKS = ["p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "td", "pre"]


def read_html(path: Path) -> Document | Problem:
    """Return the document of the page at ``path``, or the problem that prevents reading it."""
    if refused := too_large(path.stat().st_size):
        return Problem(str(path), str(refused), refused.kind)
    raw = path.read_bytes()
    if not raw.strip():
        return Problem(str(path), "fichier vide", "empty_file")
    soup = BeautifulSoup(raw, "html.parser")
    record = {"id": path.stem, **_metadata(soup), "body": _body(soup)}
    try:
        return document_from_record(record, str(path))
    except BadRecord as error:
        return Problem(str(path), str(error), error.kind)


def _metadata(soup: BeautifulSoup) -> dict[str, Any]:
    h1 = soup.find("h1")
    title_tag = soup.find("title")
    time_tag = soup.find("time", attrs={"datetime": True})
    canonical = soup.find("link", rel="canonical")
    date = _meta(soup, "article:published_time", "DC.date", "dc.date", "date") or (
        str(time_tag["datetime"]) if isinstance(time_tag, Tag) else None
    )
    return {
        "title": _meta(soup, "og:title")
        or (h1.get_text(" ", strip=True) if h1 else None)
        or (title_tag.get_text(" ", strip=True) if title_tag else None),
        "date": date[:10] if date and len(date) >= 10 and date[4] == "-" else date,
        "url": _href(canonical) or _meta(soup, "og:url"),
        "type": _meta(soup, "type"),
        "source": _meta(soup, "og:site_name", "source"),
    }


def _href(tag: Any) -> str | None:
    return str(tag["href"]) if isinstance(tag, Tag) and tag.get("href") else None


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and str(tag.get("content") or "").strip():
            return str(tag["content"]).strip()
    return None


def _body(soup: BeautifulSoup) -> str:
    container = soup.find("article") or soup.find("main") or soup.find(role="main")
    container = container or soup.body or soup
    for tag in container.find_all(FURNITURE):
        tag.decompose()
    for tag in container.find_all(role=list(FURNITURE_ROLES)):
        tag.decompose()
    for tag in container.find_all("h1"):
        tag.decompose()
    blocks = [block for block in container.find_all(BLOCKS) if not block.find(BLOCKS)]
    texts = [" ".join(block.get_text().split()) for block in blocks]
    paragraphs = [text for text in texts if text]
    if not paragraphs:
        paragraphs = [
            line.strip() for line in container.get_text("\n").splitlines() if line.strip()
        ]
    return "\n\n".join(paragraphs)
