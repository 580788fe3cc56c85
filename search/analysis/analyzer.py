"""The French analyzer: words from the tokenizer, terms from ``normalize``.

``analyze`` is the plain-Python pipeline used by the query builder and the highlighter;
``FrenchAnalyzer`` wraps the same pipeline in Whoosh's analyzer protocol for indexing, so
documents and queries can never be analysed differently.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any, NamedTuple

from whoosh.analysis import Analyzer, Token

from .normalize import normalize
from .tokenizer import raw_words


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


def analyze(text: str) -> Iterator[Term]:
    """Yield the index terms of ``text``.

    A hyphenated compound yields its parts; the whole (``porteparol``) is added at the first
    part's position only when at least two parts are content words, so ``porte-parole`` and
    ``États-Unis`` are findable whole while ``a-t-elle`` or ``dit-il`` add nothing.
    """
    return map(Term._make, raw_terms(text))


def raw_terms(text: str) -> Iterator[RawTerm]:
    """``analyze`` as plain tuples: the indexing hot path (no object per term)."""
    words = raw_words(text)
    for text_, pos, start, end, parts in words:
        if parts:
            content = [
                (term, p_pos, p_start, p_end, False)
                for p_text, p_pos, p_start, p_end, _ in islice(words, parts)
                if (term := normalize(p_text))
            ]
            whole = normalize(text_) if len(content) >= 2 else None
            if whole:
                yield whole, pos, start, end, True
            yield from content
        elif term := normalize(text_):
            yield term, pos, start, end, False


def terms_of(text: str) -> list[str]:
    """The index terms of ``text``, in order (convenient for tests and queries)."""
    return [term.text for term in analyze(text)]


class FrenchAnalyzer(Analyzer):
    """Whoosh adapter over :func:`analyze` (the schema pickles it, so keep it argument-free)."""

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
        for text, pos, start, end, _whole in raw_terms(value):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token
