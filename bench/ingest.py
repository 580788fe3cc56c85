"""Indexing a press room from its feed, twice: the first run reads every page, the second
should make one conditional request per page and analyse nothing.

    python bench/ingest.py [--pages 200] [--delay 0] [--json FILE]

Writes ``--pages`` press-release pages (a menu, a share block and a footer around five
paragraphs) and an RSS feed listing them into a temporary folder, serves it with Python's own
``http.server`` (Last-Modified and If-Modified-Since → 304) in another process on loopback,
then runs the real ``reindex FEED`` twice (``COMMUNIQUES_FETCH_ALLOW_PRIVATE=1``,
``COMMUNIQUES_FETCH_DELAY=--delay``) and prints the wall-clock time and the report of each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORDS = ["sécurité", "défense", "coopération", "ministère", "gouvernement", "territoire",
         "région", "transition", "énergie", "climat", "soutien", "agriculteurs", "santé",
         "vaccination", "littoral", "préfet", "mesures", "annonce", "dispositif", "européenne",
         "nationale", "partenariat", "innovation", "industrie"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_site(folder: Path, pages: int, base: str) -> None:
    rng = random.Random(20)
    items = []
    for i in range(pages):
        title = f"Communiqué {i} : " + " ".join(rng.choices(WORDS, k=6))
        text = "".join(f"<p>{' '.join(rng.choices(WORDS, k=60))}.</p>" for _ in range(5))
        (folder / f"cp-{i}.html").write_text(
            f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='2024-{1 + i % 12:02d}-10'>"
            "</head><body><nav><a href='/'>Accueil</a> <a href='/presse'>Presse</a></nav>"
            f"<main><article><h1>{title}</h1>{text}<div class='share'>Partager</div>"
            "</article></main><footer>Mentions légales</footer></body></html>",
            "utf-8",
        )
        items.append(f"<item><title>{title}</title><link>{base}/cp-{i}.html</link></item>")
    (folder / "rss.xml").write_text(
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>CP</title>"
        f"<link>{base}/</link>{''.join(items)}</channel></rss>",
        "utf-8",
    )


def reindex(feed: str, index: Path, delay: float) -> tuple[float, dict[str, object]]:
    env = {**os.environ, "COMMUNIQUES_FETCH_ALLOW_PRIVATE": "1",
           "COMMUNIQUES_FETCH_DELAY": str(delay)}  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "reindex"), feed, "--index", str(index), "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    return time.perf_counter() - started, json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.0, help="fetch_delay (seconds)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site, index = Path(tmp) / "site", Path(tmp) / "index"
        site.mkdir()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        write_site(site, args.pages, base)
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
             "--directory", str(site)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/rss.xml", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            runs = [reindex(f"{base}/rss.xml", index, args.delay) for _ in range(2)]
        finally:
            server.terminate()
            server.wait()
    figures = {
        "pages": args.pages,
        "delay": args.delay,
        "runs": [{"seconds": round(seconds, 2), **report} for seconds, report in runs],
    }
    for name, (seconds, report) in zip(("first", "second"), runs, strict=True):
        print(f"{name}: {seconds:.1f} s, {report['added']} added, {report['unchanged']} "
              f"unchanged, web {report['fetched']}")  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
