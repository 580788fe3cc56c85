"""HTML pages: the search box (``/``) and the results for ``/?q=…`` — no JavaScript needed.

Every link on the results page (pages, facets, sort, suggestion, removing a filter) is the
current query string with one change, so nothing the user chose is lost on the way.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search.querying import Page, search

from .params import search_request

blueprint = Blueprint("views", __name__)

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
PAGE_LINKS = 2  # pages shown on each side of the current one
SORT_LABELS = {"relevance": "pertinence", "date": "plus récents", "date_asc": "plus anciens"}
FACET_LABELS = {"year": "Année", "type": "Type", "source": "Source"}


@blueprint.get("/")
def index() -> str:
    store = current_app.extensions["index_store"]
    settings = current_app.config["SEARCH_SETTINGS"]
    search_req = search_request(request.args, settings["per_page"])
    if not search_req.q:
        return render_template("home.html", info=store.info(), q="")
    started = time.perf_counter()
    page = search(store.current(), search_req, current_app.extensions["search_options"])
    elapsed_ms = (time.perf_counter() - started) * 1000
    return render_template(
        "results.html",
        page=page,
        q=search_req.q,
        elapsed_ms=elapsed_ms,
        links=_links(page),
        facets=_facet_links(page),
        active=_active_filters(),
        sorts=[(key, label, _url(sort=key)) for key, label in SORT_LABELS.items()],
        suggestion_url=_url(q=page.suggestion) if page.suggestion else None,
        hidden=_hidden_fields(),
        args=request.args,
    )


def _url(**changes: Any) -> str:
    """This page's URL with ``changes`` (``None`` removes a parameter; paging restarts)."""
    args = MultiDict(request.args)
    args.pop("page", None)
    for name, value in changes.items():
        args.pop(name, None)
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            args.add(name, str(item))
    return url_for("views.index") + "?" + _encode(args)


def _encode(args: MultiDict[str, str]) -> str:
    return urlencode(list(args.items(multi=True)))


def _links(page: Page) -> dict[str, object]:
    """Pagination: URLs of previous, next and nearby pages (every parameter kept)."""
    low = max(1, page.page - PAGE_LINKS)
    high = min(page.pages, page.page + PAGE_LINKS)
    return {
        "previous": _url(page=page.page - 1) if page.page > 1 else None,
        "next": _url(page=page.page + 1) if page.page < page.pages else None,
        "nearby": [(number, _url(page=number)) for number in range(low, high + 1)],
    }


def _facet_links(page: Page) -> list[dict[str, Any]]:
    """Each facet with its values, counts and the URL that filters on the value."""
    chosen = {name: request.args.getlist(name) for name in ("type", "source")}
    facets = []
    for name, values in page.facets.items():
        if not values:
            continue
        items = []
        for value in values:
            url: str | None
            if name == "year":
                url = _url(**{"from": value.value, "to": value.value})
                selected = request.args.get("from") == value.value == request.args.get("to")
            else:
                selected = value.value in chosen[name]
                url = _url(**{name: [*chosen[name], value.value]}) if not selected else None
            items.append(
                {"value": value.value, "count": value.count, "url": url, "selected": selected}
            )
        facets.append({"name": name, "label": FACET_LABELS[name], "items": items})
    return facets


def _active_filters() -> list[tuple[str, str]]:
    """(label, URL that removes it) for each filter in force."""
    active = []
    if request.args.get("from") or request.args.get("to"):
        period = f"{request.args.get('from') or '…'} – {request.args.get('to') or '…'}"
        active.append((f"Période : {period}", _url(**{"from": None, "to": None})))
    for name, label in (("type", "Type"), ("source", "Source")):
        values = request.args.getlist(name)
        for value in values:
            rest = [v for v in values if v != value]
            active.append((f"{label} : {value}", _url(**{name: rest or None})))
    return active


def _hidden_fields() -> list[tuple[str, str]]:
    """Filters and sort, carried by the search box when the words change."""
    keep = ("from", "to", "type", "source", "sort", "per_page")
    return [(name, value) for name, value in request.args.items(multi=True) if name in keep]


def french_date(value: str | None) -> str:
    """``2024-02-20`` → ``20 février 2024`` (``1er`` for the first day of a month)."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def french_number(value: int) -> str:
    """``33958`` → ``33 958`` (narrow no-break space as the thousands separator)."""
    return f"{value:,}".replace(",", "\u202f")


def register_filters(app: Flask) -> None:
    app.add_template_filter(french_date, "french_date")
    app.add_template_filter(french_number, "french_number")
