"""Browsing without words: every document the filters allow, newest first, as a page of hits
with its facets and timeline — what the home page shows (the latest communiqués, the timeline
of the corpus, its types and sources) and what its links open (``/?type=discours``).
"""

from __future__ import annotations

import numpy as np

from search.engines.whoosh.reading.facets import count_facets
from search.engines.whoosh.reading.filtering import allowed_documents
from search.engines.whoosh.reading.known import check_known
from search.engines.whoosh.reading.ranking.order import by_date
from search.engines.whoosh.reading.store import ServedIndex
from search.engines.whoosh.reading.timeline import timeline
from search.highlight import escape, snippet_of_spans
from search.models import Hit, Page, SearchOptions, SearchRequest, check_request, from_stored


def browse(
    index: ServedIndex, request: SearchRequest, options: SearchOptions | None = None
) -> Page:
    """The documents ``request.filters`` allow, by date (``date_asc``: oldest first; any other
    sort: newest first); ``request.q`` is not read."""
    options = options or SearchOptions.defaults()
    check_request(request, options)
    check_known(index.searcher, request.filters)
    docs = _live(index)
    allowed = allowed_documents(index.columns, request.filters)
    if allowed is not None:
        docs = docs[allowed[docs]]
    end = request.page * request.per_page
    newest_first = request.sort != "date_asc"
    ranked = by_date(index.columns["date"], docs, end, newest_first=newest_first)
    window = ranked[end - request.per_page : end]
    return Page(
        query="",
        total=len(docs),
        page=request.page,
        per_page=request.per_page,
        hits=[_hit(index, doc, options) for _, doc, _ in window],
        facets=count_facets(index.columns, docs),
        timeline=timeline(index.columns["month"], docs),
        sort="date_asc" if not newest_first else "date",
    )


def _live(index: ServedIndex) -> np.ndarray:
    """Every document of the served index, deleted ones left out, ascending."""
    reader = index.searcher.reader()
    return np.fromiter(reader.all_doc_ids(), np.int64)


def _hit(index: ServedIndex, docnum: int, options: SearchOptions) -> Hit:
    stored = index.stored(docnum)
    return from_stored(
        Hit,
        stored,
        score=None,
        snippet=snippet_of_spans(stored["body"], [], options.snippet_chars, 1),
        title_marked=escape(stored["title"]),
    )
