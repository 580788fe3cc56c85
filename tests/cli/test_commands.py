"""The console scripts as a user runs them: real processes, real files, real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.corpus import DOCS, write_jsonl
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
    assert result.stdout.startswith(f"{len(DOCS)} documents indexés, 1 ignoré, ")


def test_reindex_index_folder_from_the_environment(tmp_path: Path, corpus_dir: Path) -> None:
    target = tmp_path / "from-env"
    result = run("reindex", str(corpus_dir), env={"COMMUNIQUES_INDEX_DIR": str(target)})
    assert result.returncode == 0 and (target / "CURRENT").is_file()
    found = run("search-cli", "Geoana", "--json", env={"COMMUNIQUES_INDEX_DIR": str(target)})
    assert json.loads(found.stdout)["results"][0]["id"] == "industrie-2024"


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


def test_reindex_reports_impossible_unquoted_dates_and_takes_a_number_title_as_text(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "md"
    corpus.mkdir()
    headers = {
        "fevrier": "date: 2025-02-30",  # YAML would build a date and fail
        "heure": "date: 2025-03-01 25:00:00",
        "etiquette": "date: !!timestamp 2025-02-30",
        "annee": "title: 2025\ndate: 2025-01-15",
        "liste": "title: [a, b]",
    }
    for name, header in headers.items():
        (corpus / f"{name}.md").write_text(f"---\n{header}\n---\nTexte de {name}.\n", "utf-8")
    result = run("reindex", str(corpus), "--index", str(tmp_path / "ix"), "--json")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    summary = json.loads(result.stdout)
    assert summary["indexed"] == 1
    assert summary["skipped_by_reason"] == {"impossible_date": 2, "bad_header": 1, "bad_field": 1}
    assert f"{corpus / 'fevrier.md'}: date impossible : '2025-02-30'" in result.stderr
    assert "trouvé une liste" in result.stderr and "trouvé list" not in result.stderr
    found = run("search-cli", "2025", "--index", str(tmp_path / "ix"), "--json")
    assert [hit["title"] for hit in json.loads(found.stdout)["results"]] == ["2025"]


def _checkout_copy(tmp_path: Path) -> Path:
    """The Makefile, corpus and synonyms in a folder of their own, with a ``.venv`` whose
    ``bin`` is this test's and whose stamps are newer than ``pyproject.toml``: ``make`` never
    installs anything there (an install would point this venv at the copy)."""
    copy = tmp_path / "checkout"
    copy.mkdir()
    for name in ("Makefile", "synonyms.txt", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(ROOT / "corpus", copy / "corpus")
    (copy / ".venv").mkdir()
    for entry in BIN.parent.iterdir():  # bin, lib, pyvenv.cfg: this venv, without its stamps
        if not entry.name.startswith("."):
            (copy / ".venv" / entry.name).symlink_to(entry)
    later = (copy / "pyproject.toml").stat().st_mtime + 60
    for stamp in (".installed-stamp", ".app-installed-stamp"):
        (copy / ".venv" / stamp).touch()
        os.utime(copy / ".venv" / stamp, (later, later))
    return copy


def _make(copy: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["make", "--no-print-directory", *args],
        cwd=copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,  # make, reindex and serve: one process group to stop
    )


def test_make_run_checks_the_port_before_indexing(tmp_path: Path) -> None:
    copy = _checkout_copy(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        make = _make(copy, "run", env={"COMMUNIQUES_PORT": port})
        out, _ = make.communicate(timeout=300)
    assert make.returncode != 0
    assert f"127.0.0.1:{port}" in out and "déjà" in out, out
    assert not (copy / "index").exists() and not (copy / "run-index").exists(), out


def test_make_run_keeps_its_own_index_and_leaves_the_users(tmp_path: Path) -> None:
    copy = _checkout_copy(tmp_path)
    mine = write_jsonl(tmp_path / "mine.jsonl", [{"id": "a-moi", "body": "Mon texte Zorglub."}])
    assert run("reindex", str(mine), "--index", str(copy / "index")).returncode == 0
    port = free_port()
    make = _make(copy, "run", env={"COMMUNIQUES_PORT": str(port)})
    try:
        for _ in range(600):
            try:
                status, health = get(f"http://127.0.0.1:{port}/api/health")
                break
            except (ConnectionError, urllib.error.URLError):
                assert make.poll() is None, make.communicate()[0]
                time.sleep(0.2)
        else:
            pytest.fail("make run did not serve")
        assert status == 200 and health["documents"] == 50
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.communicate(timeout=30)
    found = run("search-cli", "Zorglub", "--index", str(copy / "index"), "--json")
    assert json.loads(found.stdout)["total"] == 1, found.stderr


def test_make_run_does_not_install_the_test_tools(tmp_path: Path) -> None:
    copy = tmp_path / "fresh"
    copy.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)
    dry = subprocess.run(
        ["make", "-n", "run"], cwd=copy, capture_output=True, text=True, check=False
    ).stdout
    installs = [line for line in dry.splitlines() if "pip install" in line]
    assert installs and not any("[test]" in line for line in installs), dry


def test_the_commands_agree_in_number_and_with_the_api(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "one.jsonl", [{"id": "seul", "body": "Un texte Zorglub."}])
    cut = '{"id": "coupe", "title": "Une ligne coupée", "body": "Le texte"'  # no closing }
    with corpus.open("a", encoding="utf-8") as handle:
        handle.write(cut + "\n")
    result = run("reindex", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.stdout.startswith("1 document indexé, 1 ignoré, "), result.stdout
    assert "lecture terminée : 1 document en " in result.stderr
    assert f"one.jsonl:2: JSON invalide : Expecting ',' delimiter (colonne {len(cut) + 1})" in (
        result.stderr
    )
    found = run("search-cli", "Zorglub", "--index", str(tmp_path / "ix"))
    assert found.stdout.startswith("1 résultat — page 1/1"), found.stdout
    as_json = json.loads(
        run("search-cli", "Zorglub", "--index", str(tmp_path / "ix"), "--json").stdout
    )
    assert [hit["id"] for hit in as_json["results"]] == ["seul"] and "hits" not in as_json


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
    assert first.stdout.startswith("2 documents indexés, 1 ignoré, ")
    assert "; web : 5 requêtes, 2 pages lues, 0 inchangée (304), 0 disparue" in first.stdout
    fetched = json.loads(second.stdout)["fetched"]
    assert (fetched["not_modified"], fetched["downloaded"], fetched["requests"]) == (2, 0, 5)
    assert refused.returncode != 0  # loopback refused without COMMUNIQUES_FETCH_ALLOW_PRIVATE
    assert "adresse locale ou privée refusée" in refused.stderr
