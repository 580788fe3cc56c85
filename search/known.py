"""Type and source filters must name values the index has: ``type=foo`` is a mistake to say,
not a silent empty result. Values are compared as the filters compare them (accents, case and
apostrophes aside)."""

from __future__ import annotations

from whoosh.searching import Searcher

from .analysis import fold
from .errors import BadRequest
from .filtering import Filters

LABELS = {"type": "type", "source": "source"}
SHOWN = 12  # known values named in the message


class UnknownValue(BadRequest):
    """A filter value no document has; ``name`` is the parameter, ``value`` the value."""

    def __init__(self, name: str, value: str, known: list[str]) -> None:
        listed = ", ".join(known[:SHOWN]) + (" …" if len(known) > SHOWN else "")
        super().__init__(
            f"{LABELS[name]} « {value[:60]} » inconnu : aucun document ne l’a"
            + (f" (valeurs connues : {listed})" if known else "")
        )
        self.name = name
        self.value = value


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
