"""At real size: 34,000 synthetic articles (``realsize``), where costly stages show their
cost. The index is built once for this module (about 70 s)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from search.filtering import Filters
from search.indexing import reindex
from search.querying import SearchOptions, SearchRequest, search
from search.store import ServedIndex

from .conftest import served_from
from .realsize import MARKERS, write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("realsize") / "articles.jsonl")


@pytest.fixture(scope="module")
def big_index(corpus: Path) -> Path:
    index_dir = corpus.parent / "ix"
    reindex([corpus], index_dir)
    return index_dir


@pytest.fixture(scope="module")
def big(big_index: Path) -> Iterator[ServedIndex]:
    with served_from(big_index) as index:
        yield index


def articles(corpus: Path) -> list[dict[str, str]]:
    with corpus.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def words(body: str) -> list[str]:
    return body.rstrip(".").split()


# The time ran out before the first stage: it still scores (the deadline's grace), once.
EXHAUSTED = SearchOptions(time_limit=0.0, time_grace=600.0)


@pytest.mark.parametrize(
    ("period", "inside"),
    [
        ({"date_from": "2018"}, lambda date: date >= "2018-01-01"),
        ({"date_to": "2018"}, lambda date: date <= "2018-12-31"),
        ({"date_from": "2012-03", "date_to": "2019"}, lambda date: "2012-03" <= date < "2020"),
    ],
)
def test_a_period_finds_every_match_even_when_time_ran_out_before_scoring(
    big: ServedIndex, corpus: Path, period: dict[str, str], inside: Callable[[str], bool]
) -> None:
    found = articles(corpus)
    wanted = {a["id"] for a in found if "france" in words(a["body"]) and inside(a["date"])}
    page = search(big, SearchRequest("france", filters=Filters.parse(**period)), EXHAUSTED)
    assert page.total == len(wanted) and page.hits
    assert {hit.id for hit in page.hits} <= wanted


EXCLUDED_PHRASES = [f'"{a} {b}"' for a, b in itertools.permutations(MARKERS, 2)][:31]


def test_excluded_phrases_stop_at_the_deadline_and_keep_only_what_was_checked(
    big: ServedIndex,
) -> None:
    q = "france " + " ".join(f"-{phrase}" for phrase in EXCLUDED_PHRASES)
    page = search(big, SearchRequest(q, per_page=100), EXHAUSTED)
    everything = search(big, SearchRequest("france"), EXHAUSTED).total
    assert page.partial and 0 < page.total < everything  # the walk stopped at the deadline
    for hit in page.hits:
        body = big.stored(big.searcher.document_number(id=hit.id))["body"]
        assert "france" in words(body)
        assert not any(phrase.strip('"') in body for phrase in EXCLUDED_PHRASES)


def test_ored_phrases_that_rarely_match_stop_at_the_deadline(big: ServedIndex) -> None:
    q = " OU ".join(['"plus plus"', *EXCLUDED_PHRASES[:20]])
    page = search(big, SearchRequest(q), EXHAUSTED)
    assert page.partial and 0 < page.total < 34  # looked at part of the index only
