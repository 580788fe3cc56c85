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

from flask import Blueprint, Flask, Response, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as WerkzeugResponse

from search.errors import BadRequest, UnknownValue
from search.models import MARKED_CHARS, SHOWN_CHARS, Page, SearchRequest
from search.periods import BadPeriod, period_bound
from web.context import engine, settings
from web.params import PARAMETERS, posted_parameters, search_request

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
HOME_LATEST = 8  # latest communiqués on the home page
PERIOD_LABELS = {"from": "Du", "to": "au"}  # the date fields as the form names them


@blueprint.get("/")
def index() -> str | WerkzeugResponse:
    per_page = settings()["per_page"]
    period_error = None
    try:
        search_req = search_request(request.args, per_page)
    except BadPeriod as error:  # said beside the form; the results come without that filter
        period_error = (error.name, f"« {PERIOD_LABELS[error.name]} » {error.reason}")
        undated = MultiDict(request.args)
        for name in ("from", "to"):
            undated.pop(name, None)
        search_req = search_request(undated, per_page)
    if not search_req.q and not search_req.filters.active and "sort" not in request.args:
        return _home()
    started = time.perf_counter()
    page, dropped = _search_known(search_req)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if page.total and page.page > page.pages:  # ``page=99`` of 2: the last page
        return redirect(_url(page=page.pages))
    return _results(page, search_req.q, elapsed_ms, dropped, period_error)


@blueprint.post("/")
def pasted() -> str | WerkzeugResponse:
    """A text pasted in the form, too long for an address: its results page, whose links carry
    the words searched instead of the text (they fit an address)."""
    form = posted_parameters()
    search_req = search_request(form, settings()["per_page"])
    if not search_req.q:
        return redirect(url_for("views.index"))
    started = time.perf_counter()
    page, dropped = _search_known(search_req)
    elapsed_ms = (time.perf_counter() - started) * 1000
    links = MultiDict(form)
    links["q"] = page.shortened or search_req.q
    g.link_args = links
    return _results(page, links["q"], elapsed_ms, dropped, None)


def _args() -> MultiDict[str, str]:
    """The parameters this page's links carry: the query string, or for a POSTed text the form
    with the words searched."""
    return g.get("link_args") or request.args


def _results(page: Page, q: str, elapsed_ms: float, dropped: list[str], period_error: Any) -> str:
    return render_template(
        "results.html",
        page=page,
        q=q,
        elapsed_ms=elapsed_ms,
        links=_links(page),
        facets=_facet_links(page),
        active=_active_filters(period_error is None),
        period_error=period_error,
        dropped=dropped,
        sorts=[
            (key, label, _url(sort=key))
            for key, label in SORT_LABELS.items()
            if q or key != "relevance"  # browsing without words is by date
        ],
        suggestion_url=_url(q=page.suggestion) if page.suggestion else None,
        timeline=_timeline(page),
        feed_url=url_for("views.feed") + "?" + _encode(_without_paging()),
        document_query=_encode(MultiDict(_kept_search_args())),
        hidden=_hidden_fields(),
        args=_args(),
    )


def _home() -> str:
    """The search box, then the latest communiqués, the corpus's timeline, its types and
    sources: each a link into the corpus (``/?type=discours``, ``/?from=2024&to=2024``)."""
    overview = engine().search(replace(SearchRequest(""), per_page=HOME_LATEST, sort="date"))
    facets = [facet for facet in _facet_links(overview) if facet["name"] != "year"]
    return render_template(
        "home.html",
        info=engine().health(),
        q="",
        autofocus=True,
        latest=overview.hits,
        timeline=_timeline(overview),
        facets=facets,
        max_text_chars=settings()["max_text_chars"],
    )


def _search_known(search_req: SearchRequest) -> tuple[Page, list[str]]:
    """The page of ``search_req`` (without words: every document its filters allow, newest
    first); a type or source no document has is left out and said (a bookmarked value that is
    gone should not end on an error page)."""
    dropped: list[str] = []
    while True:
        try:
            return engine().search(search_req), dropped
        except UnknownValue as error:
            dropped.append(error.message)
            filters = search_req.filters
            if error.name == "type":
                filters = replace(
                    filters, types=tuple(v for v in filters.types if v != error.value)
                )
            else:
                rest = tuple(v for v in filters.sources if v != error.value)
                filters = replace(filters, sources=rest)
            search_req = replace(search_req, filters=filters)


