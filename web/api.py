"""JSON API: the same library calls as the HTML pages, rendered as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, request
from werkzeug.datastructures import MultiDict

from search import __version__
from search.errors import BadRequest
from search.models import Page
from web.context import engine, settings
from web.openapi import openapi_document
from web.params import posted_parameters, search_request

blueprint = Blueprint("api", __name__, url_prefix="/api")


@blueprint.get("/search")
def api_search() -> dict[str, Any]:
    return _search(request.args)


@blueprint.post("/search")
def api_search_posted() -> dict[str, Any]:
    """The same search with its parameters in the body (a text too long for an address):
    form-encoded, or a JSON object (a list for a repeated parameter)."""
    return _search(posted_parameters())


def _search(args: MultiDict[str, str]) -> dict[str, Any]:
    search_req = search_request(args, settings()["per_page"])
    if not search_req.q:
        raise BadRequest("paramètre « q » manquant : indiquez les mots à chercher")
    page = engine().search(search_req)
    return page_json(page)


@blueprint.get("/suggest")
def api_suggest() -> dict[str, Any]:
    typed = request.args.get("q", "")
    if not typed.strip():
        raise BadRequest("paramètre « q » manquant : indiquez le début d’un mot")
    limit = settings()["max_suggest_chars"]
    if len(typed) > limit:
        raise BadRequest(f"« q » trop long pour des suggestions ({limit} caractères au plus)")
    return asdict(engine().suggest(typed))


@blueprint.get("/health")
def api_health() -> tuple[dict[str, Any], int]:
    health = engine().health()
    return {**asdict(health), "version": __version__}, 503 if health.status == "damaged" else 200


@blueprint.get("/openapi.json")
def api_openapi() -> dict[str, Any]:
    return openapi_document()


@blueprint.get("/documents/<id:doc_id>")
def api_document(doc_id: str) -> dict[str, Any]:
    return asdict(engine().document(doc_id))


@blueprint.get("/documents/<id:doc_id>/similar")
def api_similar(doc_id: str) -> dict[str, Any]:
    found = engine().similar(doc_id)
    return {"id": doc_id, "results": [asdict(item) for item in found]}


def page_json(page: Page) -> dict[str, Any]:
    return {
        "query": page.query,
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "sort": page.sort,
        "results": [asdict(hit) for hit in page.hits],
        "facets": {
            name: [asdict(value) for value in values] for name, values in page.facets.items()
        },
        "suggestion": page.suggestion,
        "corrected": page.corrected,
        "partial": page.partial,
        "shortened": page.shortened,
    }
