"""Our parsed query (``search.syntax``) as OpenSearch's query DSL; user text never reaches
OpenSearch's own query syntax (no ``query_string``): each word or phrase becomes a ``match``
query, analysed by the index's French analyzer.

Promises, as the whoosh engine keeps them:
- words are split and stop words dropped by our analysis (``search.analysis``), so a run like
  ``sécurité,défense`` is two words and a query of stop words alone is refused; a compound
  (``porte-parole``) is searched as its parts side by side;
- a phrase keeps its gaps: ``"secrétaire général"`` does not match ``secrétaire du général``;
- ``-mot`` excludes, ``OR``/``OU`` make alternatives, ``titre:`` searches the title only,
  ``mot*`` the words beginning with ``mot`` (at least ``MIN_PREFIX`` letters; at most
  ``max_expansions`` index words, the most frequent ones);
- a word's score is the sum of its BM25 in the title shown (``heading``, weighing
  ``heading_weight``) and in the body, each field normalised by its own length (the index's
  similarities, see ``analysis``), as the whoosh engine scores its two fields; a synonym added
  by ``search.synonyms`` weighs ``EXPANSION_BOOST`` of a word typed, a word found by typo
  tolerance ``NEAR_WORD_BOOST``;
- documents need not hold every word (a long question still finds answers); for short queries
  (``all_words_first_up_to``, off by default) documents holding every word come first;
- what the ranking adds after this first stage (``ranking``) is compiled here too: for each
  group the analysed terms whose idf say how much it counts in the coordination factor, and
  bonus clauses for consecutive words typed found close together and for words in the exact
  form typed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from search.analysis import analyze, fold, terms_of
from search.engines.opensearch.analysis import ANALYZER
from search.engines.opensearch.frequencies import Key
from search.errors import BadRequest
from search.lexicon import MIN_PREFIX
from search.models import SearchOptions
from search.refusals import nothing_to_search
from search.syntax import Clause, ParsedQuery

EXPANSION_BOOST = 0.4
NEAR_WORD_BOOST = 0.5
ALL_WORDS_BONUS = 1000.0  # larger than any BM25 score: documents with every word come first
PAIR_SLOP = 3  # words between two consecutive words typed for the proximity bonus
# a pair's bonus: this share of ``proximity_weight`` (MRR@10 PIAF / SPF / CDTN, the second
# stage over the best 30 as now: 1.0 0.781 / 0.867 / 0.664, 0.5 0.786 / 0.875 / 0.666,
# 0.3 0.786 / 0.881 / 0.667, 0.2 0.786 / 0.881 / 0.668; see docs/opensearch.md)
PAIR_SHARE = 0.3
WORD_TYPE = "most_fields"  # a word's score: its heading and its body scores summed
# the exact-form bonus: the better of heading and body (summed: MRR@10 PIAF 0.786 -> 0.784,
# SPF 0.875 -> 0.868, CDTN 0.666 -> 0.672)
EXACT_TYPE = "best_fields"
SUM = 1.0  # a phrase's ``tie_breaker``: its heading and body scores summed as well

Query = dict[str, Any]


@dataclass(frozen=True)
class Compiled:
    """The query of the first stage, the one that says what to mark (the same without the
    "all words first" bonus), and what the ranking's later steps need."""

    query: Query
    marked: Query
    words: tuple[str, ...]  # the plain words typed, for typo tolerance and did-you-mean
    groups: tuple[Query, ...]  # one query per group of alternatives
    # per group, the terms whose largest idf is its weight in the coordination factor (None:
    # a phrase or a prefix, weighing 1 as in the whoosh engine)
    weighed_by: tuple[tuple[Key, ...] | None, ...]
    bonuses: tuple[Query, ...]  # clauses of the second stage (proximity, exact form)


def compile_query(
    q: str,
    parsed: ParsedQuery,
    options: SearchOptions,
    fuzzy: Collection[str] = (),
    near: Mapping[str, Sequence[str]] | None = None,
) -> Compiled:
    """The bool query of ``parsed`` (typed as ``q``): the words typed in ``fuzzy`` with typo
    tolerance, those in ``near`` with these close words as alternatives (both weighing
    ``NEAR_WORD_BOOST``); ``BadRequest`` when nothing in it can be searched."""
    fields = {None: [f"heading^{options.heading_weight}", "body"], "title": ["title"]}
    units = _Units(fields, options, fuzzy, near or {})
    groups = [g for group in parsed.groups if (g := units.group(group))]
    if not groups:
        raise BadRequest(nothing_to_search(q))
    exclusions = _Units(fields, options, (), {})  # no typo tolerance, no bonus
    excluded = [unit for clause in parsed.excluded for unit in exclusions.of(clause)]
    marked: Query = {"bool": {"should": groups, "minimum_should_match": 1}}
    if excluded:
        marked["bool"]["must_not"] = excluded
    query = marked
    if 1 < len(groups) <= options.all_words_first_up_to:
        every = {"bool": {"filter": groups}}
        tier = {"constant_score": {"filter": every, "boost": ALL_WORDS_BONUS}}
        query = {"bool": {**marked["bool"], "should": [*groups, tier]}}
    return Compiled(
        query,
        marked,
        tuple(units.typed),
        tuple(groups),
        tuple(units.weighed_by),
        tuple(_bonuses(units.typed, options, fields[None])),
    )