@blueprint.get("/documents/<id:doc_id>")
def document(doc_id: str) -> str:
    doc = engine().document(doc_id)
    q = request.args.get("q", "")
    back = url_for("views.index", **_kept_search_args()) if q.strip() else None
    return render_template(
        "document.html",
        doc=doc,
        paragraphs=engine().paragraphs(doc, q),
        partly_marked=bool(q.strip()) and len(doc.body) > MARKED_CHARS,
        marked_chars=MARKED_CHARS,
        shown_chars=SHOWN_CHARS if len(doc.body) > SHOWN_CHARS else None,
        similar=engine().similar(doc.id),
        q=q,
        back=back,
    )


@blueprint.get("/feed")
def feed() -> Response:
    """Atom feed of a search, newest first, with the same parameters as the results page."""
    search_req = search_request(request.args, settings()["per_page"])
    if not search_req.q:
        raise BadRequest("paramètre « q » manquant : indiquez les mots à suivre")
    newest = replace(search_req, sort="date", page=1, per_page=FEED_ENTRIES)
    page = engine().search(newest)
    xml = render_template(
        "feed.xml",
        page=page,
        updated=max((hit.date for hit in page.hits if hit.date), default="2000-01-01"),
        self_url=absolute(request.full_path),
        html_url=absolute(url_for("views.index", **_kept_search_args())),
    )
    return Response(_XML_ILLEGAL.sub("", xml), mimetype="application/atom+xml")


def absolute(path: str) -> str:
    """``path`` on this site, as the settings' ``base_url`` says (a request's ``Host`` header
    is the client's to choose: it never goes into a link)."""
    base = settings()["base_url"] or f"http://{settings()['host']}:{settings()['port']}"
    return base.rstrip("/") + path


def _kept_search_args() -> dict[str, Any]:
    """The search parameters of this request, to link back to the results."""
    return {name: _args().getlist(name) for name in PARAMETERS if name in _args()}


def _url(**changes: Any) -> str:
    """This page's URL with ``changes`` (``None`` removes a parameter; paging restarts)."""
    args = MultiDict(_args())
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
    args = MultiDict(_args())
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
    """Each facet with its values, counts and the URL that ticks or unticks the value (types
    and sources: several values of one kind may be ticked, any of them matches)."""
    chosen = {name: _args().getlist(name) for name in ("type", "source")}
    facets = []
    for name, values in page.facets.items():
        if not values:
            continue
        items = []
        for value in values:
            url: str | None
            if name == "year":
                selected = _args().get("from") == value.value == _args().get("to")
                url = None if selected else _url(**{"from": value.value, "to": value.value})
            else:  # ticking a value adds it to those chosen; ticking it again takes it away
                selected = value.value in chosen[name]
                rest = [v for v in chosen[name] if v != value.value]
                url = _url(**{name: (rest or None) if selected else [*chosen[name], value.value]})
            items.append(
                {"value": value.value, "count": value.count, "url": url, "selected": selected}
            )
        facets.append({"name": name, "label": FACET_LABELS[name], "items": items})
    return facets


def _active_filters(period_in_force: bool = True) -> list[tuple[str, str]]:
    """(label, URL that removes it) for each filter in force."""
    active = []
    if period_in_force and (_args().get("from") or _args().get("to")):
        active.append((f"Période : {_period_label()}", _url(**{"from": None, "to": None})))
    for name, label in (("type", "Type"), ("source", "Source")):
        values = _args().getlist(name)
        for value in values:
            rest = [v for v in values if v != value]
            active.append((f"{label} : {value}", _url(**{name: rest or None})))
    return active


def _period_label() -> str:
    """``2022``, ``2022 – 2024``, ``2022 – …``: the period as typed (a reversed one in order)."""
    start, end = _args().get("from", "").strip(), _args().get("to", "").strip()
    if start == end:
        return start
    if start and end and period_bound(start, "from", False) > period_bound(end, "to", True):
        start, end = end, start
    return f"{start or '…'} – {end or '…'}"


def _hidden_fields() -> list[tuple[str, str]]:
    """Filters and sort, carried by the search box when the words change."""
    keep = ("from", "to", "type", "source", "sort", "per_page")
    return [(name, value) for name, value in _args().items(multi=True) if name in keep]


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
    app.add_template_global(absolute, "absolute")
