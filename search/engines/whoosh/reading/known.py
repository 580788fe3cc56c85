"""Type and source filters must name values the index has: ``type=foo`` is a mistake to say,
not a silent empty result. Values are compared as the filters compare them (accents, case and
apostrophes aside)."""

from __future__ import annotations

from whoosh.searching import Searcher

from search.analysis import fold
from search.errors import UnknownValue
from search.filters import Filters


def check_known(searcher: Searcher, filters: Filters) -> None:
    """Raise ``UnknownValue`` for the first type or source no document has."""
    for name, wanted in (("type", filters.types), ("source", filters.sources)):
        if not wanted:
            continue
        known = sorted(_text(value) for value in searcher.lexicon(name))
        folded = {fold(value) for value in known}
        for value in wanted:
            if fold(value) not in folded:
                raise UnknownValue(name, value, known)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
