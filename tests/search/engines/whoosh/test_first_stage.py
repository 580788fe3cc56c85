"""The first ranking stage scored from whole posting lists (``postings``, ``accumulating``)
against Whoosh's own exhaustive search, on a real index of several segments with deleted
documents (an incremental reindex of the bundled corpus after edits and a removal)."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import create_in
from whoosh.searching import Searcher

from search.analysis import FrenchAnalyzer
from search.corpus import Document, corpus_files, read_corpus
from search.corpus.model import first_words
from search.deadline import Deadline
from search.engines.whoosh.codec.postings import PostingLists
from search.engines.whoosh.indexing import reindex
from search.engines.whoosh.reading.columns import Column
from search.engines.whoosh.reading.matching import compile_query
from search.engines.whoosh.reading.querying import search
from search.engines.whoosh.reading.ranking.bm25 import Bm25
from search.engines.whoosh.reading.ranking.fielded import Fields
from search.engines.whoosh.reading.ranking.first_stage import accumulate
from search.engines.whoosh.reading.ranking.order import by_date
from search.engines.whoosh.reading.store import ServedIndex
from search.engines.whoosh.schema import SEARCH_FIELD
from search.indexing import ReindexOptions
from search.lexicon import near_words
from search.models import SearchRequest
from search.syntax import parse
from tests.support.index import served_from
from tests.support.paths import ROOT

QUERIES = [
    "OTAN",
    "sécurité spatiale",
    "Quand l'OTAN a-t-elle adopté sa politique spatiale ?",
    '"secrétaire général" Alliés',
    "otan -russie",
    "titre:industrie défense",
    "cyber* OR climat",
    "porte-parole États-Unis",
    "Union européenne énergie -gaz",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedIndex]:
    """The bundled corpus indexed, then one document edited, one removed, one added, and
    indexed again incrementally: several segments, some postings of deleted documents."""
    folder = tmp_path_factory.mktemp("first-stage")
    corpus = folder / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    reindex([corpus], folder / "ix", ReindexOptions(synonyms_file=ROOT / "synonyms.txt"))
    archives = corpus / "archives.jsonl"
    lines = archives.read_text("utf-8").splitlines()
    edited = json.loads(lines[0])
    edited["body"] += " La sécurité spatiale de l’OTAN est renforcée face à la Russie."
    added = {"id": "ajout", "title": "Sécurité spatiale et cyberdéfense", "body": "L’OTAN."}
    lines = [json.dumps(edited, ensure_ascii=False), *lines[2:], json.dumps(added)]
    archives.write_text("\n".join(lines) + "\n", "utf-8")
    reindex([corpus], folder / "ix", ReindexOptions(synonyms_file=ROOT / "synonyms.txt"))
    with served_from(folder / "ix") as index:
        assert len(index.searcher.leaf_searchers()) > 1, "the incremental reindex made one segment"
        assert index.searcher.reader().has_deletions(), "the incremental reindex deleted nothing"
        yield index


def compiled_of(index: ServedIndex, q: str):  # type: ignore[no-untyped-def]
    def prefixes(clause):  # type: ignore[no-untyped-def]
        from search.lexicon import prefix_words

        return prefix_words(index.vocabulary, clause, 512)

    return compile_query(index.thesaurus.expand(parse(q)), prefixes)


def whoosh_scores(index: ServedIndex, compiled) -> dict[int, float]:  # type: ignore[no-untyped-def]
    """Every match and its score by Whoosh itself, without block skipping (no limit)."""
    groups = list(compiled.groups)
    query = groups[0] if len(groups) == 1 else wq.Or(groups)
    if compiled.excluded is not None:
        query = wq.AndNot(query, compiled.excluded)
    return {hit.docnum: hit.score for hit in index.searcher.search(query, limit=None)}


@pytest.mark.parametrize("q", QUERIES)
def test_scores_are_whooshs_own_for_every_match(served: ServedIndex, q: str) -> None:
    compiled = compiled_of(served, q)
    found = accumulate(served.searcher, served.postings, compiled, None, Deadline(10))
    expected = whoosh_scores(served, compiled)
    assert expected, f"{q!r} should match something in the bundled corpus"
    assert dict(zip(found.docs.tolist(), found.scores.tolist(), strict=True)) == pytest.approx(
        expected
    )


def test_boosted_typo_alternatives_score_as_in_whoosh(served: ServedIndex) -> None:
    typed = served.thesaurus.expand(parse("secruité Geoanna"))
    near = near_words(served.vocabulary, parse("secruité Geoanna"))
    assert near, "typo tolerance found no neighbour"
    compiled = compile_query(typed, near_words=near)
    found = accumulate(served.searcher, served.postings, compiled, None, Deadline(10))
    expected = whoosh_scores(served, compiled)
    assert expected
    assert dict(zip(found.docs.tolist(), found.scores.tolist(), strict=True)) == pytest.approx(
        expected
    )


def test_group_counts_say_which_documents_hold_every_word(served: ServedIndex) -> None:
    compiled = compiled_of(served, "sécurité spatiale")
    found = accumulate(served.searcher, served.postings, compiled, None, Deadline(10))
    every = {hit.docnum for hit in served.searcher.search(wq.And(compiled.groups), limit=None)}
    assert every
    assert set(found.docs[found.groups == len(compiled.groups)].tolist()) == every


def test_an_excluded_word_never_comes_back(served: ServedIndex) -> None:
    compiled = compiled_of(served, "otan -russie")
    found = accumulate(served.searcher, served.postings, compiled, None, Deadline(10))
    with_russia = set(served.searcher.docs_for_query(wq.Term(SEARCH_FIELD, "russ")))
    assert with_russia, "the corpus should mention Russia"
    assert found.total and not set(found.docs.tolist()) & with_russia


def test_filters_keep_only_allowed_documents(served: ServedIndex) -> None:
    compiled = compiled_of(served, "OTAN")
    everything = accumulate(served.searcher, served.postings, compiled, None, Deadline(10))
    allowed = np.zeros(served.postings.size, bool)
    allowed[everything.docs[::2]] = True
    found = accumulate(served.searcher, served.postings, compiled, allowed, Deadline(10))
    assert found.docs.tolist() == everything.docs[::2].tolist()
    nothing = np.zeros(served.postings.size, bool)
    assert accumulate(served.searcher, served.postings, compiled, nothing, Deadline(10)).total == 0


def test_an_expired_deadline_stops_scoring(served: ServedIndex) -> None:
    deadline = Deadline(0)
    deadline.end -= 1
    found = accumulate(
        served.searcher, served.postings, compiled_of(served, "OTAN"), None, deadline
    )
    assert found.total == 0 and deadline.reached


def test_posting_arrays_match_whooshs_matchers(served: ServedIndex) -> None:
    searcher = served.searcher
    terms = [text for _, text in zip(range(400), searcher.lexicon(SEARCH_FIELD), strict=False)]
    assert len(terms) == 400
    for raw in terms:
        text = raw.decode("utf-8")
        docs, weights = served.postings.get(SEARCH_FIELD, text)
        expected_docs, expected_weights = [], []
        for sub, offset in searcher.leaf_searchers():
            if (SEARCH_FIELD, text) not in sub.reader():
                continue
            matcher = sub.reader().postings(SEARCH_FIELD, text)
            while matcher.is_active():
                expected_docs.append(matcher.id() + offset)
                expected_weights.append(matcher.weight())
                matcher.next()
        assert docs.tolist() == expected_docs, text
        assert weights.tolist() == expected_weights, text


def test_characters_are_read_for_the_asked_documents_only(served: ServedIndex) -> None:
    searcher = served.searcher
    docs, _ = served.postings.get(SEARCH_FIELD, "otan")
    asked = [int(d) for d in docs[::3]] + [int(docs[0]) + 100_000]
    found = served.postings.characters(SEARCH_FIELD, "otan", asked)
    assert set(found) == set(asked[:-1])
    for doc, (weight, spans) in found.items():
        matcher = searcher.postings(SEARCH_FIELD, "otan")
        matcher.skip_to(doc)
        assert matcher.id() == doc
        assert (weight, spans) == (matcher.weight(), matcher.value_as("characters"))
    # asked again, partly known already: the same answers, from memory or from the index
    again = served.postings.characters(SEARCH_FIELD, "otan", [int(d) for d in docs])
    assert {doc: again[doc] for doc in found} == found
    assert len(again) == len(docs)


def test_the_cache_stays_within_its_budget_and_answers_the_same(served: ServedIndex) -> None:
    small = PostingLists(served.searcher, budget=50)
    for text in ("otan", "secur", "spatial", "otan", "allie"):
        docs, weights = small.get(SEARCH_FIELD, text)
        expected = served.postings.get(SEARCH_FIELD, text)
        assert docs.tolist() == expected[0].tolist()
        assert weights.tolist() == expected[1].tolist()
        assert small._cached <= 50


def test_columns_count_values_and_sort_dates() -> None:
    dates = Column(["2024-02-20", "", "2019-12-04", "2024-02-20", "2021-03-01"])
    assert dates.counts(np.array([0, 1, 3, 4])) == {"2024-02-20": 2, "2021-03-01": 1}
    newest = by_date(dates, np.array([0, 1, 2, 3, 4]), 10, newest_first=True)
    assert [doc for _, doc, _ in newest] == [0, 3, 4, 2, 1]
    oldest = by_date(dates, np.array([0, 1, 2, 3, 4]), 3, newest_first=False)
    assert [doc for _, doc, _ in oldest] == [2, 4, 0]


def test_a_page_counts_every_match_and_ranks_the_best_first(served: ServedIndex) -> None:
    q = "sécurité spatiale"
    page = search(served, SearchRequest(q, per_page=100))
    compiled = compiled_of(served, q)
    assert page.total == len(whoosh_scores(served, compiled))
    every = {hit.docnum for hit in served.searcher.search(wq.And(compiled.groups), limit=None)}
    first = [served.searcher.document_number(id=hit.id) for hit in page.hits[: len(every)]]
    assert set(first) == every  # documents with both words first (short query)


@pytest.fixture(scope="module")
def many_blocks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedIndex]:
    """600 generated communiqués over a small vocabulary: common words hold several posting
    blocks of Whoosh's codec (128 postings each)."""
    rng = random.Random(7)
    words = [
        "alliance",
        "sécurité",
        "spatiale",
        "défense",
        "industrie",
        "ministre",
        "sommet",
        "accord",
        "énergie",
    ]
    folder = tmp_path_factory.mktemp("many-blocks")
    lines = []
    for number in range(600):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(5, 40)))
        lines.append(json.dumps({"id": f"c{number}", "title": f"Note {number}", "body": body}))
    (folder / "notes.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    reindex(
        [folder / "notes.jsonl"], folder / "ix", ReindexOptions(synonyms_file=ROOT / "synonyms.txt")
    )
    with served_from(folder / "ix") as index:
        yield index


