"""Second ranking stage: reorder the best candidates with evidence too costly to gather for
every match, read from the postings of those candidates only.

- proximity: query words standing close together (see ``proximity``);
- exact form: matches written in the very form the user typed, before stemming (``nationale``
  typed, ``nationale`` found rather than ``national``). The ``text`` postings give each match's
  character span in the stored title or body, so the written form is read back, not
  re-analysed; the exact-form frequency is then scored like BM25 with the term's idf.

Both bonuses are added to the first-stage BM25F score, tier by tier (documents with every word
of a short query stay first); only the top ``depth`` candidates move.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from whoosh.searching import Searcher

from search.analysis import exact_form, section_of
from search.engines.whoosh.codec.postings import PostingLists
from search.engines.whoosh.reading.matching import CompiledQuery
from search.engines.whoosh.reading.ranking.order import Ranked
from search.engines.whoosh.reading.ranking.proximity import proximity_score
from search.engines.whoosh.schema import SEARCH_FIELD

Stored = Callable[[int], Mapping[str, object]]  # a document's stored fields by number


@dataclass
class Matches:
    """Where the query terms occur in one candidate: ``(position, term index, start, end)``."""

    spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    weight: dict[int, float] = field(default_factory=dict)  # term index -> posting weight


def rerank(
    searcher: Searcher,
    stored: Stored,
    postings: PostingLists,
    compiled: CompiledQuery,
    ranked: Ranked,
    depth: int,
    proximity_weight: float,
    exact_weight: float,
) -> Ranked:
    """``ranked`` with its first ``depth`` candidates reordered by score plus bonuses."""
    use_proximity = bool(proximity_weight) and len(compiled.terms) > 1
    use_exact = bool(exact_weight) and bool(compiled.exact_terms)
    if not (use_proximity or use_exact) or not ranked:
        return ranked
    top = ranked[:depth]
    found = read_matches(postings, compiled.terms, [doc for _, doc, _ in top])
    idf = [searcher.idf(SEARCH_FIELD, term) for term in compiled.terms]
    average = searcher.avg_field_length(SEARCH_FIELD) or 1.0
    k1, b = searcher.weighting.K1, searcher.weighting.B  # the store's Bm25 (settings)
    exact = frozenset(compiled.exact_terms)
    lengths = postings.lengths(SEARCH_FIELD)  # read once per generation for the first stage
    reordered = []
    for tier, doc, score in top:
        matches = found.get(doc)
        if matches:
            length = lengths[doc]
            norm = k1 * ((1 - b) + b * length / average)
            if use_proximity:
                spans = [(pos, term) for pos, term, _, _ in matches.spans]
                score += proximity_weight * proximity_score(spans, idf, norm, k1)
            if use_exact:
                score += exact_weight * _exact_score(stored(doc), matches, exact, idf, norm, k1)
        reordered.append((tier, doc, score))
    reordered.sort(key=lambda item: (item[0], -item[2]))
    return reordered + ranked[depth:]


def read_matches(
    postings: PostingLists, terms: Sequence[str], docnums: Sequence[int]
) -> dict[int, Matches]:
    """The matches of each term in each candidate."""
    found: dict[int, Matches] = defaultdict(Matches)
    for index, term in enumerate(terms):
        for docnum, (weight, spans) in postings.characters(SEARCH_FIELD, term, docnums).items():
            matches = found[docnum]
            matches.weight[index] = weight
            matches.spans.extend((pos, index, start, end) for pos, start, end in spans)
    return found


def _exact_score(
    fields: Mapping[str, object],
    matches: Matches,
    exact: frozenset[str],
    idf: Sequence[float],
    norm: float,
    k1: float,
) -> float:
    """BM25 of the matches written in a form the user typed, title matches weighted as indexed."""
    sections = (str(fields.get("title") or ""), str(fields.get("body") or ""))
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # term -> [title, body] counts
    exact_counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for pos, term, start, end in matches.spans:
        section = min(section_of(pos), 1)
        counts[term][section] += 1
        if exact_form(sections[section][start:end]) in exact:
            exact_counts[term][section] += 1
    score = 0.0
    for term, (in_title, in_body) in exact_counts.items():
        total_title, total_body = counts[term]
        title_weight = (matches.weight[term] - total_body) / total_title if total_title else 1.0
        tf = in_title * title_weight + in_body
        score += idf[term] * (k1 + 1) * tf / (tf + norm)
    return score
