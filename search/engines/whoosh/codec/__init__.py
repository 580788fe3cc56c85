"""The only code that touches Whoosh's private internals, for speed: posting lists read into
NumPy arrays from Whoosh's matchers (``postings``), our postings pool in place of Whoosh's
(``pool``), posting blocks handed to Whoosh's block writer whole (``blocks``), and the segment
writer's steps for committing several segments at once (``segments``).

These lean on Whoosh-Reloaded 2.7.5, the pinned version. Importing this package refuses
another version, and ``PRIVATE_NAMES`` lists every private name used here, by class: a test
checks that each exists, so a Whoosh upgrade that renames one fails loudly instead of silently
(assigning a renamed attribute would only create a new one).
"""

from __future__ import annotations

from importlib.metadata import version

from whoosh.codec.whoosh3 import W3LeafMatcher, W3PostingsWriter
from whoosh.matching import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.writing import SegmentWriter

WHOOSH_VERSION = "2.7.5"
PRIVATE_NAMES: dict[type, tuple[str, ...]] = {
    W3PostingsWriter: (
        "_blocklimit", "_ids", "_weights", "_values", "_maxweight", "_minlength",
        "_maxlength", "_write_block",
    ),
    W3LeafMatcher: ("_next_block", "_read_ids", "_read_weights", "_read_values", "_ids",
                    "_weights", "_values", "_i"),
    ListMatcher: ("_ids", "_weights"),
    FilterMatcher: ("_ids", "_exclude"),
    SegmentWriter: ("_tempstorage", "_flush_segment", "_finalize_segment", "_commit_toc",
                    "_finish", "_added"),
}  # fmt: skip


def check_version() -> None:
    """Refuse to run on another Whoosh than the one this codec was written for."""
    found = version("Whoosh-Reloaded")
    if found != WHOOSH_VERSION:
        raise ImportError(
            f"search.engines.whoosh.codec is written for Whoosh-Reloaded {WHOOSH_VERSION}, "
            f"found {found}: check PRIVATE_NAMES against the new version, then update the pin"
        )


check_version()
