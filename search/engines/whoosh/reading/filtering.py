"""The documents a request's filters allow, as a set of document numbers, computed once per
request: a date range over the ``date`` field, types and sources matched without regard to
accents, case or apostrophes against the values the index holds.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.searching import Searcher

from search.analysis import fold
from search.filters import Filters


def allowed_documents(searcher: Searcher, filters: Filters) -> set[int] | None:
    """Document numbers the filters allow (``None``: no filter, everything allowed)."""
    if not filters.active:
        return None
    parts: list[wq.Query] = []
    if filters.date_from or filters.date_to:
        parts.append(wq.TermRange("date", filters.date_from, filters.date_to))
    for field, wanted in (("type", filters.types), ("source", filters.sources)):
        if wanted:
            values = _indexed_values(searcher, field, wanted)
            parts.append(wq.Or([wq.Term(field, v) for v in values]) if values else wq.NullQuery)
    return set(searcher.docs_for_query(wq.And(parts) if len(parts) > 1 else parts[0]))


def _indexed_values(searcher: Searcher, field: str, wanted: tuple[str, ...]) -> list[str]:
    """The values of ``field`` in the index that equal a wanted one once folded."""
    keys = {fold(value) for value in wanted}
    return [value for value in searcher.lexicon(field) if fold(_text(value)) in keys]


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
