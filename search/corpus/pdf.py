"""Read one PDF communiqué as one document, with pdfminer.six.

pdfminer lays each page out in text blocks (a paragraph, a header, a page number); each block
becomes a paragraph of the body, its lines joined. Promises:

- ligatures become letters (``ﬁ`` → ``fi``) and a word hyphenated at a line end is joined
  (``coopéra-`` / ``tion`` → ``coopération``; a hyphen before a capital, as in
  ``Jean-`` / ``Pierre`` → ``Jean-Pierre``, is kept);
- a block repeated on most pages of a document of two pages or more (a header, a footer,
  ``Page 2 / 3`` whatever the number) is left out;
- a first block ``Communiqué de presse`` is the type, not text; title: the PDF's ``Title``
  metadata when it is one (not a file name), else the first short block of the first four
  that is not a dateline (``Paris, le …``), taken out of the body; date: the first date
  written in the first blocks (``Paris, le 4 avril 2024``, ``04/04/2024``), else the
  ``CreationDate`` metadata;
- a PDF with no text (a scanned one) is the problem ``pas de texte : PDF scanné ?``; a damaged
  or encrypted one is ``PDF illisible``.

``read_pdf`` reads a file (the id is its name without extension); ``document_from_pdf``
reads bytes fetched from the web (``search.fetch``) the same way.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from search.corpus.model import BadRecord, Document, Problem, document_from_record, too_large

LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                           "ﬅ": "st", "ﬆ": "st", "\xad": "-"})  # fmt: skip
HYPHENATED = re.compile(r"(\w)-\n(?=[a-zà-ÿœæ])")  # coopéra- / tion
COMPOUND = re.compile(r"(\w-)\n(?=[A-ZÀ-Ý])")  # Jean- / Pierre
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
WRITTEN_DATE = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE
)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})")
NOT_A_TITLE = re.compile(r"(^untitled$|^sans titre$|\.(docx?|odt|pdf|indd)$|^microsoft word)", re.I)
LABEL = re.compile(r"^communiqué( de presse)?$", re.IGNORECASE)
DATELINE = re.compile(r"^[\w' -]+, le \d", re.IGNORECASE)  # Paris, le 4 avril 2024
HEAD_BLOCKS = 4  # the first blocks, where a title and a date are looked for
SCANNED = "pas de texte : PDF scanné ?"


def read_pdf(path: Path) -> Document | Problem:
    """Return the document of the PDF at ``path``, or the problem that prevents reading it."""
    if refused := too_large(path.stat().st_size):
        return Problem(str(path), str(refused), refused.kind)
    return document_from_pdf(path.read_bytes(), path.stem, str(path))


def document_from_pdf(
    raw: bytes, doc_id: str, where: str, url: str | None = None
) -> Document | Problem:
    """The document of the PDF ``raw`` (``where``: its file or address, for problems)."""
    from pdfminer.high_level import extract_pages  # imported when a PDF is read

    if not raw.strip():
        return Problem(where, "fichier vide", "empty_file")
    try:
        info = _metadata(raw)
        pages = [_blocks(page) for page in extract_pages(io.BytesIO(raw))]
    except Exception as error:  # pdfminer raises many kinds for a damaged or encrypted file
        return Problem(where, f"PDF illisible ({type(error).__name__})", "unreadable_pdf")
    paragraphs = _without_repeated(pages)
    if not paragraphs:
        return Problem(where, SCANNED, "scanned_pdf")
    kind = "communiqué" if LABEL.match(paragraphs[0]) else None
    if kind and len(paragraphs) > 1:
        paragraphs.pop(0)
    date = _written_date(paragraphs[:HEAD_BLOCKS]) or _pdf_date(info.get("CreationDate", ""))
    title = info.get("Title", "")
    if not title or NOT_A_TITLE.search(title):
        title = _title_block(paragraphs)
    record: dict[str, Any] = {
        "id": doc_id, "title": title, "date": date, "url": url, "type": kind,
        "body": "\n\n".join(paragraphs),
    }  # fmt: skip
    try:
        return document_from_record(record, where)
    except BadRecord as error:
        return Problem(where, str(error), error.kind)


def _title_block(paragraphs: list[str]) -> str:
    """The first short block that is not a dateline, taken out of the body ("" if none)."""
    for index, text in enumerate(paragraphs[:HEAD_BLOCKS]):
        if len(text) <= 200 and not DATELINE.match(text) and len(paragraphs) > 1:
            return paragraphs.pop(index)
    return ""


def _metadata(raw: bytes) -> dict[str, str]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    document = PDFDocument(PDFParser(io.BytesIO(raw)))
    info: dict[str, str] = {}
    for entries in document.info:
        for key, value in entries.items():
            value = resolve1(value)
            text = decode_text(value) if isinstance(value, bytes) else str(value)
            info[str(key)] = " ".join(text.split())
    return info


def _blocks(page: Any) -> list[str]:
    """The text blocks of a page, top to bottom, each as one paragraph."""
    from pdfminer.layout import LTTextContainer

    blocks = [element for element in page if isinstance(element, LTTextContainer)]
    blocks.sort(key=lambda block: (-round(block.y1), block.x0))
    texts = (_paragraph(block.get_text()) for block in blocks)
    return [text for text in texts if text]


def _paragraph(text: str) -> str:
    text = COMPOUND.sub(r"\1", HYPHENATED.sub(r"\1", text.translate(LIGATURES)))
    return " ".join(text.split())


def _without_repeated(pages: list[list[str]]) -> list[str]:
    """Every page's blocks, but those repeated on most pages (headers, footers, numbers)."""
    if len(pages) < 2:
        return [text for page in pages for text in page]
    seen = Counter(shape for page in pages for shape in {_shape(text) for text in page})
    repeated = {shape for shape, count in seen.items() if count * 2 > len(pages)}
    return [text for page in pages for text in page if _shape(text) not in repeated]


def _shape(text: str) -> str:
    """A block with its numbers blanked: ``Page 2 / 3`` and ``Page 3 / 3`` are alike."""
    return re.sub(r"\d+", "#", text.casefold())


def _written_date(texts: list[str]) -> str | None:
    for text in texts:
        if found := WRITTEN_DATE.search(text):
            day, month, year = found.groups()
            if iso := _iso(int(year), MONTHS.index(month.lower()) + 1, int(day)):
                return iso
        if (found := NUMERIC_DATE.search(text)) and (
            iso := _iso(int(found[3]), int(found[2]), int(found[1]))
        ):
            return iso
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _pdf_date(value: str) -> str | None:
    found = PDF_DATE.match(value)
    return _iso(*map(int, found.groups())) if found else None
