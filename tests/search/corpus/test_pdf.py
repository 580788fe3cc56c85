"""PDF communiqués, made by the tests with reportlab (``tests/support/pdfs``)."""

from __future__ import annotations

from pathlib import Path

from search.corpus import Document, Problem, corpus_files, read_corpus
from search.corpus.pdf import read_pdf
from tests.support.pdfs import PdfCommunique, scanned_pdf

TWO_PAGES = PdfCommunique(
    pages=[
        [
            ["Communiqué de presse"],
            ["Paris, le 4 avril 2024"],
            ["Le ministère renforce la coopé-", "ration entre les services de l’État"],
            [
                "Le ministre a signé ce jeudi une convention de coopéra-",
                "tion avec les régions. Elle déﬁnit les moyens et les ﬂux d’information",
                "entre les préfectures et les conseils régionaux.",
            ],
            ["Jean-", "Pierre Martin, préfet, en assurera le suivi."],
        ],
        [["La convention entre en vigueur le 1er mai 2024 pour une durée de trois ans."]],
        [["Contact presse : presse@example.gouv.fr"]],
    ],
    header="Ministère de l’Exemple — Service de presse",
    footer="Page {page} / {pages}",
)


def test_a_pdf_communique_is_read_with_its_paragraphs_repaired(tmp_path: Path) -> None:
    (tmp_path / "convention.pdf").write_bytes(TWO_PAGES.bytes())
    doc = read_pdf(tmp_path / "convention.pdf")
    assert isinstance(doc, Document), doc
    assert (doc.id, doc.title, doc.date, doc.type) == (
        "convention",
        "Le ministère renforce la coopération entre les services de l’État",
        "2024-04-04",
        "communiqué",
    )
    assert doc.body.split("\n\n") == [
        "Paris, le 4 avril 2024",
        "Le ministre a signé ce jeudi une convention de coopération avec les régions. Elle "
        "définit les moyens et les flux d’information entre les préfectures et les conseils "
        "régionaux.",
        "Jean-Pierre Martin, préfet, en assurera le suivi.",
        "La convention entre en vigueur le 1er mai 2024 pour une durée de trois ans.",
        "Contact presse : presse@example.gouv.fr",
    ]  # the header and the numbered footer of every page are gone


def test_title_and_date_from_the_metadata(tmp_path: Path) -> None:
    pdf = PdfCommunique(
        pages=[[["Un texte sans date écrite ni titre."], ["Un deuxième paragraphe."]]],
        title="Titre dans les métadonnées",
        creation_date="D:20230915120000+02'00'",
    )
    (tmp_path / "meta.pdf").write_bytes(pdf.bytes())
    doc = read_pdf(tmp_path / "meta.pdf")
    assert isinstance(doc, Document), doc
    assert (doc.title, doc.date) == ("Titre dans les métadonnées", "2023-09-15")
    assert doc.body == "Un texte sans date écrite ni titre.\n\nUn deuxième paragraphe."


def test_a_file_name_in_the_title_metadata_is_not_a_title(tmp_path: Path) -> None:
    pdf = PdfCommunique(
        pages=[[["Le vrai titre"], ["Le texte, daté du 02/03/2022."]]],
        title="Microsoft Word - CP_final_v3.docx",
    )
    (tmp_path / "cp.pdf").write_bytes(pdf.bytes())
    doc = read_pdf(tmp_path / "cp.pdf")
    assert isinstance(doc, Document), doc
    assert (doc.title, doc.date, doc.body) == (
        "Le vrai titre", "2022-03-02", "Le texte, daté du 02/03/2022."
    )  # fmt: skip


def test_a_scanned_pdf_and_a_damaged_one_are_problems(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf())
    (tmp_path / "abime.pdf").write_bytes(TWO_PAGES.bytes()[:300])
    (tmp_path / "ok.PDF").write_bytes(TWO_PAGES.bytes())
    items = list(read_corpus(corpus_files([tmp_path])))
    problems = {Path(item.where).name: item for item in items if isinstance(item, Problem)}
    assert (problems["scan.pdf"].reason, problems["scan.pdf"].kind) == (
        "pas de texte : PDF scanné ?", "scanned_pdf"
    )  # fmt: skip
    assert problems["abime.pdf"].kind == "unreadable_pdf"
    assert [item.id for item in items if isinstance(item, Document)] == ["ok"]
