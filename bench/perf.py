"""Speed, against SQLite FTS5 as the peer: build, search with snippets, HTTP under load.

    python bench/perf.py [--scale] [--engine whoosh,opensearch] [--queries 500]
                         [--http-seconds 15] [--heap 1g] [--json FILE]
    python bench/perf.py --table FILE     (the table of a JSON file written before)

On ../shared/data/orangesum (33,958 articles), and with ``--scale`` also on OrangeSum +
ELTeC-fra (226,429 documents), for each engine of ``--engine`` (default whoosh) beside the
peer, prints one table and writes JSON:

- build: a full ``reindex`` (the real command, in a subprocess): seconds, documents per second,
  peak memory of that process alone (its workers not counted), index size (OpenSearch:
  primaries, without the replicas); the peer: an FTS5 table (``unicode61 remove_diacritics
  2``) filled in this process;
- search: p50/p95/p99 milliseconds for a page of 10 hits with snippets, through ``search()``
  (what the API calls), each set after 30 s of other keyword queries, untimed (``--warm-up``),
  for two query sets: PIAF questions and short keyword queries (2-3 words of 5 letters or more
  taken from document titles); the peer answers the same words OR'ed, ranked by ``bm25()``,
  with ``snippet()``;
- HTTP: ``wrk`` against ``serve`` (all its workers) on loopback, after a 3-second warm-up with
  other queries: one client (p50/p95) with half of the keyword queries, then 8 concurrent
  clients (requests per second, p95) with the other half (4,000 keyword queries drawn like the
  others, so that a query is seldom sent twice); ``--http-seconds 0`` leaves it out.

The opensearch engine is measured on the cluster of ``COMMUNIQUES_OPENSEARCH_URL`` (and the
other ``COMMUNIQUES_OPENSEARCH_*`` settings: credentials, shards, replicas), each corpus behind
an alias of its own (``bench-perf-<n>``, its indexes deleted at the end); without that
variable, three nodes are started here as ``make cluster`` starts them (``tests/support/
cluster.py``, Java 17 and Maven; ``--heap`` per node, full JIT) and stopped at the end. Other
settings are the defaults for every engine.

Each figure is printed with its ratio to the peer. Needs ../shared/data (exits 0 saying so
when it is absent; ``--corpus FILE --questions FILE`` measure other files instead) and ``wrk``
for the HTTP part (skipped, saying so, when missing).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.config import defaults, load_settings
from search.engines import open_engine
from search.errors import BadRequest
from search.models import SearchRequest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent
WORD = re.compile(r"[^\W\d_]{5,}")
HTTP_QUERIES = 4000  # keyword queries for wrk, more than it sends: few are sent twice
WARM_UP = 1000  # other keyword queries, searched untimed before each engine's timed ones…
WARM_UP_S = 30.0  # …for this long (--warm-up)
ENGINES = ("whoosh", "opensearch")
BENCH_HEAP = "1g"  # per node of a cluster started here (the tests' 384m is short for 226k)


@dataclass
class Target:
    """One engine measured on one corpus: the settings it is opened with in this process and
    the environment of the commands run for it (``reindex``, ``serve``)."""

    engine: str
    settings: dict[str, Any]
    env: dict[str, str]


def whoosh_target(index_dir: Path) -> Target:
    env = {**os.environ, "COMMUNIQUES_ENGINE": "whoosh", "COMMUNIQUES_INDEX_DIR": str(index_dir)}
    return Target("whoosh", {**defaults(), "index_dir": index_dir}, env)


def opensearch_target(url: str, alias: str, index_dir: Path) -> Target:
    """The cluster at ``url``, under ``alias``; other settings the defaults, but for the
    connection's (``COMMUNIQUES_OPENSEARCH_*``: credentials, CA file, shards, replicas)."""
    cluster = {k: v for k, v in load_settings().items() if k.startswith("opensearch_")}
    named = {"opensearch_url": url, "opensearch_index": alias}
    settings = {**defaults(), **cluster, **named, "engine": "opensearch", "index_dir": index_dir}
    env = {
        **os.environ,
        "COMMUNIQUES_ENGINE": "opensearch",
        "COMMUNIQUES_OPENSEARCH_URL": url,
        "COMMUNIQUES_OPENSEARCH_INDEX": alias,
        "COMMUNIQUES_INDEX_DIR": str(index_dir),
    }
    return Target("opensearch", settings, env)


