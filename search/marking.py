"""Where the query's words are in the documents of a page, read from the index postings.

The ``text`` postings keep each match's position and character offsets in the stored title or
body, so the words a snippet must mark are found without analysing the body again: the cost
is a few posting lookups per hit instead of analysing thousands of characters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from whoosh.searching import Searcher

from .analysis import section_of
from .highlight import Located
from .schema import SEARCH_FIELD

BODY = 1  # section of the body in the text field (the title is 0)


def body_words(
    searcher: Searcher, terms: Iterable[str], docnums: Sequence[int]
) -> dict[int, list[Located]]:
    """For each of ``docnums``, the body words whose term is one of ``terms``."""
    found: dict[int, list[Located]] = defaultdict(list)
    reader = searcher.reader()
    ordered = sorted(docnums)
    for term in terms:
        if (SEARCH_FIELD, term) not in reader:
            continue
        matcher = searcher.postings(SEARCH_FIELD, term)
        for docnum in ordered:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                found[docnum].extend(
                    (pos, start, end, term)
                    for pos, start, end in matcher.value_as("characters")
                    if section_of(pos) == BODY
                )
    return found
