"""Retrieval quality on French question sets: MRR@10, nDCG@10, Recall@10, Recall@100.

    python bench/quality.py DATASET_DIR [DATASET_DIR ...] [--json FILE]

For each dataset folder (``docs.jsonl.gz``, ``queries.jsonl.gz``, ``qrels.tsv``, as described in
``../shared/data/README.md``): builds an index with the real ``reindex`` code path in a temporary
folder, runs every query's text as typed through ``search()`` (the function the API calls, top
100, snippets included), and prints one line of figures per dataset plus the time per query.
A dataset folder that is absent is reported and skipped (exit status 0).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from search.errors import BadRequest
from search.indexing import reindex
from search.querying import SearchRequest, search
from search.store import IndexStore

DEPTH = 100


def load_queries(folder: Path) -> list[tuple[str, str]]:
    with gzip.open(folder / "queries.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [(q["id"], q["text"]) for q in map(json.loads, lines)]


def load_qrels(folder: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in (folder / "qrels.tsv").read_text("utf-8").splitlines():
        query_id, doc_id, grade = line.split("\t")
        if int(grade) > 0:
            relevant[query_id].add(doc_id)
    return relevant


def metrics(ranking: list[str], relevant: set[str]) -> dict[str, float]:
    found = [rank for rank, doc in enumerate(ranking[:10], 1) if doc in relevant]
    first = found[0] if found else None
    dcg = sum(1 / math.log2(rank + 1) for rank in found)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(relevant), 10) + 1))
    return {
        "MRR@10": 1 / first if first else 0.0,
        "nDCG@10": dcg / ideal if ideal else 0.0,
        "R@10": len(relevant & set(ranking[:10])) / len(relevant),
        "R@100": len(relevant & set(ranking[:DEPTH])) / len(relevant),
    }


def evaluate(folder: Path, index_dir: Path) -> dict[str, Any]:
    reindex([folder / "docs.jsonl.gz"], index_dir)
    store = IndexStore(index_dir)
    queries, qrels = load_queries(folder), load_qrels(folder)
    totals: dict[str, float] = defaultdict(float)
    times, refused = [], 0
    for query_id, text in queries:
        started = time.perf_counter()
        try:
            page = search(store.searcher(), SearchRequest(text, per_page=DEPTH))
            ranking = [hit.id for hit in page.hits]
        except BadRequest:
            ranking, refused = [], refused + 1
        times.append((time.perf_counter() - started) * 1000)
        for name, value in metrics(ranking, qrels[query_id]).items():
            totals[name] += value
    store.close()
    times.sort()
    return {
        "dataset": folder.name,
        "queries": len(queries),
        "refused": refused,
        **{name: round(value / len(queries), 4) for name, value in totals.items()},
        "ms_mean": round(statistics.fmean(times), 1),
        "ms_p50": round(times[len(times) // 2], 1),
        "ms_p95": round(times[int(len(times) * 0.95)], 1),
    }


def line(result: dict[str, Any]) -> str:
    return (
        f"{result['dataset']:<8} queries={result['queries']:<5} MRR@10={result['MRR@10']:.3f} "
        f"nDCG@10={result['nDCG@10']:.3f} R@10={result['R@10']:.3f} R@100={result['R@100']:.3f} "
        f"ms/query mean={result['ms_mean']} p50={result['ms_p50']} p95={result['ms_p95']}"
        + (f" refused={result['refused']}" if result["refused"] else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path, help="dataset folders")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    results = []
    for folder in args.datasets:
        if not (folder / "qrels.tsv").is_file():
            print(f"{folder}: skipped, no dataset there (../shared/data is not available)")
            continue
        with tempfile.TemporaryDirectory(prefix="quality-") as scratch:
            results.append(evaluate(folder, Path(scratch)))
        print(line(results[-1]), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
