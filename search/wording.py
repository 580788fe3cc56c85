"""Counts in French words: ``0 résultat``, ``1 document indexé``, ``2 documents indexés``.

French puts 0 and 1 in the singular; the plural adds ``s`` to every word unless told otherwise.
"""

from __future__ import annotations


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` followed by ``singular`` or its plural (each word + ``s`` by default)."""
    if abs(number) < 2:
        return f"{number} {singular}"
    return f"{number} {plural or ' '.join(word + 's' for word in singular.split())}"