@pytest.mark.parametrize("which", ["served", "many_blocks"])
def test_occurrences_from_kept_blocks_equal_those_read_again(
    request: pytest.FixtureRequest, which: str
) -> None:
    """Occurrences taken from the blocks the first stage kept, from some of them (the others
    evicted) and from the index alone are the same, and are Whoosh's own."""
    index: ServedIndex = request.getfixturevalue(which)
    searcher = index.searcher
    kept, some, none = (PostingLists(searcher, block_budget=size) for size in (10**6, 200, 0))
    lexicon = [raw.decode("utf-8") for raw in searcher.lexicon(SEARCH_FIELD)]
    terms = sorted(lexicon, key=lambda t: -searcher.doc_frequency(SEARCH_FIELD, t))[:40]
    several_blocks = 0
    for text in terms:
        docs = [int(doc) for doc in kept.get(SEARCH_FIELD, text)[0]]
        several_blocks += len(docs) > 128
        asked = [*docs[::2], searcher.doc_count_all() + 5]
        expected = {}
        for doc in asked[:-1]:
            matcher = searcher.postings(SEARCH_FIELD, text)
            matcher.skip_to(doc)
            expected[doc] = (matcher.weight(), matcher.value_as("characters"))
        for postings in (kept, some, none):
            assert postings.characters(SEARCH_FIELD, text, asked) == expected, text
    assert kept._block_postings > 0 and some._block_postings <= 200 and not none._blocks
    if which == "many_blocks":
        assert several_blocks, "no term spans several blocks: the test proves less than it says"


