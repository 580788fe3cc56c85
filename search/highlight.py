"""Snippets: the best passages of a text, HTML-escaped, with ``<mark>`` around matched words.

Promises: words are matched with the index's own analysis, so ``securite`` marks
``sécurité``; a mark covers the original characters of the word and never an elided article
(``l’<mark>avocat</mark>``); every character of the text is escaped before marks are added;
passages are cut at word boundaries and an ellipsis ``…`` shows where text was left out.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import NamedTuple

from search.analysis import analyze

ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"\s+[.!?…]|\n")  # searched in reversed text: a space after a stop


def escape(text: str) -> str:
    """Escape ``&``, ``<``, ``>`` and ``"`` (apostrophes stay readable in JSON and HTML)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


class Span(NamedTuple):
    start: int
    end: int
    term: str


Phrase = Sequence[tuple[str, int]]  # (term, position relative to the first word)
Located = tuple[int, int, int, str]  # a word of the text: position, start, end, term


def snippet(
    text: str,
    terms: Collection[str],
    length: int = 220,
    fragments: int = 2,
    phrases: Sequence[Phrase] = (),
) -> str:
    """One or more passages of about ``length`` characters around the best matches."""
    return snippet_of_spans(text, matched_spans(text, terms, phrases), length, fragments)


def snippet_of_spans(text: str, spans: list[Span], length: int = 220, fragments: int = 2) -> str:
    """``snippet`` for spans already known (read from the index postings, for instance)."""
    if not spans:
        start, end = 0, _end_at_word(text, min(len(text), length))
        return _render(text, start, end, [])
    windows: list[tuple[int, int]] = []
    remaining = spans
    while remaining and len(windows) < fragments:
        first, last = _best_window(remaining, length)
        windows.append(_bounds(text, remaining[first].start, remaining[last].end, length))
        low, high = windows[-1]
        remaining = [s for s in remaining if s.end <= low or s.start >= high]
        length = length // 2 if len(windows) == 1 else length  # a second, shorter passage
    windows = _merge(sorted(windows))
    bodies = " … ".join(_passage(text, low, high, spans) for low, high in windows)
    return _ellipses(text, windows[0][0], windows[-1][1], bodies)


def highlight_all(text: str, terms: Collection[str], phrases: Sequence[Phrase] = ()) -> str:
    """The whole text, escaped, with every matched word marked (for the document page)."""
    spans = matched_spans(text, terms, phrases)
    return "".join(_pieces(text, 0, len(text), spans))


def matched_spans(text: str, terms: Collection[str], phrases: Sequence[Phrase] = ()) -> list[Span]:
    """Spans of the words of ``text`` whose term is in ``terms``, and of the words of each
    phrase where the whole phrase occurs; merged and in order."""
    if not terms and not phrases:
        return []
    located = [(t.pos, t.start, t.end, t.text) for t in analyze(text)]
    return spans_of(located, terms, phrases)


def spans_of(
    located: Sequence[Located], terms: Collection[str], phrases: Sequence[Phrase] = ()
) -> list[Span]:
    """The spans to mark among ``located`` words: those of ``terms``, and the words of each
    phrase where it occurs whole (its terms at the right distances); merged, in order."""
    found = [Span(start, end, term) for _, start, end, term in located if term in terms]
    if phrases:
        found += _phrase_spans(located, phrases)
    found.sort()
    spans: list[Span] = []
    for span in found:
        if spans and span.start < spans[-1].end:  # a compound and its parts overlap
            last = spans[-1]
            spans[-1] = Span(last.start, max(last.end, span.end), last.term)
        else:
            spans.append(span)
    return spans


def _phrase_spans(located: Sequence[Located], phrases: Sequence[Phrase]) -> list[Span]:
    at = {(pos, term): (start, end) for pos, start, end, term in located}
    spans = []
    for phrase in phrases:
        first, _ = phrase[0]
        for pos, _start, _end, term in located:
            if term != first:
                continue
            words = [((t, pos + offset), at.get((pos + offset, t))) for t, offset in phrase]
            if all(where is not None for _, where in words):
                spans += [Span(*where, t) for (t, _), where in words if where is not None]
    return spans


def _best_window(spans: list[Span], length: int) -> tuple[int, int]:
    """Indexes of the first and last span of the window with the most distinct terms."""
    best, best_score, last = (0, 0), (-1, -1), 0
    for first in range(len(spans)):
        last = max(last, first)
        while last + 1 < len(spans) and spans[last + 1].end - spans[first].start <= length:
            last += 1
        window = spans[first : last + 1]
        score = (len({span.term for span in window}), len(window))
        if score > best_score:
            best, best_score = (first, last), score
    return best


def _bounds(text: str, start: int, end: int, length: int) -> tuple[int, int]:
    """A passage of about ``length`` characters containing [start, end), cut between words."""
    slack = max(0, length - (end - start))
    sentence = _sentence_start(text, max(0, start - slack // 2), start)
    low = sentence if sentence is not None else max(0, start - slack // 3)
    high = min(len(text), max(end, low + length))
    low = max(0, min(low, high - length))  # near the end of the text, use the room before
    if sentence is not None and low < sentence:
        low = sentence
    return _start_at_word(text, low, start), max(end, _end_at_word(text, high))


def _sentence_start(text: str, low: int, limit: int) -> int | None:
    """Where the last sentence beginning in [low, limit) starts, if one does."""
    if low == 0:
        return 0
    found = _SENTENCE_END.search(text[low:limit][::-1])
    return limit - found.start() if found else None


def _start_at_word(text: str, low: int, limit: int) -> int:
    """The start of the first whole word from ``low`` (before ``limit``), else of the word
    ``low`` falls in (``l’OTAN``, never ``’OTAN``)."""
    if low == 0 or text[low - 1].isspace():
        return low
    space = text.find(" ", low, limit)
    if space >= 0:
        return space + 1
    while low > 0 and not text[low - 1].isspace():
        low -= 1
    return low


def _end_at_word(text: str, high: int) -> int:
    if high >= len(text):
        return len(text)
    space = text.rfind(" ", 0, high)
    return space if space > 0 else high


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in windows:
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


def _render(text: str, start: int, end: int, spans: list[Span]) -> str:
    return _ellipses(text, start, end, _passage(text, start, end, spans))


def _passage(text: str, start: int, end: int, spans: list[Span]) -> str:
    return _SPACES.sub(" ", "".join(_pieces(text, start, end, spans))).strip()


def _ellipses(text: str, start: int, end: int, body: str) -> str:
    """``body`` with ``…`` where text was left out before or after it."""
    return (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")


def _pieces(text: str, start: int, end: int, spans: list[Span]) -> list[str]:
    pieces, cursor = [], start
    for span in spans:
        if span.start < start or span.end > end:
            continue
        pieces.append(escape(text[cursor : span.start]))
        pieces.append(f"<mark>{escape(text[span.start : span.end])}</mark>")
        cursor = span.end
    pieces.append(escape(text[cursor:end]))
    return pieces
