"""``reindex`` of web addresses against a real site on loopback (``tests/support/web``): a
feed, sitemaps, pages, PDFs, and every way a request can fail."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from search.engines.whoosh.indexing import reindex
from search.errors import CorpusError
from search.fetch import USER_AGENT, FetchOptions, document_id, load_state
from search.fetch.client import Fetcher, FetchError
from search.indexing import ReindexOptions, ReindexReport
from tests.support.corpus import DOCS, write_jsonl
from tests.support.index import app_client, served_count, served_from
from tests.support.paths import ROOT
from tests.support.pdfs import PdfCommunique, scanned_pdf
from tests.support.web import Route, Site, page, rss, sitemap, web_site

pytestmark = [pytest.mark.process]  # a real server in a thread

LOCAL = FetchOptions(delay=0.0, timeout=1.0, max_bytes=200_000, allow_private=True)
PDF = PdfCommunique(
    pages=[
        [
            ["Communiqué de presse"],
            ["Paris, le 3 mai 2024"],
            ["Un plan pour le littoral"],
            [
                "Le préfet présente un plan de protection du littoral contre l’éro-",
                "sion, en coopération avec les communes.",
            ],
        ]
    ],
)


def run(site: Site, *paths: str | Path, index: Path, strict: bool = False) -> ReindexReport:
    options = ReindexOptions(synonyms_file=ROOT / "synonyms.txt", strict=strict, fetch=LOCAL)
    return reindex([site.url(p) if isinstance(p, str) else p for p in paths], index, options)


def press_room(site: Site, count: int = 3) -> list[str]:
    """``count`` pages listed by /rss.xml, each with an ETag; their paths."""
    paths = [f"/communiques/{i}-littoral.html" for i in range(count)]
    for i, path in enumerate(paths):
        site.routes[path] = Route(
            page(f"Communiqué numéro {i}", [f"Le texte du communiqué {i} sur la mer."]),
            etag=f'"v1-{i}"',
        )
    site.routes["/rss.xml"] = Route(
        rss([site.url(p) for p in paths]), content_type="application/rss+xml"
    )
    return paths


def problems(report: ReindexReport) -> dict[str, str]:
    return {problem.where: problem.reason for problem in report.problems}


def test_a_feed_is_indexed_with_its_pages_and_pdfs_beside_local_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "docs.jsonl", DOCS)
    with web_site() as site:
        paths = press_room(site)
        site.routes["/cp/plan-littoral.pdf"] = Route(PDF.bytes(), content_type="application/pdf")
        links = [site.url(p) for p in [*paths, "/cp/plan-littoral.pdf"]]
        site.routes["/rss.xml"].body = rss(links)
        report = run(site, "/rss.xml", corpus, index=tmp_path / "ix")
        assert all(headers["User-Agent"] == USER_AGENT for _, headers in site.requests)
    assert (report.indexed, report.skipped) == (len(DOCS) + 4, 0)
    assert report.fetched["downloaded"] == 4  # three pages, the PDF (and the feed, not a page)
    with served_from(tmp_path / "ix") as served:
        searcher = served.searcher
        stored = searcher.document(id=document_id(site.url(paths[1])))
        assert stored["title"] == "Communiqué numéro 1"
        assert stored["body"] == "Le texte du communiqué 1 sur la mer."
        assert (stored["date"], stored["source"]) == ("2024-05-02", "Ministère de l’Exemple")
        pdf = searcher.document(id=document_id(links[-1]))
        assert (pdf["url"], pdf["date"], pdf["title"]) == (
            links[-1], "2024-05-03", "Un plan pour le littoral"
        )  # fmt: skip
        assert "l’érosion, en coopération" in pdf["body"]
    with app_client(tmp_path / "ix") as client:  # the document page links to the PDF
        shown = client.get(f"/documents/{document_id(links[-1])}").get_data(as_text=True)
    assert f'<a class="original" href="{links[-1]}"' in shown


def test_every_failure_is_a_problem_counted_by_kind(tmp_path: Path) -> None:
    with web_site() as site:
        good = press_room(site, 1)
        bad = {
            "/500.html": Route(b"panne", 500),
            "/boucle.html": Route(status=302, location="/boucle-2.html"),
            "/boucle-2.html": Route(status=301, location="/boucle.html"),
            "/lent.html": Route(page("Lent", ["Trop tard."]), delay=2.0),
            "/enorme.html": Route(b"<html><body><p>" + b"x" * 300_000 + b"</p></body></html>"),
            "/sans-longueur.html": Route(b"<p>" + b"y" * 300_000, length=False),
            "/image.png": Route(b"\x89PNG....", content_type="image/png"),
            "/vide.html": Route(b"<html><body><nav><a href='/'>Accueil</a></nav></body></html>"),
            "/scan.pdf": Route(scanned_pdf(), content_type="application/pdf"),
            "/prive/secret.html": Route(page("Secret", ["Interdit aux robots."])),
            "/robots.txt": Route(b"User-agent: *\nDisallow: /prive/\n", content_type="text/plain"),
        }
        for hop in range(7):
            bad[f"/saut-{hop}.html"] = Route(status=307, location=f"/saut-{hop + 1}.html")
        site.routes.update(bad)
        followed = ("/robots.txt", "/boucle-2.html", *(f"/saut-{hop}.html" for hop in range(1, 7)))
        listed = [*good, *[p for p in bad if p not in followed], "/absent.html"]
        site.routes["/rss.xml"].body = rss([site.url(p) for p in listed])
        report = run(site, "/rss.xml", index=tmp_path / "ix")
        assert "/prive/secret.html" not in site.paths()
    url = site.url
    assert problems(report) == {
        url("/500.html"): "erreur HTTP 500",
        url("/boucle.html"): "boucle de redirections",
        url("/saut-0.html"): "plus de 5 redirections",
        url("/lent.html"): "délai dépassé (1 s)",
        url("/enorme.html"): f"trop gros ({len(bad['/enorme.html'].body)} octets ; 200000 au plus)",
        url("/sans-longueur.html"): "trop gros (plus de 200000 octets)",
        url("/image.png"): "ni une page HTML ni un PDF (type image/png)",
        url("/vide.html"): "extraction vide : aucun texte principal dans la page",
        url("/scan.pdf"): "pas de texte : PDF scanné ?",
        url("/prive/secret.html"): "interdit par robots.txt",
        url("/absent.html"): "erreur HTTP 404",
    }
    assert report.skipped_by_reason == {
        "http_500": 1, "redirect_loop": 1, "too_many_redirects": 1, "timeout": 1,
        "too_large": 2, "not_html": 1, "empty_text": 1, "scanned_pdf": 1, "robots": 1,
        "http_404": 1,
    }  # fmt: skip
    assert report.indexed == 1


def test_strict_fails_before_the_switch(tmp_path: Path) -> None:
    with web_site() as site:
        press_room(site, 2)
        run(site, "/rss.xml", index=tmp_path / "ix")
        site.routes["/communiques/1-littoral.html"].status = 500
        site.routes["/communiques/1-littoral.html"].etag = '"v2"'
        with pytest.raises(CorpusError, match="--strict"):
            run(site, "/rss.xml", index=tmp_path / "ix", strict=True)
    assert served_count(tmp_path / "ix") == 2


def test_a_second_run_asks_conditionally_and_analyses_nothing(tmp_path: Path) -> None:
    with web_site() as site:
        paths = press_room(site, 4)
        site.routes[paths[3]].etag = None  # this one has only a date
        site.routes[paths[3]].last_modified = "Thu, 02 May 2024 10:00:00 GMT"
        first = run(site, "/rss.xml", index=tmp_path / "ix")
        site.requests.clear()
        second = run(site, "/rss.xml", index=tmp_path / "ix")
        sent = dict(site.requests)
    assert (first.added, first.fetched["not_modified"]) == (4, 0)
    assert (second.mode, second.added, second.updated, second.unchanged) == ("incremental", 0, 0, 4)
    assert (second.fetched["not_modified"], second.fetched["downloaded"]) == (4, 0)
    assert sent[paths[0]]["If-None-Match"] == '"v1-0"'
    assert sent[paths[3]]["If-Modified-Since"] == "Thu, 02 May 2024 10:00:00 GMT"
    assert "If-None-Match" not in sent["/rss.xml"]
    assert served_count(tmp_path / "ix") == 4
    assert len(load_state(tmp_path / "ix" / "generations" / second.generation)) == 4


def test_a_changed_page_is_updated_and_a_gone_one_deleted(tmp_path: Path) -> None:
    with web_site() as site:
        paths = press_room(site, 3)
        run(site, "/rss.xml", index=tmp_path / "ix")
        site.routes[paths[0]] = Route(page("Communiqué corrigé", ["Texte corrigé."]), etag='"v2"')
        site.routes[paths[1]] = Route(b"parti", 410)
        site.routes[paths[2]] = Route(b"panne", 503)  # a passing failure keeps the document
        report = run(site, "/rss.xml", index=tmp_path / "ix")
    assert (report.updated, report.deleted, report.unchanged) == (1, 1, 1)
    assert problems(report) == {site.url(paths[2]): "erreur HTTP 503"}
    assert report.fetched["gone"] == 1
    with served_from(tmp_path / "ix") as served:
        ids = {fields["id"] for fields in served.searcher.all_stored_fields()}
    assert ids == {document_id(site.url(paths[0])), document_id(site.url(paths[2]))}


def test_pages_a_feed_no_longer_lists_are_kept_without_a_request(tmp_path: Path) -> None:
    with web_site() as site:
        paths = press_room(site, 3)
        run(site, "/rss.xml", index=tmp_path / "ix")
        site.routes["/rss.xml"].body = rss([site.url(paths[2])])  # the latest only
        site.requests.clear()
        report = run(site, "/rss.xml", index=tmp_path / "ix")
        assert site.paths() == ["/robots.txt", "/rss.xml", paths[2]]
    assert (report.indexed, report.unchanged, report.deleted) == (3, 3, 0)


def test_sitemap_index_single_page_and_atom_feed(tmp_path: Path) -> None:
    with web_site() as site:
        paths = press_room(site, 4)
        site.routes["/sitemap.xml"] = Route(
            sitemap([site.url(f"/sitemap{n}.xml") for n in ("-1", "-2", "", "-3")], index=True),
            content_type="application/xml",
        )
        plain = sitemap([site.url(paths[0])])
        site.routes["/sitemap-1.xml"] = Route(plain, content_type="text/xml")
        gzipped = gzip.compress(sitemap([site.url(paths[1])]))  # a sitemap.xml.gz
        site.routes["/sitemap-2.xml"] = Route(gzipped, content_type="application/gzip")
        site.routes["/atom.xml"] = Route(
            b"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            b"<title>CP</title><entry><title>Un</title><link href='" + site.url(paths[2]).encode()
            + b"'/></entry></feed>",
            content_type="application/atom+xml",
        )  # fmt: skip
        report = run(site, "/sitemap.xml", "/atom.xml", paths[3], index=tmp_path / "ix")
    assert report.indexed == 4
    assert problems(report) == {site.url("/sitemap-3.xml"): "erreur HTTP 404"}


def test_private_addresses_are_refused_unless_allowed(tmp_path: Path) -> None:
    with web_site() as site:
        site.routes["/cp.html"] = Route(page("Un communiqué", ["Du texte."]))
        with pytest.raises(FetchError, match="adresse locale ou privée refusée"):
            Fetcher(FetchOptions(delay=0.0)).get(site.url("/cp.html"))
        assert site.requests == []
        assert Fetcher(LOCAL).get(site.url("/cp.html")).status == 200
    for address, kind in (("ftp://example.org/x", "not_http"), ("http://nom.invalid/", "dns")):
        with pytest.raises(FetchError) as error:
            Fetcher(LOCAL).get(address)
        assert error.value.kind == kind


def test_a_feed_that_fails_is_a_problem_and_local_files_are_indexed(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "docs.jsonl", DOCS)
    with web_site() as site:
        report = run(site, "/rss.xml", corpus, index=tmp_path / "ix")
        with pytest.raises(CorpusError, match="aucun document lisible"):
            run(site, "/rss.xml", index=tmp_path / "ix2")
    assert problems(report) == {site.url("/rss.xml"): "erreur HTTP 404"}
    assert (report.indexed, report.skipped_by_reason) == (len(DOCS), {"http_404": 1})
