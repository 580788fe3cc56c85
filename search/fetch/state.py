"""What a reindex remembers of the web pages it read, for the next run's conditional requests:
one JSON line per page address, ``[url, {"id", "source", "etag", "last_modified"}]``, gzipped.

The engine decides where the file lives (beside its table of content hashes, in the
generation) and gives the folder; nothing here knows an engine.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

FETCHED = "fetched.jsonl.gz"

FetchState = dict[str, dict[str, Any]]  # page address → what the last run saw


def load_state(folder: Path | None) -> FetchState:
    """The table saved in ``folder`` (empty when there is none)."""
    if folder is None:
        return {}
    try:
        with gzip.open(folder / FETCHED, "rt", encoding="utf-8") as lines:
            return {url: seen for url, seen in map(json.loads, lines)}
    except FileNotFoundError:
        return {}


def save_state(folder: Path, state: FetchState) -> None:
    """Write ``state`` into ``folder`` (no file when it is empty)."""
    path = folder / FETCHED
    if not state:
        path.unlink(missing_ok=True)
        return
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=3) as out:
        for url, seen in state.items():
            out.write(json.dumps([url, seen], ensure_ascii=False) + "\n")
