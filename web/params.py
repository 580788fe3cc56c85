"""Query-string parameters to a ``SearchRequest``: the same names for the page and the API.

Turns text into numbers and says in French what is wrong (``BadRequest``); the bounds
themselves are checked by the library, so the command line obeys the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from search.errors import BadRequest
from search.querying import SearchRequest

MAX_DIGITS = 9  # larger numbers are refused before int() sees them


def search_request(args: Mapping[str, str], default_per_page: int) -> SearchRequest:
    return SearchRequest(
        q=args.get("q", "").strip(),
        page=_integer(args, "page", 1),
        per_page=_integer(args, "per_page", default_per_page),
    )


def _integer(args: Mapping[str, str], name: str, default: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not raw.isascii():
        raise BadRequest(f"« {name} » doit être un entier positif (reçu : « {raw[:40]} »)")
    if len(raw) > MAX_DIGITS:
        raise BadRequest(f"« {name} » est trop grand (reçu : {raw[:40]}…)")
    return int(raw)
