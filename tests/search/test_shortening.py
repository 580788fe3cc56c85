"""Shortening a pasted text: the most informative words within the cap, explicit clauses kept,
exclusions read as prose."""

from __future__ import annotations

from search.analysis import terms_of
from search.shortening import is_long, shorten, term_count
from search.syntax import parse

FREQUENCIES = {"ministr": 900, "annonc": 800, "satellit": 3, "orbit": 5, "otan": 40}


def frequency(term: str) -> int:
    return FREQUENCIES.get(term, 0)


def test_frequent_in_the_text_and_rare_in_the_corpus_first() -> None:
    text = "ministre annonce satellite orbite OTAN satellite ministre " * 3
    kept = shorten(parse(text), 3, 1000, frequency)
    assert [terms_of(c.text) for c in kept.query.clauses()] == [["satellit"], ["orbit"], ["otan"]]
    assert kept.terms == 3 and kept.text == "satellite orbite OTAN"  # in the order of the text


def test_each_word_is_kept_once_and_the_cap_is_never_crossed() -> None:
    text = " ".join(["satellites satellite orbite"] * 50)
    parsed = parse(text)
    assert term_count(parsed) == 150 and is_long(text, parsed, 500, 64)
    kept = shorten(parsed, 64, 1000, frequency)
    assert kept.text == "satellites orbite"
    assert term_count(parse(kept.text)) == kept.terms == 2


def test_phrases_fields_and_alternatives_typed_are_kept_when_they_fit() -> None:
    text = '"politique spatiale" -Ukraine titre:OTAN satellite OR orbite ' + "ministre " * 80
    kept = shorten(parse(text), 28, 1000, frequency)  # a quarter of 28: 7 terms for them
    assert parse(kept.text) == kept.query  # written back as a query that means the same
    assert kept.text == '"politique spatiale" titre:OTAN satellite OU orbite ministre Ukraine'
    quotation = shorten(parse('"des satellites en orbite" ministre'), 4, 1000, frequency)
    assert quotation.text == "satellites orbite ministre"  # its words compete with the others


def test_a_short_query_is_not_long() -> None:
    assert not is_long("otan espace", parse("otan espace"), 500, 64)
    assert is_long("a" * 501, parse("a" * 501), 500, 64)


def test_in_a_pasted_text_a_dash_or_a_star_glued_to_a_word_is_punctuation() -> None:
    text = "*satellite à -63°C en orbite -orbite -Ukraine"
    kept = shorten(parse(text), 64, 1000, frequency)
    assert kept.text == "satellite orbite 63°C Ukraine"
    assert kept.query.excluded == ()