class _Units:
    """The queries of clauses, and the words typed seen on the way."""

    def __init__(
        self,
        fields: dict[str | None, list[str]],
        options: SearchOptions,
        fuzzy: Collection[str],
        near: Mapping[str, Sequence[str]],
    ):
        self.fields, self.options, self.fuzzy, self.near = fields, options, fuzzy, near
        self.typed: list[str] = []
        self.weighed_by: list[tuple[Key, ...] | None] = []
        self._keys: list[Key] | None = []

    def group(self, group: tuple[Clause, ...]) -> Query | None:
        self._keys = []
        units = [unit for clause in group for unit in self.of(clause)]
        if not units:
            return None
        self.weighed_by.append(tuple(self._keys) if self._keys else None)
        return units[0] if len(units) == 1 else {"bool": {"should": units}}

    def _weighed_by(self, clause: Clause, word: str | None) -> None:
        """Note the term ``word`` adds to its group's weight (none: the group weighs 1)."""
        terms = terms_of(word) if word and " " not in word else []
        if self._keys is not None and len(terms) == 1:
            self._keys.append((clause.field, terms[0]))
        else:
            self._keys = None

    def of(self, clause: Clause) -> list[Query]:
        fields = self.fields[clause.field]
        boost = EXPANSION_BOOST if clause.expansion else 1.0
        if clause.prefix:
            self._weighed_by(clause, None)
            return [self._prefix(clause, fields)]
        if clause.phrase:
            words = terms_of(clause.text)
            self._weighed_by(clause, None)
            return [_match(clause.text, fields, "phrase", boost)] if words else []
        units = []
        for word in _words(clause.text):
            if not clause.expansion and " " not in word:
                self.typed.append(word)
            self._weighed_by(clause, word)
            kind = "phrase" if " " in word else WORD_TYPE
            unit = _match(word, fields, kind, boost)
            if kind == WORD_TYPE and not clause.expansion:
                close = [
                    _match(w, fields, WORD_TYPE, NEAR_WORD_BOOST) for w in self.near.get(word, ())
                ]
                if word in self.fuzzy:
                    close.append(_match(word, fields, WORD_TYPE, NEAR_WORD_BOOST, fuzziness="AUTO"))
                if close:
                    unit = {"bool": {"should": [unit, *close]}}
            units.append(unit)
        return units

    def _prefix(self, clause: Clause, fields: list[str]) -> Query:
        prefix = fold(clause.text)
        if len(prefix) < MIN_PREFIX:
            raise BadRequest(
                f"« {clause.text}* » : un préfixe doit avoir au moins {MIN_PREFIX} lettres"
            )
        rewrite = f"top_terms_{self.options.max_expansions}"
        parts = [
            {"prefix": {f"{name}.exact": {"value": prefix, "rewrite": rewrite, "boost": boost}}}
            for name, boost in (_field_boost(f) for f in fields)
        ]
        return parts[0] if len(parts) == 1 else {"dis_max": {"queries": parts}}


def _field_boost(field: str) -> tuple[str, float]:
    name, _, boost = field.partition("^")
    return name, float(boost or 1.0)


def _words(text: str) -> list[str]:
    """The searchable words of ``text`` as written (a compound whole, with spaces for its
    hyphens), stop words left out."""
    words: list[str] = []
    terms = list(analyze(text))
    index = 0
    while index < len(terms):
        term = terms[index]
        index += 1
        if term.whole:
            while index < len(terms) and terms[index].start < term.end:
                index += 1
            whole = text[term.start : term.end]
            words.append(" ".join(whole[p.start : p.end] for p in analyze(whole) if not p.whole))
        else:
            words.append(text[term.start : term.end])
    return words


def _match(
    text: str, fields: list[str], kind: str, boost: float, fuzziness: str | None = None
) -> Query:
    body: Query = {"query": text, "fields": fields, "type": kind, "analyzer": ANALYZER}
    if kind == "phrase":
        body["tie_breaker"] = SUM
    if boost != 1.0:
        body["boost"] = boost
    if fuzziness:
        body.update(fuzziness=fuzziness, prefix_length=1, max_expansions=20)
    return {"multi_match": body}


def _bonuses(typed: list[str], options: SearchOptions, fields: list[str]) -> list[Query]:
    """Clauses that only reorder the first stage's best documents: each pair of consecutive
    words typed found close together (``proximity_weight``), the words in the exact form
    typed, unstemmed (``exact_weight``)."""
    bonuses: list[Query] = []
    if options.proximity_weight > 0:
        for left, right in pairwise(typed):
            weight = options.proximity_weight * PAIR_SHARE
            near = _match(f"{left} {right}", fields, "phrase", weight)
            near["multi_match"]["slop"] = PAIR_SLOP
            bonuses.append(near)
    if typed and options.exact_weight > 0:
        exact = [f"{name}.exact^{boost}" for name, boost in map(_field_boost, fields)]
        body = {"query": " ".join(typed), "fields": exact, "type": EXACT_TYPE}
        bonuses.append({"multi_match": {**body, "boost": options.exact_weight}})
    return bonuses
