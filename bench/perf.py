"""Speed, against SQLite FTS5 as the peer: build, search with snippets, HTTP under load.

    python bench/perf.py [--scale] [--queries 500] [--http-seconds 15] [--json FILE]
    python bench/perf.py --table FILE     (the table of a JSON file written before)

On ../shared/data/orangesum (33,958 articles), and with ``--scale`` also on OrangeSum +
ELTeC-fra (226,429 documents), prints one table and writes JSON:

- build: a full ``reindex`` (the real command, in a subprocess): seconds, documents per second,
  peak memory; the peer: an FTS5 table (``unicode61 remove_diacritics 2``) filled in this
  process;
- search: p50/p95/p99 milliseconds for a page of 10 hits with snippets, through ``search()``
  (what the API calls), for two query sets: PIAF questions and short keyword queries (2-3
  words of 5 letters or more taken from document titles); the peer answers the same words
  OR'ed, ranked by ``bm25()``, with ``snippet()``;
- HTTP: ``wrk`` against ``serve`` (all its workers) on loopback, after a 3-second warm-up with
  other queries: one client (p50/p95) with half of the keyword queries, then 8 concurrent
  clients (requests per second, p95) with the other half (4,000 keyword queries drawn like the
  others, so that a query is seldom sent twice).

Each figure is printed with its ratio to the peer. Needs ../shared/data (exits 0 saying so
when it is absent) and ``wrk`` for the HTTP part (skipped, saying so, when missing).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from search.config import defaults
from search.engines import open_engine
from search.errors import BadRequest
from search.models import SearchRequest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent
WORD = re.compile(r"[^\W\d_]{5,}")
HTTP_QUERIES = 4000  # keyword queries for wrk, more than it sends: few are sent twice


def documents(files: list[Path]) -> Iterator[dict[str, Any]]:
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)


def keyword_queries(files: list[Path], count: int, seed: int = 11) -> list[str]:
    """``count`` queries of 2-3 words of 5+ letters, each from one document title."""
    rng = random.Random(seed)
    titles = [doc["title"] for doc in documents(files[:1]) if doc.get("title")]
    queries: list[str] = []
    while len(queries) < count:
        words = WORD.findall(rng.choice(titles))
        if len(words) >= 2:
            queries.append(" ".join(rng.sample(words, min(len(words), rng.choice((2, 3))))))
    return queries


def piaf_questions(count: int, seed: int = 11) -> list[str]:
    with gzip.open(DATA / "piaf" / "queries.jsonl.gz", "rt", encoding="utf-8") as lines:
        questions = [json.loads(line)["text"] for line in lines]
    return random.Random(seed).sample(questions, count)


def build_index(files: list[Path], index_dir: Path) -> dict[str, float]:
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "reindex"), *map(str, files), "--index", str(index_dir), "--full", "--json"],
        check=True, capture_output=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"build_s": round(seconds, 1), "peak_mb": round(peak)}


def build_fts5(files: list[Path], db: Path) -> float:
    started = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    rows = ((d["id"], d.get("title") or "", d["body"]) for d in documents(files))
    connection.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def percentiles(milliseconds: list[float]) -> dict[str, float]:
    ordered = sorted(milliseconds)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 2)

    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99)}


def time_search(index_dir: Path, queries: list[str]) -> dict[str, float]:
    engine = open_engine({**defaults(), "index_dir": index_dir})  # default settings
    with contextlib.suppress(BadRequest):  # what a server loads once per generation (vocabulary)
        engine.search(SearchRequest("mise en route du serveur", per_page=10))
    times = []
    for q in queries:
        started = time.perf_counter()
        with contextlib.suppress(BadRequest):
            engine.search(SearchRequest(q, per_page=10))
        times.append((time.perf_counter() - started) * 1000)
    engine.close()
    return percentiles(times)


def fts5_query(text: str) -> str | None:
    words = re.findall(r"[^\W_]+", text)
    return " OR ".join(f'"{word}"' for word in words) or None


def time_fts5(db: Path, queries: list[str], snippets: bool = True) -> dict[str, float]:
    connection = sqlite3.connect(db)
    columns = "id, title, snippet(docs, 2, '<mark>', '</mark>', '…', 24)" if snippets else "id"
    sql = f"SELECT {columns} FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10"
    times = []
    for q in queries:
        match = fts5_query(q)
        started = time.perf_counter()
        if match:
            connection.execute(sql, (match,)).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    return percentiles(times)


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%f %%f %%f %%d %%d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""


def time_http(
    index_dir: Path, queries: list[str], others: list[str], seconds: int
) -> dict[str, Any]:
    """``wrk`` after a warm-up: a few seconds of 8 clients sending ``others`` so that every
    worker has opened the index and loaded what it keeps per generation (vocabulary, columns,
    field lengths) before anything is timed; then one client and eight clients, each sending
    its own half of ``queries`` (posting lists a query warmed are not reused by the next run)."""
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    from urllib.parse import quote

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "serve"), "--index", str(index_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        import urllib.request

        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        half = len(queries) // 2
        runs = (("warm_up", 8, others, 3), ("one_client", 1, queries[:half], seconds),
                ("eight_clients", 8, queries[half:], seconds))  # fmt: skip
        figures = {}
        for name, clients, sent, duration in runs:
            paths = ", ".join(f'"/api/search?q={quote(q)}"' for q in sent)
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(WRK_SCRIPT % paths)
            output = subprocess.run(
                ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{duration}s",
                 "--timeout", "10s", "-s", script.name, f"http://127.0.0.1:{port}"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            os.unlink(script.name)
            line = next(x for x in output.splitlines() if x.startswith("RESULT"))
            p50, p95, rps, bad_status, socket_errors = line.split()[1:]
            figures[name] = {"p50": round(float(p50), 2), "p95": round(float(p95), 2),
                             "rps": round(float(rps), 1), "non_2xx": int(bad_status),
                             "socket_errors": int(socket_errors)}  # fmt: skip
        del figures["warm_up"]
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(name: str, files: list[Path], queries: int, http_seconds: int) -> dict[str, Any]:
    count = sum(1 for _ in documents(files))
    keywords, questions = keyword_queries(files, queries), piaf_questions(queries)
    with tempfile.TemporaryDirectory(prefix="perf-") as scratch:
        index_dir, db = Path(scratch) / "index", Path(scratch) / "fts5.db"
        build = build_index(files, index_dir)
        fts5_build = build_fts5(files, db)
        result = {
            "corpus": name,
            "documents": count,
            "build": {**build, "docs_per_s": round(count / build["build_s"])},
            "fts5_build_s": round(fts5_build, 1),
            "search": {
                "keywords": time_search(index_dir, keywords),
                "questions": time_search(index_dir, questions),
            },
            "fts5": {
                "keywords": time_fts5(db, keywords),
                "questions": time_fts5(db, questions),
                "keywords_no_snippet": time_fts5(db, keywords, snippets=False),
            },
            "http": time_http(
                index_dir,
                keyword_queries(files, HTTP_QUERIES, seed=13),
                keyword_queries(files, 100, seed=12),
                http_seconds,
            ),
        }
    return result


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| corpus | measure | this service | SQLite FTS5 | ratio |", "|---|---|---|---|---|"]
    for r in results:
        name = f"{r['corpus']} ({r['documents']:,} docs)"

        def row(
            measure: str, ours: float, peer: float | None, unit: str = "ms", name: str = name
        ) -> None:
            ratio = f"{ours / peer:.1f}×" if peer else "—"
            peer_text = f"{peer} {unit}" if peer is not None else "—"
            lines.append(f"| {name} | {measure} | {ours} {unit} | {peer_text} | {ratio} |")

        b = r["build"]
        row("full build", b["build_s"], r["fts5_build_s"], "s")
        lines.append(f"| {name} | build rate, peak memory | {b['docs_per_s']} docs/s, "
                     f"{b['peak_mb']} MB | — | — |")  # fmt: skip
        for queries in ("keywords", "questions"):
            for p in ("p50", "p95", "p99"):
                row(f"{queries}: {p}, page of 10 with snippets",
                    r["search"][queries][p], r["fts5"][queries][p])  # fmt: skip
        http = r["http"]
        if "skipped" in http:
            lines.append(f"| {name} | HTTP | {http['skipped']} | | |")
        else:
            one, eight = http["one_client"], http["eight_clients"]
            row("HTTP, 1 client: p50 (ratio to FTS5 in process)", one["p50"],
                r["fts5"]["keywords"]["p50"])  # fmt: skip
            row("HTTP, 1 client: p95 (ratio to FTS5 in process)", one["p95"],
                r["fts5"]["keywords"]["p95"])  # fmt: skip
            lines.append(f"| {name} | HTTP, 8 clients: requests/s | {eight['rps']} | — | — |")
            row("HTTP, 8 clients: p95 (ratio to in-process p95)", eight["p95"],
                r["search"]["keywords"]["p95"])  # fmt: skip
            lines.append(f"| {name} | HTTP errors (non-2xx, socket) | "
                         f"{eight['non_2xx'] + one['non_2xx']}, "
                         f"{eight['socket_errors'] + one['socket_errors']} | — | — |")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    if sys.argv[1:2] == ["--table"]:  # the table again from a JSON file written before
        print(table(json.loads(Path(sys.argv[2]).read_text())["results"]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="store_true", help="also OrangeSum + ELTeC (226k)")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--http-seconds", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    orangesum = DATA / "orangesum" / "docs.jsonl.gz"
    if not orangesum.is_file() or not (DATA / "piaf").is_dir():
        print(f"{DATA}: skipped, ../shared/data is not available")
        return 0
    sets = [("OrangeSum", [orangesum])]
    if args.scale:
        sets.append(("OrangeSum + ELTeC", [orangesum, DATA / "eltec-fra" / "docs.jsonl.gz"]))
    results = []
    for name, files in sets:
        results.append(measure(name, files, args.queries, args.http_seconds))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"\nMachine: {machine}; SQLite {sqlite3.sqlite_version}\n")
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
