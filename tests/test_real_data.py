"""The service on real French government statements (../shared/data/vp-statements).

Skips, saying why, when ../shared/data is absent (a user's fresh clone does not have it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.store import IndexStore
from search.models import SearchRequest

pytestmark = [pytest.mark.slow]


def test_real_statements_index_whole_and_search_alike_in_every_spelling(
    tmp_path: Path, shared_data: Path
) -> None:
    report = reindex([shared_data / "vp-statements" / "docs.jsonl.gz"], tmp_path / "ix")
    assert (report.indexed, report.skipped) == (324, 0)
    store = IndexStore(tmp_path / "ix")

    def found(q: str) -> list[str]:
        return [hit.id for hit in search(store.current(), SearchRequest(q, per_page=50)).hits]

    assert found("l’OTAN") == found("l'otan") == found("OTAN") != []
    assert found("securite") == found("sécurité") != []
    snippets = [hit.snippet for hit in search(store.current(), SearchRequest("securite")).hits]
    assert all("<mark>sécurité</mark>" in s.lower() for s in snippets)
    store.close()
