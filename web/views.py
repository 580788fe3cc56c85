"""HTML pages: the search box (``/``) and the results for ``/?q=…`` — no JavaScript needed."""

from __future__ import annotations

import datetime as dt
import time

from flask import Blueprint, Flask, current_app, render_template, request, url_for

from search.querying import Page, search

from .params import search_request

blueprint = Blueprint("views", __name__)

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
PAGE_LINKS = 2  # pages shown on each side of the current one


@blueprint.get("/")
def index() -> str:
    store = current_app.extensions["index_store"]
    settings = current_app.config["SEARCH_SETTINGS"]
    search_req = search_request(request.args, settings["per_page"])
    if not search_req.q:
        return render_template("home.html", info=store.info(), q="")
    started = time.perf_counter()
    page = search(store.searcher(), search_req, current_app.extensions["search_options"])
    elapsed_ms = (time.perf_counter() - started) * 1000
    return render_template(
        "results.html", page=page, q=search_req.q, elapsed_ms=elapsed_ms, links=_links(page)
    )


def _links(page: Page) -> dict[str, object]:
    """Pagination: URLs of previous, next and nearby pages (every parameter kept)."""

    def url(number: int) -> str:
        args: dict[str, object] = {**request.args.to_dict(), "page": number}
        return url_for("views.index", **args)  # type: ignore[arg-type]

    low = max(1, page.page - PAGE_LINKS)
    high = min(page.pages, page.page + PAGE_LINKS)
    return {
        "previous": url(page.page - 1) if page.page > 1 else None,
        "next": url(page.page + 1) if page.page < page.pages else None,
        "nearby": [(number, url(number)) for number in range(low, high + 1)],
    }


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
