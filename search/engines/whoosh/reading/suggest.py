"""As-you-type suggestions: completions of the word being typed, and matching titles.

The last word of what was typed is completed from the corpus vocabulary (most frequent words
first, written as in the texts); after another word, the forms the texts write right after that
word come first, and the other forms of the same words are left out (``politique spa`` gives
``politique spatiale``, not ``politique spatiaux``). Titles are found by searching the words
typed in the title, the last one as a prefix. Plain data out, cheap enough for every keystroke.
"""

from __future__ import annotations

import re
from collections import Counter

from unidecode import unidecode
from whoosh import query as wq

from search.analysis import Word, fold, normalize, split_words
from search.engines.whoosh.reading.matching import compile_query
from search.engines.whoosh.reading.store import ServedIndex
from search.lexicon import MIN_PREFIX
from search.models import Suggestions, TitleSuggestion, from_stored
from search.syntax import Clause, ParsedQuery

MIN_LETTERS = 2
MAX_WORDS = 8
SCANNED = 20  # documents read to see which forms follow the previous word


def suggest(index: ServedIndex, typed: str, limit: int = 5) -> Suggestions:
    """Completions of ``typed`` (its last word) and titles that match it."""
    words = list(split_words(typed))
    if not words or typed[-1:].isspace() or len(words) > MAX_WORDS:
        return Suggestions(typed)
    last = words[-1]
    head = typed[: last.start]
    prefix = fold(last.text)
    completions = []
    if len(prefix) >= MIN_LETTERS:
        found = index.vocabulary.starting_with(prefix, 2_000)
        found.sort(key=lambda candidate: -candidate.documents)
        forms = [candidate.written for candidate in found]
        if len(words) > 1:
            forms = _agreeing(index, words[-2].text, last.text, forms)
        completions = [head + form for form in forms[:limit]]
    return Suggestions(typed, list(dict.fromkeys(completions)), _titles(index, words, limit))


def _agreeing(index: ServedIndex, previous: str, last: str, forms: list[str]) -> list[str]:
    """``forms`` (completions of ``last``) with those the texts write after ``previous`` first,
    most often first, and without the other forms of the same words."""
    after = _written_after(index, previous, last)
    if not after:
        return forms
    seen = [form for form in forms if fold(form) in after]
    seen.sort(key=lambda form: -after[fold(form)])
    stems = {normalize(form) for form in seen}
    return seen + [form for form in forms if form not in seen and normalize(form) not in stems]


def _written_after(index: ServedIndex, previous: str, last: str) -> Counter[str]:
    """How often each word beginning with ``last`` follows ``previous`` in the texts of a few
    documents holding both (folded words)."""
    parsed = ParsedQuery(((Clause(previous),), (Clause(last, prefix=True),)))

    def expand(clause: Clause) -> list[str]:
        found = index.vocabulary.starting_with(fold(clause.text), 200)
        found.sort(key=lambda candidate: -candidate.documents)
        return [candidate.folded for candidate in found[:50]]

    compiled = compile_query(parsed, expand)
    if len(compiled.groups) < 2:  # ``previous`` is a stop word: no doc narrows it
        return Counter()
    pattern = re.compile(rf"(?<!\w){re.escape(_plain(previous))}\s+({re.escape(_plain(last))}\w*)")
    counts: Counter[str] = Counter()
    for hit in index.searcher.search(wq.And(list(compiled.groups)), limit=SCANNED):
        text = _plain(f"{hit['title']}\n{index.stored(hit.docnum)['body']}")
        counts.update(fold(word) for word in pattern.findall(text))
    return counts


def _plain(text: str) -> str:
    return unidecode(text).lower()


def _titles(index: ServedIndex, words: list[Word], limit: int) -> list[TitleSuggestion]:
    clauses = [Clause(word.text, field="title") for word in words[:-1]]
    last = words[-1].text
    if len(fold(last)) >= MIN_PREFIX:
        clauses.append(Clause(last, field="title", prefix=True))
    else:
        clauses.append(Clause(last, field="title"))
    parsed = ParsedQuery(tuple((clause,) for clause in clauses))

    def expand(clause: Clause) -> list[str]:
        found = index.vocabulary.starting_with(fold(clause.text), 200)
        found.sort(key=lambda candidate: -candidate.documents)
        return [candidate.folded for candidate in found[:50]]

    compiled = compile_query(parsed, expand)
    if compiled.empty:
        return []
    results = index.searcher.search(wq.And(list(compiled.groups)), limit=limit)
    return [from_stored(TitleSuggestion, hit.fields()) for hit in results]
