"""Corpus readers: every format, and every bad input reported with its place and skipped."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from search.corpus import Document, Problem, corpus_files, read_corpus
from search.errors import CorpusError
from tests.support.paths import ROOT


def read(*paths: Path) -> list[Document | Problem]:
    return list(read_corpus(corpus_files(paths)))


def test_jsonl_keeps_extra_keys_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(
        b'{"id": 1, "title": "T", "body": "B", "date": "2024-02-20T10:00:00", "tags": ["x"]}\n'
        b"\n"
        b"{not json\n"
        b'["a list"]\n'
        b'{"id": "2", "title": "T", "body": "  "}\n'
        b'{"id": "3", "title": "T", "body": "B", "date": "2023-02-30"}\n'
        b'{"id": "4", "title": "caf\xe9", "body": "B"}\n'
    )
    items = read(path)
    assert isinstance(items[0], Document)
    assert (items[0].id, items[0].date, items[0].extra) == ("1", "2024-02-20", {"tags": ["x"]})
    problems = [str(p) for p in items[1:]]
    assert problems[0].startswith(f"{path}:3: JSON invalide")
    assert problems[1] == f"{path}:4: un objet JSON est attendu sur chaque ligne"
    assert problems[2] == f"{path}:5: champ « body » manquant ou vide"
    assert problems[3].startswith(f"{path}:6: date impossible")
    assert problems[4].startswith(f"{path}:7: octets non UTF-8")


def test_gzip_jsonl_and_a_truncated_gzip(tmp_path: Path) -> None:
    good = tmp_path / "a.jsonl.gz"
    good.write_bytes(gzip.compress(b'{"id": "a", "title": "T", "body": "B"}\n' * 3))
    bad = tmp_path / "b.jsonl.gz"
    bad.write_bytes(good.read_bytes()[:-12])
    items = read(good)
    assert [type(i) for i in items] == [Document] * 3
    damaged = read(bad)
    assert isinstance(damaged[-1], Problem)
    assert "endommagé" in damaged[-1].reason


def test_markdown_front_matter_heading_title_and_defaults(tmp_path: Path) -> None:
    (tmp_path / "2024-01-01-voeux.md").write_text(
        '---\ntitle: "Vœux"\ndate: 2024-01-01\ntype: discours\nsource: OTAN\n'
        "url: https://example.org/v\nlieu: Paris\n---\nBonne année.\n",
        "utf-8",
    )
    (tmp_path / "sans-entete.txt").write_text("# Un titre\n\nLe texte.\n", "utf-8")
    (tmp_path / "README.md").write_text("not a communiqué", "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    docs = read(tmp_path)
    assert [d.id for d in docs if isinstance(d, Document)] == ["2024-01-01-voeux", "sans-entete"]
    voeux, plain = docs
    assert isinstance(voeux, Document) and isinstance(plain, Document)
    assert (voeux.title, voeux.date, voeux.type, voeux.source) == (
        "Vœux",
        "2024-01-01",
        "discours",
        "OTAN",
    )
    assert voeux.extra == {"lieu": "Paris"}
    assert (plain.title, plain.body) == ("Un titre", "Le texte.")


def test_bad_markdown_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a-vide.md").write_text("  \n", "utf-8")
    (tmp_path / "b-yaml.md").write_text("---\ntitle: [unclosed\n---\ntext\n", "utf-8")
    (tmp_path / "c-latin1.md").write_bytes("---\ntitle: x\n---\ncafé".encode("latin-1"))
    (tmp_path / "d-sans-corps.md").write_text("---\ntitle: Titre seul\n---\n", "utf-8")
    reasons = [item.reason for item in read(tmp_path) if isinstance(item, Problem)]
    assert reasons[0] == "fichier vide"
    assert reasons[1].startswith("en-tête illisible")
    assert reasons[2].startswith("octets non UTF-8")
    assert reasons[3] == "champ « body » manquant ou vide"


def test_empty_jsonl_and_missing_path(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    assert [str(p) for p in read(tmp_path)] == [f"{tmp_path / 'empty.jsonl'}: fichier vide"]
    with pytest.raises(CorpusError, match="introuvable"):
        corpus_files([tmp_path / "nope"])


def test_bundled_corpus_reads_cleanly() -> None:
    root = ROOT / "corpus"
    items = read(root)
    assert all(isinstance(i, Document) for i in items), [str(i) for i in items]
    docs = [i for i in items if isinstance(i, Document)]
    assert len(docs) >= 40
    assert {d.type for d in docs} >= {"communiqué", "déclaration", "discours", "point de presse"}
    assert {d.date[:4] for d in docs if d.date} >= {str(y) for y in range(2019, 2026)}


def test_html_press_releases_are_read_without_the_page_furniture(tmp_path: Path) -> None:
    (tmp_path / "2024-04-04-anniversaire.html").write_text(
        """<!doctype html><html lang="fr"><head><meta charset="utf-8">
        <title>Site officiel — Communiqué</title>
        <meta property="og:title" content="L’OTAN célèbre ses 75 ans">
        <meta property="article:published_time" content="2024-04-04T10:00:00+02:00">
        <meta property="og:site_name" content="OTAN"><meta name="type" content="communiqué">
        <link rel="canonical" href="https://example.org/c/75"></head>
        <body><header><nav><a href="/">Accueil</a> <a href="/menu">Menu</a></nav></header>
        <main><article><h1>L’OTAN célèbre ses 75 ans</h1>
        <p>Le <time datetime="2024-04-04">4 avril 2024</time>, les Alliés ont célébré.</p>
        <ul><li>Un point</li></ul><aside>Partager</aside><p>La sécurité reste centrale.</p>
        </article></main><footer>Mentions légales</footer><script>alert(1)</script>
        </body></html>""",
        "utf-8",
    )
    (doc,) = read(tmp_path)
    assert isinstance(doc, Document)
    assert (doc.id, doc.title, doc.date, doc.url, doc.type, doc.source) == (
        "2024-04-04-anniversaire",
        "L’OTAN célèbre ses 75 ans",
        "2024-04-04",
        "https://example.org/c/75",
        "communiqué",
        "OTAN",
    )
    assert doc.body == (
        "Le 4 avril 2024, les Alliés ont célébré.\n\nUn point\n\nLa sécurité reste centrale."
    )


def test_an_html_page_without_metadata_falls_back_on_its_headings(tmp_path: Path) -> None:
    (tmp_path / "page.htm").write_bytes(
        "<html><head><title>Titre de l'onglet</title><meta charset='latin-1'></head>"
        "<body><h1>Le vrai titre</h1><p>Texte accentué : été.</p></body></html>".encode("latin-1")
    )
    (doc,) = read(tmp_path)
    assert isinstance(doc, Document)
    assert (doc.title, doc.body, doc.date) == ("Le vrai titre", "Texte accentué : été.", None)
