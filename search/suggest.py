"""As-you-type suggestions: completions of the word being typed, and matching titles.

The last word of what was typed is completed from the corpus vocabulary (most frequent words
first, written as in the texts); titles are found by searching the words typed in the title,
the last one as a prefix. Plain data out, cheap enough for every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from .analysis import Word, fold, split_words
from .lexicon import MIN_PREFIX
from .matching import compile_query
from .store import ServedIndex
from .syntax import Clause, ParsedQuery

MIN_LETTERS = 2
MAX_WORDS = 8


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
        completions = [head + candidate.written for candidate in found[:limit]]
    return Suggestions(typed, list(dict.fromkeys(completions)), _titles(index, words, limit))


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
    return [
        TitleSuggestion(hit["id"], hit["title"], hit.get("date"), hit.get("type"))
        for hit in results
    ]
