"""A search request to a page of hits: parse, expand, compile, rank, cut snippets, count facets.

Ranking: BM25 over two fields, the title shown and the body, each normalised by its own length
(``fielded``); each score multiplied by the share of the query's words the document holds,
counted by idf, to the power ``coordination`` (a word found everywhere barely counts); then
the best candidates are reranked with bonuses for query words found close together and in the
exact form typed (``reranking``). Documents containing only some of the words are always
ranked too, so a whole question never ends with zero results because one of its words is
missing. Strict tiers ("every word first", for queries of up to ``all_words_first_up_to``
words) are off by default: the coordination factor ranks better on real users' queries
(``docs/ranking.md``). Equal scores go to the most recent document.

When the words typed find fewer than ``typo_below`` documents, words the corpus lacks are
completed by their close neighbours (typo tolerance), which weigh less than exact matches.
Everything returned is plain data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .accumulating import Accumulated, accumulate
from .analysis import terms_of
from .deadline import Deadline
from .errors import BadRequest
from .facets import FacetValue, count_facets
from .fielded import Fields
from .filtering import Filters, allowed_documents
from .highlight import Located, snippet_of_spans, spans_of
from .lexicon import did_you_mean, near_words, prefix_words
from .marking import body_words
from .matching import CompiledQuery, compile_query
from .ranking import by_date, by_relevance, newest_first_among_equals
from .reranking import rerank
from .schema import HEADING_FIELD
from .store import ServedIndex
from .syntax import Clause, ParsedQuery, parse
from .timeline import Bar, timeline
from .vocabulary import Vocabulary

SORTS = ("relevance", "date", "date_asc")
MAX_MARKED_QUERY = 500


@dataclass(frozen=True)
class SearchRequest:
    q: str
    page: int = 1
    per_page: int = 10
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"


@dataclass(frozen=True)
class SearchOptions:
    """Bounds a request must respect and ranking choices (from the settings table)."""

    max_per_page: int = 100
    max_result_window: int = 10_000
    max_query_chars: int = 500
    max_expansions: int = 512
    max_terms: int = 64
    time_limit: float = 2.0
    all_words_first_up_to: int = 0
    proximity_weight: float = 1.0
    exact_weight: float = 0.5
    rerank_depth: int = 30  # 20 to 100 measured alike on PIAF and SPF, 10 slightly worse
    separate_fields: bool = True
    heading_weight: float = 1.0
    heading_b: float = 0.75
    coordination: float = 0.5
    coordination_by_idf: bool = True
    typo_below: int = 5
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
    score: float | None  # None when sorted by date
    snippet: str  # HTML: escaped text with <mark> around matched words


@dataclass(frozen=True)
class Page:
    query: str
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    timeline: list[Bar] = field(default_factory=list)  # matches per year or month
    suggestion: str | None = None  # the query with doubtful words corrected
    corrected: bool = False  # typo tolerance added close words
    partial: bool = False  # the time limit stopped the search: counts and hits are incomplete
    sort: str = "relevance"

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
    if request.sort not in SORTS:
        raise BadRequest(f"« sort » doit valoir {', '.join(SORTS)} (reçu « {request.sort[:40]} »)")


def search(
    index: ServedIndex, request: SearchRequest, options: SearchOptions | None = None
) -> Page:
    """Run ``request`` on the served index and return the asked page."""
    options = options or SearchOptions()
    check_request(request, options)
    deadline = Deadline(options.time_limit)
    searcher, vocabulary = index.searcher, index.vocabulary
    typed = parse(request.q)
    _refuse_leading_wildcards(typed)
    _refuse_too_many_terms(typed, options.max_terms)
    parsed = index.thesaurus.expand(typed)
    prefixes = _expansion_budget(vocabulary, options.max_expansions)
    compiled = compile_query(parsed, prefixes)
    if compiled.empty:
        raise BadRequest(_nothing_to_search(request.q))
    allowed = allowed_documents(searcher, request.filters)
    fields = _fields(index, options)
    found = accumulate(searcher, index.postings, compiled, allowed, deadline, fields)
    corrected = False
    few = found.total < options.typo_below and not deadline.expired
    if few and (near := near_words(vocabulary, typed)):
        compiled = compile_query(parsed, prefixes, near)
        found = accumulate(searcher, index.postings, compiled, allowed, deadline, fields)
        corrected = True
    end = request.page * request.per_page
    ranked = _ordered(index, compiled, request, options, found, end, deadline)
    window = ranked[end - request.per_page : end]
    by_relevance_ = request.sort == "relevance"
    words = body_words(index.postings, compiled.highlight_terms, [doc for _, doc, _ in window])
    hits = [
        _hit(index, doc, score if by_relevance_ else None, compiled, options, words.get(doc, []))
        for _, doc, score in window
    ]
    return Page(
        query=request.q,
        total=found.total,
        page=request.page,
        per_page=request.per_page,
        hits=hits,
        facets=count_facets(index.columns, found.docs),
        timeline=timeline(index.columns["month"], found.docs),
        suggestion=did_you_mean(
            vocabulary, request.q, typed, found.total < options.typo_below or corrected
        ),
        corrected=corrected,
        partial=deadline.reached,
        sort=request.sort,
    )


def highlighting(index: ServedIndex, q: str) -> tuple[frozenset[str], tuple[Any, ...]]:
    """The terms and phrases ``q`` marks in a text (nothing when ``q`` cannot be searched)."""

    def prefixes(clause: Clause) -> list[str]:
        return prefix_words(index.vocabulary, clause, SearchOptions.max_expansions)

    try:
        compiled = compile_query(index.thesaurus.expand(parse(q[:MAX_MARKED_QUERY])), prefixes)
    except BadRequest:
        return frozenset(), ()
    return compiled.highlight_terms, compiled.highlight_phrases


def _ordered(
    index: ServedIndex,
    compiled: CompiledQuery,
    request: SearchRequest,
    options: SearchOptions,
    found: Accumulated,
    end: int,
    deadline: Deadline,
) -> list[tuple[int, int, float]]:
    if request.sort != "relevance":
        return by_date(index.columns["date"], found.docs, end, newest_first=request.sort == "date")
    limit = max(end, options.rerank_depth)
    ranked = by_relevance(
        found,
        limit,
        options.all_words_first_up_to,
        options.coordination,
        options.coordination_by_idf,
    )
    if deadline.expired:
        return ranked
    ranked = rerank(
        index.searcher,
        index.stored,
        index.postings,
        compiled,
        ranked,
        options.rerank_depth,
        options.proximity_weight,
        options.exact_weight,
    )
    return newest_first_among_equals(index.columns["date"], ranked)


def _fields(index: ServedIndex, options: SearchOptions) -> Fields | None:
    """How words are scored as heading and body; ``None`` for the one weighted field (asked,
    or an index built before the ``heading`` field)."""
    weighting = index.searcher.weighting
    if not options.separate_fields or index.title_weight is None:
        return None
    if HEADING_FIELD not in index.searcher.schema:
        return None
    return Fields(
        title_weight=index.title_weight,
        heading_weight=options.heading_weight,
        heading_b=options.heading_b,
        body_b=getattr(weighting, "B", 0.75),
        k1=getattr(weighting, "K1", 1.2),
    )


def _refuse_too_many_terms(parsed: ParsedQuery, limit: int) -> None:
    """Refuse before any index work a query of more than ``limit`` searchable words."""
    count = sum(len(terms_of(c.text)) for c in [*parsed.clauses(), *parsed.excluded])
    if count > limit:
        raise BadRequest(
            f"requête trop longue : {count} mots à chercher ({limit} au plus) ; "
            "gardez les mots les plus significatifs"
        )


def _expansion_budget(vocabulary: Vocabulary, budget: int) -> Callable[[Clause], list[str]]:
    """``prefix_words`` sharing one budget of ``budget`` words across the whole query."""
    used = 0

    def prefixes(clause: Clause) -> list[str]:
        nonlocal used
        words = prefix_words(vocabulary, clause, budget)
        used += len(words)
        if used > budget:
            raise BadRequest(
                f"les préfixes de la requête couvrent plus de {budget} mots : allongez-les "
                "ou retirez-en"
            )
        return words

    return prefixes


def _refuse_leading_wildcards(parsed: ParsedQuery) -> None:
    for clause in [*parsed.clauses(), *parsed.excluded]:
        if not clause.phrase and clause.text.startswith("*") and clause.text.strip("*"):
            raise BadRequest(
                f"« {clause.text} » : un astérisque ne peut pas commencer un mot ; "
                "il se place à la fin d’un début de mot (« cyber* »)"
            )


def _nothing_to_search(q: str) -> str:
    if "*" in q:
        return "« * » seul correspondrait à tous les documents : indiquez au moins un mot"
    return (
        "la requête ne contient aucun mot à chercher (seulement des mots vides comme "
        "« le », « de », ou de la ponctuation) : ajoutez un mot significatif"
    )


def _hit(
    index: ServedIndex,
    docnum: int,
    score: float | None,
    compiled: CompiledQuery,
    options: SearchOptions,
    words: list[Located],
) -> Hit:
    stored = index.stored(docnum)
    return Hit(
        id=stored["id"],
        title=stored["title"],
        date=stored.get("date"),
        url=stored.get("url"),
        type=stored.get("type"),
        source=stored.get("source"),
        score=None if score is None else round(float(score), 4),
        snippet=snippet_of_spans(
            stored["body"],
            spans_of(words, compiled.highlight_terms, compiled.highlight_phrases),
            options.snippet_chars,
            options.snippet_fragments,
        ),
    )
