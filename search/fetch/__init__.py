"""Reading communiqués from the web: press-room feeds, sitemaps, pages and PDFs, politely.

Engine-neutral: ``RemoteCorpus`` turns addresses into the same documents and problems as the
corpus readers (pages with ``search.corpus.html``, PDFs with ``search.corpus.pdf``), plus
``Kept`` for pages unchanged since the last run; ``client`` makes the requests (robots.txt,
delays, limits, no private address); ``state`` is the small table of validators an engine
keeps in its index for the next run.
"""

from search.fetch.client import USER_AGENT, FetchOptions
from search.fetch.reading import RemoteCorpus, document_id, is_url
from search.fetch.state import FETCHED, FetchState, load_state, save_state

__all__ = [
    "FETCHED",
    "USER_AGENT",
    "FetchOptions",
    "FetchState",
    "RemoteCorpus",
    "document_id",
    "is_url",
    "load_state",
    "save_state",
]
