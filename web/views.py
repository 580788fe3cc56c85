"""HTML pages: the search box (``/``) and the results for ``/?q=…`` — no JavaScript needed.

Every link on the results page (pages, facets, sort, suggestion, removing a filter) is the
current query string with one change, so nothing the user chose is lost on the way.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search.documents import (
    MARKED_CHARS,
    SHOWN_CHARS,
    get_document,
    marked_paragraphs,
    similar_documents,
)
from search.errors import BadRequest
from search.querying import Page, highlighting, search

from .params import PARAMETERS, search_request

blueprint = Blueprint("views", __name__)

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
# characters XML 1.0 cannot hold, even escaped: a query or a document may bring them
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PAGE_LINKS = 2  # pages shown on each side of the current one
FEED_ENTRIES = 20
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
        timeline=_timeline(page),
        feed_url=url_for("views.feed") + "?" + _encode(_without_paging()),
        document_query=_encode(MultiDict(_kept_search_args())),
        hidden=_hidden_fields(),
        args=request.args,
    )


@blueprint.get("/documents/<path:doc_id>")
def document(doc_id: str) -> str:
    served = current_app.extensions["index_store"].current()
    doc = get_document(served, doc_id)
    q = request.args.get("q", "")
    terms, phrases = highlighting(served, q) if q.strip() else (frozenset(), ())
    back = url_for("views.index", **_kept_search_args()) if q.strip() else None
    return render_template(
        "document.html",
        doc=doc,
        paragraphs=marked_paragraphs(doc, terms, phrases),
        partly_marked=bool(q.strip()) and len(doc.body) > MARKED_CHARS,
        marked_chars=MARKED_CHARS,
        shown_chars=SHOWN_CHARS if len(doc.body) > SHOWN_CHARS else None,
        similar=similar_documents(served, doc.id),
        q=q,
        back=back,
    )


@blueprint.get("/feed")
def feed() -> Response:
    """Atom feed of a search, newest first, with the same parameters as the results page."""
    settings = current_app.config["SEARCH_SETTINGS"]
    search_req = search_request(request.args, settings["per_page"])
    if not search_req.q:
        raise BadRequest("paramètre « q » manquant : indiquez les mots à suivre")
    newest = replace(search_req, sort="date", page=1, per_page=FEED_ENTRIES)
    page = search(
        current_app.extensions["index_store"].current(),
        newest,
        current_app.extensions["search_options"],
    )
    xml = render_template(
        "feed.xml",
        page=page,
        updated=max((hit.date for hit in page.hits if hit.date), default="2000-01-01"),
        self_url=request.url,
        html_url=url_for("views.index", _external=True, **_kept_search_args()),
    )
    return Response(_XML_ILLEGAL.sub("", xml), mimetype="application/atom+xml")


def _kept_search_args() -> dict[str, Any]:
    """The search parameters of this request, to link back to the results."""
    return {name: request.args.getlist(name) for name in PARAMETERS if name in request.args}


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


def _without_paging() -> MultiDict[str, str]:
    args = MultiDict(request.args)
    for name in ("page", "per_page", "sort"):
        args.pop(name, None)
    return args


def _timeline(page: Page) -> dict[str, Any]:
    """Bars of the SVG chart: height in percent of the tallest, and the URL filtering on each."""
    tallest = max((bar.count for bar in page.timeline), default=0)
    bars = [
        {
            "label": bar.label,
            "count": bar.count,
            "height": (height := round(60 * bar.count / tallest, 2) if tallest else 0),
            "y": round(60 - height, 2),
            "url": _url(**{"from": bar.period, "to": bar.period}) if bar.count else None,
        }
        for bar in page.timeline
    ]
    monthly = any("-" in bar.period for bar in page.timeline)
    return {"bars": bars, "width": max(1, len(bars)), "unit": "mois" if monthly else "année"}


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


def web_address(value: str | None) -> str | None:
    """``value`` if it is an http(s) address, else ``None`` (no ``javascript:`` links)."""
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def register_filters(app: Flask) -> None:
    app.add_template_filter(french_date, "french_date")
    app.add_template_filter(french_number, "french_number")
    app.add_template_filter(web_address, "web_address")