def drop_opensearch(target: Target) -> None:
    """Delete the indexes behind the target's alias, and its lock."""
    from search.engines.opensearch.client import connect

    client = connect({**target.settings, "opensearch_timeout": 120.0})
    alias = target.settings["opensearch_index"]
    client.indices.delete(index=f"{alias}-*,{alias}.lock", ignore_unavailable=True)
    client.close()


@contextlib.contextmanager
def cluster_url(heap: str) -> Iterator[str]:
    """``COMMUNIQUES_OPENSEARCH_URL``, or three nodes started here until the end of the run."""
    if url := os.environ.get("COMMUNIQUES_OPENSEARCH_URL"):
        yield url
        return
    sys.path.insert(0, str(ROOT))  # the launcher the tests and `make cluster` use
    from tests.support import cluster

    if missing := cluster.missing_tools():
        raise SystemExit(
            f"opensearch: set COMMUNIQUES_OPENSEARCH_URL, or install {', '.join(missing)} "
            "to let this script start three nodes (make system-deps)"
        )
    with tempfile.TemporaryDirectory(prefix="perf-cluster-") as home:
        print(f"starting three OpenSearch nodes ({heap} heap each) under {home}", flush=True)
        with cluster.running(Path(home), heap, jvm_options=()) as started:
            yield started.url


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


def questions_from(path: Path, count: int, seed: int = 11) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        questions = [json.loads(line)["text"] for line in lines]
    return random.Random(seed).sample(questions, min(count, len(questions)))


def build_index(files: list[Path], target: Target) -> dict[str, Any]:
    """A full ``reindex`` of ``files`` for the target: seconds, rate, the peak resident memory
    of that process alone, documents indexed and index size."""
    command = [str(BIN / "reindex"), *map(str, files), "--full", "--json"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=target.env)
        peak_kb = _peak_while_running(child)
        seconds = time.perf_counter() - started
        out.seek(0), err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"{target.engine}: reindex failed:\n{err.read().decode()[-2000:]}")
        report = json.loads(out.read())
    return {
        "build_s": round(seconds, 1),
        "docs_per_s": round(report["indexed"] / seconds),
        "peak_mb": round(peak_kb / 1024),
        "indexed": report["indexed"],
        "index_mb": round(report["index_bytes"] / 1e6),
    }


def _peak_while_running(child: subprocess.Popen[bytes]) -> int:
    """The child's high-water resident memory (``VmHWM``, kB), read every 0.2 s until it ends.
    Not ``getrusage``: a child started by ``vfork`` inherits the high-water mark of this
    process, which holds the engines it timed before."""
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(OSError, StopIteration):
            status = Path(f"/proc/{child.pid}/status").read_text()
            line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
            peak = max(peak, int(line.split()[1]))
        time.sleep(0.2)
    return peak


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


def time_search(
    target: Target, queries: list[str], warm_up: list[str], warm_up_s: float
) -> dict[str, float]:
    """Percentiles of a page of 10 with snippets, and how many queries found something, after
    ``warm_up_s`` seconds of ``warm_up`` queries, untimed: what a server loads once per
    generation, and the compiled code of JVMs freshly started (300 queries were not enough:
    300 timed after them on a new cluster had a p50 of 26-46 ms, on a warm one 18 ms)."""
    engine = open_engine(target.settings)
    deadline = time.monotonic() + warm_up_s
    for q in itertools.cycle(warm_up):
        with contextlib.suppress(BadRequest):
            engine.search(SearchRequest(q, per_page=10))
        if time.monotonic() > deadline:
            break
    times, found = [], 0
    for q in queries:
        started = time.perf_counter()
        with contextlib.suppress(BadRequest):
            found += engine.search(SearchRequest(q, per_page=10)).total > 0
        times.append((time.perf_counter() - started) * 1000)
    engine.close()
    return {**percentiles(times), "with_hits": found}


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
    target: Target, queries: list[str], others: list[str], seconds: int
) -> dict[str, Any]:
    """``wrk`` after a warm-up: a few seconds of 8 clients sending ``others`` so that every
    worker has opened the index and loaded what it keeps per generation (vocabulary, columns,
    field lengths) before anything is timed; then one client and eight clients, each sending
    its own half of ``queries`` (posting lists a query warmed are not reused by the next run)."""
    if seconds <= 0:
        return {"skipped": "not measured (--http-seconds 0)"}
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    from urllib.parse import quote

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "serve"), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=target.env,
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


