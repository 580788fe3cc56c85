"""bench/quality.py computes its figures right, on a tiny judged set written here."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cluster import Cluster
from tests.support.paths import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import baselines
import quality


def test_metrics_of_known_rankings() -> None:
    assert quality.metrics(["a", "b"], {"a"})["MRR@10"] == 1.0
    assert quality.metrics(["b", "a"], {"a"})["MRR@10"] == 0.5
    assert quality.metrics(["b"] * 10 + ["a"], {"a"}) == {
        "MRR@10": 0.0,
        "nDCG@10": 0.0,
        "R@10": 0.0,
        "R@100": 1.0,
    }


def _write_dataset(folder: Path) -> None:
    """Two documents, two judged queries: one the French analyzers can answer, one stop word."""
    docs = [
        {"id": "p1", "title": "Espace", "body": "L’OTAN a adopté sa politique spatiale."},
        {"id": "p2", "title": "Climat", "body": "Le plan climat réduit les émissions."},
    ]
    queries = [{"id": "q1", "text": "Quelle politique spatiale ?"}, {"id": "q2", "text": "le"}]
    with gzip.open(folder / "docs.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(d) + "\n" for d in docs)
    with gzip.open(folder / "queries.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(q) + "\n" for q in queries)
    (folder / "qrels.tsv").write_text("q1\tp1\t1\nq2\tp2\t1\n", "utf-8")


def test_the_benchmark_runs_end_to_end_with_its_baselines(tmp_path: Path) -> None:
    _write_dataset(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "quality.py"), str(tmp_path), str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    ours, fts5, whoosh_fr, lucene_fr, ours_plain, lead, absent = result.stdout.splitlines()
    assert "MRR@10=0.500" in ours and "R@100=0.500" in ours and "refused=1" in ours
    # FTS5 keeps stop words, so "le" finds the one document that has it; the French analyzers
    # drop it and find nothing (the service refuses such a query)
    assert fts5.startswith("  fts5       MRR@10=1.000 nDCG@10=1.000 R@10=1.000 R@100=1.000 |")
    for line in (whoosh_fr, ours_plain):
        assert "MRR@10=0.500 nDCG@10=0.500 R@10=0.500 R@100=0.500 |" in line
    assert whoosh_fr.startswith("  whoosh-fr ") and ours_plain.startswith("  ours-plain ")
    trails = "trails by 0.500 on MRR@10 against the best baseline, fts5"
    assert lead.endswith(f": ours (whoosh) {trails}")
    assert absent.endswith("skipped, no dataset there (../shared/data is not available)")
    try:
        baselines.lucene_classpath()
    except baselines.Unavailable as missing:  # `make test` installs them (make lucene-deps)
        assert lucene_fr == f"  lucene-fr  skipped: {missing}"
        pytest.skip(f"Lucene baseline not run: {missing}")
    assert lucene_fr.startswith("  lucene-fr  MRR@10=0.500 nDCG@10=0.500 R@10=0.500 R@100=0.500 |")


def test_baselines_can_be_left_out(tmp_path: Path) -> None:
    _write_dataset(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "quality.py"), str(tmp_path), "--no-baselines"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert len(result.stdout.splitlines()) == 1 and "refused=1" in result.stdout


@pytest.mark.cluster
def test_each_engine_gets_its_line_against_the_baselines(
    tmp_path: Path, opensearch_cluster: Cluster
) -> None:
    _write_dataset(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "quality.py"), str(tmp_path),
         "--engine", "whoosh,opensearch", "--baselines", "fts5,ours-plain"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        env={**os.environ, "COMMUNIQUES_OPENSEARCH_URL": opensearch_cluster.url},
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines[:2]] == ["whoosh", "opensearch"]
    trails = "trails by 0.500 on MRR@10 against the best baseline, fts5"
    leads = [f"  {tmp_path.name}: ours ({name}) {trails}" for name in ("whoosh", "opensearch")]
    assert lines[-2:] == leads
