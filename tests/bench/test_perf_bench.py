"""bench/perf.py's code paths on a tiny corpus written here, so that they cannot rot: the whoosh
engine alone, and the whoosh and opensearch engines side by side on the test cluster (marker
``cluster``). Figures are checked for their shape and counts, never for a time."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.cluster import Cluster, request
from tests.support.paths import ROOT

TITLES = ["Sécurité spatiale européenne", "Politique climatique nationale",
          "Industrie automobile française", "Réforme universitaire annoncée"]  # fmt: skip


def _write(folder: Path) -> tuple[Path, Path]:
    """Forty documents (every title has words of 5+ letters for the keyword queries) and three
    questions, one of which only stop words."""
    docs = [
        {"id": f"d{n}", "title": TITLES[n % 4], "date": f"20{10 + n % 9}-0{1 + n % 9}-15",
         "body": f"Le ministre évoque la {TITLES[n % 4].lower()} et le budget numéro {n}."}
        for n in range(40)
    ]  # fmt: skip
    questions = ["Quelle politique climatique ?", "Que dit le ministre du budget ?", "le la"]
    corpus, asked = folder / "tiny.jsonl.gz", folder / "questions.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    with gzip.open(asked, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps({"text": q}, ensure_ascii=False) + "\n" for q in questions)
    return corpus, asked


def _run(tmp_path: Path, engines: str, **env: str) -> tuple[dict[str, Any], str]:
    corpus, asked = _write(tmp_path)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "perf.py"), "--engine", engines,
         "--corpus", str(corpus), "--questions", str(asked), "--queries", "6",
         "--http-seconds", "0", "--warm-up", "0.2", "--json", str(tmp_path / "perf.json")],
        capture_output=True, text=True, timeout=300, env={**os.environ, **env},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads((tmp_path / "perf.json").read_text()), done.stdout


def _check(figures: dict[str, Any], engine: str) -> None:
    build, search = figures["build"], figures["search"]
    assert build["indexed"] == 40 and build["docs_per_s"] > 0 and build["peak_mb"] > 0
    assert search["keywords"]["with_hits"] == 6  # drawn from the titles: each finds its own
    assert search["questions"]["with_hits"] == 2  # « le la » is refused (stop words only)
    for measured in search.values():
        assert 0 < measured["p50"] <= measured["p95"] <= measured["p99"], (engine, measured)
    assert figures["http"] == {"skipped": "not measured (--http-seconds 0)"}


def test_the_whoosh_engine_beside_fts5(tmp_path: Path) -> None:
    result, stdout = _run(tmp_path, "whoosh", COMMUNIQUES_ENGINE="opensearch")
    (corpus,) = result["results"]
    assert corpus["documents"] == 40 and list(corpus["engines"]) == ["whoosh"]
    _check(corpus["engines"]["whoosh"], "whoosh")
    assert result["opensearch"] is None
    assert "| corpus | measure | whoosh | SQLite FTS5 | ratio to FTS5 |" in stdout


@pytest.mark.cluster
def test_both_engines_in_one_run_on_the_cluster(
    tmp_path: Path, opensearch_cluster: Cluster
) -> None:
    url = opensearch_cluster.url
    result, stdout = _run(tmp_path, "whoosh,opensearch", COMMUNIQUES_OPENSEARCH_URL=url)
    (corpus,) = result["results"]
    assert list(corpus["engines"]) == ["whoosh", "opensearch"]
    for engine, figures in corpus["engines"].items():
        _check(figures, engine)
    assert result["opensearch"] == {"url_given": True, "heap_per_node": "1g"}
    assert "| corpus | measure | whoosh | opensearch | SQLite FTS5 | ratio to FTS5 |" in stdout
    build = next(line for line in stdout.splitlines() if "| full build |" in line)
    whoosh, opensearch = build.split(" | ")[2:4]
    assert whoosh == f"{corpus['engines']['whoosh']['build']['build_s']} s"
    assert opensearch == f"{corpus['engines']['opensearch']['build']['build_s']} s"
    left = request(f"{url}/_cat/indices/bench-perf-*?format=json")
    assert left == []  # the bench deletes what it built


def test_a_table_written_before_engines_were_named_is_printed_again(tmp_path: Path) -> None:
    """``--table`` of a JSON file from before ``--engine``: the figures of the whoosh engine at
    the top level of each corpus."""
    search = {q: {"p50": 2.0, "p95": 4.0, "p99": 8.0} for q in ("keywords", "questions")}
    old = {"corpus": "C", "documents": 3, "fts5_build_s": 1.0, "fts5": search,
           "build": {"build_s": 5.0, "docs_per_s": 1, "peak_mb": 9}, "search": search,
           "http": {"skipped": "wrk is not installed"}}  # fmt: skip
    (tmp_path / "old.json").write_text(json.dumps({"results": [old]}))
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "perf.py"), "--table", str(tmp_path / "old.json")],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "| C (3 docs) | full build | 5.0 s | 1.0 s | 5.0× |" in done.stdout
    assert "| C (3 docs) | keywords: p95, page of 10 with snippets | 4.0 ms | 4.0 ms | 1.0× |" in (
        done.stdout
    )
    assert "| C (3 docs) | index size (OpenSearch: primaries) | — | — | — |" in done.stdout
