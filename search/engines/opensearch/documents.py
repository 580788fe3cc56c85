"""One document by its id, its body marked for a query, the documents most like it
(more-like-this), and as-you-type suggestions.

- ``similar``: OpenSearch's ``more_like_this`` over title and body, at most ``KEY_TERMS``
  terms, words found in more than a fifth of the documents left out, the document itself too;
- ``suggest``: titles matching the words typed (the last one as a prefix), and completions of
  the last word: the words beginning with it that the highlighter finds in the titles and
  bodies of a few matching documents, most frequent first, written as in the texts.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy import exceptions as os_errors

from search.analysis import fold, split_words
from search.engines.opensearch.compiling import Compiled, compile_query
from search.engines.opensearch.marks import POST, PRE, marked, marked_words
from search.engines.opensearch.searching import DFS
from search.errors import BadRequest, NotFound
from search.lexicon import MIN_PREFIX
from search.models import (
    DocumentView,
    SearchOptions,
    Similar,
    Suggestions,
    TitleSuggestion,
    from_stored,
)
from search.synonyms import Thesaurus
from search.syntax import parse
from search.vocabulary import usual_form

KEY_TERMS = 12
COMMON_SHARE = 5
MIN_LETTERS = 2
MAX_WORDS = 8
SCANNED = 20
MAX_MARKED_QUERY = 500
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def get_document(client: OpenSearch, alias: str, doc_id: str) -> DocumentView:
    """The document ``doc_id``; ``NotFound`` when the served index has none by that id."""
    try:
        stored = client.get(index=alias, id=doc_id)["_source"]
    except os_errors.NotFoundError:
        raise NotFound(f"aucun document n’a l’identifiant « {doc_id[:100]} »") from None
    return from_stored(
        DocumentView, stored, extra=stored.get("extra") or {}, path=stored.get("path") or ""
    )


def marked_paragraphs(
    client: OpenSearch,
    alias: str,
    doc: DocumentView,
    q: str,
    options: SearchOptions,
    thesaurus: Thesaurus,
) -> list[str]:
    """The body as HTML paragraphs: escaped, with what ``q`` finds marked."""
    body = doc.body
    compiled = _compiled(q, options, thesaurus)
    if compiled is not None:
        search = {
            "query": {"ids": {"values": [doc.id]}},
            "_source": False,
            "highlight": {
                "type": "unified",
                "pre_tags": [PRE],
                "post_tags": [POST],
                "highlight_query": compiled.marked,
                "fields": {"body": {"number_of_fragments": 0}},
            },
        }
        hits = client.search(index=alias, body=search)["hits"]["hits"]
        if hits and "highlight" in hits[0]:
            body = hits[0]["highlight"]["body"][0]
    html = marked(body)
    return [" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(html) if part.strip()]


def _compiled(q: str, options: SearchOptions, thesaurus: Thesaurus) -> Compiled | None:
    if not q.strip():
        return None
    try:
        return compile_query(q, thesaurus.expand(parse(q[:MAX_MARKED_QUERY])), options)
    except BadRequest:
        return None


def similar_documents(client: OpenSearch, alias: str, doc_id: str, limit: int) -> list[Similar]:
    """The ``limit`` documents closest to ``doc_id`` by its key terms."""
    get_document(client, alias, doc_id)  # NotFound first
    total = int(client.count(index=alias)["count"])
    query = {
        "more_like_this": {
            "fields": ["title", "body"],
            "like": [{"_index": alias, "_id": doc_id}],
            "min_term_freq": 1,
            "min_doc_freq": 1,
            "max_doc_freq": max(3, total // COMMON_SHARE),
            "max_query_terms": KEY_TERMS,
            "minimum_should_match": "1",
        }
    }
    body = {"query": query, "size": limit, "_source": ["id", "title", "date", "type", "source"]}
    hits = client.search(index=alias, body=body, search_type=DFS)["hits"]["hits"]
    return [
        from_stored(Similar, hit["_source"], score=round(float(hit["_score"]), 4)) for hit in hits
    ]


def suggest(client: OpenSearch, alias: str, typed: str, limit: int) -> Suggestions:
    """Completions of ``typed`` (its last word) and titles that match it."""
    words = list(split_words(typed))
    if not words or typed[-1:].isspace() or len(words) > MAX_WORDS:
        return Suggestions(typed)
    last = words[-1]
    head, prefix = typed[: last.start], fold(last.text)
    must: list[dict[str, Any]] = [
        {"match": {"title": {"query": w.text, "analyzer": "fr"}}} for w in words[:-1]
    ]
    if len(prefix) >= MIN_PREFIX:
        must.append({"prefix": {"title.exact": {"value": prefix}}})
    else:
        must.append({"match": {"title": {"query": last.text, "analyzer": "fr"}}})
    titles = _titles(client, alias, must, limit)
    completions: list[str] = []
    if len(prefix) >= MIN_LETTERS:
        completions = [head + form for form in _completions(client, alias, prefix, limit)]
    return Suggestions(typed, list(dict.fromkeys(completions)), titles)


def _titles(
    client: OpenSearch, alias: str, must: list[dict[str, Any]], limit: int
) -> list[TitleSuggestion]:
    body = {
        "query": {"bool": {"must": must}},
        "size": limit,
        "_source": ["id", "title", "date", "type"],
    }
    hits = client.search(index=alias, body=body)["hits"]["hits"]
    return [from_stored(TitleSuggestion, hit["_source"]) for hit in hits]


def _completions(client: OpenSearch, alias: str, prefix: str, limit: int) -> list[str]:
    """Words beginning with ``prefix`` as written in a few documents, most frequent first."""
    query = {"prefix": {"body.exact": {"value": prefix}}}
    body = {
        "query": {"bool": {"should": [query, {"prefix": {"title.exact": {"value": prefix}}}]}},
        "size": SCANNED,
        "_source": False,
        "highlight": {
            "type": "unified",
            "pre_tags": [PRE],
            "post_tags": [POST],
            "fields": {"title.exact": {"number_of_fragments": 0}, "body.exact": {}},
            "number_of_fragments": 5,
            "fragment_size": 60,
        },
    }
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for hit in client.search(index=alias, body=body)["hits"]["hits"]:
        for fragments in hit.get("highlight", {}).values():
            for fragment in fragments:
                for word in marked_words(fragment):
                    key = fold(word)
                    if key.startswith(prefix):
                        counts[key] += 1
                        forms.setdefault(key, Counter())[word] += 1
    return [usual_form(forms[key]) for key, _ in counts.most_common(limit)]