def measure(
    name: str, files: list[Path], questions: Path, queries: int, http_seconds: int,
    warm_up_s: float, engines: list[str], url: str | None, alias: str,
) -> dict[str, Any]:  # fmt: skip
    """Every figure of one corpus: the peer's, then each engine's (built, timed, and for the
    opensearch engine its indexes under ``alias`` on the cluster at ``url`` deleted)."""
    count = sum(1 for _ in documents(files))
    keywords, asked = keyword_queries(files, queries), questions_from(questions, queries)
    http_sets = keyword_queries(files, HTTP_QUERIES, seed=13), keyword_queries(files, 100, 12)
    warm_up = keyword_queries(files, WARM_UP, seed=12)
    with tempfile.TemporaryDirectory(prefix="perf-") as scratch:
        db = Path(scratch) / "fts5.db"
        fts5_build = build_fts5(files, db)
        result: dict[str, Any] = {
            "corpus": name,
            "documents": count,
            "fts5_build_s": round(fts5_build, 1),
            "fts5": {
                "keywords": time_fts5(db, keywords),
                "questions": time_fts5(db, asked),
                "keywords_no_snippet": time_fts5(db, keywords, snippets=False),
            },
            "engines": {},
        }
        for engine in engines:
            index_dir = Path(scratch) / f"index-{engine}"
            target = (
                opensearch_target(str(url), alias, index_dir)
                if engine == "opensearch"
                else whoosh_target(index_dir)
            )
            try:
                result["engines"][engine] = {
                    "build": build_index(files, target),
                    "search": {
                        "keywords": time_search(target, keywords, warm_up, warm_up_s),
                        "questions": time_search(target, asked, warm_up, warm_up_s),
                    },
                    "http": time_http(target, *http_sets, http_seconds),
                }
            finally:
                if engine == "opensearch":
                    drop_opensearch(target)
    return result


def engines_of(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each engine's figures (a file written before ``--engine`` held the whoosh engine's at
    the top level)."""
    if "engines" in result:
        return dict(result["engines"])
    return {"whoosh": {k: result[k] for k in ("build", "search", "http")}}


def table(results: list[dict[str, Any]]) -> str:
    names = list(dict.fromkeys(e for r in results for e in engines_of(r)))
    lines = [
        f"| corpus | measure | {' | '.join(names)} | SQLite FTS5 | ratio to FTS5 |",
        "|---|---|" + "---|" * len(names) + "---|---|",
    ]
    for r in results:
        lines.extend(_rows(r, names))
    return "\n".join(lines)


def _rows(r: dict[str, Any], names: list[str]) -> list[str]:
    """One corpus's rows: a cell per engine (``—`` when not measured), the peer, the ratios."""
    measured = engines_of(r)
    corpus = f"{r['corpus']} ({r['documents']:,} docs)"
    rows: list[str] = []

    def row(measure: str, value: Any, peer: Any = None, unit: str = "ms") -> None:
        """``value(figures)`` per engine; ``peer`` a number, or ``peer(figures)`` per engine."""
        cells, ratios = [], []
        for name in names:
            figures = measured.get(name)
            ours = value(figures) if figures is not None else None
            cells.append("—" if ours is None else f"{ours} {unit}".strip())
            other = peer(figures) if callable(peer) and figures is not None else peer
            if isinstance(ours, int | float) and isinstance(other, int | float) and other:
                ratios.append(f"{ours / other:.1f}×")
        ratio = " / ".join(ratios) or "—"
        peer_text = f"{peer} {unit}".strip() if isinstance(peer, int | float) else "—"
        rows.append(f"| {corpus} | {measure} | {' | '.join(cells)} | {peer_text} | {ratio} |")

    row("full build", lambda f: f["build"]["build_s"], r["fts5_build_s"], "s")
    row("build rate", lambda f: f["build"]["docs_per_s"], None, "docs/s")
    row("peak memory of reindex", lambda f: f["build"]["peak_mb"], None, "MB")
    row("index size (OpenSearch: primaries)", lambda f: f["build"].get("index_mb"), None, "MB")
    for queries in ("keywords", "questions"):
        for p in ("p50", "p95", "p99"):
            row(f"{queries}: {p}, page of 10 with snippets",
                lambda f, q=queries, p=p: f["search"][q][p], r["fts5"][queries][p])  # fmt: skip
    fts5_keywords = r["fts5"]["keywords"]
    row("HTTP, 1 client: p50 (ratio to FTS5 in process)",
        lambda f: _http(f, "one_client", "p50"), fts5_keywords["p50"])  # fmt: skip
    row("HTTP, 1 client: p95 (ratio to FTS5 in process)",
        lambda f: _http(f, "one_client", "p95"), fts5_keywords["p95"])  # fmt: skip
    row("HTTP, 8 clients: requests/s", lambda f: _http(f, "eight_clients", "rps"), None, "")
    row("HTTP, 8 clients: p95 (ratio to in-process p95)",
        lambda f: _http(f, "eight_clients", "p95"),
        lambda f: f["search"]["keywords"]["p95"])  # fmt: skip
    row("HTTP errors (non-2xx, socket)", lambda f: _http_errors(f), None, "")
    return rows


