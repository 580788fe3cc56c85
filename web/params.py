"""Query-string parameters to a ``SearchRequest``: the same names for the page and the API.

``q``, ``page``, ``per_page``, ``from``, ``to``, ``type`` and ``source`` (each may be repeated),
``sort``. A POST carries them in its body (``posted_parameters``): form-encoded, or a JSON
object whose lists are repeated parameters. Turns text into numbers and says in French what is
wrong (``BadRequest``); the bounds
themselves are checked by the library, so the command line obeys the same rules.
"""

from __future__ import annotations

from flask import request
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


def posted_parameters() -> MultiDict[str, str]:
    """The parameters of a POST body, as a query string's (``type`` repeated for a list)."""
    if not request.is_json:
        return request.form
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest('le corps JSON doit être un objet : {"q": "…"}')
    args: MultiDict[str, str] = MultiDict()
    for name, value in body.items():
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str | int) or isinstance(item, bool):
                raise BadRequest(f"« {name} » doit être un texte, un nombre ou une liste")
            args.add(name, str(item))
    return args


def _integer(args: MultiDict[str, str], name: str, default: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not raw.isascii():
        raise BadRequest(f"« {name} » doit être un entier positif (reçu : « {raw[:40]} »)")
    if len(raw.lstrip("0")) > MAX_DIGITS:
        raise BadRequest(f"« {name} » est trop grand (reçu : {raw[:40]}…)")
    return int(raw)
