"""Plain baselines for ``bench/quality.py``: what a user could set up instead of this service.

Each baseline takes a dataset's documents and queries and returns, per query id, the ids of at
most ``depth`` documents, best first. Title and body are two fields (or columns) every time (a
document without a title has an empty one), and a query is its words (or analysed terms) ORed
over both:

- ``fts5``: SQLite FTS5, ``unicode61 remove_diacritics 2`` tokenizer, ``bm25()``;
- ``whoosh-fr``: Whoosh ``LanguageAnalyzer('fr')``, BM25F;
- ``lucene-fr``: Lucene 8 ``FrenchAnalyzer`` with BM25, what Elasticsearch's ``french`` analyzer
  runs (Debian's ``liblucene8-java`` and ``bench/lucene/FrenchBaseline.java``, compiled with
  ``javac`` at each run); raises :class:`Unavailable` where Java or the jars are absent;
- ``ours-plain``: this project's analysis (``search.analysis.FrenchAnalyzer``) in plain Whoosh
  BM25F, none of the service's ranking rules or bonuses.
"""

from __future__ import annotations

import glob
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.analysis import Analyzer, LanguageAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Or, Term
from whoosh.scoring import BM25F

from search.analysis import FrenchAnalyzer

FIELDS = ("title", "body")
JAVA_SOURCE = Path(__file__).parent / "lucene" / "FrenchBaseline.java"
JARS = ("lucene-core-8*.jar", "lucene-analyzers-common-8*.jar")
JAR_DIR = Path("/usr/share/java")


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    body: str


Query = tuple[str, str]  # id, text
Rankings = dict[str, list[str]]  # query id -> document ids, best first


class Unavailable(Exception):
    """A baseline cannot run here (its message says what is missing)."""


def fts5(docs: list[Doc], queries: list[Query], depth: int) -> Rankings:
    """SQLite FTS5 over title and body columns; a query's words ORed, each quoted."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.executemany(
        "INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
        ((row, doc.title, doc.body) for row, doc in enumerate(docs)),
    )
    rankings: Rankings = {}
    for query_id, text in queries:
        words = re.findall(r"\w+", text)
        match = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
        rows = db.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (match, depth),
        ).fetchall()
        rankings[query_id] = [docs[row].id for (row,) in rows] if words else []
    db.close()
    return rankings


def whoosh_fr(docs: list[Doc], queries: list[Query], depth: int) -> Rankings:
    """Whoosh's own French analysis (``LanguageAnalyzer('fr')``), BM25F, two fields."""
    return _whoosh_bm25f(LanguageAnalyzer("fr"), docs, queries, depth)


def ours_plain(docs: list[Doc], queries: list[Query], depth: int) -> Rankings:
    """This project's analysis in plain Whoosh BM25F, two fields, no bonuses."""
    return _whoosh_bm25f(FrenchAnalyzer(), docs, queries, depth)


def _whoosh_bm25f(
    analyzer: Analyzer, docs: list[Doc], queries: list[Query], depth: int
) -> Rankings:
    """Title and body as two fields of an in-memory Whoosh index, scored by BM25F (its
    defaults, B 0.75, K1 1.2); a query is its analysed terms ORed over both fields."""
    text = TEXT(analyzer=analyzer, phrase=False)
    schema = Schema(id=ID(stored=True), **dict.fromkeys(FIELDS, text))
    index = RamStorage().create_index(schema)
    with index.writer(limitmb=256) as writer:
        for doc in docs:
            writer.add_document(id=doc.id, title=doc.title, body=doc.body)
    rankings: Rankings = {}
    with index.searcher(weighting=BM25F()) as searcher:
        ids = [fields["id"] for fields in searcher.all_stored_fields()]
        for query_id, text in queries:
            terms = [token.text for token in analyzer(text)]
            if not terms:
                rankings[query_id] = []
                continue
            query = Or([Term(field, term) for term in terms for field in FIELDS])
            results = searcher.search(query, limit=depth)
            rankings[query_id] = [ids[results.docnum(i)] for i in range(results.scored_length())]
    return rankings


def lucene_fr(docs: list[Doc], queries: list[Query], depth: int) -> Rankings:
    """Lucene 8 ``FrenchAnalyzer``, BM25 over title and body, through a small Java class."""
    classpath = lucene_classpath()
    with tempfile.TemporaryDirectory(prefix="lucene-baseline-") as scratch:
        folder = Path(scratch)
        _run(["javac", "-d", str(folder), "-cp", classpath, str(JAVA_SOURCE)])
        _write_lines(folder / "docs.tsv", ([d.id, d.title, d.body] for d in docs))
        _write_lines(folder / "queries.tsv", ([query_id, text] for query_id, text in queries))
        files = [str(folder / "docs.tsv"), str(folder / "queries.tsv"), str(depth)]
        output = _run(["java", "-cp", f"{classpath}:{folder}", "FrenchBaseline", *files])
    rankings: Rankings = defaultdict(list)
    for row in filter(None, output.split("\n")):
        query_id, doc_id = row.split("\t")
        rankings[query_id].append(doc_id)
    return {query_id: rankings.get(query_id, []) for query_id, _ in queries}


def lucene_classpath() -> str:
    """The jars for the Java class, or :class:`Unavailable` saying what to install."""
    missing = [tool for tool in ("java", "javac") if shutil.which(tool) is None]
    if missing:
        found = " and ".join(missing)
        raise Unavailable(f"{found} not found (apt-get install default-jdk-headless)")
    jars = [sorted(glob.glob(str(JAR_DIR / pattern))) for pattern in JARS]
    if not all(jars):
        raise Unavailable(f"no Lucene 8 jars in {JAR_DIR} (apt-get install liblucene8-java)")
    return ":".join(found[-1] for found in jars)


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)
    if done.returncode:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def _write_lines(path: Path, rows: Iterable[list[str]]) -> None:
    """One row a line, values tab-separated; tabs and line breaks inside a value become spaces
    (separators to every analyzer here, so the terms are the same)."""
    clean = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
    with path.open("w", encoding="utf-8") as out:
        out.writelines("\t".join(value.translate(clean) for value in row) + "\n" for row in rows)


Baseline = Callable[[list[Doc], list[Query], int], Rankings]
BASELINES: dict[str, Baseline] = {
    "fts5": fts5,
    "whoosh-fr": whoosh_fr,
    "lucene-fr": lucene_fr,
    "ours-plain": ours_plain,
}
