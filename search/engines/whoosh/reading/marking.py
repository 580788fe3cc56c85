"""Where the query's words are in the documents of a page, read from the index postings.

The ``text`` postings keep each match's position and character offsets in the stored title or
body, so the words a snippet must mark are found without analysing the body again: the cost
is a few posting lookups per hit instead of analysing thousands of characters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from search.analysis import section_of
from search.engines.whoosh.codec.postings import PostingLists
from search.engines.whoosh.schema import SEARCH_FIELD
from search.highlight import Located

BODY = 1  # section of the body in the text field (the title is 0)


def body_words(
    postings: PostingLists, terms: Iterable[str], docnums: Sequence[int]
) -> dict[int, list[Located]]:
    """For each of ``docnums``, the body words whose term is one of ``terms``."""
    found: dict[int, list[Located]] = defaultdict(list)
    for term in terms:
        for docnum, (_, spans) in postings.characters(SEARCH_FIELD, term, docnums).items():
            found[docnum].extend(
                (pos, start, end, term) for pos, start, end in spans if section_of(pos) == BODY
            )
    return found
