"""A search request to a page of hits on the cluster: one request carries the query, the
filters, the facets and the timeline (aggregations), the sort, the page window and the snippets.

- the query is compiled from our parsed query (``compiling``), synonyms added by our thesaurus
  read from the served index's own settings, so the synonyms served belong to the served index;
- a text longer than ``max_query_chars`` or with more than ``max_terms`` words is searched by
  its most informative words (``search.shortening``, document frequencies from the cluster,
  ``frequencies``), and the page says so (``shortened``), as in the whoosh engine;
- type and source filters are applied after the aggregations (``post_filter``), each facet
  counted under the other filters only: a kind with values chosen keeps its other values listed;
- a word typed that no document holds is searched with its close words too (up to
  ``NEAR_LIMIT``, found by the term suggester, weighing less than the words typed) whatever the
  number of results; when the words typed find fewer than ``typo_below`` documents, the search
  runs again with typo tolerance on every word (fuzzy); the page says what the user may have
  meant (``spelling``);
- snippets and the marked title come from OpenSearch's highlighter, marked with private
  characters and then escaped by ``search.highlight.escape``: the text is escaped exactly as
  the whoosh engine escapes it, and only our ``<mark>`` tags are HTML;
- by relevance, the first stage's scores are rescored (``ranking``): the coordination factor,
  then the proximity and exact-form bonuses;
- scores use the corpus-wide term statistics (``dfs_query_then_fetch``), not each shard's;
- a search some shard could not answer (a node lost while it ran) is run again once.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy import exceptions as os_errors

from search.analysis import fold, terms_of
from search.engines.opensearch import spelling
from search.engines.opensearch.compiling import Compiled, compile_query
from search.engines.opensearch.frequencies import Frequencies, Key, frequencies
from search.engines.opensearch.marks import POST, PRE, marked
from search.engines.opensearch.ranking import rescores
from search.errors import UnknownValue
from search.filters import Filters
from search.highlight import ELLIPSIS
from search.lexicon import NEAR_LIMIT, max_edits
from search.models import (
    Bar,
    FacetValue,
    Hit,
    Page,
    SearchOptions,
    SearchRequest,
    check_request,
    from_stored,
)
from search.refusals import check_query
from search.shortening import Shortened, is_long, shorten
from search.synonyms import Thesaurus
from search.syntax import ParsedQuery, parse
from search.timeline import bars

MAX_VALUES = 20
KNOWN_VALUES = 1000
DFS = "dfs_query_then_fetch"
RETRY_PAUSE = 0.25  # seconds before a search some shard could not answer is run again
SOURCE = ["id", "title", "date", "url", "type", "source"]


def search(
    client: OpenSearch,
    alias: str,
    request: SearchRequest,
    options: SearchOptions,
    thesaurus: Thesaurus,
) -> Page:
    """The asked page of ``request`` (without words: every document allowed, by date)."""
    check_request(request, options)
    check_known(client, alias, request.filters)
    if not request.q.strip():
        return _page(client, alias, request, options, None, browse=True)
    typed = parse(request.q)
    shortened, known = None, None
    if is_long(request.q, typed, options.max_query_chars, options.max_terms):
        shortened, known = _shortened(client, alias, typed, options)
        typed = shortened.query
    check_query(typed, options.max_terms)
    parsed = thesaurus.expand(typed)
    compiled = compile_query(request.q, parsed, options)
    written = shortened.text if shortened else request.q
    known = _counted(client, alias, compiled, known)
    lacking = _lacking(compiled, known)
    near = spelling.neighbours(client, alias, lacking, NEAR_LIMIT) if lacking else {}
    suggestion = spelling.did_you_mean(client, alias, written, lacking, near) if near else None
    if near:  # words no document holds have close words: search them too
        compiled = compile_query(request.q, parsed, options, near=near)
    page = replace(_page(client, alias, request, options, compiled, known), corrected=bool(near))
    if page.total < options.typo_below and compiled.words:
        fuzzy = compile_query(request.q, parsed, options, fuzzy=compiled.words)
        again = _page(client, alias, request, options, fuzzy, known)
        if again.total > page.total:
            page = replace(again, corrected=True)
        others = [word for word in compiled.words if word not in lacking]  # not asked yet
        near = {**spelling.neighbours(client, alias, others), **near}
        suggestion = spelling.did_you_mean(client, alias, written, compiled.words, near)
    return replace(page, suggestion=suggestion, shortened=shortened.text if shortened else None)


def _counted(
    client: OpenSearch, alias: str, compiled: Compiled, known: Frequencies | None
) -> Frequencies:
    """The document frequencies of the words typed and of those the coordination factor
    weighs, in one request (``known``, a long text's, when they hold them all): a word no
    document holds gets typo tolerance, and the ranking reuses the counts."""
    keys: set[Key] = {(None, term) for word in compiled.words for term in terms_of(word)}
    keys |= {key for weighed in compiled.weighed_by if weighed for key in weighed}
    if known is not None and keys <= known.found.keys():
        return known
    if not keys:  # phrases and prefixes only
        return known or Frequencies(0, {})
    found = frequencies(client, alias, keys)
    return found if known is None else Frequencies(found.documents, {**known.found, **found.found})


def _lacking(compiled: Compiled, known: Frequencies) -> tuple[str, ...]:
    """The words typed that no document holds, long enough to have close words."""
    return tuple(
        word
        for word in compiled.words
        if max_edits(fold(word))
        and (terms := terms_of(word))
        and not any(known.of(term) for term in terms)
    )


def _shortened(
    client: OpenSearch, alias: str, typed: ParsedQuery, options: SearchOptions
) -> tuple[Shortened, Frequencies]:
    """A long text's most informative words (``search.shortening``), by the document
    frequencies of all its words, asked in one request (returned too: the coordination factor
    weighs the words kept by the same counts)."""
    clauses = [*typed.clauses(), *typed.excluded]
    terms: set[Key] = {(None, term) for clause in clauses for term in terms_of(clause.text)}
    found = frequencies(client, alias, terms)
    return shorten(typed, options.max_terms, found.documents, found.of), found


def _page(
    client: OpenSearch,
    alias: str,
    request: SearchRequest,
    options: SearchOptions,
    compiled: Compiled | None,
    known: Frequencies | None = None,
    browse: bool = False,
) -> Page:
    body = _body(request, options, compiled)
    by_score = request.sort == "relevance" and not browse
    if by_score and compiled is not None:
        end = request.page * request.per_page
        if steps := rescores(client, alias, compiled, options, end, known):
            body["rescore"] = steps
            del body["sort"]  # OpenSearch sorts rescored hits by score alone
    answer = run(client, alias, body, options)
    found = answer["hits"]["hits"]
    if "rescore" in body:
        found = newest_first_among_equals(found)
    hits = [_hit(hit, by_score, options) for hit in found]
    sort = request.sort if not browse else ("date_asc" if request.sort == "date_asc" else "date")
    return Page(
        query=request.q if not browse else "",
        total=int(answer["hits"]["total"]["value"]),
        page=request.page,
        per_page=request.per_page,
        hits=hits,
        facets=_facets(answer["aggregations"]),
        timeline=_timeline(answer["aggregations"]["timeline"]["months"]["buckets"]),
        partial=bool(answer.get("timed_out")),
        sort=sort,
    )


def run(client: OpenSearch, alias: str, body: dict[str, Any], options: SearchOptions) -> Any:
    """The search, run again once when a shard failed or a node was lost while it ran (a
    search changes nothing: running it twice is safe)."""
    body = {**body, "timeout": f"{int(options.time_limit * 1000)}ms", "track_total_hits": True}
    # corpus-wide term statistics (one more round trip): scores do not depend on the shard
    try:
        answer = client.search(index=alias, body=body, search_type=DFS)
    except os_errors.TransportError as error:  # a node lost mid-query: node_disconnected (500)
        if not isinstance(error.status_code, int) or error.status_code < 500:
            raise
        answer = {"_shards": {"failed": 1}}
    if answer["_shards"].get("failed", 0) > 0:
        time.sleep(RETRY_PAUSE)  # the cluster sees the node gone and promotes a replica
        answer = client.search(index=alias, body=body, search_type=DFS)
    return answer


def _body(
    request: SearchRequest, options: SearchOptions, compiled: Compiled | None
) -> dict[str, Any]:
    filters = request.filters
    dates = _date_filter(filters)
    if compiled is None:
        query: dict[str, Any] = {"bool": {"filter": dates}} if dates else {"match_all": {}}
    else:
        query = {"bool": {**compiled.query["bool"], "filter": dates}}
    types, sources = (
        _values_filter("type", filters.types),
        _values_filter("source", filters.sources),
    )
    body: dict[str, Any] = {
        "query": query,
        "from": (request.page - 1) * request.per_page,
        "size": request.per_page,
        "sort": _sort(request.sort, compiled is None),
        "_source": SOURCE,
        "aggs": _aggregations(types, sources),
    }
    if types or sources:
        body["post_filter"] = {"bool": {"filter": [*types, *sources]}}
    body["highlight"] = _highlight(compiled, options)
    return body


def newest_first_among_equals(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``hits`` (by score) with equal scores the most recent first, as a sort by score then
    date does (within the page: rescored hits are sorted by score alone)."""
    by_date = sorted(hits, key=lambda hit: hit["_source"].get("date") or "", reverse=True)
    return sorted(by_date, key=lambda hit: -float(hit["_score"] or 0.0))


def _date_filter(filters: Filters) -> list[dict[str, Any]]:
    if not (filters.date_from or filters.date_to):
        return []
    bounds = {"gte": filters.date_from, "lte": filters.date_to}
    return [{"range": {"date": {k: v for k, v in bounds.items() if v}}}]


def _values_filter(field: str, values: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"terms": {f"{field}.folded": [fold(v) for v in values]}}] if values else []


