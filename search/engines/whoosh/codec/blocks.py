"""A segment's posting lists written a block at a time from the pool's per-term columns.

Whoosh's field writer takes the postings one by one (``add_posting``: type checks, appends,
the block's statistics updated per posting, the document's length looked up per posting),
about a sixth of a build in a profile. Here each block of a term (Whoosh's 128 postings) is
handed over whole: its ids, weights and values set at once and its statistics computed in one
go; Whoosh's own ``_write_block`` and ``finish_postings`` then encode and write it, so the
files are those Whoosh writes. This leans on the postings writer's fields in Whoosh-Reloaded
2.7.5 (the pinned version): ``_ids``, ``_weights``, ``_values``, ``_maxweight``,
``_minlength``, ``_maxlength``, ``_blocklimit``, ``_write_block``.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from whoosh.fields import Schema

from search.engines.whoosh.codec.pool import PooledTerm, TermKey

Lengths = Callable[[str], Sequence[int]]  # a field's length in each document, by number


def write_postings(
    fieldwriter: Any,
    schema: Schema,
    lengths: Lengths | None,
    terms: Iterable[tuple[TermKey, PooledTerm]],
) -> None:
    """Write ``terms`` (by field, then term, as the pool gives them) with ``fieldwriter``, as
    Whoosh's ``FieldWriter.add_postings`` would write the same postings."""
    field = None
    field_lengths: Sequence[int] | None = None
    for (fieldname, text), term in terms:
        if fieldname != field:
            if field is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            field, field_lengths = fieldname, lengths(fieldname) if lengths else None
        fieldwriter.start_term(text)
        _add_blocks(fieldwriter._postwriter, *term.columns(), field_lengths)
        fieldwriter.finish_term()
    if field is not None:
        fieldwriter.finish_field()


def _add_blocks(
    writer: Any,
    docs: list[int],
    weights: list[float],
    values: list[bytes],
    lengths: Sequence[int] | None,
) -> None:
    """Fill ``writer``'s block buffer a block at a time; the last block stays buffered for
    ``finish_postings`` (which may inline a short list), as ``add_posting`` leaves it."""
    limit = writer._blocklimit
    for start in range(0, len(docs), limit):
        if start:
            writer._write_block()
        block = docs[start : start + limit]
        block_weights = weights[start : start + limit]
        writer._ids = array("I", block)
        writer._weights = array("f", block_weights)
        writer._values = [value for value in values[start : start + limit] if value]
        writer._maxweight = max(0, *block_weights)
        known = [length for length in map(lengths.__getitem__, block) if length] if lengths else []
        writer._minlength = min(known) if known else None
        writer._maxlength = max(known, default=0)
