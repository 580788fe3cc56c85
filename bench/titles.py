"""A held-out check for ranking changes: news titles searched among untitled article bodies.

    python bench/titles.py [--articles 12000] [--every 8] [--json FILE]

From ``../shared/data/orangesum`` (French news articles, a set no ranking step is tuned on): the
first ``--articles`` articles are indexed without their titles (each then has the first words
of its body as the title shown, as an untitled communiqué has), and the title of every
``--every``-th article is searched as typed; its article is the one relevant document. Prints
the line ``bench/quality.py`` prints for a dataset. Skips with a message when ../shared is
absent. Nothing of the data is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

from quality import evaluate, line

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "orangesum" / "docs.jsonl.gz"


def write_dataset(folder: Path, articles: int, every: int) -> None:
    """``docs.jsonl.gz``, ``queries.jsonl.gz`` and ``qrels.tsv`` in ``folder``."""
    with (
        gzip.open(SOURCE, "rt", encoding="utf-8") as lines,
        gzip.open(folder / "docs.jsonl.gz", "wt", encoding="utf-8") as docs,
        gzip.open(folder / "queries.jsonl.gz", "wt", encoding="utf-8") as queries,
    ):
        judged = []
        for number, text in zip(range(articles), lines, strict=False):
            article = json.loads(text)
            untitled = {"id": article["id"], "body": article["body"], "date": article["date"]}
            docs.write(json.dumps(untitled, ensure_ascii=False) + "\n")
            if number % every == 0 and article.get("title"):
                query = {"id": f"q{number}", "text": article["title"][:500]}
                queries.write(json.dumps(query, ensure_ascii=False) + "\n")
                judged.append(f"q{number}\t{article['id']}\t1\n")
    (folder / "qrels.tsv").write_text("".join(judged), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=12_000)
    parser.add_argument("--every", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not SOURCE.is_file():
        print(f"{SOURCE}: skipped, no dataset there (../shared/data is not available)")
        return 0
    with tempfile.TemporaryDirectory(prefix="titles-") as scratch:
        folder = Path(scratch) / "titles"
        folder.mkdir()
        write_dataset(folder, args.articles, args.every)
        result = evaluate(folder, Path(scratch) / "index")
    print(line(result), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
