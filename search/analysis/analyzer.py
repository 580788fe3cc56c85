"""The French analyzer: words from the tokenizer, terms from ``normalize``.

``analyze`` is the plain-Python pipeline used by the query builder and the highlighter;
``FrenchAnalyzer`` wraps the same pipeline in Whoosh's analyzer protocol for indexing, so
documents and queries can never be analysed differently.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import compress, count
from typing import Any, NamedTuple

from whoosh.analysis import Analyzer, Token

from search.analysis.filters import exact_form, normalize
from search.analysis.tokenizer import word_table


class Term(NamedTuple):
    """An index term with the position and original-text offsets of the word it came from.

    ``whole`` marks the term of a whole compound (``porteparol``); its parts follow it.
    """

    text: str
    pos: int
    start: int
    end: int
    whole: bool = False


RawTerm = tuple[str, int, int, int, bool]  # text, pos, start, end, whole (see Term)
TermTable = tuple[list[str | None], list[int], list[int], list[int], list[int]]  # see term_table


def analyze(text: str) -> Iterator[Term]:
    """Yield the index terms of ``text``.

    A hyphenated compound yields its parts; the whole (``porteparol``) is added at the first
    part's position only when at least two parts are content words, so ``porte-parole`` and
    ``États-Unis`` are findable whole while ``a-t-elle`` or ``dit-il`` add nothing.
    """
    return map(Term._make, raw_terms(text))


def raw_terms(text: str, exact: bool = False) -> Iterator[RawTerm]:
    """``analyze`` as plain tuples (no object per term).

    With ``exact``, terms are the words folded but not stemmed, and compounds give only parts.
    """
    for term, pos, start, end, parts in zip(*term_table(text, exact), strict=True):
        if term:
            yield term, pos, start, end, bool(parts)


def term_table(text: str, exact: bool = False) -> TermTable:
    """The words of ``text`` as columns (``tokenizer.word_table``) with each one's term, or
    ``None`` where nothing is indexed (a stop word, a compound kept as parts only): the
    indexing hot path, every word's term looked up in one pass."""
    texts, positions, starts, ends, parts = word_table(text)
    terms = list(map(exact_form if exact else normalize, texts))
    for first in compress(count(), parts):  # compounds, rare: keep the whole if it says more
        content = sum(1 for term in terms[first + 1 : first + 1 + parts[first]] if term)
        if exact or content < 2:
            terms[first] = None
    return terms, positions, starts, ends, parts


def terms_of(text: str) -> list[str]:
    """The index terms of ``text``, in order (convenient for tests and queries)."""
    return [term.text for term in analyze(text)]


def exact_terms_of(text: str) -> list[str]:
    """The words of ``text`` folded but not stemmed, stop words left out."""
    return [term[0] for term in raw_terms(text, exact=True)]


SECTION_SPAN = 1 << 20  # section i starts at position i × SECTION_SPAN


def section_of(position: int) -> int:
    """Which section of a :class:`WeightedText` a position of the ``text`` field falls in."""
    return position // SECTION_SPAN


class WeightedText(str):
    """Text made of weighted sections (title, body), indexed as one field.

    A ``str`` (Whoosh accepts nothing else as a field value) whose ``sections`` are the
    ``(text, weight)`` pairs the analyzer reads instead of the plain string. Positions of
    section ``i`` start at ``i × SECTION_SPAN`` (no phrase or proximity spans two sections) and
    character offsets are relative to the section's own text, so a posting says where in the
    stored title or body its word is.
    """

    sections: tuple[tuple[str, float], ...]

    def __new__(cls, sections: Sequence[tuple[str, float]]) -> WeightedText:
        made = super().__new__(cls, "\n\n".join(text for text, _ in sections))
        made.sections = tuple(sections)
        return made

    def __reduce__(self) -> tuple[type, tuple[tuple[tuple[str, float], ...]]]:
        return (WeightedText, (self.sections,))


class FrenchAnalyzer(Analyzer):
    """Whoosh adapter over :func:`analyze` (the schema pickles it, so keep it argument-free).

    Given a :class:`WeightedText`, each term carries the weight of its section, which Whoosh
    adds up into the term's weight in the document. That is BM25F's weighted term frequency:
    a title word counts ``weight`` times.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        sections = getattr(value, "sections", None)
        if sections is None:
            sections, base_pos, base_char = ((value, 1.0),), start_pos, start_char
        else:
            base_pos, base_char = 0, 0
        for number, (section, weight) in enumerate(sections):
            offset = base_pos + number * SECTION_SPAN
            for text, pos, start, end, _whole in raw_terms(section):
                token.text = text
                token.boost = weight
                token.stopped = False
                if keeporiginal:
                    token.original = section[start:end]
                if positions:
                    token.pos = offset + pos
                if chars:
                    token.startchar = base_char + start
                    token.endchar = base_char + end
                yield token
