"""A served index or the real app over an index folder, closed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask.testing import FlaskClient

from search.corpus import Problem
from search.engines.whoosh.reading.store import IndexStore, ServedIndex
from search.indexing import NoEvents
from web import create_app
from web.context import ENGINE


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
        app.extensions[ENGINE].close()


def served_count(index_dir: Path) -> int:
    """How many documents the generation served from ``index_dir`` holds."""
    store = IndexStore(index_dir)
    try:
        return store.info().documents
    finally:
        store.close()


class Seen(NoEvents):
    """Reindex events that keep the problems reported, in order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)
