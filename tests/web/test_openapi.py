"""The OpenAPI document against the real API: a valid OpenAPI 3.1 document, every route and
search parameter described, and property-based tests (Schemathesis 4, in-process over WSGI, over
a real index) that fail when the API answers anything the document does not describe (status,
content type, headers, body) or a server error.

The schema is loaded from ``openapi_document()`` at import time (``schema.parametrize`` needs it
then; ``schemathesis.pytest.from_fixture`` cannot run under pytest 9.2, which dropped the
``Function._nodeid`` it rewrites), and a test checks ``/api/openapi.json`` serves that same
document.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from search.engines.whoosh.indexing import reindex
from search.indexing import ReindexOptions
from tests.support.corpus import DOCS, write_jsonl
from tests.support.paths import ROOT
from web import create_app
from web.openapi import DOC_ID_EXAMPLE, openapi_document
from web.params import PARAMETERS

SLASHED_ID = "archives/2020/otan-cyberdefense"
EXTRA_DOCS: list[dict[str, object]] = [
    {
        "id": DOC_ID_EXAMPLE,
        "title": "L’espace reconnu comme domaine d’opérations de l’Alliance",
        "body": "Londres, le 4 décembre 2019 — L’OTAN a adopté sa politique spatiale. Les Alliés "
        "partagent les données spatiales et protègent leurs satellites.",
        "date": "2019-12-04",
        "type": "déclaration",
        "source": "OTAN",
        "url": "https://example.org/communiques/2019-12-04-otan-politique-spatiale",
        "lang": "fr",
        "tags": ["espace", "défense"],
    },
    {
        "id": SLASHED_ID,
        "body": "Cyberdéfense : les Alliés renforcent la protection de leurs réseaux.\n\nLe centre "
        "de Tallinn accueille un exercice de sécurité informatique.",
        "date": "2020-06-15T09:30:00",
    },
]
CONFORMANCE = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CHECKS = [not_a_server_error, *CONFORMANCE]
EXAMPLES_PER_OPERATION = 80

schema = schemathesis.openapi.from_dict(openapi_document())


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The real app over a real index of the shared documents and a few more (built once)."""
    folder = tmp_path_factory.mktemp("openapi")
    (folder / "corpus").mkdir()
    write_jsonl(folder / "corpus" / "docs.jsonl", [*DOCS, *EXTRA_DOCS])
    reindex(
        [folder / "corpus"], folder / "index", ReindexOptions(synonyms_file=ROOT / "synonyms.txt")
    )
    app = create_app({"index_dir": str(folder / "index")})
    yield app
    app.extensions["communiques.engine"].close()


@pytest.fixture
def document(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body: dict[str, Any] = response.get_json()
    return body


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document == openapi_document() and document["openapi"] == "3.1.0"
    schemathesis.openapi.from_dict(document).validate()  # the official OpenAPI 3.1 meta-schema
    for name, component in document["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(component), name  # JSON Schema 2020-12


def test_every_search_parameter_is_described(document: dict[str, Any]) -> None:
    described = document["paths"]["/api/search"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter for parameter in described}
    assert set(PARAMETERS) <= set(by_name)
    for name in PARAMETERS:
        assert by_name[name]["in"] == "query"
        assert by_name[name]["description"] and "example" in by_name[name], name
    assert by_name["q"]["required"] is True
    for name in ("type", "source"):
        assert by_name[name]["schema"]["type"] == "array", name
        assert (by_name[name]["style"], by_name[name]["explode"]) == ("form", True), name


def test_every_api_route_is_described(app: Flask, document: dict[str, Any]) -> None:
    routes = {
        rule.rule.replace("<id:doc_id>", "{id}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes == set(document["paths"])
    for path, item in document["paths"].items():
        assert set(item) == ({"get", "post"} if path == "/api/search" else {"get"}), path
    # the property-based test below runs once per operation of ``schema``: so on every route
    exercised = {result.ok().label for result in schema.get_all_operations()}
    assert exercised == {f"GET {path}" for path in routes} | {"POST /api/search"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
def test_the_api_does_what_the_document_says(case: Case, app: Flask) -> None:
    case.call_and_validate(app=app, checks=CHECKS)


def test_a_slashed_id_is_served(app: Flask) -> None:
    for path in ("/api/documents/{id}", "/api/documents/{id}/similar"):
        case = schema[path]["GET"].Case(path_parameters={"id": SLASHED_ID})
        response = case.call_and_validate(app=app, checks=CHECKS)
        assert response.status_code == 200
        assert response.json()["id"] == SLASHED_ID


def test_without_an_index_every_operation_answers_503_as_described(tmp_path: Path) -> None:
    app = create_app({"index_dir": str(tmp_path / "nothing-built")})
    requests = {
        "/api/search": {"query": {"q": "otan"}},
        "/api/documents/{id}": {"path_parameters": {"id": DOC_ID_EXAMPLE}},
        "/api/documents/{id}/similar": {"path_parameters": {"id": DOC_ID_EXAMPLE}},
        "/api/suggest": {"query": {"q": "ota"}},
        "/api/health": {},
    }
    for path, parts in requests.items():
        case = schema[path]["GET"].Case(**parts)
        response = case.call_and_validate(app=app, checks=CONFORMANCE)
        assert response.status_code == 503, path
        assert response.json()["status"] == 503, path


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/nulle-part", 404),
        ("PUT", "/api/search?q=otan", 405),
        ("DELETE", f"/api/documents/{DOC_ID_EXAMPLE}", 405),
    ],
)
def test_errors_outside_the_operations_have_the_error_shape(
    app: Flask, document: dict[str, Any], method: str, path: str, status: int
) -> None:
    response = app.test_client().open(path, method=method)
    assert response.status_code == status and response.mimetype == "application/json"
    jsonschema_rs.validate(document["components"]["schemas"]["Error"], response.get_json())
    assert response.get_json()["status"] == status
