"""What a corpus reader produces: documents, or problems with the place they were found.

``document_from_record`` is the one place where a raw record (a JSON object, a front-matter
header, an HTML page) becomes a ``Document``; every reader goes through it, so every format
obeys the same rules: ``id`` and ``body`` required, ``title`` optional (some real corpora, such
as service-public.fr sheets, have none; a display title is then taken from the body), ``date``
ISO (a time part is dropped), other keys kept in ``extra``. A document larger than
``MAX_DOCUMENT_BYTES`` is refused before it is parsed, and one whose page could not be reached
by its id (``unreachable_id``) is refused and reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

KNOWN_KEYS = ("id", "title", "body", "date", "url", "type", "source")
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a communiqué is a few kilobytes; 50 MB is an accident
MAX_ID_CHARS = 2_000  # encoded in a request line the server reads up to 4,094 bytes


@dataclass(frozen=True)
class Document:
    """One communiqué, as plain data."""

    id: str
    title: str | None
    body: str
    date: str | None = None  # YYYY-MM-DD
    url: str | None = None
    type: str | None = None
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    path: str = ""  # the file it was read from
    line: int | None = None  # its line, for JSON Lines

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Problem:
    """Something that could not be read: ``where`` (``path`` or ``path:line``), a reason a
    person can act on (French), and a ``kind`` for counting (``invalid_json``, …)."""

    where: str
    reason: str
    kind: str = "unreadable"

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class Kept:
    """A document of the last run not read again, kept as it was: a web page that answered
    ``304 Not Modified``, or one its feed no longer lists (``where``: its address)."""

    id: str
    where: str


class BadRecord(ValueError):
    """A record that cannot become a document; the message says why (in French)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def too_large(size: int) -> BadRecord | None:
    if size <= MAX_DOCUMENT_BYTES:
        return None
    limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
    return BadRecord(
        "too_large", f"document trop gros ({size / 1024 / 1024:.0f} Mo ; {limit} Mo au plus)"
    )


def document_from_record(record: dict[str, Any], path: str, line: int | None = None) -> Document:
    """Validate a raw record and build a ``Document``, or raise ``BadRecord``."""
    doc_id = record.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise BadRecord("missing_field", "champ « id » manquant ou vide")
    if reason := unreachable_id(doc_id.strip()):
        raise BadRecord("bad_id", f"identifiant « {doc_id.strip()[:60]} » refusé : {reason}")
    extra = {key: value for key, value in record.items() if key not in KNOWN_KEYS}
    return Document(
        id=doc_id.strip(),
        title=_optional_text(record, "title"),
        body=_required_text(record, "body"),
        date=_iso_date(record.get("date")),
        url=_optional_text(record, "url"),
        type=_optional_text(record, "type"),
        source=_optional_text(record, "source"),
        extra=extra,
        path=path,
        line=line,
    )


def unreachable_id(doc_id: str) -> str | None:
    """Why the document page of ``doc_id`` could not be reached by its address, or ``None``:
    control characters, a ``.`` or ``..`` segment (browsers and proxies rewrite them), a last
    segment ``similar`` (the similar-documents address), or an address longer than the server
    reads. Leading, trailing and doubled ``/`` are fine (ids that are paths: see ``web.ids``)."""
    if any(ord(char) < 32 or ord(char) == 127 for char in doc_id):
        return "caractère de contrôle (retour à la ligne, tabulation…)"
    segments = doc_id.split("/")
    if "." in segments or ".." in segments:
        return "segment « . » ou « .. » (les navigateurs les réécrivent)"
    if len(segments) > 1 and segments[-1] == "similar":
        return "se termine par « /similar », l’adresse des communiqués similaires"
    if len(quote(doc_id, safe="/")) > MAX_ID_CHARS:
        return f"adresse trop longue (plus de {MAX_ID_CHARS} caractères une fois encodée)"
    return None


def display_title(doc: Document, length: int = 100) -> str:
    """The title to show: the document's own, else the start of its first line of text."""
    if doc.title:
        return doc.title
    lead = first_words(doc.body, length)
    return lead if lead == doc.body.split("\n", 1)[0].strip() else lead + "…"


def first_words(body: str, length: int = 100) -> str:
    """The start of the first line of ``body``, cut between words: what stands for the title
    of a document that has none, shown (with ``…`` when cut) and ranked as a title."""
    first_line = body.split("\n", 1)[0].strip()
    if len(first_line) <= length:
        return first_line
    cut = first_line.rfind(" ", 0, length)
    return first_line[: cut if cut > 0 else length]


def _required_text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadRecord("missing_field", f"champ « {key} » manquant ou vide")
    return value.strip()


def _optional_text(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # ``title: 2025`` in a YAML header is the text 2025
    if not isinstance(value, str):
        raise BadRecord("bad_field", f"champ « {key} » : texte attendu, trouvé {_kind(value)}")
    return value.strip()


def _kind(value: Any) -> str:
    """What a value is, in French words, for a message."""
    kinds = ((bool, "un booléen (vrai/faux)"), (list, "une liste"), (dict, "un dictionnaire"))
    return next(
        (name for kind, name in kinds if isinstance(value, kind)), "une valeur non textuelle"
    )


def _iso_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or date-time (string or date object), else BadRecord."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text).isoformat()
            return dt.datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            pass
    raise BadRecord("impossible_date", f"date impossible : {value!r} (attendu AAAA-MM-JJ)")
