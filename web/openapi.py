"""The OpenAPI 3.1 description of the JSON API, served at ``/api/openapi.json``.

Plain data, written by hand to match what ``web.api`` answers: every error, for every status,
is ``{"error": "message en français", "status": 400}``; every ``/api/`` response carries the
CORS headers of ``web.headers``. ``tests/test_openapi.py`` checks the API against it.
"""

from __future__ import annotations

from typing import Any

from search import __version__
from search.config import defaults
from search.models import SORTS, SearchOptions

JSON = "application/json"
DOC_ID_EXAMPLE = "2019-12-04-otan-politique-spatiale"
LIMITS = SearchOptions.defaults()  # the bounds of the default settings
DEFAULTS = defaults()
EMPTY = "An empty value is the same as leaving the parameter out."
ANY_OF = (
    "repeat for several (any of them matches); matched without regard to accents, case or "
    "apostrophes; empty values are ignored."
)
HELP = {
    "q": (
        'The query, same syntax as the search box: words, `"exact phrase"`, `-excluded`, '
        "`word OR word`, `prefix*`, `titre:word`. Required and not blank; "
        f"{LIMITS.max_text_chars} characters at most once trimmed (a longer text must be sent "
        "with POST, since an address that long may be refused). A text over "
        f"{LIMITS.max_query_chars} characters or {LIMITS.max_terms} words to search is searched "
        "by its most informative words (see `shortened`). A query with nothing left to search "
        "(`le`) gets 400."
    ),
    "page": (
        f"Page number, from 1; `page × per_page` may not exceed {LIMITS.max_result_window}. {EMPTY}"
    ),
    "per_page": (
        f"Results per page, 1 to {LIMITS.max_per_page} (default {DEFAULTS['per_page']} unless the "
        "server is "
        f"configured otherwise). {EMPTY}"
    ),
    "from": f"First day of the period (inclusive). {EMPTY}",
    "to": f"Last day of the period (inclusive): `2024-02` ends on the 29th. {EMPTY}",
    "type": f"Document type; {ANY_OF}",
    "source": f"Organisation; {ANY_OF}",
    "sort": (
        f"`relevance` (best first), `date` (newest first) or `date_asc` (oldest first). {EMPTY}"
    ),
}

DESCRIPTION = (
    "Full-text search over French press communiqués. Every endpoint answers JSON. Errors, for "
    'every status, are `{"error": "message en français", "status": 400}`: 400 for a bad '
    "parameter or a query with nothing to search, 404 for an unknown document or route, "
    "405 for a wrong method, 429 over the rate limit a deployer may set, 503 when no index has "
    "been built. Every response under `/api/` allows any origin (CORS, GET, and POST for "
    "`/api/search`)."
)


