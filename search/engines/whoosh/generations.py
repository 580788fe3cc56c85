"""Index generations on disk, and the one atomic step that makes a new one the served one.

Layout of an index folder::

    CURRENT                  name of the served generation (replaced by an atomic rename)
    generations/<name>/      a complete, self-contained Whoosh index plus manifest.json
    reindex.lock             held by the running reindex (see ``locking``)

A new generation is written beside the served one, every file of it is fsynced, and only then
is a new ``CURRENT`` renamed over the old one (and the folder fsynced). A crash at any moment
leaves ``CURRENT`` naming a whole generation; leftovers are pruned by the next reindex (a
generation without a manifest is a leftover: the manifest is written last).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Any

POINTER = "CURRENT"
GENERATIONS = "generations"
MANIFEST = "manifest.json"


def new_generation(index_dir: Path) -> Path:
    """Create and return an empty folder for a new generation (names sort by creation time)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = index_dir / GENERATIONS / f"{stamp}-{secrets.token_hex(3)}"
    path.mkdir(parents=True)
    return path


def served_generation(index_dir: Path) -> Path | None:
    """The generation ``CURRENT`` names, or ``None`` when nothing was ever published."""
    try:
        name = (index_dir / POINTER).read_text("utf-8").strip()
    except FileNotFoundError:
        return None
    return index_dir / GENERATIONS / name if name else None


def publish(index_dir: Path, generation: Path) -> None:
    """Make ``generation`` the served one: fsync it whole, then rename the pointer over."""
    fsync_tree(generation)
    temporary = index_dir / f"{POINTER}.{os.getpid()}.tmp"
    with temporary.open("w", encoding="utf-8") as pointer:
        pointer.write(generation.name + "\n")
        pointer.flush()
        os.fsync(pointer.fileno())
    os.replace(temporary, index_dir / POINTER)
    _fsync_dir(index_dir)


def prune(index_dir: Path, keep_previous: int = 1) -> list[str]:
    """Remove generations other than the served one and the ``keep_previous`` newest complete
    others; incomplete ones (no manifest: a run killed while writing) go first, whatever their
    age.

    Call only while holding the writer lock (no run is writing then). Keeping the previous
    complete generation lets a server process still answering from it finish its request,
    and ``reindex --publish <previous>`` roll back to it.
    """
    served = served_generation(index_dir)
    root = index_dir / GENERATIONS
    others = (
        sorted((p for p in root.iterdir() if p != served), reverse=True) if root.is_dir() else []
    )
    complete = sorted(
        (path for path in others if path.is_dir() and read_manifest(path)),
        key=lambda path: (path / MANIFEST).stat().st_mtime_ns,
        reverse=True,
    )  # newest written first: names made in the same second sort at random
    removed = []
    for old in others:
        if old not in complete[:keep_previous]:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old.name)
    return removed


def write_manifest(generation: Path, data: dict[str, Any]) -> None:
    (generation / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")


def read_manifest(generation: Path) -> dict[str, Any]:
    try:
        data = json.loads((generation / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def checksums(generation: Path) -> dict[str, str]:
    """A BLAKE2 digest of every file of a generation but its manifest (which records them)."""
    digests = {}
    for path in sorted(generation.iterdir()):
        if path.is_file() and path.name != MANIFEST:
            digest = hashlib.blake2b(digest_size=16)
            with path.open("rb") as data:
                for block in iter(lambda: data.read(1 << 20), b""):
                    digest.update(block)
            digests[path.name] = digest.hexdigest()
    return digests


def damaged_files(generation: Path, recorded: dict[str, str]) -> list[str]:
    """Files of ``generation`` that are missing or differ from their recorded digest."""
    found = checksums(generation)
    return sorted(name for name, digest in recorded.items() if found.get(name) != digest)


def fsync_tree(path: Path) -> None:
    """fsync every file under ``path``, then every folder (Whoosh's own commit never does)."""
    for folder, _subfolders, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
