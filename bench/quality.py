"""Retrieval quality on French question sets: MRR@10, nDCG@10, Recall@10, Recall@100.

    python bench/quality.py DATASET_DIR [DATASET_DIR ...] [--json FILE]

For each dataset folder (``docs.jsonl.gz``, ``queries.jsonl.gz``, ``qrels.tsv``, as described in
``../shared/data/README.md``): builds an index with the real ``reindex`` code path in a temporary
folder, runs every query's text as typed through ``search()`` (the function the API calls, top
100, snippets included), and prints one line of figures per dataset plus the time per query:
for that top 100, and for what a user sees, a first page of 10 hits with snippets.
Settings come from the same table as the service (``COMMUNIQUES_TITLE_BOOST=1 …`` to try one).
Beside it, in the same run, one line per plain baseline of ``bench/baselines.py`` with the same
figures (``--baselines fts5,lucene-fr`` to choose, ``--no-baselines`` to skip them; one that
cannot run here says why), then by how much the service leads or trails the best on MRR@10.
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

from baselines import BASELINES, Doc, Rankings, Unavailable

from search.config import load_settings
from search.engine import Engine
from search.engines import open_engine
from search.errors import BadRequest
from search.models import SearchRequest

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


def load_docs(folder: Path) -> list[Doc]:
    with gzip.open(folder / "docs.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [Doc(d["id"], d.get("title") or "", d["body"]) for d in map(json.loads, lines)]


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


def mean_metrics(
    rankings: Rankings, queries: list[tuple[str, str]], qrels: dict[str, set[str]]
) -> dict[str, float]:
    """Each figure of ``metrics`` averaged over every query (one without a ranking scores 0)."""
    totals: dict[str, float] = defaultdict(float)
    for query_id, _ in queries:
        for name, value in metrics(rankings.get(query_id, []), qrels[query_id]).items():
            totals[name] += value
    return {name: round(value / len(queries), 4) for name, value in totals.items()}


def evaluate_baselines(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """Each named baseline's figures on the dataset, or why it was skipped (``skipped``)."""
    docs, queries, qrels = load_docs(folder), load_queries(folder), load_qrels(folder)
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        started = time.perf_counter()
        try:
            rankings = BASELINES[name](docs, queries, DEPTH)
        except Unavailable as missing:
            results[name] = {"skipped": str(missing)}
        else:
            seconds = round(time.perf_counter() - started, 1)
            results[name] = {**mean_metrics(rankings, queries, qrels), "seconds": seconds}
        print(baseline_line(name, results[name]), flush=True)
    return results


def evaluate(folder: Path, index_dir: Path, engine_name: str = "whoosh") -> dict[str, Any]:
    # COMMUNIQUES_* variables apply (COMMUNIQUES_OPENSEARCH_URL: the cluster to measure)
    overrides = {"index_dir": index_dir, "engine": engine_name}
    if engine_name == "opensearch":
        overrides["opensearch_index"] = f"quality-{folder.name}".lower()
    settings = load_settings(overrides)
    engine = open_engine(settings)
    engine.reindex([folder / "docs.jsonl.gz"])
    queries, qrels = load_queries(folder), load_qrels(folder)
    rankings: Rankings = {}
    times, page_times, refused = [], [], 0
    for query_id, text in queries:
        started = time.perf_counter()
        try:
            page = engine.search(SearchRequest(text, per_page=DEPTH))
            rankings[query_id] = [hit.id for hit in page.hits]
        except BadRequest:
            refused += 1
        times.append((time.perf_counter() - started) * 1000)
        page_times.append(_time_first_page(engine, text))
    engine.close()
    return {
        "dataset": folder.name,
        "engine": engine_name,
        "queries": len(queries),
        "refused": refused,
        **mean_metrics(rankings, queries, qrels),
        **_summary("ms_top100", times),
        **_summary("ms_page10", page_times),
    }


def _time_first_page(engine: Engine, text: str) -> float:
    """Milliseconds for what a user sees: the first page of 10 hits with snippets."""
    started = time.perf_counter()
    with contextlib.suppress(BadRequest):
        engine.search(SearchRequest(text, per_page=10))
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
        f"{result['dataset']:<8} {result.get('engine', 'whoosh'):<10} "
        f"queries={result['queries']:<5} MRR@10={result['MRR@10']:.3f} "
        f"nDCG@10={result['nDCG@10']:.3f} R@10={result['R@10']:.3f} R@100={result['R@100']:.3f} "
        f"| ms top100 p50={result['ms_top100_p50']} p95={result['ms_top100_p95']} "
        f"| ms page10 p50={result['ms_page10_p50']} p95={result['ms_page10_p95']}"
        + (f" refused={result['refused']}" if result["refused"] else "")
    )


def baseline_line(name: str, result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"  {name:<10} skipped: {result['skipped']}"
    return (
        f"  {name:<10} MRR@10={result['MRR@10']:.3f} nDCG@10={result['nDCG@10']:.3f} "
        f"R@10={result['R@10']:.3f} R@100={result['R@100']:.3f} | {result['seconds']} s "
        "to index and run every query"
    )


def lead_line(result: dict[str, Any]) -> str | None:
    """By how much the service leads or trails the best baseline on MRR@10 (None: no baseline)."""
    ran = {name: b["MRR@10"] for name, b in result.get("baselines", {}).items() if "MRR@10" in b}
    if not ran:
        return None
    best = max(ran, key=ran.__getitem__)
    gap = result["MRR@10"] - ran[best]
    verdict = f"leads by {gap:.3f}" if gap >= 0 else f"trails by {-gap:.3f}"
    ours = f"ours ({result['engine']})"
    return f"  {result['dataset']}: {ours} {verdict} on MRR@10 against the best baseline, {best}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path, help="dataset folders")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--baselines",
        default=",".join(BASELINES),
        help="baselines to run beside the service, comma-separated (default: all)",
    )
    parser.add_argument(
        "--no-baselines", dest="baselines", action="store_const", const="", help="run none"
    )
    parser.add_argument(
        "--engine",
        default="whoosh",
        help="engines to measure, comma-separated: whoosh, opensearch (the cluster of "
        "COMMUNIQUES_OPENSEARCH_URL); default whoosh",
    )
    args = parser.parse_args(argv)
    engines = [name for name in args.engine.split(",") if name]
    names = [name for name in args.baselines.split(",") if name]
    unknown = sorted(set(names) - set(BASELINES))
    if unknown:
        parser.error(f"unknown baseline {', '.join(unknown)} (known: {', '.join(BASELINES)})")
    results = []
    for folder in args.datasets:
        if not (folder / "qrels.tsv").is_file():
            print(f"{folder}: skipped, no dataset there (../shared/data is not available)")
            continue
        measured = []
        for engine_name in engines:
            with tempfile.TemporaryDirectory(prefix="quality-") as scratch:
                measured.append(evaluate(folder, Path(scratch), engine_name))
            print(line(measured[-1]), flush=True)
        results.extend(measured)
        if names:
            baselines = evaluate_baselines(folder, names)
            for result in measured:  # a line per engine, each against the same baselines
                result["baselines"] = baselines
                lead = lead_line(result)
                if lead:
                    print(lead, flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
