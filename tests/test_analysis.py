"""Table tests of the French analysis: what must meet, what must stay apart, and offsets."""

from __future__ import annotations

import pytest

from search.analysis import analyze, split_words, terms_of

ALIKE = [
    ("école", "ecole"),
    ("École", "ECOLE"),
    ("l’OTAN", "l'OTAN"),
    ("l’OTAN", "OTAN"),
    ("O.T.A.N.", "OTAN"),
    ("œuvre", "oeuvre"),
    ("cœur", "coeur"),
    ("Geoană", "Geoana"),
    ("Geoa\u0306na", "Geoană"),  # decomposed accent (NFD) as some sources send it
    ("jusqu’à", "jusqu'à"),
    ("aujourd’hui", "aujourd'hui"),
    ("qu’il", "qu'il"),
    ("sécurité", "securite"),
    ("SÉCURITÉ", "Sécurité"),
    ("sécurités", "sécurité"),
    ("États-Unis", "Etats-Unis"),
    ("porte-parole", "porte‑parole"),  # non-breaking hyphen U+2011
    ("d’Europe", "Europe"),
    ("lorsqu’elle", "elle"),
    ("2,5", "2.5"),
    ("adoptée", "adoptee"),  # the -ée ending meets its unaccented spelling…
    ("adoptées", "adopté"),  # … and the other forms of the word
    ("Élysée", "elysee"),
]

APART = [
    ("secrétaire", "général"),
    ("OTAN", "ONU"),
    ("2,5", "25"),
    ("4", "5"),
    ("aujourd’hui", "hui"),
    ("porte-parole", "porte"),
    ("pays", "paix"),
    ("sécurité", "sûreté"),
    ("année", "anneau"),
]


@pytest.mark.parametrize(("left", "right"), ALIKE)
def test_forms_analyse_alike(left: str, right: str) -> None:
    assert terms_of(left) == terms_of(right)


@pytest.mark.parametrize(("left", "right"), APART)
def test_forms_stay_apart(left: str, right: str) -> None:
    assert terms_of(left) != terms_of(right)


def test_stop_words_and_elided_articles_leave_only_content_words() -> None:
    question = "Quand l'OTAN a-t-elle adopté sa politique spatiale ?"
    assert terms_of(question) == terms_of("OTAN adopté politique spatiale")
    assert terms_of("jusqu’à ce qu’il") == []
    assert terms_of("les") == []


def test_a_missing_space_after_a_full_stop_still_splits_words() -> None:
    assert terms_of("jeudi.Le gouvernement") == terms_of("jeudi. Le gouvernement")
    assert len(terms_of("jeudi.Le gouvernement")) == 2


def test_numbers_are_kept_including_single_digits() -> None:
    assert terms_of("le 4 avril 1949") == ["4", "avril", "1949"]


def test_compounds_give_the_whole_and_the_parts() -> None:
    terms = list(analyze("la porte-parole"))
    assert [t.text for t in terms] == ["porteparol", "port", "parol"]
    assert terms[0].whole and terms[0].pos == terms[1].pos
    assert terms[2].pos == terms[1].pos + 1
    assert terms_of("a-t-elle dit-il") == ["dit"]  # inversions add no compound


def test_offsets_point_at_the_original_word_without_the_elided_article() -> None:
    text = "Selon l’avocat de l'État, d’après Geoană."
    spans = [text[t.start : t.end] for t in analyze(text)]
    assert spans == ["Selon", "avocat", "État", "après", "Geoană"]


def test_positions_keep_room_for_removed_stop_words() -> None:
    terms = list(analyze("secrétaire du général"))
    assert [t.pos for t in terms] == [0, 2]
    words = list(split_words("secrétaire du général"))
    assert [w.text for w in words] == ["secrétaire", "du", "général"]
