"""A pasted text to the query it is searched by: its most informative words within the term cap.

A text longer than ``max_query_chars`` or with more searchable words than ``max_terms`` is not
refused: as more-like-this does, its plain words are ranked by how often the text uses them
times how rare they are in the corpus (tf × the Robertson–Spärck Jones idf the ranking uses),
and the best are kept until ``max_terms`` index terms are used. Clauses written on purpose
(``"phrases"``, ``titre:`` clauses, ``mot*``, ``a OU b``) are kept first, in the order typed,
when they fit in a quarter of the cap; a phrase that does not (a quotation in a pasted article)
gives its words to the others. A word the corpus lacks informs nothing and is kept last.

A long text is prose, so a dash glued to a word is punctuation, not an exclusion (``-63°C``,
``2019 -Historiquement``): its word competes with the others. Excluding it would exclude the
very document the text comes from (bench/longtext.py, 200 openings of 3,000 characters of
OrangeSum articles: MRR@10 0.950 with exclusions kept, 1.000 without). Likewise ``*Enquête``
(a note mark) is a word, not a wildcard.

The kept clauses keep the order of the text and are written back as a query (``text``) that
parses to the same clauses: short enough for an address, so a results page can link onward.
Engine-neutral: the caller gives the number of documents and a document frequency on analysed
terms (``search.analysis.terms_of``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from search.analysis import terms_of
from search.syntax import Clause, ParsedQuery

Group = tuple[Clause, ...]
EXPLICIT_SHARE = 4  # clauses written on purpose use at most a quarter of the cap


@dataclass(frozen=True)
class Shortened:
    query: ParsedQuery  # the clauses kept
    text: str  # the same, written as a query
    terms: int  # index terms the kept clauses search


def term_count(parsed: ParsedQuery) -> int:
    """Index terms a query searches (each occurrence counted), as the term cap counts them."""
    return sum(len(terms_of(c.text)) for c in [*parsed.clauses(), *parsed.excluded])


def is_long(q: str, parsed: ParsedQuery, max_chars: int, max_terms: int) -> bool:
    """A text to shorten rather than search word for word."""
    return len(q) > max_chars or term_count(parsed) > max_terms


def shorten(
    parsed: ParsedQuery, max_terms: int, documents: int, frequency: Callable[[str], int]
) -> Shortened:
    """The clauses of ``parsed`` worth searching, ``max_terms`` index terms at most."""
    wanted = _prose(parsed)
    kept, used = _explicit_first(wanted, max_terms // EXPLICIT_SHARE)
    wanted, kept = _phrases_as_words(wanted, kept)
    seen = {tuple(terms_of(c.text)) for i in kept for c in wanted[i]}
    for index, terms in _ranked_words(wanted, documents, frequency):
        if terms not in seen and used + len(terms) <= max_terms:
            kept.add(index)
            used += len(terms)
        seen.add(terms)
    query = ParsedQuery(tuple(group for i, group in enumerate(wanted) if i in kept))
    return Shortened(query, _written(query), used)


def _prose(parsed: ParsedQuery) -> list[Group]:
    """The groups of a pasted text, its exclusions read as words (after the others) and
    ``*word`` as ``word``."""
    groups = [tuple(_unstarred(c) for c in group) for group in parsed.groups]
    return groups + [(Clause(c.text, phrase=c.phrase, field=c.field),) for c in parsed.excluded]


def _unstarred(clause: Clause) -> Clause:
    if clause.phrase or not clause.text.startswith("*"):
        return clause
    return Clause(clause.text.lstrip("*"), field=clause.field, prefix=clause.prefix)


def _explicit_first(wanted: list[Group], budget: int) -> tuple[set[int], int]:
    """The clauses written on purpose that fit in ``budget`` terms, in order, and the terms
    they use."""
    kept: set[int] = set()
    used = 0
    for index, group in enumerate(wanted):
        cost = sum(len(terms_of(c.text)) for c in group)
        if _explicit(group) and cost and used + cost <= budget:
            kept.add(index)
            used += cost
    return kept, used


def _phrases_as_words(wanted: list[Group], kept: set[int]) -> tuple[list[Group], set[int]]:
    """``wanted`` with each phrase not kept (a quotation in a pasted text) turned into its
    words, which then compete with the others; ``kept`` renumbered."""
    spread: list[Group] = []
    renumbered: set[int] = set()
    for index, group in enumerate(wanted):
        if index in kept:
            renumbered.add(len(spread))
            spread.append(group)
        elif len(group) == 1 and group[0].phrase:
            spread.extend((Clause(word),) for word in group[0].text.split())
        else:
            spread.append(group)
    return spread, renumbered


def _explicit(group: Group) -> bool:
    return len(group) > 1 or any(c.phrase or c.field or c.prefix for c in group)


def _ranked_words(
    wanted: list[Group], documents: int, frequency: Callable[[str], int]
) -> list[tuple[int, tuple[str, ...]]]:
    """The plain words (first place in the text, analysed terms), most informative first."""
    first: dict[tuple[str, ...], int] = {}
    counts: dict[tuple[str, ...], int] = {}
    for index, group in enumerate(wanted):
        if _explicit(group):
            continue
        terms = tuple(terms_of(group[0].text))
        if terms:
            first.setdefault(terms, index)
            counts[terms] = counts.get(terms, 0) + 1
    idf: dict[str, float] = {}

    def weight(terms: tuple[str, ...]) -> float:
        for term in terms:
            if term not in idf:
                df = frequency(term)
                idf[term] = math.log(1 + (documents - df + 0.5) / (df + 0.5)) if df else 0.0
        return counts[terms] * sum(idf[t] for t in terms) / len(terms)

    order = sorted(first, key=lambda terms: (-weight(terms), first[terms]))
    return [(first[terms], terms) for terms in order]


def _written(query: ParsedQuery) -> str:
    """``query`` as text the syntax parses back to it."""
    return " ".join(" OU ".join(_clause_text(c) for c in group) for group in query.groups)


def _clause_text(clause: Clause) -> str:
    if clause.phrase:
        text = f"« {clause.text} »" if '"' in clause.text else f'"{clause.text}"'
    else:
        text = clause.text + ("*" if clause.prefix else "")
    return ("titre:" if clause.field else "") + text
