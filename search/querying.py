"""A search request to a page of hits: parse, compile, rank, cut snippets. Plain data out.

Ranking: BM25F over title and body (a title word weighs ``title_weight`` body words), then the
best candidates are reranked with bonuses for query words found close together and in the exact
form typed (``reranking``).
Documents containing only some of the words are always ranked too, so a whole question never
ends with zero results because one of its words is missing. For short queries (up to
``all_words_first_up_to`` words) documents containing every word come strictly first; for longer
ones (questions) BM25F already favours them, and a strict rule would bury the answer under
documents that merely repeat the question's common words (measured in ``bench/quality.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from .errors import BadRequest
from .highlight import snippet
from .matching import CompiledQuery, compile_query
from .reranking import Ranked, rerank
from .syntax import parse


@dataclass(frozen=True)
class SearchRequest:
    q: str
    page: int = 1
    per_page: int = 10


@dataclass(frozen=True)
class SearchOptions:
    """Bounds a request must respect and ranking choices (from the settings table)."""

    max_per_page: int = 100
    max_result_window: int = 10_000
    max_query_chars: int = 500
    all_words_first_up_to: int = 3
    proximity_weight: float = 1.0
    exact_weight: float = 0.5
    rerank_depth: int = 100
    snippet_chars: int = 220
    snippet_fragments: int = 2

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> SearchOptions:
        return cls(**{name: settings[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    date: str | None
    url: str | None
    type: str | None
    source: str | None
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words


@dataclass(frozen=True)
class Page:
    query: str
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def check_request(request: SearchRequest, options: SearchOptions) -> None:
    """Raise ``BadRequest`` with a message a person can act on when a bound is crossed."""
    if len(request.q) > options.max_query_chars:
        raise BadRequest(
            f"requête trop longue ({len(request.q)} caractères ; {options.max_query_chars} au plus)"
        )
    if request.page < 1:
        raise BadRequest("« page » doit être un entier supérieur ou égal à 1")
    if not 1 <= request.per_page <= options.max_per_page:
        raise BadRequest(f"« per_page » doit être compris entre 1 et {options.max_per_page}")
    if request.page * request.per_page > options.max_result_window:
        raise BadRequest(
            f"page trop lointaine : seuls les {options.max_result_window} premiers résultats "
            "sont accessibles ; affinez la requête"
        )


def search(
    searcher: Searcher, request: SearchRequest, options: SearchOptions | None = None
) -> Page:
    """Run ``request`` and return the asked page, with snippets."""
    options = options or SearchOptions()
    check_request(request, options)
    compiled = compile_query(parse(request.q))
    if compiled.empty:
        raise BadRequest(
            "la requête ne contient aucun mot à chercher (seulement des mots vides comme "
            "« le », « de », ou de la ponctuation) : ajoutez un mot significatif"
        )
    end = request.page * request.per_page
    ranked, total = _ranked(searcher, compiled, max(end, options.rerank_depth), options)
    ranked = rerank(
        searcher,
        compiled,
        ranked,
        options.rerank_depth,
        options.proximity_weight,
        options.exact_weight,
    )
    start = end - request.per_page
    hits = [
        _hit(searcher, docnum, score, compiled, options) for _, docnum, score in ranked[start:end]
    ]
    return Page(request.q, total, request.page, request.per_page, hits)


def _ranked(
    searcher: Searcher, compiled: CompiledQuery, limit: int, options: SearchOptions
) -> tuple[Ranked, int]:
    """The first ``limit`` candidates by BM25 and their total, all-words matches first.

    Exclusions are part of the queries (``AndNot``) rather than Whoosh's ``mask``, whose
    counting path tests the mask once per matching document.
    """
    groups = list(compiled.groups)
    some = _without(groups[0] if len(groups) == 1 else wq.Or(groups), compiled.excluded)
    if not 1 < len(groups) <= options.all_words_first_up_to:
        results = searcher.search(some, limit=limit)
        return [(0, hit.docnum, hit.score) for hit in results], len(results)
    every = _without(wq.And(groups), compiled.excluded)
    results = searcher.search(every, limit=limit)
    ranked = [(0, hit.docnum, hit.score) for hit in results]
    if len(ranked) == limit:  # full of all-words matches: only count the others
        return ranked, sum(1 for _ in searcher.docs_for_query(some))
    rest = searcher.search(wq.AndNot(some, every), limit=limit - len(ranked))
    ranked += [(1, hit.docnum, hit.score) for hit in rest]
    return ranked, len(results) + len(rest)


def _without(query: wq.Query, excluded: wq.Query | None) -> wq.Query:
    return query if excluded is None else wq.AndNot(query, excluded)


def _hit(
    searcher: Searcher, docnum: int, score: float, compiled: CompiledQuery, options: SearchOptions
) -> Hit:
    stored = searcher.stored_fields(docnum)
    return Hit(
        id=stored["id"],
        title=stored["title"],
        date=stored.get("date"),
        url=stored.get("url"),
        type=stored.get("type"),
        source=stored.get("source"),
        score=round(float(score), 4),
        snippet=snippet(
            stored["body"],
            compiled.highlight_terms,
            options.snippet_chars,
            options.snippet_fragments,
        ),
    )
