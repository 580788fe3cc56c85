"""bench/quality.py computes its figures right, on a tiny judged set written here."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

sys.path.insert(0, str(ROOT / "bench"))
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


def test_the_benchmark_runs_end_to_end_on_a_small_dataset(tmp_path: Path) -> None:
    docs = [
        {"id": "p1", "title": "Espace", "body": "L’OTAN a adopté sa politique spatiale."},
        {"id": "p2", "title": "Climat", "body": "Le plan climat réduit les émissions."},
    ]
    queries = [{"id": "q1", "text": "Quelle politique spatiale ?"}, {"id": "q2", "text": "le"}]
    with gzip.open(tmp_path / "docs.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(d) + "\n" for d in docs)
    with gzip.open(tmp_path / "queries.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(q) + "\n" for q in queries)
    (tmp_path / "qrels.tsv").write_text("q1\tp1\t1\nq2\tp2\t1\n", "utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "quality.py"), str(tmp_path), str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    first, second = result.stdout.splitlines()
    assert "MRR@10=0.500" in first and "R@100=0.500" in first and "refused=1" in first
    assert second.endswith("skipped, no dataset there (../shared/data is not available)")
