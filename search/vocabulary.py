"""The corpus's words as written, for prefix search, typo tolerance and suggestions.

Built by ``reindex`` from the words the analyzer saw (stop words and numbers left out) and
saved in the generation twice: ``words.tsv.gz`` counts the documents of every written form
(so an incremental reindex can add and remove documents), and ``vocabulary.tsv.gz`` has one
line per folded form (``securite``) with the written form to show (``sécurité``) and the
number of documents containing it. The server loads the second once per generation; lookups
are a bisection or a C++ edit-distance scan.
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search.analysis import STOP_WORDS, fold

VOCABULARY_FILE = "vocabulary.tsv.gz"
WORDS_FILE = "words.tsv.gz"


class VocabularyBuilder:
    """Counts, for every written form, the documents it appears in."""

    def __init__(self, documents: Counter[str] | None = None) -> None:
        self._documents: Counter[str] = documents or Counter()

    @classmethod
    def load(cls, folder: Path) -> VocabularyBuilder:
        """The counts saved in generation ``folder`` (to update them incrementally)."""
        counts: Counter[str] = Counter()
        with gzip.open(folder / WORDS_FILE, "rt", encoding="utf-8") as lines:
            for line in lines:
                written, count = line.rstrip("\n").rsplit("\t", 1)
                counts[written] = int(count)
        return cls(counts)

    def add_document(self, words: Iterable[str]) -> None:
        self._documents.update(set(words))

    def remove_document(self, words: Iterable[str]) -> None:
        self._documents.subtract(set(words))

    def counts(self) -> Counter[str]:
        """Documents per written form (another process's share, to ``merge``)."""
        return Counter(self._documents)

    def merge(self, counts: Counter[str]) -> None:
        self._documents.update(counts)

    def save(self, folder: Path) -> None:
        forms: dict[str, Counter[str]] = {}
        with gzip.open(folder / WORDS_FILE, "wt", encoding="utf-8", compresslevel=3) as out:
            for written, count in sorted(self._documents.items()):
                if count <= 0 or "\t" in written or "\n" in written:
                    continue
                out.write(f"{written}\t{count}\n")
                key = fold(written)
                if len(key) >= 2 and not key.isdigit() and key not in STOP_WORDS:
                    forms.setdefault(key, Counter())[written] = count
        with gzip.open(folder / VOCABULARY_FILE, "wt", encoding="utf-8", compresslevel=3) as out:
            for key in sorted(forms):
                out.write(f"{key}\t{usual_form(forms[key])}\t{sum(forms[key].values())}\n")


def usual_form(forms: Counter[str]) -> str:
    """The written form to show: the most common spelling (accents count), in lower case
    when the word is ever written so (``sécurité``, not ``Sécurité`` from titles), else as
    written (``OTAN``, ``Geoană``)."""
    spellings: Counter[str] = Counter()
    for written, count in forms.items():
        spellings[written.lower()] += count
    spelling = spellings.most_common(1)[0][0]
    if spelling in forms:
        return spelling
    return max((w for w in forms if w.lower() == spelling), key=lambda w: forms[w])


@dataclass(frozen=True)
class Candidate:
    folded: str
    written: str
    documents: int
    distance: int = 0


class Vocabulary:
    """Sorted folded forms with their usual written form and document count."""

    def __init__(self, rows: list[tuple[str, str, int]]) -> None:
        self.folded = [row[0] for row in rows]
        self.written = [row[1] for row in rows]
        self.documents = [row[2] for row in rows]
        self._index = {key: number for number, key in enumerate(self.folded)}
        self._by_length: dict[int, tuple[list[str], list[int]]] = {}
        for number, key in enumerate(self.folded):
            words, numbers = self._by_length.setdefault(len(key), ([], []))
            words.append(key)
            numbers.append(number)
        self.near = lru_cache(maxsize=4096)(self._near)  # type: ignore[method-assign]

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        try:
            with gzip.open(folder / VOCABULARY_FILE, "rt", encoding="utf-8") as lines:
                rows = [_row(line) for line in lines]
        except FileNotFoundError:
            rows = []
        return cls(rows)

    def __len__(self) -> int:
        return len(self.folded)

    def get(self, folded: str) -> Candidate | None:
        number = self._index.get(folded)
        return None if number is None else self._candidate(number)

    def starting_with(self, prefix: str, limit: int) -> list[Candidate]:
        """Words beginning with ``prefix`` (folded), at most ``limit`` + 1 of them."""
        first = bisect_left(self.folded, prefix)
        found = []
        for number in range(first, min(len(self.folded), first + limit + 1)):
            if not self.folded[number].startswith(prefix):
                break
            found.append(self._candidate(number))
        return found

    def near(self, folded: str, max_distance: int, limit: int) -> list[Candidate]:
        """Other words within ``max_distance`` edits (a swap of two letters is one edit),
        the closest first, then the most frequent. (Cached per vocabulary.)"""
        return self._near(folded, max_distance, limit)

    def _near(self, folded: str, max_distance: int, limit: int) -> list[Candidate]:
        found = []
        for length in range(len(folded) - max_distance, len(folded) + max_distance + 1):
            words, numbers = self._by_length.get(length, ([], []))
            matches = process.extract(
                folded, words, scorer=OSA.distance, score_cutoff=max_distance, limit=None
            )
            for _, distance, position in matches:
                n = numbers[position]
                if self.folded[n] != folded:
                    found.append(
                        Candidate(self.folded[n], self.written[n], self.documents[n], int(distance))
                    )
        found.sort(key=lambda c: (c.distance, -c.documents))
        return found[:limit]

    def _candidate(self, number: int) -> Candidate:
        return Candidate(self.folded[number], self.written[number], self.documents[number])


def _row(line: str) -> tuple[str, str, int]:
    folded, written, count = line.rstrip("\n").split("\t")
    return folded, written, int(count)
