"""Retrieval quality on French question sets: MRR@10, nDCG@10, Recall@10, Recall@100.

    python bench/quality.py DATASET_DIR [DATASET_DIR ...] [--json FILE]

For each dataset folder (``docs.jsonl.gz``, ``queries.jsonl.gz``, ``qrels.tsv``, as described in
``../shared/data/README.md``): builds an index with the real ``reindex`` code path in a temporary
folder, runs every query's text as typed through ``search()`` (the function the API calls, top
100, snippets included), and prints one line of figures per dataset plus the time per query:
for that top 100, and for what a user sees, a first page of 10 hits with snippets.
Settings come from the same table as the service (``COMMUNIQUES_TITLE_BOOST=1 …`` to try one).
A dataset folder that is absent is reported and skipped (exit status 0).
"""

from __future__ import annotations

import argparse
import contextlib
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

from search.config import load_settings
from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.store import IndexStore
from search.errors import BadRequest
from search.indexing import ReindexOptions
from search.models import SearchOptions, SearchRequest

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
    settings = load_settings({"index_dir": index_dir})  # COMMUNIQUES_* variables apply
    reindex(
        [folder / "docs.jsonl.gz"], index_dir, ReindexOptions(title_weight=settings["title_weight"])
    )
    store, options = IndexStore.from_settings(settings), SearchOptions.from_settings(settings)
    queries, qrels = load_queries(folder), load_qrels(folder)
    totals: dict[str, float] = defaultdict(float)
    times, page_times, refused = [], [], 0
    for query_id, text in queries:
        started = time.perf_counter()
        try:
            page = search(store.current(), SearchRequest(text, per_page=DEPTH), options)
            ranking = [hit.id for hit in page.hits]
        except BadRequest:
            ranking, refused = [], refused + 1
        times.append((time.perf_counter() - started) * 1000)
        for name, value in metrics(ranking, qrels[query_id]).items():
            totals[name] += value
        page_times.append(_time_first_page(store, text, options))
    store.close()
    return {
        "dataset": folder.name,
        "queries": len(queries),
        "refused": refused,
        **{name: round(value / len(queries), 4) for name, value in totals.items()},
        **_summary("ms_top100", times),
        **_summary("ms_page10", page_times),
    }


def _time_first_page(store: IndexStore, text: str, options: SearchOptions) -> float:
    """Milliseconds for what a user sees: the first page of 10 hits with snippets."""
    started = time.perf_counter()
    with contextlib.suppress(BadRequest):
        search(store.current(), SearchRequest(text, per_page=10), options)
    return (time.perf_counter() - started) * 1000


def _summary(name: str, times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        f"{name}_mean": round(statistics.fmean(times), 1),
        f"{name}_p50": round(times[len(times) // 2], 1),
        f"{name}_p95": round(times[int(len(times) * 0.95)], 1),
    }


def line(result: dict[str, Any]) -> str:
    return (
        f"{result['dataset']:<8} queries={result['queries']:<5} MRR@10={result['MRR@10']:.3f} "
        f"nDCG@10={result['nDCG@10']:.3f} R@10={result['R@10']:.3f} R@100={result['R@100']:.3f} "
        f"| ms top100 p50={result['ms_top100_p50']} p95={result['ms_top100_p95']} "
        f"| ms page10 p50={result['ms_page10_p50']} p95={result['ms_page10_p95']}"
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
