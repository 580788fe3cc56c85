"""Command line: ``reindex`` (build and publish an index) and ``search-cli`` (query it).

A thin adapter: options become settings, the library does the work, and this module is the one
place where library errors become a message on stderr and a non-zero exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import click

from cli.progress import Progress
from search.config import load_settings
from search.corpus import corpus_files
from search.engines import open_engine
from search.errors import SearchError
from search.fetch import is_url
from search.filters import Filters
from search.models import SORTS, SearchRequest
from search.wording import count

EXIT_CODES = {400: 2, 404: 3, 409: 75, 503: 69, 507: 74}


@contextmanager
def error_boundary() -> Iterator[None]:
    """The one place where library errors become ``Erreur : …`` on stderr and an exit code."""
    try:
        yield
    except SearchError as error:
        click.echo(f"Erreur : {error.message}", err=True)
        sys.exit(EXIT_CODES.get(error.status, 1))


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Index folder (default: COMMUNIQUES_INDEX_DIR or ./index).",
)
@click.option("--full", is_flag=True, help="Rebuild everything instead of only the changes.")
@click.option("--strict", is_flag=True, help="Fail, keeping the served index, on any problem.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--publish",
    "publish_name",
    metavar="GENERATION",
    help="Serve generations/GENERATION, copied from another host, instead of building.",
)
def reindex(
    paths: tuple[str, ...],
    index_dir: Path | None,
    full: bool,
    strict: bool,
    as_json: bool,
    publish_name: str | None,
) -> None:
    """Build the index from PATHS (files, folders or web addresses; default: ./corpus) and
    publish it.

    Reads .jsonl, .jsonl.gz, .md, .markdown, .txt, .html, .htm and .pdf files, and the pages
    and PDFs of a feed (RSS, Atom), a sitemap or a single web address (robots.txt obeyed; a
    page unchanged since the last run costs one conditional request). Unreadable lines, files
    and pages are reported as place: reason and skipped (--strict: the run fails instead).
    Only new, changed and removed documents are processed unless --full is given. The served
    index is replaced in one atomic step once the new one is complete and synced; searches
    keep working during the whole run.
    """
    settings = load_settings({"index_dir": index_dir})
    sources = list(paths) or [settings["corpus"]]
    if publish_name:
        with error_boundary():
            report = open_engine(settings).publish(publish_name)
        click.echo(report.summary())
        return
    with error_boundary():
        local = [source for source in sources if not is_url(source)]
        total = sum(path.stat().st_size for path in corpus_files(local))
        with Progress(total) as progress:
            report = open_engine(settings).reindex(sources, progress, full, strict)
    for note in report.notes:
        click.echo(f"Note : {note}", err=True)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        click.echo(report.summary())


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("query")
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Index folder (default: COMMUNIQUES_INDEX_DIR or ./index).",
)
@click.option("--page", default=1, show_default=True, help="Page number.")
@click.option("--per-page", default=10, show_default=True, help="Results per page.")
@click.option(
    "--from", "date_from", help="First day: YYYY, YYYY-MM, YYYY-MM-DD, 03/2024, mars 2024."
)
@click.option("--to", "date_to", help="Last day: YYYY, YYYY-MM, YYYY-MM-DD, 03/2024, mars 2024.")
@click.option("--type", "types", multiple=True, help="Document type (repeatable).")
@click.option("--source", "sources", multiple=True, help="Source organisation (repeatable).")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="relevance",
    show_default=True,
    help="Order of the hits.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the page as JSON.")
def search_command(
    query: str,
    index_dir: Path | None,
    page: int,
    per_page: int,
    date_from: str | None,
    date_to: str | None,
    types: tuple[str, ...],
    sources: tuple[str, ...],
    sort: str,
    as_json: bool,
) -> None:
    """Search the index for QUERY and print the ranked hits."""
    settings = load_settings({"index_dir": index_dir})
    with error_boundary():
        filters = Filters.parse(date_from, date_to, types, sources)
        request = SearchRequest(query, page, per_page, filters, sort)
        result = open_engine(settings).search(request)
    if as_json:
        shown = {
            ("results" if key == "hits" else key): value for key, value in asdict(result).items()
        }
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))  # ``results``, as in the API
        return
    if result.suggestion:
        click.echo(f"Vouliez-vous dire : {result.suggestion} ?")
    click.echo(f"{count(result.total, 'résultat')} — page {result.page}/{result.pages}")
    for rank, hit in enumerate(result.hits, start=(page - 1) * per_page + 1):
        score = f"  ({hit.score:.2f})" if hit.score is not None else ""
        click.echo(f"{rank:>3}. [{hit.date or '—'}] {hit.title}{score}")
