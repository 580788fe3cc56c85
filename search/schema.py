"""The index fields: what is searchable, what is stored for display, what is sortable.

``title`` and ``body`` go through the French analyzer with positions (phrases, proximity) and
are stored so snippets can be cut from the original text. ``date``, ``year``, ``type`` and
``source`` are exact values kept in columns for filters, facets and sorting.
"""

from __future__ import annotations

from whoosh.fields import ID, STORED, TEXT, Schema

from .analysis import FrenchAnalyzer

SEARCHABLE_FIELDS = ("title", "body")


def build_schema() -> Schema:
    analyzer = FrenchAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        date=ID(stored=True, sortable=True),
        year=ID(sortable=True),
        type=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        url=STORED(),
        extra=STORED(),
        path=STORED(),
    )