def _sort(sort: str, browse: bool) -> list[Any]:
    newest = {"date": {"order": "desc", "missing": "_last"}}
    if sort == "date_asc":
        return [{"date": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    if sort == "date" or browse:
        return [newest, {"id": "asc"}]
    return ["_score", newest, {"id": "asc"}]


def _aggregations(types: list[Any], sources: list[Any]) -> dict[str, Any]:
    def filtered(name: str, filters: list[Any], aggs: dict[str, Any]) -> dict[str, Any]:
        return {"filter": {"bool": {"filter": filters}}, "aggs": {name: aggs}}

    terms = {"order": [{"_count": "desc"}, {"_key": "asc"}], "size": MAX_VALUES}
    year = {"date_histogram": {"field": "date", "calendar_interval": "year", "format": "yyyy",
                               "min_doc_count": 1, "order": {"_key": "desc"}}}  # fmt: skip
    months = {"date_histogram": {"field": "date", "calendar_interval": "month",
                                 "format": "yyyy-MM", "min_doc_count": 0}}  # fmt: skip
    return {
        "year": filtered("year", [*types, *sources], year),
        "type": filtered("type", sources, {"terms": {"field": "type", **terms}}),
        "source": filtered("source", types, {"terms": {"field": "source", **terms}}),
        "timeline": filtered("months", [*types, *sources], months),
    }


def _facets(aggregations: dict[str, Any]) -> dict[str, list[FacetValue]]:
    found = {}
    for name in ("year", "type", "source"):
        buckets = aggregations[name][name]["buckets"]
        key = "key_as_string" if name == "year" else "key"
        found[name] = [FacetValue(str(b[key]), int(b["doc_count"])) for b in buckets][:MAX_VALUES]
    return found


def _timeline(buckets: list[dict[str, Any]]) -> list[Bar]:
    """The timeline from the monthly date histogram (``key_as_string`` ``YYYY-MM``, empty
    months counted 0), drawn by ``search.timeline`` as for the whoosh engine."""
    return bars({b["key_as_string"]: int(b["doc_count"]) for b in buckets})


def _highlight(compiled: Compiled | None, options: SearchOptions) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "unified",
        "pre_tags": [PRE],
        "post_tags": [POST],
        "fields": {
            "body": {
                "fragment_size": options.snippet_chars,
                "number_of_fragments": options.snippet_fragments if compiled else 1,
                "no_match_size": options.snippet_chars,
            },
            # the words are searched in the title shown (``heading``): marked in the title
            "title": {"number_of_fragments": 0, "require_field_match": False},
        },
    }
    if compiled is not None:
        body["highlight_query"] = compiled.marked
    return body


def _hit(hit: dict[str, Any], by_score: bool, options: SearchOptions) -> Hit:
    stored, shown = hit["_source"], hit.get("highlight", {})
    fragments = [marked(" ".join(f.split())) for f in shown.get("body", [])]
    title = shown.get("title", [stored.get("title") or ""])[0]
    return from_stored(
        Hit,
        stored,
        score=round(float(hit["_score"]), 4) if by_score and hit.get("_score") else None,
        snippet=f" {ELLIPSIS} ".join(fragments),
        title_marked=marked(title),
    )


def known_values(client: OpenSearch, alias: str, field: str) -> list[str]:
    """Every value of ``field`` the documents have."""
    body = {"size": 0, "aggs": {"v": {"terms": {"field": field, "size": KNOWN_VALUES}}}}
    answer = client.search(index=alias, body=body)
    return sorted(str(bucket["key"]) for bucket in answer["aggregations"]["v"]["buckets"])


def check_known(client: OpenSearch, alias: str, filters: Filters) -> None:
    """``UnknownValue`` for the first type or source no document has."""
    for name, wanted in (("type", filters.types), ("source", filters.sources)):
        if not wanted:
            continue
        known = known_values(client, alias, name)
        folded = {fold(value) for value in known}
        for value in wanted:
            if fold(value) not in folded:
                raise UnknownValue(name, value, known)
