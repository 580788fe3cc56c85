"""One document by its id, and the communiqués most like it.

"Similar" is more-like-this: the document's most significant terms (frequent in it, rare in
the corpus: Whoosh's Bo1 divergence model over the ``text`` field, title words weighted as
indexed, words found in more than a fifth of the documents left out) are searched together;
the document itself is left out.

Work on a document is bounded whatever its size (50 MB are accepted): its page shows its first
``SHOWN_CHARS`` characters (the API gives the whole text), its words are marked in its first
``MARKED_CHARS``, and its key terms drawn from its first ``SIMILAR_CHARS``.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import query as wq

from search.analysis import WeightedText
from search.engines.whoosh.reading.store import ServedIndex
from search.engines.whoosh.schema import SEARCH_FIELD
from search.errors import NotFound
from search.highlight import escape, highlight_all
from search.models import (
    MARKED_CHARS,
    SHOWN_CHARS,
    SIMILAR_CHARS,
    DocumentView,
    Similar,
    from_stored,
)

KEY_TERMS = 12
COMMON_SHARE = 5  # a word in more than a fifth of the documents says little about one
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def get_document(index: ServedIndex, doc_id: str) -> DocumentView:
    """The document ``doc_id``; ``NotFound`` when the served index has none by that id."""
    stored = index.stored(_docnum(index, doc_id))
    return from_stored(
        DocumentView, stored, extra=stored.get("extra") or {}, path=stored.get("path") or ""
    )


def marked_paragraphs(
    doc: DocumentView,
    terms: frozenset[str],
    phrases: tuple[Any, ...] = (),
    marked_chars: int = MARKED_CHARS,
) -> list[str]:
    """The first ``SHOWN_CHARS`` characters of the body as HTML paragraphs: escaped, with the
    given terms and phrases marked in its first ``marked_chars`` (both cut at a space)."""
    cut, end = _cut(doc.body, marked_chars), _cut(doc.body, SHOWN_CHARS)
    html = highlight_all(doc.body[:cut], terms, phrases) + escape(doc.body[cut:end])
    return [" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(html) if part.strip()]


def similar_documents(index: ServedIndex, doc_id: str, limit: int = 5) -> list[Similar]:
    """The ``limit`` documents closest to ``doc_id`` by its key terms."""
    searcher = index.searcher
    docnum = _docnum(index, doc_id)
    stored = index.stored(docnum)
    body = stored["body"][: _cut(stored["body"], SIMILAR_CHARS)]
    text = WeightedText(((stored["title"], index.title_weight), (body, 1.0)))
    candidates = searcher.key_terms_from_text(SEARCH_FIELD, text, numterms=3 * KEY_TERMS)
    common = max(3, searcher.doc_count() // COMMON_SHARE)
    key_terms = [
        (term, weight)
        for term, weight in candidates
        if searcher.doc_frequency(SEARCH_FIELD, term) <= common
    ][:KEY_TERMS]
    if not key_terms:
        return []
    query = wq.Or([wq.Term(SEARCH_FIELD, term, boost=weight) for term, weight in key_terms])
    results = searcher.search(wq.AndNot(query, wq.Term("id", stored["id"])), limit=limit)
    return [from_stored(Similar, hit.fields(), score=round(float(hit.score), 4)) for hit in results]


def _cut(text: str, length: int) -> int:
    """Where to cut ``text`` at most ``length`` characters in, at a space (whole words)."""
    if len(text) <= length:
        return len(text)
    space = text.rfind(" ", 0, length)
    return space if space > 0 else length


def _docnum(index: ServedIndex, doc_id: str) -> int:
    docnum = index.searcher.document_number(id=doc_id)
    if docnum is None:
        raise NotFound(f"aucun document n’a l’identifiant « {doc_id[:100]} »")
    return int(docnum)
