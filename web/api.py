"""JSON API: the same library calls as the HTML pages, rendered as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, current_app, request

from search import __version__
from search.documents import get_document, similar_documents
from search.errors import BadRequest
from search.querying import Page, search
from search.store import IndexStore, ServedIndex
from search.suggest import suggest

from .openapi import openapi_document
from .params import search_request

blueprint = Blueprint("api", __name__, url_prefix="/api")
MAX_SUGGEST_CHARS = 100


def _served() -> ServedIndex:
    store: IndexStore = current_app.extensions["index_store"]
    return store.current()


@blueprint.get("/search")
def api_search() -> dict[str, Any]:
    settings = current_app.config["SEARCH_SETTINGS"]
    search_req = search_request(request.args, settings["per_page"])
    if not search_req.q:
        raise BadRequest("paramètre « q » manquant : indiquez les mots à chercher")
    page = search(_served(), search_req, current_app.extensions["search_options"])
    return page_json(page)


@blueprint.get("/suggest")
def api_suggest() -> dict[str, Any]:
    typed = request.args.get("q", "")
    if not typed.strip():
        raise BadRequest("paramètre « q » manquant : indiquez le début d’un mot")
    if len(typed) > MAX_SUGGEST_CHARS:
        raise BadRequest(
            f"« q » trop long pour des suggestions ({MAX_SUGGEST_CHARS} caractères au plus)"
        )
    return asdict(suggest(_served(), typed))


@blueprint.get("/health")
def api_health() -> tuple[dict[str, Any], int]:
    store: IndexStore = current_app.extensions["index_store"]
    problem = store.check()
    info = store.info()
    damaged = store.served_damaged
    return {
        "status": "damaged" if damaged else "degraded" if problem else "ok",
        "problem": problem,
        "documents": info.documents,
        "generation": info.generation,
        "built_at": info.built_at,
        "index_format": info.index_format,
        "reindex_needed": info.reindex_needed,
        "version": __version__,
    }, 503 if damaged else 200


@blueprint.get("/openapi.json")
def api_openapi() -> dict[str, Any]:
    return openapi_document()


@blueprint.get("/documents/<path:doc_id>")
def api_document(doc_id: str) -> dict[str, Any]:
    return asdict(get_document(_served(), doc_id))


@blueprint.get("/documents/<path:doc_id>/similar")
def api_similar(doc_id: str) -> dict[str, Any]:
    found = similar_documents(_served(), doc_id)
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
    }
