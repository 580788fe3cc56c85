"""JSON API: ``GET /api/search`` answers from the same library call as the HTML page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request

from search.errors import BadRequest
from search.querying import Page, search

from .params import search_request

blueprint = Blueprint("api", __name__, url_prefix="/api")


@blueprint.get("/search")
def api_search() -> dict[str, Any]:
    settings = current_app.config["SEARCH_SETTINGS"]
    search_req = search_request(request.args, settings["per_page"])
    if not search_req.q:
        raise BadRequest("paramètre « q » manquant : indiquez les mots à chercher")
    store = current_app.extensions["index_store"]
    page = search(store.searcher(), search_req, current_app.extensions["search_options"])
    return page_json(page)


def page_json(page: Page) -> dict[str, Any]:
    return {
        "query": page.query,
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "results": [
            {
                "id": hit.id,
                "title": hit.title,
                "date": hit.date,
                "url": hit.url,
                "type": hit.type,
                "source": hit.source,
                "score": hit.score,
                "snippet": hit.snippet,
            }
            for hit in page.hits
        ],
    }