def _http(figures: dict[str, Any], run: str, key: str) -> Any:
    return figures["http"][run][key] if run in figures["http"] else None


def _http_errors(figures: dict[str, Any]) -> str | None:
    http = figures["http"]
    if "skipped" in http:
        return f"skipped: {http['skipped']}"
    runs = (http["one_client"], http["eight_clients"])
    return f"{sum(x['non_2xx'] for x in runs)}, {sum(x['socket_errors'] for x in runs)}"


def main() -> int:
    if sys.argv[1:2] == ["--table"]:  # the table again from a JSON file written before
        print(table(json.loads(Path(sys.argv[2]).read_text())["results"]))
        return 0
    args = arguments()
    engines = [name for name in args.engine.split(",") if name]
    if unknown := sorted(set(engines) - set(ENGINES)):
        raise SystemExit(f"unknown engine {', '.join(unknown)} (known: {', '.join(ENGINES)})")
    sets = corpora(args)
    if not sets:
        print(f"{DATA}: skipped, ../shared/data is not available")
        return 0
    results = []
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(cluster_url(args.heap)) if "opensearch" in engines else None
        for position, (name, files) in enumerate(sets):
            alias = f"bench-perf-{position}"
            run = (
                args.questions,
                args.queries,
                args.http_seconds,
                args.warm_up,
                engines,
                url,
                alias,
            )
            results.append(measure(name, files, *run))
            print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    cluster = (
        {"url_given": "COMMUNIQUES_OPENSEARCH_URL" in os.environ, "heap_per_node": args.heap}
        if "opensearch" in engines
        else None
    )
    print(f"\nMachine: {machine}; SQLite {sqlite3.sqlite_version}" + _cluster_note(cluster))
    print()
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {"machine": machine, "opensearch": cluster, "results": results}
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="store_true", help="also OrangeSum + ELTeC (226k)")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--http-seconds", type=int, default=15, help="0: no HTTP measures")
    parser.add_argument(
        "--warm-up",
        type=float,
        default=WARM_UP_S,
        help="seconds of untimed searches before each timed set (default %(default)s)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--engine",
        default="whoosh",
        help="engines to measure, comma-separated: whoosh, opensearch (default whoosh)",
    )
    parser.add_argument(
        "--heap",
        default=BENCH_HEAP,
        help="Java heap of each node when the cluster is started here (default %(default)s)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        help="a .jsonl.gz corpus to measure instead of OrangeSum (repeatable: one corpus each)",
    )
    parser.add_argument(
        "--questions",
        type=Path,
        default=DATA / "piaf" / "queries.jsonl.gz",
        help="questions, .jsonl.gz of {'text': …} (default: PIAF's)",
    )
    return parser.parse_args()


def corpora(args: argparse.Namespace) -> list[tuple[str, list[Path]]]:
    """The corpora to measure, each a name and its files (none: the data is absent)."""
    if args.corpus:
        return [(path.name, [path]) for path in args.corpus]
    orangesum = DATA / "orangesum" / "docs.jsonl.gz"
    if not orangesum.is_file() or not args.questions.is_file():
        return []
    sets = [("OrangeSum", [orangesum])]
    if args.scale:
        sets.append(("OrangeSum + ELTeC", [orangesum, DATA / "eltec-fra" / "docs.jsonl.gz"]))
    return sets


def _cluster_note(cluster: dict[str, Any] | None) -> str:
    if cluster is None:
        return ""
    if cluster["url_given"]:
        return "; OpenSearch: the cluster of COMMUNIQUES_OPENSEARCH_URL"
    return f"; OpenSearch: three nodes started here, {cluster['heap_per_node']} heap each"


if __name__ == "__main__":
    sys.exit(main())
