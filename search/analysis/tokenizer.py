"""Split French text into words, keeping where each word sits in the original text.

Promises:
- every word carries ``start``/``end`` offsets into the text it came from, so highlighting can
  mark the exact original characters (accents, typographic apostrophes) and never the elided
  article: in ``l’avocat`` the word is ``avocat`` and starts after the apostrophe;
- positions count the words as written, stop words included, so a phrase cannot match across a
  word that a later stage removes;
- ``'`` and ``’`` behave alike; ``jeudi.Le`` is two words; ``O.T.A.N.`` is the word ``OTAN``;
  ``porte-parole`` gives its parts (``porte``, ``parole``) at consecutive positions, preceded by
  a compound word covering the whole, which the next stage keeps only for real compounds.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import NamedTuple

APOSTROPHES = "'’ʼ"  # U+0027, U+2019, U+02BC
HYPHENS = "-‐‑"  # U+002D, U+2010, U+2011
ELISIONS = frozenset(
    ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]
)

_ALNUM = r"[^\W_]"
_LETTER = r"[^\W\d_]"
_MARKS = "\u0300-\u036f"  # combining accents, as in decomposed (NFD) text
_HAS_MARKS = re.compile(f"[{_MARKS}]")


def _pattern(piece: str) -> re.Pattern[str]:
    word = rf"{piece}(?:[{APOSTROPHES}]{piece})*"
    return re.compile(
        rf"(?P<acronym>(?={_LETTER}\.{_LETTER}){_LETTER}(?:\.{_LETTER})+\.?(?!{_ALNUM}))"
        rf"|(?P<number>(?=\d+[.,]\d)\d+(?:[.,]\d+)+)"
        rf"|(?P<word>{word}(?:[{HYPHENS}]{word})*)"
    )


_PATTERN = _pattern(rf"{_ALNUM}+")  # fast, for text without combining accents
_PATTERN_MARKS = _pattern(rf"{_ALNUM}[^\W_{_MARKS}]*(?:[{_MARKS}]+[^\W_{_MARKS}]*)*")
# A run: what the full pattern's words, numbers and acronyms are made of (every separator
# followed by a letter or digit; an acronym's final full stop), found by a pattern that starts
# with one character class, which the engine scans for quickly.
_JOINERS = re.escape(f".,{APOSTROPHES}{HYPHENS}")
_RUNS = re.compile(rf"({_ALNUM}+(?:(?:[{_JOINERS}]{_ALNUM}+)+\.?)?)")
_SHORT_ELISIONS = frozenset(
    e for elision in ELISIONS if len(elision) == 1 for e in (elision, elision.upper())
)
_APOSTROPHE_SPLIT = re.compile(f"[{APOSTROPHES}]")
_HYPHEN_SPLIT = re.compile(f"[{HYPHENS}]")

RawWord = tuple[str, int, int, int, int]  # text, pos, start, end, parts (see Word)
WordTable = tuple[list[str], list[int], list[int], list[int], list[int]]  # the same, by column


class Word(NamedTuple):
    """A word as written: its text, position, and offsets in the original text.

    ``parts`` is 0 for a plain word; for a compound (``porte-parole``) it is the number of
    parts that follow it in the stream, and ``text`` is the whole compound.
    """

    text: str
    pos: int
    start: int
    end: int
    parts: int = 0


def split_words(text: str) -> Iterator[Word]:
    """Yield the words of ``text`` in order (compounds before their parts)."""
    return map(Word._make, raw_words(text))


def raw_words(text: str) -> Iterator[RawWord]:
    """``split_words`` as plain tuples (no object per word)."""
    return zip(*word_table(text), strict=True)


def word_table(text: str) -> WordTable:
    """The words of ``text`` as columns: the indexing hot path (lists built by the C loops of
    ``re.split``, slicing and ``accumulate``, not a word at a time).

    The text is first cut into runs (letters and digits, joined by the separators a word, a
    number or an acronym can hold) with a pattern simple enough for the regular-expression
    engine to skip from run to run; a run of letters or digits only, most of them, is a word
    as it is, and so is a run made of a one-letter elided article and such a word. The other
    runs (``qu’il``, ``porte-parole``, ``2,5``, ``O.T.A.N.``, ``jeudi.Le``) are read with the
    full word pattern. No word of the full pattern spans two runs, so the words are the ones it
    finds in the whole text (``_words`` does that, and serves text with combining accents)."""
    if _HAS_MARKS.search(text):
        return _columns(_words(text, _PATTERN_MARKS, 0, len(text)))
    pieces = _RUNS.split(text)  # between runs, a run, between runs, ...
    bounds = list(accumulate(map(len, pieces)))
    texts, starts, ends = pieces[1::2], bounds[:-1:2], bounds[1::2]
    others = [number for number, run in enumerate(texts) if not run.isalnum()]
    parts = [0] * len(texts)
    several = False  # a run gave several words: positions are counted again
    for number in reversed(others):  # from the end: a run replaced by words moves only later ones
        run = texts[number]
        if run[0] in _SHORT_ELISIONS and run[1] in APOSTROPHES and run[2:].isalnum():
            texts[number], starts[number] = run[2:], starts[number] + 2  # l’avocat: avocat
            continue
        words = list(_words(text, _PATTERN, starts[number], ends[number]))
        if len(words) == 1:
            texts[number], _, starts[number], ends[number], _ = words[0]
            continue
        several = True
        here = slice(number, number + 1)
        texts[here], _, starts[here], ends[here], parts[here] = _columns(words)
    if not several:
        return texts, list(range(len(texts))), starts, ends, parts
    # a word's position: the words before it, a compound's whole not counted (its first part
    # has the same position)
    positions = list(accumulate(map(operator.not_, parts[:-1]), initial=0))
    return texts, positions, starts, ends, parts


def _columns(words: Iterable[RawWord]) -> WordTable:
    """``words`` as columns."""
    table: WordTable = ([], [], [], [], [])
    texts, positions, starts, ends, parts = table
    for text, pos, start, end, word_parts in words:
        texts.append(text)
        positions.append(pos)
        starts.append(start)
        ends.append(end)
        parts.append(word_parts)
    return table


def _words(text: str, pattern: re.Pattern[str], start: int, end: int) -> Iterator[RawWord]:
    """The words of ``text[start:end]`` by ``pattern``, numbered from 0."""
    pos = 0
    for match in pattern.finditer(text, start, end):
        word = match.group()
        if word.isalnum():  # the common case: a plain word or number, nothing to take apart
            yield word, pos, match.start(), match.end(), 0
            pos += 1
            continue
        kind = match.lastgroup
        if kind == "acronym":
            yield word.replace(".", ""), pos, match.start(), match.end(), 0
            pos += 1
        elif kind == "number":
            yield word, pos, match.start(), match.end(), 0
            pos += 1
        else:
            pieces = list(_pieces(word, match.start()))
            if len(pieces) > 1:
                whole_start, whole_end = pieces[0][1], pieces[-1][2]
                yield text[whole_start:whole_end], pos, whole_start, whole_end, len(pieces)
            for piece_text, piece_start, piece_end in pieces:
                yield piece_text, pos, piece_start, piece_end, 0
                pos += 1


def _pieces(compound: str, offset: int) -> Iterator[tuple[str, int, int]]:
    """Split a (possibly hyphenated) word into its parts, each without an elided article."""
    cursor = 0
    for part in _HYPHEN_SPLIT.split(compound):
        start, end = offset + cursor, offset + cursor + len(part)
        cursor += len(part) + 1
        elided = _elided_prefix(part)
        if elided and elided < len(part):
            part, start = part[elided:], start + elided
        yield part, start, end


def _elided_prefix(word: str) -> int:
    """Length of a leading elided article with its apostrophe (``l’``, ``jusqu'``), else 0."""
    head = _APOSTROPHE_SPLIT.split(word, maxsplit=1)
    if len(head) == 2 and head[0].lower() in ELISIONS:
        return len(head[0]) + 1
    return 0
