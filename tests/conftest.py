"""Shared fixtures: a small corpus written to a temporary folder, a real index built from it
with the real ``reindex`` code, and the real Flask app over that index."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search.indexing import reindex
from search.store import IndexStore, ServedIndex
from tests.support import cluster
from web import create_app

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

DOCS = [
    {
        "id": "espace-2019",
        "title": "L’espace reconnu comme domaine d’opérations",
        "body": "L’OTAN a adopté sa politique spatiale en 2019. La sécurité de l’espace "
        "est au cœur de la mise en œuvre décidée par les Alliés.",
        "date": "2019-12-04",
        "type": "déclaration",
        "source": "OTAN",
    },
    {
        "id": "industrie-2024",
        "title": "L’OTAN renforce son partenariat avec l’industrie spatiale",
        "body": "Bruxelles, le 20 février 2024 — Le secrétaire général adjoint, Mircea Geoană, "
        "a réuni les industriels. La porte-parole a rappelé l'engagement des États-Unis.",
        "date": "2024-02-20",
        "type": "communiqué",
        "source": "OTAN",
        "url": "https://example.org/industrie-2024",
    },
    {
        "id": "secretaire-du-general",
        "title": "Visite du secrétaire du général",
        "body": "Le secrétaire du général commandant la région est arrivé jeudi.Le préfet "
        "l’a reçu. Aucune décision n’a été prise sur la politique locale.",
        "date": "2021-03-01",
        "type": "communiqué",
        "source": "Gouvernement",
    },
    {
        "id": "piege",
        "title": "Texte avec balises <script>alert(1)</script>",
        "body": 'Ce texte contient "><img src=x onerror=alert(1)> et <script>alert(2)</script> '
        "à propos de sécurité.",
        "date": "2020-05-05",
    },
]


def write_jsonl(path: Path, docs: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    return path


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_jsonl(folder / "docs.jsonl", DOCS)
    return folder


@pytest.fixture
def index_dir(tmp_path: Path, corpus_dir: Path) -> Path:
    target = tmp_path / "index"
    reindex([corpus_dir], target, synonyms_file=ROOT / "synonyms.txt")
    return target


@contextmanager
def served_from(index_dir: Path) -> Iterator[ServedIndex]:
    """The generation served from ``index_dir``, closed afterwards."""
    store = IndexStore(index_dir)
    try:
        yield store.current()
    finally:
        store.close()


@contextmanager
def app_client(index_dir: Path, **settings: object) -> Iterator[FlaskClient]:
    """A test client of the real app over ``index_dir`` (other settings as given)."""
    app = create_app({"index_dir": str(index_dir), **settings})
    try:
        yield app.test_client()
    finally:
        app.extensions["index_store"].close()


@pytest.fixture
def store(index_dir: Path):  # type: ignore[no-untyped-def]
    store = IndexStore(index_dir)
    yield store
    store.close()


@pytest.fixture
def client(index_dir: Path) -> Iterator[FlaskClient]:
    with app_client(index_dir) as test_client:
        yield test_client


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real French data not available: {SHARED_DATA} is absent (see README)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[cluster.Cluster]:
    """Three real OpenSearch nodes on free loopback ports, started once for the session."""
    if missing := cluster.missing_tools():
        message = f"OpenSearch cluster tests need Java 17 and Maven: {', '.join(missing)} not found"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set: these tests must run)")
        pytest.skip(message)
    with cluster.running(tmp_path_factory.mktemp("cluster")) as running:
        yield running
