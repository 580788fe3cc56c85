"""The index's settings and mappings, generated from the project's own French analysis.

Nothing here is a second copy of a rule: the elided articles are ``search.analysis``'s
``ELISIONS``, the stop list its folded ``STOP_WORDS``, the synonyms the lines of the synonyms
file (``search.synonyms``). The chain, in OpenSearch's terms, follows ``search.analysis``:

- character filters: combining accents removed (decomposed text), ``ʼ`` read as ``'``, the
  non-breaking hyphens as ``-``, a decimal comma as a point (``2,5`` = ``2.5``), and the full
  stops of an acronym removed (``O.T.A.N.`` = ``OTAN``);
- the standard tokenizer, then: elision with our articles, lower case, ASCII folding
  (``œ`` → ``oe``), apostrophes left inside a word removed (``aujourd’hui`` is
  ``aujourdhui``), our folded stop list (positions kept: a phrase does not match across a
  removed stop word), the ``-ee``/``-ees`` endings given back their accent for the stemmer (as
  ``search.analysis.filters.stem`` does), a French stemmer (``opensearch_stemmer``: Snowball
  ``french`` as the whoosh engine, or ``light_french``), folding again;
- at query time only, the synonyms as a ``synonym_graph`` after the stop list.

``title``, ``heading`` and ``body`` are analysed so, with an ``exact`` sub-field folded but not
stemmed (prefixes, exact forms); ``heading`` is the title shown (the title, or the first words of
an untitled body), ranked as a field of its own as the whoosh engine ranks it. Each is scored by
BM25 with its own length normalisation, from the settings when the index is built: ``heading``
with ``heading_b``, ``title`` and ``body`` with ``bm25_b``, all with ``bm25_k1``. ``type`` and
``source`` are keywords with a ``folded`` sub-field that compares them as
``search.analysis.fold`` does (accents, case, punctuation aside).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from search.analysis import STOP_WORDS
from search.analysis.tokenizer import ELISIONS

MAPPING_VERSION = 2  # change when a field or the analysis changes: reindex rebuilds in full
ANALYZER, SEARCH_ANALYZER, EXACT_ANALYZER = "fr", "fr_search", "fr_exact"
NOT_WORD = r"[^\p{L}\p{N}]"
_CHAR_FILTERS = ["fr_marks", "fr_chars", "fr_decimal", "fr_acronyms"]
HEADING_SIMILARITY, BODY_SIMILARITY = "fr_heading", "fr_body"


def synonym_lines(path: Path) -> list[str]:
    """The synonyms file's lines of equivalent expressions (comments and blanks left out)."""
    if not path.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [", ".join(p.strip() for p in line.split(",") if p.strip()) for line in lines if line]


def analysis(stemmer: str, synonyms: list[str]) -> dict[str, Any]:
    """The ``analysis`` section of an index's settings."""
    head = ["fr_elision", "lowercase", "asciifolding", "fr_apostrophes", "fr_stop"]
    tail = ["fr_ee", "fr_stemmer", "asciifolding"]
    with_synonyms = [*head, "fr_synonyms", *tail] if synonyms else [*head, *tail]
    return {
        "char_filter": {
            "fr_marks": {"type": "pattern_replace", "pattern": r"\p{M}+", "replacement": ""},
            "fr_chars": {
                "type": "mapping",
                "mappings": ["\u02bc => '", "\u2010 => -", "\u2011 => -"],
            },
            "fr_decimal": {
                "type": "pattern_replace",
                "pattern": r"(?<=\d),(?=\d)",
                "replacement": ".",
            },
            "fr_acronyms": {  # a full stop between single letters: O.T.A.N. is OTAN
                "type": "pattern_replace",
                "pattern": r"(?<=(?:^|[^\p{L}\p{N}])\p{L}|\.\p{L})\.(?=\p{L}(?:[^\p{L}\p{N}]|$))",
                "replacement": "",
            },
        },
        "filter": {
            "fr_elision": {"type": "elision", "articles_case": True, "articles": sorted(ELISIONS)},
            "fr_apostrophes": {"type": "pattern_replace", "pattern": "'", "replacement": ""},
            "fr_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
            "fr_ee": {
                "type": "pattern_replace",
                "pattern": "^([a-z]*)ee(s?)$",
                "replacement": "$1ée$2",
            },
            "fr_stemmer": {"type": "stemmer", "language": stemmer},
            "fr_synonyms": {"type": "synonym_graph", "synonyms": synonyms, "lenient": True},
        },
        "normalizer": {
            "folded": {
                "type": "custom",
                "char_filter": ["fr_not_word"],
                "filter": ["lowercase", "asciifolding"],
            }
        },
        "analyzer": {
            ANALYZER: _analyzer([*head, *tail]),
            SEARCH_ANALYZER: _analyzer(with_synonyms),
            EXACT_ANALYZER: _analyzer(head),
        },
    }