def openapi_document() -> dict[str, Any]:
    """The whole document, a new dict on every call."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Communiqués search API",
            "version": __version__,
            "summary": "Search French press communiqués, read one, find similar ones.",
            "description": DESCRIPTION,
        },
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "responses": _shared_responses(),
            "headers": _headers(),
        },
    }


def _paths() -> dict[str, Any]:
    return {
        "/api/search": {"get": _search_operation(), "post": _posted_search_operation()},
        "/api/documents/{id}": {"get": _document_operation()},
        "/api/documents/{id}/similar": {"get": _similar_operation()},
        "/api/suggest": {"get": _suggest_operation()},
        "/api/health": {"get": _health_operation()},
        "/api/openapi.json": {"get": _openapi_operation()},
    }


# Operations


def _search_operation() -> dict[str, Any]:
    return {
        "operationId": "search",
        "summary": "Search the communiqués",
        "description": (
            "One page of ranked hits with facet counts, for the same query syntax as the search "
            "box. Any query may still be refused with 400 when nothing is left to search once "
            "stop words and punctuation are removed (`q=le`), and a valid `page` and `per_page` "
            "are refused together when `page × per_page` exceeds 10 000."
        ),
        "parameters": _search_parameters(),
        "responses": {
            "200": _ok("A page of results.", "Page"),
            "400": _shared("BadRequest"),
            "503": _shared("Unavailable"),
            "429": _shared("TooManyRequests"),
        },
    }


def _posted_search_operation() -> dict[str, Any]:
    form = {"style": "form", "explode": True}
    return {
        **_search_operation(),
        "operationId": "searchPosted",
        "summary": "Search the communiqués with a text too long for an address",
        "parameters": [],
        "requestBody": {
            "required": True,
            "description": "The parameters of the GET operation, form-encoded (`type` and "
            "`source` repeated) or as a JSON object (lists for `type` and `source`).",
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": _search_body(),
                    "encoding": {"type": form, "source": form},
                },
                JSON: {"schema": _search_body()},
            },
        },
    }


def _search_body() -> dict[str, Any]:
    properties = {
        p["name"]: {**p["schema"], "description": p["description"]} for p in _search_parameters()
    }
    return {"type": "object", "required": ["q"], "properties": properties}


def _document_operation() -> dict[str, Any]:
    return {
        "operationId": "getDocument",
        "summary": "One whole document",
        "parameters": [_id_parameter()],
        "responses": {
            "200": _ok("The document.", "Document"),
            "404": _shared("NotFound"),
            "503": _shared("Unavailable"),
            "429": _shared("TooManyRequests"),
        },
    }


def _similar_operation() -> dict[str, Any]:
    return {
        "operationId": "similarDocuments",
        "summary": "The documents closest to one document",
        "description": "At most five documents, found by the document's most significant words.",
        "parameters": [_id_parameter()],
        "responses": {
            "200": _ok("The closest documents, best first.", "SimilarResults"),
            "404": _shared("NotFound"),
            "503": _shared("Unavailable"),
            "429": _shared("TooManyRequests"),
        },
    }


def _suggest_operation() -> dict[str, Any]:
    return {
        "operationId": "suggest",
        "summary": "As-you-type suggestions",
        "description": "Completions of the last word typed, and titles matching what was typed.",
        "parameters": [_suggest_q()],
        "responses": {
            "200": _ok("Completions and matching titles.", "Suggestions"),
            "400": _shared("BadRequest"),
            "503": _shared("Unavailable"),
            "429": _shared("TooManyRequests"),
        },
    }


def _health_operation() -> dict[str, Any]:
    return {
        "operationId": "health",
        "summary": "The served index",
        "responses": {
            "200": _ok(
                "An index is served (status ok, or degraded: a newer generation was "
                "refused as damaged and the previous one is served).",
                "Health",
            ),
            "503": _response(
                "The served generation's files differ from their recorded digests (Health, "
                "status damaged), or no index is served (Error).",
                {"oneOf": [_ref("Health"), _ref("Error")]},
            ),
            "429": _shared("TooManyRequests"),
        },
    }


def _openapi_operation() -> dict[str, Any]:
    schema = {"type": "object", "required": ["openapi", "info", "paths"]}
    return {
        "operationId": "openapi",
        "summary": "This OpenAPI document",
        "responses": {
            "200": _response("The OpenAPI 3.1 document of the API.", schema),
            "429": _shared("TooManyRequests"),
        },
    }


# Parameters


def _search_parameters() -> list[dict[str, Any]]:
    q = {"type": "string", "minLength": 1, "maxLength": LIMITS.max_text_chars}
    sort = {"type": "string", "enum": list(SORTS), "default": "relevance"}
    return [
        _query("q", q, HELP["q"], "politique spatiale", required=True),
        _query("page", _integer(LIMITS.max_result_window, 1), HELP["page"], 1),
        _query(
            "per_page", _integer(LIMITS.max_per_page, DEFAULTS["per_page"]), HELP["per_page"], 20
        ),
        _query("from", _period(), HELP["from"], "2019"),
        _query("to", _period(), HELP["to"], "2024-02"),
        _array_query("type", HELP["type"], ["communiqué", "déclaration"]),
        _array_query("source", HELP["source"], ["OTAN"]),
        _query("sort", sort, HELP["sort"], "date"),
    ]


def _integer(maximum: int, default: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": maximum, "default": default}


def _period() -> dict[str, Any]:
    return {
        "type": "string",
        "maxLength": 40,
        "description": (
            "`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or as written in French: `03/2024`, `15/03/2024`, "
            "`mars 2024`, `15 mars 2024`. A date that does not exist, or another text, gets 400; "
            "`from` after `to` is read the other way round."
        ),
    }


def _array_query(name: str, description: str, example: list[str]) -> dict[str, Any]:
    schema = {"type": "array", "items": {"type": "string"}}
    return _query(name, schema, description, example, style="form", explode=True)


def _suggest_q() -> dict[str, Any]:
    return _query(
        "q",
        {"type": "string", "minLength": 1, "maxLength": DEFAULTS["max_suggest_chars"]},
        "What was typed so far; its last word is completed. Required, not blank, "
        f"{DEFAULTS['max_suggest_chars']} characters at most.",
        "politique spa",
        required=True,
    )


def _id_parameter() -> dict[str, Any]:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "description": (
            "The document's identifier, as in `results[].id`. It may contain slashes, sent as "
            "they are or percent-encoded (an identifier ending in `/similar` is read as the "
            "similar-documents address of what precedes it)."
        ),
        "schema": {"type": "string", "minLength": 1},
        "example": DOC_ID_EXAMPLE,
    }


def _query(
    name: str,
    schema: dict[str, Any],
    description: str,
    example: Any,
    required: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
        "example": example,
        **extra,
    }


# Responses and headers


def _ok(description: str, schema_name: str) -> dict[str, Any]:
    return _response(description, _ref(schema_name))


def _response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {
            "Access-Control-Allow-Origin": {"$ref": "#/components/headers/AllowOrigin"},
            "Access-Control-Allow-Methods": {"$ref": "#/components/headers/AllowMethods"},
        },
        "content": {JSON: {"schema": schema}},
    }


def _shared(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/responses/{name}"}


def _shared_responses() -> dict[str, Any]:
    error = _ref("Error")
    return {
        "BadRequest": _response("A parameter is wrong, or there is nothing to search.", error),
        "NotFound": _response("No document has this identifier.", error),
        "Unavailable": _response("No index is served: run `reindex` first.", error),
        "TooManyRequests": _response(
            "Over the per-client rate limit the deployer set (`rate_limit`); see Retry-After.",
            error,
        ),
    }


def _headers() -> dict[str, Any]:
    return {
        "AllowOrigin": _header("Any page may read the API.", "*"),
        "AllowMethods": _header("GET, and POST for a search.", "GET, POST"),
    }


def _header(description: str, value: str) -> dict[str, Any]:
    return {
        "description": description,
        "required": True,
        "schema": {"type": "string", "const": value},
    }


# Schemas


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], description: str) -> dict[str, Any]:
    """An object whose properties are all present (the API always writes every key)."""
    return {
        "type": "object",
        "description": description,
        "required": list(properties),
        "properties": properties,
    }


def _text(description: str = "", nullable: bool = False, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": ["string", "null"] if nullable else "string", **extra}
    return {**schema, "description": description} if description else schema


def _date() -> dict[str, Any]:
    return _text("Date of the document, `YYYY-MM-DD`, or null.", nullable=True, format="date")


def _schemas() -> dict[str, Any]:
    return {
        "Page": _page(),
        "Hit": _hit(),
        "FacetValue": _facet_value(),
        "Document": _document(),
        "Similar": _similar(),
        "SimilarResults": _similar_results(),
        "Suggestions": _suggestions(),
        "TitleSuggestion": _title_suggestion(),
        "Health": _health(),
        "Error": _error(),
    }


def _facets() -> dict[str, Any]:
    values = {"type": "array", "items": _ref("FacetValue")}
    return {
        "type": "object",
        "description": "Counts among matching documents (after filters), 20 values at most each.",
        "required": ["year", "type", "source"],
        "properties": {
            "year": {**values, "description": "By year, newest first."},
            "type": {**values, "description": "By type, most frequent first."},
            "source": {**values, "description": "By source, most frequent first."},
        },
        "additionalProperties": values,
    }


def _page() -> dict[str, Any]:
    return _object(
        {
            "query": _text("The query as understood (trimmed)."),
            "total": {"type": "integer", "minimum": 0, "description": "Matching documents."},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "sort": {"type": "string", "enum": list(SORTS)},
            "results": {"type": "array", "items": _ref("Hit")},
            "facets": _facets(),
            "suggestion": _text("The query with doubtful words corrected, or null.", True),
            "corrected": {
                "type": "boolean",
                "description": "Close words were added: for a word no document holds, or "
                "for rare words when the words typed found little.",
            },
            "partial": {
                "type": "boolean",
                "description": "The search reached its time limit: `total`, `facets` and "
                "`results` cover only what was found in time.",
            },
            "shortened": _text(
                f"A long text (over {LIMITS.max_query_chars} characters or "
                f"{LIMITS.max_terms} words to search) was searched by its most informative "
                "words, those frequent in it and rare in the corpus: they are given here as a "
                "query, short enough for an address; null otherwise.",
                nullable=True,
            ),
        },
        "One page of search results.",
    )


def _hit() -> dict[str, Any]:
    return _object(
        {
            "id": _text("Identifier, for `/api/documents/{id}`."),
            "title": _text(),
            "date": _date(),
            "url": _text("Address of the original, or null.", nullable=True),
            "type": _text(nullable=True),
            "source": _text(nullable=True),
            "score": {
                "type": ["number", "null"],
                "description": "Relevance score; null when sorted by date.",
            },
            "snippet": _text("HTML: the text escaped, with `<mark>` around matched words."),
            "title_marked": _text("HTML: the title escaped, with `<mark>` around matched words."),
        },
        "One search result.",
    )


def _facet_value() -> dict[str, Any]:
    return _object(
        {"value": _text(), "count": {"type": "integer", "minimum": 1}},
        "One value of a facet and how many matching documents have it.",
    )


def _document() -> dict[str, Any]:
    return _object(
        {
            "id": _text(),
            "title": _text(),
            "body": _text("The whole text, plain."),
            "date": _date(),
            "url": _text(nullable=True),
            "type": _text(nullable=True),
            "source": _text(nullable=True),
            "extra": {
                "type": "object",
                "additionalProperties": True,
                "description": "The other keys of the source record.",
            },
            "path": _text("The file the document was read from (`:line` for JSON Lines)."),
        },
        "One whole document.",
    )


def _similar() -> dict[str, Any]:
    return _object(
        {
            "id": _text(),
            "title": _text(),
            "date": _date(),
            "type": _text(nullable=True),
            "source": _text(nullable=True),
            "score": {"type": "number"},
        },
        "A document close to the one asked for.",
    )


def _similar_results() -> dict[str, Any]:
    return _object(
        {
            "id": _text("The identifier asked for."),
            "results": {"type": "array", "items": _ref("Similar"), "maxItems": 5},
        },
        "The documents closest to one document.",
    )


def _suggestions() -> dict[str, Any]:
    return _object(
        {
            "query": _text("What was typed, unchanged."),
            "words": {
                "type": "array",
                "items": {"type": "string"},
                "description": "What was typed with its last word completed, most frequent first.",
            },
            "titles": {"type": "array", "items": _ref("TitleSuggestion")},
        },
        "As-you-type suggestions.",
    )


def _title_suggestion() -> dict[str, Any]:
    return _object(
        {"id": _text(), "title": _text(), "date": _date(), "type": _text(nullable=True)},
        "A document whose title matches what was typed.",
    )


def _health() -> dict[str, Any]:
    return _object(
        {
            "status": {"type": "string", "enum": ["ok", "degraded", "damaged"]},
            "problem": _text(
                "What was found damaged and what is served instead, in French, or null.",
                nullable=True,
            ),
            "engine": _text("The search engine serving: whoosh or opensearch."),
            "documents": {"type": "integer", "minimum": 0},
            "generation": _text("Name of the served index generation."),
            "built_at": _text("When the index was built (ISO 8601), or null.", nullable=True),
            "index_format": {
                "type": ["integer", "null"],
                "description": "Version of the index format the index was built with.",
            },
            "reindex_needed": {
                "type": "boolean",
                "description": "The index was built with another format than this version's: "
                "some words may not match until `reindex` rebuilds it.",
            },
            "state": _text("The engine's state: ok (whoosh), green or yellow (a cluster)."),
            "version": _text("Version of the software."),
        },
        "The served index.",
    )


def _error() -> dict[str, Any]:
    return _object(
        {
            "error": _text("What is wrong, in French, and what to do."),
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
        },
        "An error, for every status.",
    )
