"""The console scripts as a user runs them: real processes, real files, real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.corpus import DOCS
from tests.support.paths import BIN, ROOT
from tests.support.server import free_port, get
from tests.support.web import Route, page, rss, web_site

pytestmark = [pytest.mark.process]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


@pytest.mark.parametrize("command", ["reindex", "serve", "search-cli"])
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0 and "--index" in result.stdout


def test_reindex_reports_bad_lines_and_ends_with_a_summary(
    tmp_path: Path, corpus_dir: Path
) -> None:
    with (corpus_dir / "docs.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"id": "x", "title": "sans corps"}\n')
    result = run("reindex", str(corpus_dir), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert f"{corpus_dir / 'docs.jsonl'}:5: champ « body » manquant ou vide" in result.stderr
    # once everything is read, the last step says what it does instead of a frozen "time left"
    assert f"lecture terminée : {len(DOCS)} documents en " in result.stderr
    assert result.stdout.startswith(f"{len(DOCS)} documents indexés, 1 ignorés, ")


def test_reindex_index_folder_from_the_environment(tmp_path: Path, corpus_dir: Path) -> None:
    target = tmp_path / "from-env"
    result = run("reindex", str(corpus_dir), env={"COMMUNIQUES_INDEX_DIR": str(target)})
    assert result.returncode == 0 and (target / "CURRENT").is_file()
    found = run("search-cli", "Geoana", "--json", env={"COMMUNIQUES_INDEX_DIR": str(target)})
    assert json.loads(found.stdout)["hits"][0]["id"] == "industrie-2024"


def test_reindex_of_a_missing_path_fails_clearly(tmp_path: Path) -> None:
    result = run("reindex", str(tmp_path / "absent"), "--index", str(tmp_path / "ix"))
    assert result.returncode != 0
    assert "Erreur : chemin introuvable" in result.stderr and "Traceback" not in result.stderr


def test_serve_answers_over_http_with_gunicorn(index_dir: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "serve"), "--index", str(index_dir), "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, body = get(f"{base}/api/search?q=" + urllib.parse.quote("l’OTAN"))
                break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.1)
        else:
            pytest.fail("serve did not start")
        assert status == 200 and body["total"] == 2
        assert get(f"{base}/api/search?q=otan&per_page=500")[0] == 400
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=20)
    assert "gunicorn" in err.lower() and "Traceback" not in err


def test_reindex_of_a_press_room_feed_reports_its_pages(tmp_path: Path) -> None:
    env = {"COMMUNIQUES_FETCH_ALLOW_PRIVATE": "1", "COMMUNIQUES_FETCH_DELAY": "0"}
    with web_site() as site:
        links = [site.url(f"/cp/{i}.html") for i in range(3)]
        for i, link in enumerate(links[:2]):
            site.routes[link.removeprefix(site.base)] = Route(
                page(f"Communiqué {i}", [f"Texte {i}."]), etag=f'"{i}"'
            )
        site.routes["/rss.xml"] = Route(rss(links), content_type="application/rss+xml")
        index = str(tmp_path / "ix")
        first = run("reindex", site.url("/rss.xml"), "--index", index, env=env)
        second = run("reindex", site.url("/rss.xml"), "--index", index, "--json", env=env)
        refused = run("reindex", site.url("/rss.xml"), "--index", str(tmp_path / "other"))
    assert first.returncode == 0, first.stderr
    assert f"ignoré : {links[2]}: erreur HTTP 404" in first.stderr
    assert first.stdout.startswith("2 documents indexés, 1 ignorés, ")
    assert "; web : 5 requêtes, 2 pages lues, 0 inchangées (304), 0 disparues" in first.stdout
    fetched = json.loads(second.stdout)["fetched"]
    assert (fetched["not_modified"], fetched["downloaded"], fetched["requests"]) == (2, 0, 5)
    assert refused.returncode != 0  # loopback refused without COMMUNIQUES_FETCH_ALLOW_PRIVATE
    assert "adresse locale ou privée refusée" in refused.stderr
