"""The index fields: what is searchable, what is stored for display, what is sortable.

``text`` is what queries search: the title and the body analysed as one field, each title word
weighing ``title_weight`` (BM25F: the weighted frequencies of a word in both parts add up before
BM25 saturates them, so a word in the title and the body is not counted twice over); a document
without a title has the first words of its body, the title the site shows, weighed as one.
``title`` is also indexed alone (documents' own titles only), for title-only searches. Postings
of ``text`` keep positions (phrases, proximity) and character offsets into the stored title or
body (the exact form of a match can be read back without analysing the document again). The
body is stored, not indexed on its own: snippets are cut from it. ``heading`` indexes the
title the site shows (the title, or the first words of an untitled body: the first section of
``text``) with frequencies only: ranking scores it as a field of its own, and reads the body's
frequencies and lengths as those of ``text`` minus the heading's (see ``fielded``). ``date``,
``year``, ``type`` and ``source`` are exact values kept in columns for filters, facets and
sorting.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, NamedTuple

from whoosh.fields import ID, STORED, TEXT, Schema

from search.analysis import FrenchAnalyzer

SCHEMA_VERSION = 7  # raise when fields or analysis change: another version is rebuilt in full
# Indexes of formats up to 5 pickled this module's classes as ``search.schema``: still served
# (with ``reindex_needed``) until the next reindex rebuilds them.
sys.modules.setdefault("search.schema", sys.modules[__name__])
SEARCH_FIELD = "text"
HEADING_FIELD = "heading"

PostingItem = tuple[bytes, int, float, bytes]  # term, frequency, weight, encoded value


class Analysed(NamedTuple):
    """A field value whose postings were computed beforehand (in another process, see
    ``analysing``): ``AnalysedText`` indexes them as they are. (A stored field's value is given
    apart, as Whoosh's ``_stored_<field>``.)"""

    postings: list[PostingItem]


class AnalysedText(TEXT):
    """A ``TEXT`` field that indexes the postings of an ``Analysed`` value as they are."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[PostingItem]:
        if isinstance(value, Analysed):
            return iter(value.postings)
        return super().index(value, **kwargs)


def build_schema() -> Schema:
    analyzer = FrenchAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        text=AnalysedText(analyzer=analyzer, chars=True),
        title=AnalysedText(analyzer=analyzer, stored=True),
        heading=AnalysedText(analyzer=analyzer, phrase=False),
        body=STORED(),
        untitled=STORED(),
        date=ID(stored=True, sortable=True),
        year=ID(sortable=True),
        type=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        url=STORED(),
        extra=STORED(),
        path=STORED(),
    )
