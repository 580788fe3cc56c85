"""Did-you-mean: the words typed, each doubtful one replaced by a close and more frequent word
of the corpus, written as the texts write it (``secruité Jeux`` → ``sécurité Jeux``,
``l'Ottan`` → ``l'OTAN``).

Asked only when a search finds fewer than ``typo_below`` documents (or needed typo tolerance):
OpenSearch's term suggester over the folded, unstemmed ``exact`` sub-fields proposes, for each
word, a word at most ``search.lexicon.max_edits`` edits away that more documents hold; the
written form is the usual one (``search.vocabulary.usual_form``) among the places the highlighter
finds it in a few documents.
"""

from __future__ import annotations

from collections import Counter

from opensearchpy import OpenSearch

from search.analysis import fold
from search.engines.opensearch.marks import POST, PRE, marked_words
from search.lexicon import max_edits
from search.vocabulary import usual_form

FIELD = "body.exact"
SCANNED = 10


def did_you_mean(client: OpenSearch, alias: str, typed: str, words: tuple[str, ...]) -> str | None:
    """``typed`` with its doubtful words replaced, or ``None`` when none is."""
    asked = {f"w{i}": word for i, word in enumerate(words) if max_edits(fold(word))}
    if not asked:
        return None
    suggest = {
        key: {
            "text": fold(word),
            "term": {
                "field": FIELD,
                "suggest_mode": "popular",
                "size": 1,
                "max_edits": max_edits(fold(word)),
                "prefix_length": 1,
                "min_word_length": 4,
            },
        }
        for key, word in asked.items()
    }
    answer = client.search(index=alias, body={"size": 0, "suggest": suggest})
    suggestion, changed = typed, False
    for key, word in asked.items():
        options = answer["suggest"][key][0]["options"]
        if not options or word not in suggestion:
            continue
        written = _written(client, alias, options[0]["text"])
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
