"""Load while reindexing: N clients query a real ``serve`` while a full reindex runs and swaps.

    python bench/load.py [--corpus FILE] [--clients 8] [--seconds 30] [--workers 2] [--json FILE]

Starts ``serve`` (gunicorn, all its workers) on a free loopback port over an index of the
bundled sample corpus, then runs the clients (threads, keep-alive off) for at least
``--seconds`` and until a full ``reindex`` of ``--corpus`` (default: the 34k OrangeSum articles
in ../shared/data) has finished and been served. Prints requests, requests per second, failed
requests, 5xx answers, latency percentiles, and the documents served before and after.
Exits 0 and says so when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "orangesum" / "docs.jsonl.gz"
QUERIES = [
    "s%C3%A9curit%C3%A9",
    "gouvernement",
    "politique+spatiale",
    "OTAN",
    "r%C3%A9forme+des+retraites",
    "Quand+l%27OTAN+a-t-elle+adopt%C3%A9+sa+politique",
]


def fetch(url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
        error.close()
    except OSError:
        status = 0
    return status, time.monotonic() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run(corpus: Path, clients: int, seconds: float, workers: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="load-") as scratch:
        index_dir = Path(scratch) / "index"
        subprocess.run([str(BIN / "reindex"), str(ROOT / "corpus"), "--index", str(index_dir)],
                       check=True, capture_output=True)  # fmt: skip
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(BIN / "serve"), "--index", str(index_dir), "--port", str(port),
             "--workers", str(workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while fetch(f"{base}/api/health")[0] != 200:
                time.sleep(0.1)
            before = json.loads(urllib.request.urlopen(f"{base}/api/health").read())["documents"]
            results: list[tuple[int, float]] = []
            stop = threading.Event()

            def client(number: int) -> None:
                while not stop.is_set():
                    results.append(fetch(f"{base}/api/search?q={QUERIES[number % len(QUERIES)]}"))

            threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            reindex = subprocess.run(
                [str(BIN / "reindex"), str(corpus), "--index", str(index_dir), "--full"],
                capture_output=True, text=True,
            )  # fmt: skip
            reindexed_at = time.monotonic() - started
            time.sleep(max(5.0, seconds - (time.monotonic() - started)))
            stop.set()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            after = json.loads(urllib.request.urlopen(f"{base}/api/health").read())["documents"]
        finally:
            server.terminate()
            server.wait(timeout=30)
    latencies = [seconds for status, seconds in results if status == 200]
    return {
        "clients": clients,
        "workers": workers,
        "seconds": round(elapsed, 1),
        "reindex_seconds": round(reindexed_at, 1),
        "reindex_ok": reindex.returncode == 0,
        "requests": len(results),
        "requests_per_second": round(len(results) / elapsed, 1),
        "failed": sum(1 for status, _ in results if status == 0),
        "server_errors": sum(1 for status, _ in results if status >= 500),
        "other_non_200": sum(1 for status, _ in results if 0 < status < 500 and status != 200),
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1) if latencies else None,
        "documents_before": before,
        "documents_after": after,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"{args.corpus}: skipped, no corpus there (../shared/data is not available)")
        return 0
    figures = run(args.corpus, args.clients, args.seconds, args.workers)
    print(" ".join(f"{name}={value}" for name, value in figures.items()))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
