"""Whoosh's segment writer, made to write our pool and to commit several segments at once.

``Writer`` is Whoosh's ``SegmentWriter`` with its postings pooled in a log grouped by term
(``pool.TermPool``) and written a block at a time (``blocks``), each field's document lengths
read once: Whoosh's block writer asks for the length of each posting's document, one column
read each. Every reindex writes with it, full or incremental. ``finish_segment`` and
``commit_segments`` are the steps Whoosh's own ``MpWriter`` uses to write sub-writers'
segments and commit them in one table of contents. ``is_segment_file`` tells Whoosh's segment
files (never rewritten once written) from its tables of contents and lock.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from whoosh.writing import SegmentWriter

from search.engines.whoosh.codec.blocks import write_postings
from search.engines.whoosh.codec.pool import TermPool


class Writer(SegmentWriter):
    """Whoosh's segment writer with its postings pooled in a log grouped by term
    (``pooling.TermPool``) and written a block at a time (``blocks``), each field's document
    lengths read once: Whoosh's block writer asks for the length of each posting's document,
    one column read each. Every reindex writes with it, full or incremental."""

    def __init__(self, ix: Any, limitmb: float = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def cancel(self) -> None:
        """Whoosh's cancel, and the files of the segment it had started removed: Whoosh leaves
        them in the generation (three small files per reindex that changed nothing)."""
        super().cancel()
        for name in self.newsegment.list_files(self.storage):
            self.storage.delete_file(name)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _field_lengths(reader) if reader is not None else None
        write_postings(self.fieldwriter, self.schema, lengths, self.pool.iter_terms())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


def _field_lengths(reader: Any) -> Callable[[str], list[int]]:
    """A field's length in every document of ``reader``, read the first time it is asked."""

    @functools.cache
    def lengths(fieldname: str) -> list[int]:
        return [reader.doc_field_length(d, fieldname, 0) for d in range(reader.doc_count_all())]

    return lengths


def finish_segment(writer: SegmentWriter) -> Any | None:
    """Write ``writer``'s segment files; its description, or ``None`` when it added nothing."""
    return writer._finalize_segment() if writer._added else None


def commit_segments(writer: SegmentWriter, segments: list[Any]) -> None:
    """Commit ``segments`` (this writer's and others') in one table of contents, then release
    the writer (its lock and the temporary folder the writers share)."""
    writer._commit_toc(segments)
    writer._finish()


def is_segment_file(name: str) -> bool:
    return name.startswith("MAIN_") and name != "MAIN_WRITELOCK" and not name.endswith(".toc")
