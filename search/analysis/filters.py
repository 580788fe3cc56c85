"""Turn one written word into the term the index stores, or ``None`` for a stop word.

``normalize`` gives the searched term (stemmed); ``exact_form`` the same word unstemmed, which
the second ranking stage uses to prefer documents with the very form the user typed.

Order matters and is the point of this module: fold first (unidecode, lower case, apostrophes
out), then drop stop words (the list is folded the same way), then stem with Snowball French
(a folded ``-ee``/``-ees`` ending given back its accent first, see ``stem``).
So ``Sécurité``, ``securite`` and ``SÉCURITÉ`` meet, ``œuvre`` meets ``oeuvre`` and ``Geoană``
meets ``Geoana``. Results are cached per written form: a corpus repeats its words endlessly.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import Stemmer
from unidecode import unidecode

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DECIMAL = re.compile(r"\d+(?:[.,]\d+)+")
_STEMMER = Stemmer.Stemmer("french")
_PLAIN_EE = ("ee", "ees")


def fold(word: str) -> str:
    """Lower-case ASCII form of a word: accents and ligatures folded, punctuation removed."""
    return _NOT_ALNUM.sub("", unidecode(word).lower())


def _load_stop_words() -> frozenset[str]:
    text = resources.files(__package__).joinpath("stopwords_fr.txt").read_text("utf-8")
    words = (line.strip() for line in text.splitlines())
    return frozenset(fold(word) for word in words if word and not word.startswith("#"))


STOP_WORDS = _load_stop_words()


def stem(folded: str) -> str:
    """Snowball French stem of a folded word; numbers and mixed tokens are kept whole.

    Snowball reads accents: ``-ée`` and ``-ées`` are endings it removes (``adoptée`` →
    ``adopt``, as ``adopté``), ``-ee`` and ``-ees`` are not (``adoptee`` → ``adopte``). Folded
    words give the stemmer these two endings back accented, and the stem is folded again, so
    ``adoptée``, ``adoptee`` and ``adopté`` meet while accents still do not matter."""
    if not folded.isalpha():
        return folded
    if folded.endswith(_PLAIN_EE):
        accented = folded[:-2] + "ée" if folded.endswith("ee") else folded[:-3] + "ées"
        return fold(str(_STEMMER.stemWord(accented)))
    return str(_STEMMER.stemWord(folded))


@lru_cache(maxsize=262_144)
def exact_form(word: str) -> str | None:
    """A written word folded but not stemmed, or ``None`` for a stop word or no letters."""
    if _DECIMAL.fullmatch(word):
        return word.replace(",", ".")  # 2,5 % and 2.5 % meet; 25 stays another number
    folded = fold(word)
    if not folded or folded in STOP_WORDS:
        return None
    return folded


@lru_cache(maxsize=262_144)
def normalize(word: str) -> str | None:
    """Index term for a written word, or ``None`` when it is a stop word or has no letters."""
    folded = exact_form(word)
    return stem(folded) if folded else None