def test_stored_fields_kept_are_whooshs_and_bounded(
    served: ServedIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("search.engines.whoosh.reading.store.CACHED_DOCUMENTS", 5)
    for _ in range(2):  # the second round reads some from memory, most again from the index
        for doc in range(served.searcher.doc_count_all()):
            assert served.stored(doc) == served.searcher.stored_fields(doc)
            assert len(served._stored) <= 5


@pytest.fixture(scope="module")
def two_fields(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServedIndex, Searcher]]:
    """The bundled corpus and three untitled documents, served, and the same documents in a
    plain Whoosh index written by Whoosh itself with the heading and the body as two fields."""
    folder = tmp_path_factory.mktemp("two-fields")
    shutil.copytree(ROOT / "corpus", folder / "corpus")
    untitled = [
        {"id": "u1", "body": "Sécurité spatiale : l’OTAN adopte sa politique.\nLes Alliés."},
        {"id": "u2", "body": "Énergie et défense\nLa sécurité de l’Union européenne."},
        {"id": "u3", "body": "Note\n" + "sécurité spatiale défense " * 30},
    ]
    (folder / "corpus" / "untitled.jsonl").write_text(
        "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in untitled), "utf-8"
    )
    reindex([folder / "corpus"], folder / "ix", ReindexOptions(synonyms_file=ROOT / "synonyms.txt"))
    analyzer = FrenchAnalyzer()
    schema = Schema(
        id=ID(stored=True),
        heading=TEXT(analyzer=analyzer, phrase=False),
        body=TEXT(analyzer=analyzer, phrase=False),
    )
    (folder / "plain").mkdir()
    plain = create_in(str(folder / "plain"), schema)
    with plain.writer() as writer:
        for doc in read_corpus(corpus_files([folder / "corpus"])):
            assert isinstance(doc, Document)
            heading = doc.title or first_words(doc.body)
            writer.add_document(id=doc.id, heading=heading, body=doc.body)
    with served_from(folder / "ix") as index, plain.searcher(weighting=Bm25()) as searcher:
        yield index, searcher


