"""The French pairs of ``tests/search/analysis`` through OpenSearch's ``_analyze`` with the
settings generated from our analysis: the same pairs meet and stay apart, each text gives our
terms, and the differences that remain are listed here (and in docs/opensearch.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from search.analysis import analyze
from search.config import load_settings
from search.engines.opensearch.analysis import ANALYZER, SEARCH_ANALYZER, index_body
from tests.search.analysis.test_analysis import ALIKE, APART
from tests.support.cluster import Cluster
from tests.support.cluster import request as call
from tests.support.paths import ROOT

pytestmark = pytest.mark.cluster
TEXTS = sorted({text for pair in ALIKE + APART for text in pair})
# What remains different, and why: the standard tokenizer splits a compound at its hyphens
# and OpenSearch has no filter adding the whole compound (``porteparol``) at the first part's
# position as our tokenizer does; a compound is searched as its parts side by side instead.
DIFFERENT = {"États-Unis", "Etats-Unis", "porte-parole", "porte‑parole"}


@pytest.fixture(scope="module", params=["french", "light_french"])
def index(request: pytest.FixtureRequest, opensearch_cluster: Cluster) -> Iterator[Any]:
    stemmer = request.param
    settings = load_settings(
        {"synonyms": str(ROOT / "synonyms.txt"), "opensearch_stemmer": stemmer}, {}
    )
    url = f"{opensearch_cluster.url}/chain-{stemmer.replace('_', '-')}"
    call(url, "PUT", index_body(settings, "now"), timeout=120)
    yield url, stemmer
    call(url, "DELETE")


def tokens(index: Any, text: str, analyzer: str = ANALYZER) -> list[str]:
    answer = call(f"{index[0]}/_analyze", "POST", {"analyzer": analyzer, "text": text})
    return [token["token"] for token in answer["tokens"]]


def ours(text: str) -> list[str]:
    return [term.text for term in analyze(text) if not term.whole]


@pytest.mark.parametrize(("left", "right"), ALIKE)
def test_pairs_that_meet_meet_in_opensearch(index: Any, left: str, right: str) -> None:
    assert tokens(index, left) == tokens(index, right)


@pytest.mark.parametrize(("left", "right"), APART)
def test_pairs_apart_stay_apart_in_opensearch(index: Any, left: str, right: str) -> None:
    assert tokens(index, left) != tokens(index, right)


def test_each_text_gives_our_terms_but_the_listed_differences(index: Any) -> None:
    differ = {text for text in TEXTS if tokens(index, text) != ours(text)}
    if index[1] == "french":  # Snowball French, as our analysis
        assert differ == set()
    else:  # light_french stems less: the forms it leaves differ from Snowball's
        assert differ and all(tokens(index, t) for t in differ if ours(t))
    wholes = {text for text in TEXTS if any(term.whole for term in analyze(text))}
    assert wholes == DIFFERENT


def test_synonyms_apply_at_query_time_only(index: Any) -> None:
    assert set(tokens(index, "UE", SEARCH_ANALYZER)) >= {"ue", "union"}
    assert tokens(index, "UE") == ["ue"]
    assert "otan" in tokens(index, "Alliance atlantique", SEARCH_ANALYZER)
