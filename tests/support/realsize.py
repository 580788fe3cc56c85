"""A synthetic corpus the size of OrangeSum (34,000 articles over 2011-2020) for tests that
must show the cost of a stage at real size and always run (no ``../shared`` needed).

Words are made-up syllable strings drawn with Zipf frequencies, so posting lists and the
number of distinct dates look like a real news corpus: ``france`` is in half of the
articles, ``otan`` in one in 97. Each of eight common words (``MARKERS``: ``plus``, ``aussi``
…) is twice in every article, always at an even place, so a phrase of two of them (``"aussi
encore"``) makes a matcher visit every article and find none; ``"plus plus"`` is in 34.
Articles are numbered ``a0`` … ``a33999``; the same seed gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np

DOCUMENTS = 34_000
WORDS_PER_BODY = 300
FIRST_DAY = dt.date(2011, 1, 1)
DAYS = (dt.date(2020, 12, 31) - FIRST_DAY).days + 1
MARKERS = ["plus", "aussi", "encore", "autre", "toujours", "bien", "tout", "comme"]
SYLLABLES = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi",
             "zo", "on", "an", "er", "ir", "ou", "ai", "tion", "ment", "que", "re"]  # fmt: skip


def vocabulary(size: int, rng: np.random.Generator) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < size:
        count = int(rng.integers(2, 5))
        words["".join(rng.choice(SYLLABLES, count))] = None
    return list(words)


def write_corpus(path: Path, documents: int = DOCUMENTS, seed: int = 19) -> Path:
    """Write ``documents`` articles as JSON Lines to ``path`` and return it."""
    rng = np.random.default_rng(seed)
    words = np.asarray(vocabulary(30_000, rng), dtype=object)
    weights = 1.0 / np.arange(1, len(words) + 1)
    weights /= weights.sum()
    with path.open("w", encoding="utf-8") as out:
        for number in range(documents):
            body = list(rng.choice(words, WORDS_PER_BODY, p=weights))
            places = rng.choice(WORDS_PER_BODY // 2, 2 * len(MARKERS), replace=False)
            for marker, place in zip(MARKERS * 2, places, strict=True):
                body[2 * int(place)] = marker  # never side by side…
            if number % 1_000 == 0:
                body[1:3] = ["plus", "plus"]  # …but in one article in a thousand
            if number % 2 == 0:
                body[int(rng.integers(WORDS_PER_BODY))] = "france"
            if number % 97 == 0:
                body[int(rng.integers(WORDS_PER_BODY))] = "otan"
            day = FIRST_DAY + dt.timedelta(days=int(rng.integers(DAYS)))
            record = {
                "id": f"a{number}",
                "title": " ".join(rng.choice(words, 8, p=weights)),
                "body": " ".join(body) + ".",
                "date": day.isoformat(),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
