"""Snippets: marks on the original words, never on elided articles, everything escaped."""

from __future__ import annotations

from search.analysis import terms_of
from search.highlight import highlight_all, snippet


def marks(text: str, query: str) -> str:
    return highlight_all(text, set(terms_of(query)))


def test_the_mark_covers_the_word_not_the_elided_article() -> None:
    assert marks("Selon l’avocat de l'État", "avocat état") == (
        "Selon l’<mark>avocat</mark> de l'<mark>État</mark>"
    )
    assert marks("jusqu’à l’OTAN", "otan") == "jusqu’à l’<mark>OTAN</mark>"


def test_marks_keep_accents_and_case_of_the_text() -> None:
    assert marks("La SÉCURITÉ et la sécurité", "securite") == (
        "La <mark>SÉCURITÉ</mark> et la <mark>sécurité</mark>"
    )
    assert marks("Mircea Geoană", "Geoana") == "Mircea <mark>Geoană</mark>"


def test_a_compound_is_marked_as_one_word() -> None:
    assert marks("La porte-parole a parlé.", "porte-parole") == (
        "La <mark>porte-parole</mark> a parlé."
    )


def test_text_is_escaped_before_marks_are_added() -> None:
    text = 'Un <script>alert("x")</script> & une sécurité'
    assert marks(text, "sécurité script") == (
        "Un &lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; "
        "&amp; une <mark>sécurité</mark>"
    )


def test_snippets_are_cut_at_word_boundaries_with_ellipses() -> None:
    text = " ".join(f"mot{i}" for i in range(200)) + " La sécurité de l’espace. " + "fin " * 100
    result = snippet(text, set(terms_of("sécurité")), length=80)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>sécurité</mark>" in result
    inner = result.strip("…")
    assert not inner.startswith("ot") and " " in inner
    assert len(inner) < 200


def test_a_text_without_match_gives_its_beginning() -> None:
    assert snippet("Court texte.", {"absent"}) == "Court texte."
