"""French analysis: text to index terms (tokenizer, then normalize, wrapped by the analyzer)."""

from search.analysis.analyzer import (
    FrenchAnalyzer,
    Term,
    WeightedText,
    analyze,
    exact_terms_of,
    section_of,
    terms_of,
)
from search.analysis.filters import STOP_WORDS, exact_form, fold, normalize
from search.analysis.tokenizer import Word, split_words

__all__ = [
    "STOP_WORDS",
    "FrenchAnalyzer",
    "Term",
    "WeightedText",
    "Word",
    "analyze",
    "exact_form",
    "exact_terms_of",
    "fold",
    "normalize",
    "section_of",
    "split_words",
    "terms_of",
]
