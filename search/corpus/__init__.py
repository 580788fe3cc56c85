"""Corpus reading: paths (files or folders) to a stream of documents and problems.

Formats by file name: ``*.jsonl`` and ``*.jsonl.gz`` (one document per line), ``*.md``,
``*.markdown`` and ``*.txt`` (one document per file, front matter), ``*.html`` and ``*.htm``
(one press release per page), ``*.pdf`` (one communiqué per file). Folders are walked in
sorted order; files named ``README*`` and files of other formats inside a folder are left
alone; entries that are neither files nor folders (links to nothing or in a loop, named pipes)
are reported (``not_files``). A file named explicitly must be of a known format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from search.corpus.html import read_html
from search.corpus.jsonl import read_jsonl
from search.corpus.markdown import read_markdown
from search.corpus.model import Document, Problem
from search.corpus.pdf import read_pdf
from search.errors import CorpusError

__all__ = ["Document", "Problem", "corpus_files", "not_files", "read_corpus"]

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)


def _is_known(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES + TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES)


def corpus_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read, in order; ``CorpusError`` for a path that does not exist."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _is_known(p))
            files.extend(p for p in found if not p.name.startswith("README"))
        elif path.is_file():
            files.append(path)
        else:
            raise CorpusError(f"chemin introuvable : {path}")
    return files


def not_files(paths: Iterable[str | Path]) -> list[Problem]:
    """Entries of the folders among ``paths`` that are neither files nor folders, each as a
    problem: links to nothing or in a loop, named pipes, sockets, devices (left unread)."""
    found: list[Problem] = []
    for path in map(Path, paths):
        if not path.is_dir():
            continue
        for entry in sorted(path.rglob("*")):
            if entry.is_symlink() and not entry.exists():
                found.append(Problem(str(entry), "lien vers rien ou en boucle", "broken_link"))
            elif not entry.is_file() and not entry.is_dir():
                reason = "ni fichier ni dossier (tube nommé, socket, périphérique) : non lu"
                found.append(Problem(str(entry), reason, "not_a_file"))
    return found


def read_corpus(
    files: Iterable[Path], on_bytes: Callable[[int], object] = lambda n: None
) -> Iterator[Document | Problem]:
    """Yield every document and problem of ``files``, streaming (nothing is held in memory)."""
    for path in files:
        try:
            yield from _read_file(path, on_bytes)
        except OSError as error:
            yield Problem(str(path), f"fichier illisible ({error.strerror or error})", "unreadable")


def _read_file(path: Path, on_bytes: Callable[[int], object]) -> Iterator[Document | Problem]:
    if path.name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(path, on_bytes)
    elif path.name.lower().endswith(PDF_SUFFIXES):
        yield read_pdf(path)
        on_bytes(path.stat().st_size)
    elif path.name.endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
        html = path.name.endswith(HTML_SUFFIXES)
        yield read_html(path) if html else read_markdown(path)
        on_bytes(path.stat().st_size)
    else:
        yield Problem(
            str(path),
            "format inconnu (attendu .jsonl, .jsonl.gz, .md, .markdown, .txt, .html, .htm, .pdf)",
            "unknown_format",
        )
