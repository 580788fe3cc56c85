"""Marks from OpenSearch's highlighter as our HTML: the highlighter marks with two private-use
characters, the text is then escaped by ``search.highlight.escape`` (exactly as the whoosh
engine escapes it) and only the marks become ``<mark>`` tags."""

from __future__ import annotations

from search.analysis import split_words
from search.highlight import escape

PRE, POST = "\ue000", "\ue001"


def marked(fragment: str) -> str:
    """A highlighter's fragment as HTML: escaped, with ``<mark>`` around the marks."""
    return escape(fragment).replace(PRE, "<mark>").replace(POST, "</mark>")


def marked_words(fragment: str) -> list[str]:
    """The words marked in a highlighter's fragment, as written, without the elided article a
    mark includes (the highlighter marks ``l’OTAN`` whole: elision does not move offsets)."""
    found = []
    for chunk in fragment.split(PRE)[1:]:
        words = list(split_words(chunk.split(POST, 1)[0]))
        if words:
            found.append(words[-1].text)
    return found
