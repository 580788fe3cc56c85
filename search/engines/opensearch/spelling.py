"""Did-you-mean: the words typed, each doubtful one replaced by a close and more frequent word
of the corpus, written as the texts write it (``secruité Jeux`` → ``sécurité Jeux``,
``l'Ottan`` → ``l'OTAN``).

Asked for a word no document holds, and for every word when a search finds fewer than
``typo_below`` documents:
OpenSearch's term suggester over the folded, unstemmed ``exact`` sub-fields proposes, for each
word, a word at most ``search.lexicon.max_edits`` edits away that more documents hold; the
written form is the usual one (``search.vocabulary.usual_form``) among the places the highlighter
finds it in a few documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from opensearchpy import OpenSearch

from search.analysis import fold
from search.engines.opensearch.marks import POST, PRE, marked_words
from search.lexicon import max_edits
from search.vocabulary import usual_form

FIELD = "body.exact"
SCANNED = 10


def neighbours(
    client: OpenSearch, alias: str, words: Sequence[str], size: int = 1
) -> dict[str, list[str]]:
    """For each of ``words`` with close words that more documents hold, up to ``size`` of them
    (folded, best first), in one request."""
    asked = {f"w{i}": word for i, word in enumerate(words) if max_edits(fold(word))}
    if not asked:
        return {}
    suggest = {
        key: {
            "text": fold(word),
            "term": {
                "field": FIELD,
                "suggest_mode": "popular",
                "size": size,
                "max_edits": max_edits(fold(word)),
                "prefix_length": 1,
                "min_word_length": 4,
            },
        }
        for key, word in asked.items()
    }
    answer = client.search(index=alias, body={"size": 0, "suggest": suggest})
    found = {}
    for key, word in asked.items():
        options = answer["suggest"][key][0]["options"]
        if options:
            found[word] = [option["text"] for option in options]
    return found


def did_you_mean(
    client: OpenSearch,
    alias: str,
    typed: str,
    words: Sequence[str],
    near: Mapping[str, Sequence[str]] | None = None,
) -> str | None:
    """``typed`` with its doubtful ``words`` replaced (by the first of their ``near`` words when
    already asked), or ``None`` when none is."""
    near = neighbours(client, alias, words) if near is None else near
    suggestion, changed = typed, False
    for word in words:
        if not near.get(word) or word not in suggestion:
            continue
        written = _written(client, alias, near[word][0])
        if written:
            suggestion, changed = suggestion.replace(word, written, 1), True
    return suggestion if changed else None


def _written(client: OpenSearch, alias: str, folded: str) -> str | None:
    """How the texts write the folded word ``folded``, most usually."""
    body = {
        "query": {"term": {FIELD: folded}},
        "size": SCANNED,
        "_source": False,
        "highlight": {
            "type": "unified",
            "pre_tags": [PRE],
            "post_tags": [POST],
            "fields": {FIELD: {"number_of_fragments": 3, "fragment_size": 40}},
        },
    }
    forms: Counter[str] = Counter()
    for hit in client.search(index=alias, body=body)["hits"]["hits"]:
        for fragment in hit.get("highlight", {}).get(FIELD, []):
            forms.update(w for w in marked_words(fragment) if fold(w) == folded)
    return usual_form(forms) if forms else None
