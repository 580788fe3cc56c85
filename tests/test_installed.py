"""The package as a user installs it: the wheel built from the source, installed in a fresh
virtual environment (not editable), then every command and every route used from there.

Editable installs read templates and static files from the source tree, so a file missing from
``package-data`` only shows up here. Slow (a wheel build and a ``pip install`` from PyPI or
pip's cache): ``pytest -m "not slow"`` leaves it out.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import ROOT
from tests.support.server import free_port

pytestmark = pytest.mark.slow
PACKAGES = ("search", "web", "cli")


def _run(*command: str | Path, cwd: Path, timeout: int = 600) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built by pip from a copy of the source (the checkout stays clean)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "-w", out, cwd=source)
    (built,) = out.glob("communiques_search-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel (dependencies from pip's cache or PyPI)."""
    folder = tmp_path_factory.mktemp("venv")
    _run(sys.executable, "-m", "venv", folder, cwd=folder)
    pip = (folder / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check")
    _run(*pip, wheel, cwd=folder)
    return folder


def test_the_wheel_holds_every_file_of_the_packages(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        packed = set(archive.namelist())
    tracked = subprocess.run(
        ["git", "ls-files", *PACKAGES], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    missing = [name for name in tracked if name not in packed]
    assert tracked and not missing, f"left out of the wheel: {missing}"


@pytest.fixture(scope="module")
def installed_index(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``reindex`` of the installed copy over the bundled corpus, run outside the checkout."""
    work = tmp_path_factory.mktemp("user")
    shutil.copytree(ROOT / "corpus", work / "corpus")
    shutil.copy2(ROOT / "synonyms.txt", work / "synonyms.txt")
    where = _run(
        venv / "bin" / "python",
        "-c",
        "import search, web; print(search.__file__, web.__file__)",
        cwd=work,
    )
    assert all(path.startswith(str(venv)) for path in where.split()), where
    summary = _run(venv / "bin" / "reindex", "--json", cwd=work)
    assert json.loads(summary)["indexed"] > 40
    return work / "index"


def test_search_cli_of_the_installed_copy(venv: Path, installed_index: Path) -> None:
    out = _run(
        venv / "bin" / "search-cli",
        "défense",
        "--index",
        installed_index,
        "--json",
        cwd=installed_index.parent,
    )
    assert json.loads(out)["total"] > 0


@pytest.fixture(scope="module")
def served(venv: Path, installed_index: Path) -> Iterator[str]:
    """``serve`` of the installed copy, as a real gunicorn process."""
    port = free_port()
    server = subprocess.Popen(
        [str(venv / "bin" / "serve"), "--index", str(installed_index), "--port", str(port)],
        cwd=installed_index.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/api/health", timeout=5).close()
                break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.1)
        else:
            pytest.fail("serve of the installed copy did not start")
        yield base
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=20)
    assert "Traceback" not in err, err


def _status(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def _first_id(base: str) -> str:
    body = _status(f"{base}/api/search?q=d%C3%A9fense")[2]
    return urllib.parse.quote(json.loads(body)["results"][0]["id"])


ROUTES = [
    ("/", 200, "text/html"),
    ("/?q=d%C3%A9fense", 200, "text/html"),
    ("/?q=d%C3%A9fense&sort=date&from=2020&to=2025&page=1", 200, "text/html"),
    ("/documents/{id}?q=d%C3%A9fense", 200, "text/html"),
    ("/documents/{id}", 200, "text/html"),
    ("/documents/absent-document", 404, "text/html"),
    ("/feed?q=d%C3%A9fense", 200, "application/atom+xml"),
    ("/api/search?q=d%C3%A9fense", 200, "application/json"),
    ("/api/search?q=", 400, "application/json"),
    ("/api/documents/{id}", 200, "application/json"),
    ("/api/documents/{id}/similar", 200, "application/json"),
    ("/api/suggest?q=d%C3%A9f", 200, "application/json"),
    ("/api/health", 200, "application/json"),
    ("/api/openapi.json", 200, "application/json"),
    ("/static/style.css", 200, "text/css"),
    ("/static/suggest.js", 200, "text/javascript"),
    ("/static/favicon.svg", 200, "image/svg+xml"),
]


@pytest.mark.parametrize(("route", "status", "kind"), ROUTES, ids=[r[0] for r in ROUTES])
def test_every_route_of_the_installed_copy(served: str, route: str, status: int, kind: str) -> None:
    url = served + route.replace("{id}", _first_id(served))
    got, content_type, body = _status(url)
    assert (got, content_type.split(";")[0]) == (status, kind), body[:500]
    assert body
