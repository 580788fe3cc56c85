"""Table tests of the French analysis: what must meet, what must stay apart, and offsets."""

from __future__ import annotations

import pytest

from search.analysis import analyze, split_words, terms_of
from search.analysis.tokenizer import raw_words

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


# Texts whose runs need the full word pattern: elisions, compounds, numbers, acronyms, missing
# spaces, separators at the edges, underscores and other scripts.
TRICKY_TEXTS = [
    "O.T.A.N. a dit",
    "l'O.T.A.N.",
    "U.S.A et a.b.c1",
    "x.y. puis z.",
    "jeudi.Le",
    "fin.",
    "2,5 % et 3.14. Puis 1.2.3.4",
    "rouge,vert",
    "l’avocat.",
    "porte-parole",
    "C.-à-d.",
    "États-Unis d'Amérique.",
    "M. Dupont",
    "aujourd'hui",
    "qu’il",
    "---a--b",
    "a-",
    "-a",
    "l'",
    "'l",
    "snake_case",
    "Xi’an–Pékin",
    "ΑΘΗΝΑ-Ρώμη",
    "1er.2e",
    "d’Europe,l’OTAN",
]


def _generated_texts(count: int) -> list[str]:
    """Random strings over an alphabet dense in separators (seeded: the same every run)."""
    import random

    alphabet = ["a", "É", "z", "1", "9", ".", ",", "'", "’", "-", "‑", " ", "_", "l", "qu", "\n"]
    rng = random.Random(7)
    return ["".join(rng.choices(alphabet, k=rng.randint(0, 30))) for _ in range(count)]


def _full_pattern_words(text: str) -> list[tuple[str, int, int, int, int]]:
    from search.analysis import tokenizer

    return list(tokenizer._words(text, tokenizer._PATTERN, 0, len(text)))


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_words_found_run_by_run_are_the_full_patterns_words(text: str) -> None:
    assert list(raw_words(text)) == _full_pattern_words(text)


def test_words_found_run_by_run_on_generated_texts() -> None:
    differing = [t for t in _generated_texts(5000) if list(raw_words(t)) != _full_pattern_words(t)]
    assert differing == []
