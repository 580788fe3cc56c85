"""French analysis: text to index terms (tokenizer, then normalize, wrapped by the analyzer)."""

from .analyzer import FrenchAnalyzer, Term, analyze, terms_of
from .normalize import STOP_WORDS, fold, normalize
from .tokenizer import Word, split_words

__all__ = [
    "STOP_WORDS",
    "FrenchAnalyzer",
    "Term",
    "Word",
    "analyze",
    "fold",
    "normalize",
    "split_words",
    "terms_of",
]
