"""A period as people type it in a date filter, read as the first or last day it covers.

Accepted (spaces, case and accents do not matter): ``2024``, ``2024-03``, ``2024-03-15``, and
the French ways ``03/2024``, ``15/03/2024`` (also with ``.`` or ``-``: ``15.03.2024``),
``mars 2024``, ``15 mars 2024``, ``1er mars 2024``. ``from`` stands for the first day of the
period and ``to`` for its last (``to=2024-02`` ends on 29 February 2024). Anything else, or a
day that does not exist, is a ``BadPeriod`` naming the parameter.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from unidecode import unidecode

from search.errors import BadRequest

MONTHS = (
    "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
)  # fmt: skip
_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
_FRENCH_DIGITS = re.compile(r"(?:([0-9]{1,2})[/.-])?([0-9]{1,2})[/.-]([0-9]{4})")
_FRENCH_WORDS = re.compile(r"(?:([0-9]{1,2})(?:er)? )?([a-z]+)\.? ([0-9]{4})")
EXPECTED = "AAAA, AAAA-MM, AAAA-MM-JJ, MM/AAAA, JJ/MM/AAAA ou « mars 2024 »"


class BadPeriod(BadRequest):
    """A date filter that cannot be read; ``name`` is the parameter (``from`` or ``to``)."""

    def __init__(self, name: str, text: str, message: str) -> None:
        super().__init__(f"« {name} » {message}")
        self.name = name
        self.text = text
        self.reason = message


def period_bound(text: str, name: str, last: bool) -> str:
    """First (or last) day of the period written ``text``, as ``YYYY-MM-DD``."""
    year, month, day = _parts(text, name)
    try:
        if month is None:
            return f"{year:04d}-12-31" if last else f"{year:04d}-01-01"
        if day is None:
            end = calendar.monthrange(year, month)[1] if last else 1
            return dt.date(year, month, end).isoformat()
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise BadPeriod(
            name, text, f"n’est pas une date qui existe (reçu « {text[:40]} »)"
        ) from None


def _parts(text: str, name: str) -> tuple[int, int | None, int | None]:
    """Year, month and day written in ``text`` (``None`` for what is not given)."""
    cleaned = " ".join(unidecode(text).lower().split())
    if match := _ISO.fullmatch(cleaned):
        year, month, day = match.groups()
        return int(year), _number(month), _number(day)
    if match := _FRENCH_DIGITS.fullmatch(cleaned):
        day, month, year = match.groups()
        return int(year), int(month), _number(day)
    if (match := _FRENCH_WORDS.fullmatch(cleaned)) and match.group(2) in MONTHS:
        day, month_name, year = match.groups()
        return int(year), MONTHS.index(month_name) + 1, _number(day)
    raise BadPeriod(name, text, f"doit être une date {EXPECTED} (reçu « {text[:40]} »)")


def _number(part: str | None) -> int | None:
    return int(part) if part else None
