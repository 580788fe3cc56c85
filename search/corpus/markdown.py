"""Read one Markdown or text file with an optional front-matter header as one document.

The header (between ``---`` lines, YAML) gives ``title``, ``date``, ``url``, ``type``,
``source`` and optionally ``id``; other keys are kept. Without a ``title`` the first ``# ``
heading is used, if there is one. The id defaults to the file name without its extension.
Dates are read as the text written (``date: 2025-02-30`` unquoted is an impossible date like the
quoted form, not a crash of the YAML parser), and a header YAML cannot build is a problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from search.corpus.model import BadRecord, Document, Problem, document_from_record, too_large


def read_markdown(path: Path) -> Document | Problem:
    """Return the document of ``path``, or the problem that prevents reading it."""
    if refused := too_large(path.stat().st_size):
        return Problem(str(path), str(refused), refused.kind)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem(str(path), f"octets non UTF-8 (position {error.start})", "not_utf8")
    if not text.strip():
        return Problem(str(path), "fichier vide", "empty_file")
    try:
        post = frontmatter.loads(text, handler=_handler(text))
    except yaml.YAMLError as error:
        return Problem(str(path), f"en-tête illisible : {_first_line(error)}", "bad_header")
    except (ValueError, TypeError) as error:  # a value YAML cannot build: !!timestamp 2025-02-30
        reason = f"en-tête illisible : valeur impossible ({_first_line(error)})"
        return Problem(str(path), reason, "bad_header")
    record = {"id": path.stem, **post.metadata}
    body = post.content
    if not record.get("title"):
        record["title"], body = _heading_as_title(body)
    record["body"] = body
    try:
        return document_from_record(record, str(path))
    except BadRecord as error:
        return Problem(str(path), str(error), error.kind)


class _TextDates(yaml.SafeLoader):
    """YAML's safe loader without the implicit date type: dates stay the text written."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, rule) for tag, rule in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _TextDatesHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_TextDates)


def _handler(text: str) -> frontmatter.BaseHandler | None:
    """The YAML header reader keeping dates as text; other formats (JSON) as detected."""
    found = frontmatter.detect_format(text, frontmatter.handlers)
    return _TextDatesHandler() if isinstance(found, YAMLHandler) else found


def _heading_as_title(body: str) -> tuple[str, str]:
    """Take a leading ``# Title`` line out of the body; ``("", body)`` when there is none."""
    lines = body.lstrip().splitlines()
    if lines and lines[0].startswith("# "):
        return lines[0][2:].strip(), "\n".join(lines[1:]).strip()
    return "", body


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
