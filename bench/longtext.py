"""Pasted texts as queries: does a long text find the article it comes from, and how fast.

    python bench/longtext.py [--queries 200] [--index DIR] [--engine opensearch]

On ../shared/data/orangesum (33,958 articles): for each length (500-517, 990-1,000,
2,990-3,000 and 9,990-10,000 characters) the opening of article bodies at least that long, cut
at a word's end, is searched as the query (a page of 10 hits with snippets, through the
engine's ``search``, as the API calls it); prints MRR@10 of the article, p50/p95 milliseconds,
how many texts were shortened, answered partial (the time limit reached) or refused (400,
counted as not found).
Articles are drawn with a fixed seed; only 12 bodies reach 10,000 characters, so that line has
12 texts. The lines are named by their longest length.

The index is built with the real ``reindex`` into ``--index`` when that folder holds none
(default: a temporary folder). ``--engine opensearch``: on the cluster of
``COMMUNIQUES_OPENSEARCH_URL``, alias ``longtext-orangesum``, built there when it serves nothing.
Exits 0 saying so when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from search.config import defaults, load_settings
from search.engine import Engine
from search.engines import open_engine
from search.errors import BadRequest, IndexUnavailable
from search.models import SearchRequest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "orangesum" / "docs.jsonl.gz"
BIN = Path(sys.executable).parent
LENGTHS = ((500, 517), (990, 1000), (2990, 3000), (9990, 10_000))
ALIAS = "longtext-orangesum"


def articles() -> Iterator[tuple[str, str]]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            yield record["id"], record["body"]


def opening(body: str, shortest: int, longest: int) -> str | None:
    """The body's first ``longest`` characters cut at a word's end, if that leaves ``shortest``."""
    if len(body) <= longest:
        return body if len(body) >= shortest else None
    cut = body[: longest + 1].rsplit(" ", 1)[0].rstrip()
    return cut if len(cut) >= shortest else None


def texts(bodies: list[tuple[str, str]], count: int, seed: int = 7) -> dict[int, list]:
    chosen: dict[int, list[tuple[str, str]]] = {}
    for shortest, longest in LENGTHS:
        fitting = [(i, t) for i, b in bodies if (t := opening(b, shortest, longest))]
        random.Random(seed).shuffle(fitting)
        chosen[longest] = fitting[:count]
    return chosen


def measure(engine: Engine, pairs: list[tuple[str, str]]) -> dict[str, float]:
    reciprocal, times, shortened, partial, refused = 0.0, [], 0, 0, 0
    for doc_id, text in pairs:
        started = time.perf_counter()
        try:
            page = engine.search(SearchRequest(text, per_page=10))
        except BadRequest:
            refused += 1
            continue
        finally:
            times.append((time.perf_counter() - started) * 1000)
        ranks = [rank for rank, hit in enumerate(page.hits, 1) if hit.id == doc_id]
        reciprocal += 1 / ranks[0] if ranks else 0.0
        shortened += page.shortened is not None
        partial += page.partial
    times.sort()

    def at(share: float) -> float:
        return times[min(len(times) - 1, int(len(times) * share))]

    return {
        "n": len(pairs),
        "mrr10": reciprocal / len(pairs),
        "p50": at(0.5),
        "p95": at(0.95),
        "shortened": shortened,
        "partial": partial,
        "refused": refused,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=200, help="texts per length")
    parser.add_argument("--index", type=Path, help="index folder (built there when empty)")
    parser.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} is absent (the shared data sets are not on this machine)")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        if args.engine == "opensearch":
            settings = load_settings({"engine": "opensearch", "opensearch_index": ALIAS})
            engine = _cluster_engine(settings)
        else:
            index_dir = args.index or Path(scratch) / "index"
            settings = {**defaults(), "index_dir": index_dir}
            _build(index_dir)
            engine = open_engine(settings)
        engine.search(SearchRequest("mise en route du serveur"))  # loads what a server loads once
        limits = f"time_limit {settings['time_limit']} s, max_terms {settings['max_terms']}"
        print(f"{args.engine}: {limits}")
        print("characters   texts  MRR@10   p50 ms   p95 ms  shortened  partial  refused")
        for length, pairs in texts(list(articles()), args.queries).items():
            row = measure(engine, pairs)
            print(
                f"{length:>10,}  {row['n']:>6}  {row['mrr10']:.3f}  {row['p50']:>7.1f}  "
                f"{row['p95']:>7.1f}  {row['shortened']:>9}  {row['partial']:>7}  "
                f"{row['refused']:>7}"
            )
        engine.close()
    return 0


def _build(index_dir: Path) -> None:
    if not (index_dir / "CURRENT").is_file():
        print(f"building the index in {index_dir}…", flush=True)
        command = [str(BIN / "reindex"), str(CORPUS), "--index", str(index_dir), "--full"]
        subprocess.run(command, check=True, capture_output=True)


def _cluster_engine(settings: dict[str, Any]) -> Engine:
    engine = open_engine(settings)
    try:
        engine.health()
    except IndexUnavailable:
        print(f"building the index {ALIAS} on {settings['opensearch_url']}…", flush=True)
        engine.reindex([CORPUS])
    return engine


if __name__ == "__main__":
    sys.exit(main())