# not QUERIES[7]: a compound's words side by side are a phrase, which the plain index (no
# positions) cannot score (its whole term is scored as two fields like any word)
@pytest.mark.parametrize("q", [*QUERIES[:3], "secruité Geoanna", *QUERIES[8:]])
@pytest.mark.parametrize("heading_weight", [1.0, 2.5])
def test_fields_scores_are_whooshs_bm25f_over_heading_and_body(
    two_fields: tuple[ServedIndex, Searcher], q: str, heading_weight: float
) -> None:
    """Scored as two fields from ``text`` and ``heading``, each word of a query scores what
    Whoosh's BM25F gives it in a heading field and a body field of their own (within the
    rounding of a ``text`` length stored as one byte)."""
    served, plain = two_fields
    near = near_words(served.vocabulary, parse(q))
    compiled = compile_query(parse(q), near_words=near)  # words only: no synonym phrases
    fields = Fields(served.title_weight or 0.0, heading_weight, 0.75, 0.75, 1.2)
    found = accumulate(served.searcher, served.postings, compiled, None, Deadline(10), fields)
    ours = {
        served.stored(doc)["id"]: score
        for doc, score in zip(found.docs.tolist(), found.scores.tolist(), strict=True)
    }
    query = wq.Or([_as_two_fields(group, heading_weight) for group in compiled.groups])
    if compiled.excluded is not None:
        query = wq.AndNot(query, _as_two_fields(compiled.excluded, 1.0))
    hits = plain.search(query, limit=None)
    expected = {plain.stored_fields(hit.docnum)["id"]: hit.score for hit in hits}
    assert expected, f"{q!r} should match something"
    assert ours == pytest.approx(expected, rel=0.02)


def _as_two_fields(query: wq.Query, heading_weight: float) -> wq.Query:
    """``query`` with each word of ``text`` searched in ``heading`` and ``body`` instead."""
    if isinstance(query, wq.Term):
        return wq.Or(
            [
                wq.Term("heading", query.text, boost=query.boost * heading_weight),
                wq.Term("body", query.text, boost=query.boost),
            ]
        )
    assert type(query) is wq.Or, query
    return wq.Or([_as_two_fields(sub, heading_weight) for sub in query.subqueries])
