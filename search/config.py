"""One table of settings: name, default, help. Environment variables override the defaults.

A setting ``index_dir`` is read from ``COMMUNIQUES_INDEX_DIR``; command-line flags and the
``config`` mapping given to ``create_app`` override both. Nothing is read at import time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ENV_PREFIX = "COMMUNIQUES_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


def _flag(raw: str) -> bool:
    if raw.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if raw.strip().lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("1 or 0 expected")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "engine",
        "whoosh",
        "Search engine: whoosh (an index folder on this machine) or opensearch (a cluster).",
    ),
    Setting("index_dir", "index", "Folder of the served index (generations and CURRENT pointer)."),
    Setting("corpus", "corpus", "Corpus read by reindex when no path is given."),
    Setting("synonyms", "synonyms.txt", "Synonyms file copied into the index by reindex."),
    Setting("per_page", 10, "Results per page when the request does not say.", int),
    Setting("max_per_page", 100, "Largest per_page a request may ask for.", int),
    Setting("max_result_window", 10_000, "Largest page × per_page (deepest reachable hit).", int),
    Setting(
        "max_query_chars",
        500,
        "Longest query searched word for word; a longer text is searched by its max_terms most "
        "informative words.",
        int,
    ),
    Setting("max_text_chars", 10_000, "Longest query or pasted text accepted, in characters.", int),
    Setting("max_suggest_chars", 100, "Longest text /api/suggest completes, in characters.", int),
    Setting("max_expansions", 512, "Most index words the prefixes (mot*) of a query cover.", int),
    Setting(
        "max_terms",
        64,
        "Most words to search in one query (after analysis); a text with more is searched by "
        "its most informative ones.",
        int,
    ),
    Setting(
        "time_limit",
        1.0,
        "Seconds every stage of a request may take together; then it answers with what it "
        "has, marked partial.",
        float,
    ),
    Setting(
        "time_grace",
        0.4,
        "Seconds more given to a search that has found nothing yet when the time limit comes.",
        float,
    ),
    Setting(
        "typo_below",
        5,
        "Fewer results than this turn typo tolerance on for rare words too "
        "(a word no document holds always gets it).",
        int,
    ),
    Setting("title_weight", 3.0, "Weight of a title word against a body word (at reindex).", float),
    Setting(
        "index_workers",
        -1,
        "Processes analysing documents beside reindex (-1: one per extra core, up to 3, for "
        "corpora over 4 MB; 0: none).",
        int,
    ),
    Setting(
        "all_words_first_up_to",
        0,
        "Queries of up to this many words rank documents with every word first (0: never).",
        int,
    ),
    Setting("proximity_weight", 1.0, "Weight of the bonus for query words close together.", float),
    Setting("exact_weight", 0.5, "Weight of the bonus for words in the exact form typed.", float),
    Setting(
        "rerank_depth",
        30,
        "Candidates reranked by proximity and exact form (20 to 100 measured alike on PIAF "
        "and SPF, 10 slightly worse).",
        int,
    ),
    Setting(
        "separate_fields",
        True,
        "Score the title shown and the body as two BM25 fields, each normalised by its own "
        "length (false: one field, the title weighing title_weight).",
        _flag,
    ),
    Setting("heading_weight", 1.0, "Weight of the title's BM25 against the body's.", float),
    Setting("heading_b", 0.75, "BM25 length normalisation of the title field.", float),
    Setting(
        "coordination",
        0.5,
        "Scores are multiplied by the share of the query's words a document holds to this "
        "power (0: not at all).",
        float,
    ),
    Setting(
        "coordination_by_idf",
        True,
        "That share counts each word by its idf (a word found everywhere counts little).",
        _flag,
    ),
    Setting("bm25_b", 0.3, "BM25 length normalisation of the body (0: none, 1: full).", float),
    Setting("bm25_k1", 1.2, "BM25 term-frequency saturation.", float),
    Setting("snippet_chars", 220, "Target length of one snippet fragment, in characters.", int),
    Setting("snippet_fragments", 2, "Most fragments joined with … in a snippet.", int),
    Setting(
        "rate_limit",
        "",
        "Requests to /api/ allowed per client address, e.g. '60/minute' (empty: no limit).",
    ),
    Setting(
        "rate_limit_storage",
        "memory://",
        "Where rate-limit counters live: memory:// (per worker) or redis://host:6379.",
    ),
    Setting("fetch_delay", 1.0, "Seconds between two requests to the same web site.", float),
    Setting("fetch_timeout", 20.0, "Seconds a web download may take in all.", float),
    Setting("fetch_max_bytes", 20_000_000, "Largest web page or PDF downloaded, in bytes.", int),
    Setting("fetch_max_redirects", 5, "Most redirects followed for one address.", int),
    Setting("fetch_max_pages", 10_000, "Most pages read from one feed or sitemap.", int),
    Setting(
        "fetch_allow_private",
        False,
        "Allow requests to loopback and private addresses (1: yes; for tests and intranets).",
        _flag,
    ),
    Setting(
        "verify_every",
        60.0,
        "Seconds between two checks of the served index files' digests by /api/health (they "
        "are always checked when a generation is opened).",
        float,
    ),
    Setting(
        "base_url",
        "",
        "Address people reach the site at, for the feed's absolute links, e.g. "
        "https://communiques.example.org (empty: http://host:port; never the Host header).",
    ),
    Setting(
        "opensearch_url",
        "http://127.0.0.1:9200",
        "OpenSearch: the cluster's URL(s), comma-separated.",
    ),
    Setting(
        "opensearch_index",
        "communiques",
        "OpenSearch: the alias searched (one index per generation).",
    ),
    Setting("opensearch_user", "", "OpenSearch: basic-auth user (empty: none)."),
    Setting("opensearch_password", "", "OpenSearch: basic-auth password."),
    Setting("opensearch_api_key", "", "OpenSearch: API key, sent as 'ApiKey …' (empty: none)."),
    Setting("opensearch_ca_file", "", "OpenSearch: CA certificate file checking an https:// URL."),
    Setting(
        "opensearch_timeout", 5.0, "OpenSearch: seconds a request may take before it fails.", float
    ),
    Setting("opensearch_shards", 2, "OpenSearch: primary shards of each new index.", int),
    Setting("opensearch_replicas", 1, "OpenSearch: replicas of each shard.", int),
    Setting(
        "opensearch_stemmer",
        "french",
        "OpenSearch: French stemmer, french (Snowball, as whoosh) or light_french.",
    ),
    Setting("host", "127.0.0.1", "Address serve listens on."),
    Setting("port", 8000, "Port serve listens on.", int),
    Setting("workers", 2, "Worker processes of serve.", int),
    Setting(
        "threads",
        100,
        "Connections each serve worker handles at once (idle ones are set aside, see idle_wait).",
        int,
    ),
    Setting(
        "idle_wait",
        0.25,
        "Seconds a serve thread waits for a new connection's first bytes before setting it "
        "aside until it speaks.",
        float,
    ),
)


def defaults() -> dict[str, Any]:
    """Every setting's default value (no environment variable read)."""
    return {setting.name: setting.default for setting in SETTINGS}


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Defaults, then environment variables, then ``overrides`` (``None`` values ignored)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        values[setting.name] = setting.default if raw is None else _parse(setting, raw)
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name.lower()] = value
    return values


def _parse(setting: Setting, raw: str) -> Any:
    try:
        return setting.parse(raw)
    except ValueError as error:
        raise ValueError(f"{setting.env}={raw!r}: {error}") from None
