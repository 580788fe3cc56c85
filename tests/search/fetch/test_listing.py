"""What an address is and what it lists, without a server: feeds, sitemaps, ids, gzip."""

from __future__ import annotations

import gzip

import pytest

from search.fetch import document_id, is_url
from search.fetch.client import FetchError
from search.fetch.listing import feed_links, kind_of, sitemap_links, unpacked
from tests.support.web import page, rss, sitemap


@pytest.mark.parametrize(
    ("content_type", "body", "kind"),
    [
        ("application/pdf", b"", "pdf"),
        ("application/octet-stream", b"%PDF-1.7\n", "pdf"),
        ("text/xml", rss(["http://a/1"]), "feed"),
        ("application/xml", b"<?xml version='1.0'?><feed xmlns='x'></feed>", "feed"),
        ("text/xml", sitemap(["http://a/1"]), "sitemap"),
        ("application/xml", sitemap(["http://a/s.xml"], index=True), "sitemap"),
        ("text/html", page("Titre", ["Texte."]), "html"),
        ("", b"<!doctype html><html><body>x</body></html>", "html"),
        ("image/png", b"\x89PNG", "other"),
    ],
)
def test_kind_of_an_answer(content_type: str, body: bytes, kind: str) -> None:
    assert kind_of(content_type, body) == kind


def test_feed_and_sitemap_links() -> None:
    assert feed_links(rss(["http://a/1", "http://a/2"])) == ["http://a/1", "http://a/2"]
    children = {"http://a/s1.xml": sitemap(["http://a/3"]), "http://a/s2.xml": sitemap([])}
    index = sitemap(list(children), index=True)
    assert sitemap_links(index, children.get) == ["http://a/3"]
    assert sitemap_links(b"<urlset><url><loc>pas du XML", children.get) == []


def test_a_sitemap_index_that_lists_itself_stops() -> None:
    loop = sitemap(["http://a/index.xml"], index=True)
    assert sitemap_links(loop, lambda url: loop) == []  # three levels at most


def test_gzip_is_inflated_within_the_limit() -> None:
    body = sitemap(["http://a/1"])
    assert unpacked(gzip.compress(body), 10_000) == body
    assert unpacked(body, 10) == body  # not gzip: as it is
    with pytest.raises(FetchError) as error:
        unpacked(gzip.compress(b"0" * 1_000_000), 10_000)  # a bomb
    assert error.value.kind == "too_large"


def test_ids_are_readable_stable_and_distinct() -> None:
    first = document_id("https://www.defense.example.fr/actualites/exercice-orion.html")
    assert first.startswith("exercice-orion-") and len(first) == len("exercice-orion-") + 8
    assert first == document_id("https://www.defense.example.fr/actualites/exercice-orion.html")
    assert first != document_id("https://autre.example.fr/exercice-orion.html")
    assert document_id("https://example.org/").startswith("page-")


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("https://a.fr/rss.xml", True),
        ("http://a", True),
        ("ftp://a/b", True),
        ("corpus/", False),
        ("/tmp/x.jsonl", False),
        ("c:/docs", False),
    ],
)
def test_is_url(path: str, url: bool) -> None:
    assert is_url(path) is url
