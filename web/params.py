"""Query-string parameters to a ``SearchRequest``: the same names for the page and the API.

``q``, ``page``, ``per_page``, ``from``, ``to``, ``type`` and ``source`` (each may be repeated),
``sort``. Turns text into numbers and says in French what is wrong (``BadRequest``); the bounds
themselves are checked by the library, so the command line obeys the same rules.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from search.errors import BadRequest
from search.filters import Filters
from search.models import SearchRequest

MAX_DIGITS = 9  # larger numbers are refused before int() sees them
PARAMETERS = ("q", "page", "per_page", "from", "to", "type", "source", "sort")


def search_request(args: MultiDict[str, str], default_per_page: int) -> SearchRequest:
    return SearchRequest(
        q=args.get("q", "").strip(),
        page=_integer(args, "page", 1),
        per_page=_integer(args, "per_page", default_per_page),
        filters=Filters.parse(
            date_from=args.get("from", "").strip() or None,
            date_to=args.get("to", "").strip() or None,
            types=tuple(args.getlist("type")),
            sources=tuple(args.getlist("source")),
        ),
        sort=args.get("sort", "").strip() or "relevance",
    )


def _integer(args: MultiDict[str, str], name: str, default: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not raw.isascii():
        raise BadRequest(f"« {name} » doit être un entier positif (reçu : « {raw[:40]} »)")
    if len(raw.lstrip("0")) > MAX_DIGITS:
        raise BadRequest(f"« {name} » est trop grand (reçu : {raw[:40]}…)")
    return int(raw)