def _analyzer(filters: list[str]) -> dict[str, Any]:
    return {
        "type": "custom",
        "char_filter": _CHAR_FILTERS,
        "tokenizer": "standard",
        "filter": filters,
    }


def index_body(settings: dict[str, Any], built_at: str) -> dict[str, Any]:
    """Settings and mappings of a new index (one generation)."""
    section = analysis(settings["opensearch_stemmer"], synonym_lines(Path(settings["synonyms"])))
    section["char_filter"]["fr_not_word"] = {
        "type": "pattern_replace",
        "pattern": NOT_WORD,
        "replacement": "",
    }
    return {
        "settings": {
            "number_of_shards": settings["opensearch_shards"],
            "number_of_replicas": settings["opensearch_replicas"],
            "refresh_interval": "-1",  # set back when the index is complete
            "max_result_window": settings["max_result_window"],
            "max_rescore_window": settings["max_result_window"],
            "analysis": section,
            "similarity": similarity(settings),
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {
                "mapping": MAPPING_VERSION,
                "built_at": built_at,
                "stemmer": settings["opensearch_stemmer"],
                "complete": False,  # set when every document is in (see ``indexing``)
            },
            "properties": _properties(),
        },
    }


def similarity(settings: dict[str, Any]) -> dict[str, Any]:
    """BM25 of the heading and of the other fields, as the whoosh engine scores them."""
    k1 = settings["bm25_k1"]
    return {
        HEADING_SIMILARITY: {"type": "BM25", "k1": k1, "b": settings["heading_b"]},
        BODY_SIMILARITY: {"type": "BM25", "k1": k1, "b": settings["bm25_b"]},
    }


def _text_field(similarity: str, offsets: bool = True) -> dict[str, Any]:
    return {
        "type": "text",
        "analyzer": ANALYZER,
        "search_analyzer": SEARCH_ANALYZER,
        "similarity": similarity,
        # the highlighter finds the marks without re-analysing (the heading is not marked)
        "index_options": "offsets" if offsets else "positions",
        "fields": {"exact": {"type": "text", "analyzer": EXACT_ANALYZER, "similarity": similarity}},
    }


def _keyword_field() -> dict[str, Any]:
    return {"type": "keyword", "fields": {"folded": {"type": "keyword", "normalizer": "folded"}}}


def _properties() -> dict[str, Any]:
    return {
        "id": {"type": "keyword"},
        "title": _text_field(BODY_SIMILARITY),
        "heading": _text_field(HEADING_SIMILARITY, offsets=False),
        "body": _text_field(BODY_SIMILARITY),
        "date": {"type": "date", "format": "yyyy-MM-dd"},
        "type": _keyword_field(),
        "source": _keyword_field(),
        "url": {"type": "keyword", "index": False},
        "path": {"type": "keyword", "index": False},
        "extra": {"type": "object", "enabled": False},
        "hash": {"type": "keyword"},
    }
