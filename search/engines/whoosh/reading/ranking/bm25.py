"""The weighting model: BM25 with the idf of Lucene and of the BM25 literature.

Whoosh's ``BM25F`` uses ``log(N / (df + 1)) + 1`` as idf, which keeps a floor of about 1 for a
term found in every document; the Robertson–Spärck Jones form used here,
``log(1 + (N - df + 0.5) / (df + 0.5))``, lets very common words (``faire``, ``peut``) weigh
almost nothing, which matters for whole questions. Each field is scored on its own statistics.
"""

from __future__ import annotations

from math import log
from typing import Any

from whoosh.scoring import BM25F
from whoosh.searching import Searcher


def bm25(settings: dict[str, Any]) -> Bm25:
    """The weighting model with the settings' ``bm25_b`` and ``bm25_k1``."""
    return Bm25(B=settings["bm25_b"], K1=settings["bm25_k1"])


class Bm25(BM25F):
    def idf(self, searcher: Searcher, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        return rsj_idf(parent.doc_count_all(), df)


def rsj_idf(n: int, df: int) -> float:
    """The Robertson–Spärck Jones idf of a word found in ``df`` of ``n`` documents."""
    return log(1 + (n - df + 0.5) / (df + 0.5))
