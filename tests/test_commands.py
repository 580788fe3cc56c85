"""The console scripts as a user runs them: real processes, real files, real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .conftest import DOCS, ROOT

BIN = Path(sys.executable).parent


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


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
    assert [hit["title"] for hit in json.loads(found.stdout)["hits"]] == ["2025"]
