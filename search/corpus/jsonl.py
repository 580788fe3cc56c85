"""Read JSON Lines corpora (``.jsonl`` or ``.jsonl.gz``), one document per line, streamed.

Promises: a bad line (not UTF-8, not JSON, not an object, half of a UTF-16 pair escaped alone
like ``\\ud800``, missing fields, too large) becomes a ``Problem`` at ``path:line`` and the next
line is read; a damaged gzip stream ends the file with a problem. ``on_bytes`` receives the
number of bytes of the file consumed since the last call.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from search.corpus.model import BadRecord, Document, Problem, document_from_record, too_large

_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # looked for only where one is escaped


def read_jsonl(path: Path, on_bytes: Callable[[int], object]) -> Iterator[Document | Problem]:
    """Yield a document or a problem for every non-blank line of ``path``."""
    with path.open("rb") as raw:
        gzipped = path.name.endswith(".gz")
        stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if gzipped else raw  # type: ignore[assignment]
        done, line_no, seen_any = 0, 0, False
        try:
            for line_no, line in enumerate(stream, start=1):
                if line.strip():
                    seen_any = True
                    yield _parse_line(line, str(path), line_no)
                done = _report(raw, done, on_bytes)
        except (OSError, EOFError, zlib.error) as error:
            yield Problem(
                f"{path}:{line_no + 1}", f"fichier compressé endommagé ({error})", "damaged_file"
            )
        if not seen_any and line_no == 0:
            yield Problem(str(path), "fichier vide", "empty_file")


def _report(raw: IO[bytes], done: int, on_bytes: Callable[[int], object]) -> int:
    position = raw.tell()
    if position > done:
        on_bytes(position - done)
    return position


def _has_lone_surrogate(value: object) -> bool:
    """Whether a string in ``value`` holds half of a UTF-16 pair alone (it cannot be UTF-8)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def _parse_line(line: bytes, path: str, line_no: int) -> Document | Problem:
    where = f"{path}:{line_no}"
    if refused := too_large(len(line)):
        return Problem(where, str(refused), refused.kind)
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem(where, f"octets non UTF-8 (position {error.start})", "not_utf8")
    try:
        record = json.loads(text.rstrip("\r\n"))  # a cut line: its end, not line 2 column 1
    except json.JSONDecodeError as error:
        return Problem(
            where, f"JSON invalide : {error.msg} (colonne {error.colno})", "invalid_json"
        )
    if not isinstance(record, dict):
        return Problem(where, "un objet JSON est attendu sur chaque ligne", "not_an_object")
    if _ESCAPED_SURROGATE.search(text) and _has_lone_surrogate(record):
        return Problem(
            where,
            "caractère invalide : moitié de paire UTF-16 isolée (« \\ud800 »-« \\udfff », "
            "surrogate)",
            "lone_surrogate",
        )
    try:
        return document_from_record(record, path, line_no)
    except BadRecord as error:
        return Problem(where, str(error), error.kind)
