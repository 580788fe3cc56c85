"""Extraction quality on press-release pages written for the tests (``fixtures/pages``): pages
in the style of ministries, a prefecture and an international organisation, with navigation,
cookie banners, share buttons, related links and footers. For each page the kept text must
equal the text a person would keep (``<page>.txt``, written by reading the page), and none of
the furniture may be left."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.corpus import Document
from search.corpus.html import read_html

PAGES = Path(__file__).parent / "fixtures" / "pages"

# what every page has around its text, and must not be indexed
FURNITURE = ["cookie", "Accepter", "accepte", "Partager", "Facebook", "LinkedIn", "Accueil",
             "Mentions légales", "Plan du site", "Accessibilité", "À lire aussi"]  # fmt: skip

EXPECTED = {
    "ministere-armees-exercice": (
        "Exercice Orion : les armées françaises s’entraînent avec leurs alliés",
        "2023-03-14",
        "https://www.defense.example.fr/actualites/communiques/exercice-orion",
        "communiqué",
        "Ministère des Armées",
        [
            "Loi de programmation militaire",
            "Le ministère",
            "Rechercher",
            "etalab",
            "Publié le",
            "Aller au contenu",
        ],
    ),
    "agriculture-gel-tardif": (  # no date in the metadata: htmldate finds it in the page
        "Gel tardif : un dispositif d’aide pour les arboriculteurs",
        "2024-02-05",
        "https://agriculture.example.fr/gel-tardif-un-dispositif-daide-pour-les-arboriculteurs",
        None,
        "agriculture.example.fr",  # no site name: the host of the canonical address
        [
            "Sur le même sujet",
            "Abonnez-vous",
            "Les plus consultés",
            "Tout savoir sur la PAC",
            "Imprimer",
            "78 rue de Varenne",
            "Publié le",
        ],
    ),
    "organisation-internationale-vaccination": (
        "Vaccination : la couverture mondiale retrouve son niveau d’avant la pandémie",
        "2024-07-15",
        "https://www.omse.example.org/fr/news/item/15-07-2024-vaccination-couverture",
        "communiqué de presse",
        "Organisation mondiale pour la santé des enfants",
        [
            "Paludisme",
            "Rougeole",
            "English",
            "Thèmes de santé",
            "Temps de lecture",
            "Inscrivez-vous",
            "Copier le lien",
            "Alerte à la fraude",
        ],
    ),
    "prefecture-vigilance-canicule": (
        "Vigilance canicule : le département placé en alerte orange",
        "2024-08-10",
        "https://www.departement.example.gouv.fr/Actualites/Salle-de-presse/"
        "Communiques-de-presse/Vigilance-canicule",
        "communiqué",
        "Les services de l'État dans le département",
        ["Sécheresse", "Démarches administratives", "Mis à jour", "Courriel"],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_press_release_page_keeps_its_text_and_nothing_else(name: str) -> None:
    doc = read_html(PAGES / f"{name}.html")
    assert isinstance(doc, Document), doc
    title, date, url, kind, source, left_out = EXPECTED[name]
    assert (doc.id, doc.title, doc.date, doc.url, doc.type, doc.source) == (
        name, title, date, url, kind, source,
    )  # fmt: skip
    assert doc.body == (PAGES / f"{name}.txt").read_text("utf-8").strip()
    assert not [text for text in FURNITURE + left_out if text in doc.body]


def test_every_page_has_its_expected_text() -> None:
    assert {p.stem for p in PAGES.glob("*.html")} == set(EXPECTED)
    assert {p.stem for p in PAGES.glob("*.txt")} == set(EXPECTED)


def test_a_page_without_main_text_is_a_problem(tmp_path: Path) -> None:
    page = tmp_path / "vide.html"
    page.write_text("<html><body><nav><a href='/'>Accueil</a></nav></body></html>", "utf-8")
    problem = read_html(page)
    assert not isinstance(problem, Document)
    assert (problem.kind, str(problem)) == (
        "empty_text",
        f"{page}: extraction vide : aucun texte principal dans la page",
    )
