"""Read one HTML page of a press release as one document, with trafilatura.

trafilatura (the reference of published extraction benchmarks) finds the main text of the page
and leaves out its furniture: navigation, cookie banners, share buttons, related links,
footers, forms. Paragraphs, list items, headings, quotes and table rows (cells joined by `` | ``)
become paragraphs of the body; a heading repeating the title and a leading publication line
(``Publié le …``, ``Mis à jour le …``) are left out. Metadata:

- title: ``og:title``, else the page's main heading, else ``<title>`` (trafilatura);
- date: the page's metadata, else a date htmldate finds in the page (trafilatura asks it),
  else the first ``<time datetime>``;
- url: ``<link rel="canonical">``, else ``og:url``, else the address it was fetched from;
- source: ``og:site_name`` (trafilatura's site name, else the host name of the canonical
  address), else ``<meta name="source">``;
- type: ``<meta name="type">``.

``read_html`` reads a file (the id is its name without extension); ``document_from_html``
reads bytes fetched from the web (``search.fetch``) the same way.
"""

from __future__ import annotations

import re
from configparser import ConfigParser
from functools import cache
from pathlib import Path
from typing import Any

from lxml.html import HtmlElement

from search.corpus.model import BadRecord, Document, Problem, document_from_record, too_large

BLOCKS = {"head", "p", "item", "quote", "row", "code"}  # a table row is one paragraph
# the publication line of a page's header (its date is metadata, not text)
DATE_LINE = re.compile(r"^(publié|mis à jour|date de publication)\b[^.]{0,80}$", re.IGNORECASE)


@cache
def _config() -> ConfigParser:
    from trafilatura.settings import use_config  # imported when a page is read (0.4 s)

    config = use_config()
    # below this many characters trafilatura falls back on cruder extractors, which merge
    # paragraphs; a communiqué can be short
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "20")
    return config


def read_html(path: Path) -> Document | Problem:
    """Return the document of the page at ``path``, or the problem that prevents reading it."""
    if refused := too_large(path.stat().st_size):
        return Problem(str(path), str(refused), refused.kind)
    raw = path.read_bytes()
    if not raw.strip():
        return Problem(str(path), "fichier vide", "empty_file")
    return document_from_html(raw, path.stem, str(path))


def document_from_html(
    raw: bytes, doc_id: str, where: str, url: str | None = None
) -> Document | Problem:
    """The document of the page ``raw`` (``where``: its file or address, for problems)."""
    from trafilatura import bare_extraction  # imported when a page is read (0.4 s)
    from trafilatura.settings import Document as Extracted
    from trafilatura.utils import load_html

    tree = load_html(raw)
    if tree is None:
        return Problem(where, "page HTML illisible", "unreadable_html")
    own = _own_metadata(tree)
    for time in tree.iter("time"):  # trafilatura drops <time> with its text; keep the text
        time.tag = "span"
    found = bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, config=_config()
    )
    extracted = found if isinstance(found, Extracted) and found.body is not None else None
    body = _body(extracted.body, extracted.title) if extracted is not None else ""
    if extracted is None or not body:
        return Problem(where, "extraction vide : aucun texte principal dans la page", "empty_text")
    record: dict[str, Any] = {
        "id": doc_id,
        "title": extracted.title,
        "date": extracted.date or own["date"],
        "url": extracted.url or url,
        "type": own["type"],
        "source": extracted.sitename or own["source"],
        "body": body,
    }
    try:
        return document_from_record(record, where)
    except BadRecord as error:
        return Problem(where, str(error), error.kind)


def _own_metadata(tree: HtmlElement) -> dict[str, str | None]:
    """What trafilatura does not read: the type, a ``source`` meta, a ``<time datetime>``."""
    times = tree.xpath("//time/@datetime")
    date = str(times[0]).strip() if times else None
    return {
        "type": _meta(tree, "type"),
        "source": _meta(tree, "source"),
        "date": date[:10] if date and len(date) >= 10 and date[4] == "-" else date,
    }


def _meta(tree: HtmlElement, name: str) -> str | None:
    values = tree.xpath("//meta[@name=$name or @property=$name]/@content", name=name)
    texts = [str(value).strip() for value in values if str(value).strip()]
    return texts[0] if texts else None


def _text(block: HtmlElement) -> str:
    if block.tag == "row":
        return " | ".join(filter(None, (_text(cell) for cell in block.iter("cell"))))
    return " ".join("".join(block.itertext()).split())


def _body(body: HtmlElement, title: str | None) -> str:
    blocks = [
        element
        for element in body.iter(*BLOCKS)
        if not any(child.tag in BLOCKS for child in element.iterdescendants())
    ]
    paragraphs = [text for text in map(_text, blocks) if text]
    heading = " ".join((title or "").split())
    while paragraphs and (paragraphs[0] == heading or DATE_LINE.match(paragraphs[0])):
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)
