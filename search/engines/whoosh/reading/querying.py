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

A word typed that no document holds is completed by its close neighbours (typo tolerance,
weighing less than exact matches), whatever the number of results: the other words alone would
decide otherwise. When the words typed find fewer than ``typo_below`` documents, words that few
documents hold are completed too.
Everything returned is plain data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from whoosh.searching import Searcher

from search.analysis import normalize
from search.deadline import Deadline
from search.engines.whoosh.reading.facets import count_facets
from search.engines.whoosh.reading.filtering import allowed_documents
from search.engines.whoosh.reading.known import check_known
from search.engines.whoosh.reading.marking import body_words
from search.engines.whoosh.reading.matching import CompiledQuery, compile_query
from search.engines.whoosh.reading.ranking.fielded import Fields
from search.engines.whoosh.reading.ranking.first_stage import Accumulated, accumulate
from search.engines.whoosh.reading.ranking.order import (
    by_date,
    by_relevance,
    newest_first_among_equals,
)
from search.engines.whoosh.reading.ranking.rerank import rerank
from search.engines.whoosh.reading.store import ServedIndex
from search.engines.whoosh.reading.timeline import timeline
from search.engines.whoosh.schema import HEADING_FIELD, SEARCH_FIELD
from search.errors import BadRequest
from search.filters import Filters
from search.highlight import Located, highlight_all, snippet_of_spans, spans_of
from search.lexicon import did_you_mean, near_words, prefix_words
from search.models import (
    FacetValue,
    Hit,
    Page,
    SearchOptions,
    SearchRequest,
    check_request,
    from_stored,
)
from search.refusals import check_query, nothing_to_search
from search.shortening import is_long, shorten
from search.syntax import Clause, parse
from search.vocabulary import Vocabulary

MAX_MARKED_QUERY = 500


def search(
    index: ServedIndex, request: SearchRequest, options: SearchOptions | None = None
) -> Page:
    """Run ``request`` on the served index and return the asked page."""
    options = options or SearchOptions.defaults()
    deadline = Deadline(options.time_limit, options.time_grace)
    check_request(request, options)
    searcher, vocabulary = index.searcher, index.vocabulary
    typed = parse(request.q)
    shortened = None
    if is_long(request.q, typed, options.max_query_chars, options.max_terms):
        frequency = partial(searcher.doc_frequency, SEARCH_FIELD)
        shortened = shorten(typed, options.max_terms, searcher.doc_count(), frequency)
        typed = shortened.query
    check_query(typed, options.max_terms)
    parsed = index.thesaurus.expand(typed)
    prefixes = _expansion_budget(vocabulary, options.max_expansions)
    compiled = compile_query(parsed, prefixes)
    if compiled.empty:
        raise BadRequest(nothing_to_search(request.q))
    check_known(searcher, request.filters)
    allowed = allowed_documents(index.columns, request.filters)
    fields = _fields(index, options)
    found = accumulate(searcher, index.postings, compiled, allowed, deadline, fields)
    corrected = False
    few = found.total < options.typo_below
    stems = _stem_documents(searcher)
    if not deadline.expired and (near := near_words(vocabulary, typed, stems, rare_too=few)):
        compiled = compile_query(parsed, prefixes, near)
        found = accumulate(searcher, index.postings, compiled, allowed, deadline, fields)
        corrected = True
    end = request.page * request.per_page
    ranked = _ranked(index, compiled, request, options, found, end, deadline)
    window = ranked[end - request.per_page : end]
    by_relevance_ = request.sort == "relevance"
    words = body_words(index.postings, _marked_terms(compiled), [doc for _, doc, _ in window])
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
        facets=_facets(index, compiled, request.filters, found, deadline),
        timeline=timeline(index.columns["month"], found.docs),
        suggestion=did_you_mean(
            vocabulary,
            shortened.text if shortened else request.q,
            typed,
            few,
            stems,
        ),
        corrected=corrected,
        partial=deadline.reached,
        sort=request.sort,
        shortened=shortened.text if shortened else None,
    )


def _facets(
    index: ServedIndex,
    compiled: CompiledQuery,
    filters: Filters,
    found: Accumulated,
    deadline: Deadline,
) -> dict[str, list[FacetValue]]:
    """Facet counts of the matches; a kind with values chosen (types, sources) is counted
    without its own filter, so the other values stay listed and can be ticked as well."""
    facets = count_facets(index.columns, found.docs)
    chosen = {"type": filters.types, "source": filters.sources}
    if not any(chosen.values()) or deadline.expired:
        return facets
    unfiltered = accumulate(index.searcher, index.postings, compiled, None, deadline).docs
    for name, values in chosen.items():
        if values:
            others = replace(filters, types=()) if name == "type" else replace(filters, sources=())
            allowed = allowed_documents(index.columns, others)
            docs = unfiltered if allowed is None else unfiltered[allowed[unfiltered]]
            facets[name] = count_facets(index.columns, docs)[name]
    return facets


def _stem_documents(searcher: Searcher) -> Callable[[str], int]:
    """How many documents hold the analysed form of a word (``ministres`` counts for
    ``ministre``)."""

    def documents(word: str) -> int:
        stem = normalize(word)
        return searcher.doc_frequency(SEARCH_FIELD, stem) if stem else 0

    return documents


def highlighting(
    index: ServedIndex, q: str, options: SearchOptions
) -> tuple[frozenset[str], tuple[Any, ...]]:
    """The terms and phrases ``q`` marks in a text (nothing when ``q`` cannot be searched)."""

    def prefixes(clause: Clause) -> list[str]:
        return prefix_words(index.vocabulary, clause, options.max_expansions)

    try:
        compiled = compile_query(index.thesaurus.expand(parse(q[:MAX_MARKED_QUERY])), prefixes)
    except BadRequest:
        return frozenset(), ()
    return compiled.highlight_terms, compiled.highlight_phrases


def _ranked(
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
    if not options.separate_fields:
        return None
    if HEADING_FIELD not in index.searcher.schema:
        return None
    return Fields(
        title_weight=index.title_weight,
        heading_weight=options.heading_weight,
        heading_b=options.heading_b,
        body_b=weighting.B,  # the store's Bm25, from the settings
        k1=weighting.K1,
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


def _hit(
    index: ServedIndex,
    docnum: int,
    score: float | None,
    compiled: CompiledQuery,
    options: SearchOptions,
    words: list[Located],
) -> Hit:
    stored = index.stored(docnum)
    return from_stored(
        Hit,
        stored,
        score=None if score is None else round(float(score), 4),
        snippet=snippet_of_spans(
            stored["body"],
            spans_of(words, compiled.highlight_terms, compiled.highlight_phrases),
            options.snippet_chars,
            options.snippet_fragments,
        ),
        title_marked=highlight_all(
            stored["title"], compiled.highlight_terms, compiled.highlight_phrases
        ),
    )


def _marked_terms(compiled: CompiledQuery) -> set[str]:
    """The terms whose places a snippet needs: words marked anywhere and the words of phrases
    (marked where the whole phrase is)."""
    in_phrases = {term for phrase in compiled.highlight_phrases for term, _ in phrase}
    return set(compiled.highlight_terms) | in_phrases
