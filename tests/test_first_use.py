"""What a first-time user meets on the bundled corpus, through the real app (Flask test client
over an index built by the real ``reindex``): rankings, snippets, corrections, filters."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search.analysis import analyze
from search.corpus import Document, corpus_files, read_corpus
from search.engines.whoosh.indexing import reindex
from search.indexing import ReindexOptions
from search.synonyms import load
from tests.support.corpus import DOCS, write_jsonl
from tests.support.index import app_client
from tests.support.paths import ROOT


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    index = tmp_path_factory.mktemp("bundled") / "index"
    reindex([ROOT / "corpus"], index, ReindexOptions(synonyms_file=ROOT / "synonyms.txt"))
    with app_client(index) as client:
        yield client


def _words(text: str) -> list[str]:
    return [term.text for term in analyze(text) if not term.whole]


def _says(text: str, expression: str) -> bool:
    """Whether ``text`` holds ``expression`` (its analysed words, side by side)."""
    words, wanted = _words(text), _words(expression)
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))


EXPRESSIONS = [expr for line in load(ROOT / "synonyms.txt").lines for expr in line]
TEXTS = [
    f"{doc.title or ''}\n{doc.body}"
    for doc in read_corpus(corpus_files([ROOT / "corpus"]))
    if isinstance(doc, Document)
]


# every expression of synonyms.txt that some document of the bundled corpus says
SAID = [expression for expression in EXPRESSIONS if any(_says(text, expression) for text in TEXTS)]


@pytest.mark.parametrize("typed", ["OTAN", "l’OTAN", "O.T.A.N.", *SAID])
def test_a_synonym_never_outranks_the_words_typed(bundled: FlaskClient, typed: str) -> None:
    expression = typed.replace("O.T.A.N.", "OTAN")
    first = bundled.get("/api/search", query_string={"q": typed}).json["results"][0]
    document = bundled.get(f"/api/documents/{first['id']}").json
    assert _says(f"{document['title']}\n{document['body']}", expression), first["title"]


def test_a_misspelt_word_finds_the_one_document_that_has_it(tmp_path: Path) -> None:
    docs = [*DOCS, {"id": "resilience", "title": "Plan", "body": "La résilience des réseaux."}]
    corpus = write_jsonl(tmp_path / "docs.jsonl", docs)
    reindex([corpus], tmp_path / "index")
    with app_client(tmp_path / "index") as client:
        found = client.get("/api/search", query_string={"q": "résiliance"}).json
    assert [hit["id"] for hit in found["results"]] == ["resilience"]
    assert found["corrected"] and found["suggestion"] == "résilience"


def test_a_word_the_corpus_has_is_not_corrected(bundled: FlaskClient) -> None:
    found = bundled.get("/api/search", query_string={"q": "ministre", "per_page": 50}).json
    assert found["total"] > 0 and found["suggestion"] is None and not found["corrected"]
    for hit in found["results"]:
        document = bundled.get(f"/api/documents/{hit['id']}").json
        assert _says(f"{document['title']}\n{document['body']}", "ministre"), hit["title"]
    page = bundled.get("/?q=ministre").get_data(as_text=True)
    assert "Vouliez-vous dire" not in page


MARKED_QUERIES = [
    '"secrétaire général"',
    "etats unis",
    "États-Unis",
    "Union européenne",
    "UE",
    "OTAN",
    "porte parole",
    '"transition écologique"',
    "cyber*",
]


@pytest.mark.parametrize("q", MARKED_QUERIES)
def test_every_hit_shows_why_it_matched(bundled: FlaskClient, q: str) -> None:
    found = bundled.get("/api/search", query_string={"q": q, "per_page": 50}).json
    assert found["total"] > 0
    for hit in found["results"]:
        assert "<mark>" in hit["snippet"] + hit["title_marked"], (hit["title"], hit["snippet"])


def test_a_quoted_phrase_is_marked_where_it_occurs(bundled: FlaskClient) -> None:
    found = bundled.get("/api/search", query_string={"q": '"secrétaire général"'}).json
    assert found["total"] > 1
    for hit in found["results"]:
        assert re.search(r"<mark>secrétaire</mark> <mark>général</mark>", hit["snippet"], re.I)
    union = bundled.get("/api/search", query_string={"q": "Union européenne"}).json
    snippets = " ".join(hit["snippet"] for hit in union["results"])
    assert "<mark>Union</mark> <mark>européenne</mark>" in snippets


def test_typed_words_are_marked_in_result_titles(bundled: FlaskClient) -> None:
    page = bundled.get("/?q=Finlande").get_data(as_text=True)
    assert "rejoint" in page and re.search(r"<h2><a [^>]*>La <mark>Finlande</mark>", page)


def _ids(client: FlaskClient, **args: str) -> list[str]:
    found = client.get("/api/search", query_string={"per_page": 100, **args}).json
    return [hit["id"] for hit in found["results"]]


def test_a_reversed_period_is_swapped(bundled: FlaskClient) -> None:
    forward = _ids(bundled, q="sécurité", **{"from": "2022", "to": "2023"})
    assert forward and _ids(bundled, q="sécurité", **{"from": "2023", "to": "2022"}) == forward
    page = bundled.get("/?q=s%C3%A9curit%C3%A9&from=2023&to=2022")
    assert page.status_code == 200 and 'class="hit"' in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("written", "iso"),
    [("03/2024", "2024-03"), ("mars 2024", "2024-03"), ("Mars  2024", "2024-03"),
     ("01/03/2024", "2024-03-01"), ("1er mars 2024", "2024-03-01"), ("2024-3", "2024-03")],
)  # fmt: skip
def test_periods_written_the_french_way(bundled: FlaskClient, written: str, iso: str) -> None:
    for q in ("OTAN", "sécurité", "cyber*"):
        expected = _ids(bundled, q=q, **{"from": "2019", "to": iso})
        assert _ids(bundled, q=q, **{"from": "2019", "to": written}) == expected
        later = _ids(bundled, q=q, **{"from": written})
        assert later == _ids(bundled, q=q, **{"from": iso})


def test_a_period_mistake_is_shown_beside_the_form_with_the_results(bundled: FlaskClient) -> None:
    response = bundled.get("/?q=OTAN&from=2024-02-30&to=2025&type=communiqu%C3%A9")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="hit"' in html and "Type : communiqué" in html  # results and filters stay
    error = re.search(r'<p class="form-error" id="period-error"[^>]*>([^<]*)</p>', html)
    assert (
        error
        and "« Du »" in error.group(1)
        and "n’existe pas"
        in error.group(1).replace("n’est pas une date qui existe", "n’existe pas")
    )
    assert "« from »" not in html
    assert re.search(r'<input id="from"[^>]*value="2024-02-30"[^>]*aria-invalid="true"', html)
    garbage = bundled.get("/?q=OTAN&to=bient%C3%B4t").get_data(as_text=True)
    assert "« au »" in garbage and 'class="hit"' in garbage


@pytest.mark.parametrize(
    ("typed", "agreeing", "disagreeing"),
    [("politique spa", "politique spatiale", "politique spatiaux"),
     ("Union eur", "Union européenne", "Union européens")],
)  # fmt: skip
def test_word_suggestions_agree_with_the_word_before(
    bundled: FlaskClient, typed: str, agreeing: str, disagreeing: str
) -> None:
    words = bundled.get("/api/suggest", query_string={"q": typed}).json["words"]
    assert words[0] == agreeing and disagreeing not in words, words
    alone = bundled.get("/api/suggest", query_string={"q": typed.split()[-1]}).json["words"]
    assert disagreeing.split()[-1] in alone  # the form exists: only the pairing is refused


def test_a_one_year_period_is_named_once(bundled: FlaskClient) -> None:
    html = bundled.get("/?q=OTAN&from=2023&to=2023").get_data(as_text=True)
    assert "Période : 2023 " in html and "2023 – 2023" not in html


def test_a_page_beyond_the_last_goes_to_the_last(bundled: FlaskClient) -> None:
    pages = -(-bundled.get("/api/search?q=OTAN").json["total"] // 10)
    response = bundled.get("/?q=OTAN&sort=date&page=99")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/?q=OTAN&sort=date&page={pages}"


def test_an_empty_feed_and_results_page_say_so_plainly(bundled: FlaskClient) -> None:
    feed = bundled.get("/feed?q=zorglubien").get_data(as_text=True)
    assert "Les 0" not in feed and "Aucun communiqué pour « zorglubien »" in feed
    html = bundled.get("/?q=zorglubien").get_data(as_text=True)
    assert "Aucun résultat" in html
    assert "flux Atom" not in html and "Trier par" not in html and "Trier et filtrer" not in html


def test_a_query_of_stop_words_only_is_not_called_incorrect(bundled: FlaskClient) -> None:
    response = bundled.get("/?q=les+des")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Requête incorrecte" not in html
    assert "aucun mot à chercher" in html and 'value="les des"' in html


def test_the_document_page_without_a_query_leaves_the_focus_alone(bundled: FlaskClient) -> None:
    first = bundled.get("/api/search?q=OTAN").json["results"][0]["id"]
    assert "autofocus" not in bundled.get(f"/documents/{first}").get_data(as_text=True)
    assert "autofocus" in bundled.get("/").get_data(as_text=True)


def test_the_document_page_shows_the_other_fields(tmp_path: Path) -> None:
    doc = {"id": "signe", "title": "Note", "body": "Texte.", "auteur": "Service de presse"}
    reindex([write_jsonl(tmp_path / "docs.jsonl", [doc])], tmp_path / "index")
    with app_client(tmp_path / "index") as client:
        html = client.get("/documents/signe").get_data(as_text=True)
    assert re.search(r"<dt>auteur</dt>\s*<dd>Service de presse</dd>", html), html


def _assert_cut_between_words(client: FlaskClient, q: str) -> None:
    found = client.get("/api/search", query_string={"q": q, "per_page": 50}).json
    assert found["total"] > 0
    for hit in found["results"]:
        body = " ".join(client.get(f"/api/documents/{hit['id']}").json["body"].split())
        plain = html.unescape(re.sub(r"</?mark>", "", hit["snippet"]))
        for fragment in plain.split(" … "):
            fragment = fragment.strip("…")
            at = body.find(fragment)
            assert at >= 0, fragment
            assert at == 0 or body[at - 1] == " ", (hit["id"], body[max(0, at - 20) : at + 20])
            after = at + len(fragment)
            assert after == len(body) or body[after] == " ", (hit["id"], fragment[-20:])


@pytest.mark.parametrize("q", ["OTAN", "l’OTAN", "Alliés", "sécurité", "Ukraine", "Finlande"])
def test_snippets_start_and_end_between_words(bundled: FlaskClient, q: str) -> None:
    _assert_cut_between_words(bundled, q)


def test_a_snippet_never_starts_inside_an_elided_word(tmp_path: Path) -> None:
    """Two matches about one snippet length apart leave almost no room before the first: the
    passage must still start at ``l’OTAN``, not at ``’OTAN``."""
    lead = "Texte d’introduction sans rapport avec le sujet traité ici " * 3
    docs = [
        {"id": f"d{gap}", "title": "Note", "body": f"{lead}avec l’OTAN {'mot ' * gap}et OTAN fin"}
        for gap in range(45, 56)
    ]
    reindex([write_jsonl(tmp_path / "docs.jsonl", docs)], tmp_path / "index")
    with app_client(tmp_path / "index") as client:
        _assert_cut_between_words(client, "OTAN")


def test_an_unknown_type_or_source_is_said(bundled: FlaskClient) -> None:
    for name in ("type", "source"):
        response = bundled.get("/api/search", query_string={"q": "OTAN", name: "foo"})
        assert response.status_code == 400, name
        assert f"{name} « foo » inconnu" in response.json["error"]
    known = bundled.get("/api/search", query_string={"q": "OTAN", "type": "Communique"})
    assert known.status_code == 200 and known.json["total"] > 0  # accents and case aside
    page = bundled.get("/?q=OTAN&type=foo&type=discours")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'class="hit"' in html
    assert "Type « foo » inconnu" in html and "Type : discours" in html
