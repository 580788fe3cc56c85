"""The plain records that cross the library's boundaries: a search request and the bounds it
must respect, a page of hits with its facets and timeline, a document as shown, similar
documents and suggestions.

Engines return these; the web and the command line render them. Nothing here knows an engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, TypeVar

from search.config import defaults
from search.errors import BadRequest
from search.filters import Filters

SORTS = ("relevance", "date", "date_asc")
# What a document page does with a body of any accepted size (50 MB): the work stays bounded.
MARKED_CHARS = 200_000  # words are marked in this much of a body: 1 MB took 3-6 s to mark
SHOWN_CHARS = 1_000_000  # the document page shows this much of a body (the API gives it all)
SIMILAR_CHARS = 50_000  # key terms are drawn from this much of a body: 40 MB took minutes
R = TypeVar("R")


def from_stored(record: type[R], stored: Mapping[str, Any], **computed: Any) -> R:
    """A ``record`` (a dataclass of this module) of a document's stored fields: each field
    the record has is taken from ``stored`` unless ``computed`` gives it; one ``stored`` lacks
    keeps its default, or is ``None``."""
    values = {
        f.name: stored.get(f.name)
        for f in fields(record)  # type: ignore[arg-type]
        if f.name not in computed and (f.name in stored or f.default is MISSING)
    }
    return record(**values, **computed)


@dataclass(frozen=True)
class SearchRequest:
    q: str
    page: int = 1
    per_page: int = 10
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"


@dataclass(frozen=True)
class SearchOptions:
    """Bounds a request must respect and ranking choices; every default comes from the settings
    table (``search.config``)."""

    max_per_page: int
    max_result_window: int
    max_query_chars: int
    max_text_chars: int
    max_expansions: int
    max_terms: int
    time_limit: float
    time_grace: float
    all_words_first_up_to: int
    proximity_weight: float
    exact_weight: float
    rerank_depth: int
    separate_fields: bool
    heading_weight: float
    heading_b: float
    coordination: float
    coordination_by_idf: bool
    typo_below: int
    snippet_chars: int
    snippet_fragments: int

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> SearchOptions:
        return cls(**{option.name: settings[option.name] for option in fields(cls)})

    @classmethod
    def defaults(cls) -> SearchOptions:
        """The options of the settings table's defaults (no environment variable read)."""
        return cls.from_settings(defaults())


@dataclass(frozen=True)
class Health:
    """What is served: for the home page and the health endpoint."""

    engine: str
    generation: str
    documents: int
    built_at: str | None
    index_format: int | None  # the index format it was built with
    # built with another index format: queries are analysed by this version's rules, so some
    # words may not match until ``reindex`` rebuilds it
    reindex_needed: bool
    status: str = "ok"  # "degraded": a new generation was refused; "damaged": the served one
    problem: str | None = None  # what was refused or found damaged, in French
    state: str = "ok"  # the engine's own word on its state (a cluster: green or yellow)


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
    title_marked: str = ""  # HTML: the title escaped, with <mark> around matched words


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
    # a long text was searched by its most informative words: those words, as a query
    shortened: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def check_request(request: SearchRequest, options: SearchOptions) -> None:
    """Raise ``BadRequest`` with a message a person can act on when a bound is crossed."""
    if len(request.q) > options.max_text_chars:
        raise BadRequest(
            f"texte trop long ({len(request.q)} caractères ; {options.max_text_chars} au plus) : "
            "gardez-en le passage le plus significatif"
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


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class Bar:
    label: str  # "2024" or "févr. 2024"
    period: str  # the from/to value selecting it: "2024" or "2024-02"
    count: int


@dataclass(frozen=True)
class DocumentView:
    id: str
    title: str
    body: str
    date: str | None = None
    url: str | None = None
    type: str | None = None
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    path: str = ""


@dataclass(frozen=True)
class Similar:
    id: str
    title: str
    date: str | None
    type: str | None
    source: str | None
    score: float


@dataclass(frozen=True)
class TitleSuggestion:
    id: str
    title: str
    date: str | None
    type: str | None = None  # communiqué, discours… as the document says (None: not given)


@dataclass(frozen=True)
class Suggestions:
    query: str
    words: list[str] = field(default_factory=list)
    titles: list[TitleSuggestion] = field(default_factory=list)
