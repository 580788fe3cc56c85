"""Hostile requests against a served 34k index: max and p95 latency per class, 5xx and empty pages.

    python bench/hostile.py [--workdir DIR] [--rounds 3] [--json FILE]

Builds (once, kept in ``--workdir``) an index of the 34k OrangeSum articles of ../shared/data
plus three large documents (1, 5 and 20 MB bodies), starts ``serve`` (gunicorn, two workers)
on a free loopback port, and sends each class of hostile request from three clients at once
(both workers busy) while one ordinary client keeps searching:

- open periods: ``from`` or ``to`` alone, on the API, the results page and the feed;
- excluded phrases: 31 phrases of a common word twice (``-"plus plus"``, ``-"france france"``…);
- ORed phrases: 25 such phrases joined by ``OU`` (as many as 500 characters hold);
- large documents: the document page (with words to mark) and its similar documents;
- idle sockets: 200 connections that send nothing, while the ordinary client searches.

Prints, per class, requests, max and p95 seconds, 5xx answers, pages empty although the query
matches; and the ordinary client's p95 and max. Exits 0 and says so when ../shared/data is
absent. Runs the code importable by this Python (``PYTHONPATH`` may point at another checkout
to measure it).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "orangesum" / "docs.jsonl.gz"
COMMON = ["plus", "france", "président", "gouvernement", "ans", "pays", "selon", "aussi",
          "faire", "deux", "après", "ministre", "premier", "état", "tout", "bien", "contre",
          "personnes", "police", "mois", "heures", "dont", "lors", "années", "jour", "ville",
          "français", "monde", "paris", "vie", "temps"]  # fmt: skip
LARGE = {"hostile-1mb": 1, "hostile-5mb": 5, "hostile-20mb": 20}  # id: megabytes of body

Answer = tuple[int, float, dict[str, object] | None]  # status, seconds, JSON body if any


def fetch(url: str, timeout: float = 60) -> Answer:
    started = time.monotonic()
    body: dict[str, object] | None = None
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
            status = response.status
            if response.headers.get_content_type() == "application/json":
                body = json.loads(data)
    except urllib.error.HTTPError as error:
        status = error.code
        error.close()
    except OSError:
        status = 0  # no answer at all (timeout, reset)
    return status, time.monotonic() - started, body


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return max(values)
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def large_documents(path: Path) -> Path:
    words = "Le gouvernement a présenté la réforme des retraites devant le Parlement jeudi. "
    with path.open("w", encoding="utf-8") as out:
        for doc_id, megabytes in LARGE.items():
            body = words * (megabytes * 1_000_000 // len(words))
            record = {"id": doc_id, "title": f"Document de {megabytes} Mo", "body": body}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def build(workdir: Path) -> Path:
    index_dir = workdir / "ix"
    if (index_dir / "CURRENT").exists():
        return index_dir
    workdir.mkdir(parents=True, exist_ok=True)
    extra = large_documents(workdir / "large.jsonl")
    command = [sys.executable, "-c", "from search.cli import reindex; reindex()"]
    subprocess.run([*command, str(CORPUS), str(extra), "--index", str(index_dir)], check=True)
    return index_dir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(index_dir: Path, port: int) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", "from web.serve import main; main()"]
    process = subprocess.Popen(
        [*command, "--index", str(index_dir), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )  # fmt: skip
    for _ in range(600):
        if fetch(f"http://127.0.0.1:{port}/api/health", timeout=5)[0] == 200:
            return process
        time.sleep(0.1)
    raise SystemExit("serve did not start")


def classes(base: str) -> dict[str, list[tuple[str, bool]]]:
    """Per class, the URLs to send and whether each must give a non-empty page."""
    quote = urllib.parse.quote
    excluded = "otan " + " ".join(f'-"{word} {word}"' for word in COMMON)
    ored = " OU ".join(f'"{word} {word}"' for word in COMMON[:25])  # 500 characters at most
    periods = [("from", "2018"), ("to", "2018"), ("from", "2019"), ("from", "2015-06")]
    return {
        "open periods": [
            *((f"{base}/api/search?q=france&{k}={v}", True) for k, v in periods),
            (f"{base}/?q=france&from=2018", False),
            (f"{base}/feed?q=gouvernement&to=2014", False),
        ],
        "excluded phrases": [
            (f"{base}/api/search?q={quote(excluded)}", True),
            (f"{base}/api/search?q={quote('plus ' + excluded[5:])}", True),
        ],
        "ORed phrases": [(f"{base}/api/search?q={quote(ored)}", False)],
        "large documents": [
            *((f"{base}/documents/{doc_id}?q=retraites+gouvernement", False) for doc_id in LARGE),
            *((f"{base}/api/documents/{doc_id}/similar", False) for doc_id in LARGE),
        ],
    }


def run_class(urls: list[tuple[str, bool]], rounds: int) -> dict[str, object]:
    work = [entry for _ in range(rounds) for entry in urls]
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda entry: (fetch(entry[0]), entry[1]), work))
    seconds = [answer[1] for answer, _ in answers]
    empty = sum(
        1 for (status, _, body), must in answers
        if must and status == 200 and body is not None and not body.get("results")
    )  # fmt: skip
    statuses = [answer[0] for answer, _ in answers]
    return {
        "requests": len(answers),
        "max": round(max(seconds), 3),
        "p95": round(p95(seconds), 3),
        "errors_5xx_or_none": sum(1 for s in statuses if s >= 500 or s == 0),
        "empty_pages": empty,
        "statuses": sorted(set(statuses)),
        "seconds": [round(value, 3) for value in seconds],
    }


def idle_sockets(base: str, port: int, count: int = 200, budget: float = 90) -> dict[str, object]:
    """40 searches (or as many as ``budget`` seconds allow) while ``count`` sockets idle."""
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    answers: list[Answer] = []
    started = time.monotonic()
    try:
        while len(answers) < 40 and time.monotonic() - started < budget:
            answers.append(fetch(f"{base}/api/search?q=france+otan", timeout=30))
    finally:
        for connection in idle:
            connection.close()
    seconds = [seconds for _, seconds, _ in answers]
    return {
        "requests": len(answers),
        "max": round(max(seconds), 3),
        "p95": round(p95(seconds), 3),
        "errors_5xx_or_none": sum(1 for status, _, _ in answers if status >= 500 or status == 0),
        "empty_pages": 0,
        "statuses": sorted({status for status, _, _ in answers}),
        "seconds": [round(value, 3) for value in seconds],
    }


def ordinary(base: str, stop: threading.Event, seconds: list[float], statuses: list[int]) -> None:
    while not stop.is_set():
        status, took, _ = fetch(f"{base}/api/search?q=r%C3%A9forme+des+retraites", timeout=60)
        seconds.append(took)
        statuses.append(status)


def measure(base: str, port: int, rounds: int, only: str | None) -> dict[str, object]:
    results: dict[str, object] = {}
    for name, urls in classes(base).items():
        if only and name != only:
            continue
        results[name] = with_ordinary(base, lambda urls=urls: run_class(urls, rounds))  # type: ignore[misc]
        print(f"{name:18} {results[name]}", flush=True)
    if only and only != "idle sockets":
        return results
    results["idle sockets"] = idle_sockets(base, port)
    print(f"{'idle sockets':18} {results['idle sockets']}", flush=True)
    return results


def with_ordinary(base: str, work: Callable[[], dict[str, object]]) -> dict[str, object]:
    stop = threading.Event()
    seconds: list[float] = []
    statuses: list[int] = []
    thread = threading.Thread(target=ordinary, args=(base, stop, seconds, statuses))
    thread.start()
    try:
        result = work()
    finally:
        stop.set()
        thread.join()
    result["ordinary_p95"] = round(p95(seconds), 3) if seconds else None
    result["ordinary_max"] = round(max(seconds), 3) if seconds else None
    result["ordinary_5xx_or_none"] = sum(1 for s in statuses if s >= 500 or s == 0)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hostile-bench"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--only", default=None, help="one class, e.g. 'idle sockets'")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent (the real French data of ../shared, see README)")
        return 0
    index_dir = build(args.workdir)
    port = free_port()
    server = start_server(index_dir, port)
    try:
        results = measure(f"http://127.0.0.1:{port}", port, args.rounds, args.only)
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=60)
    results["worker_timeouts"] = err.count("WORKER TIMEOUT")
    print(f"worker timeouts    {results['worker_timeouts']}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
