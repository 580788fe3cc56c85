"""A real web site on loopback for the fetching tests: routes written by a test (pages,
feeds, sitemaps, PDFs, errors, redirects, slow or huge answers), conditional requests
answered with 304, and every request recorded with its headers."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # for a redirect
    delay: float = 0.0  # seconds before answering
    length: bool = True  # send Content-Length (else the body ends when the connection closes)


@dataclass
class Site:
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


class _Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:
        self.site.requests.append((self.path, dict(self.headers.items())))
        route = self.site.routes.get(self.path, Route(b"introuvable", 404, "text/plain"))
        time.sleep(route.delay)
        conditional = (route.etag and self.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
        )
        status = 304 if conditional else route.status
        self.send_response(status)
        for name, value in (("Content-Type", route.content_type), ("ETag", route.etag),
                            ("Last-Modified", route.last_modified),
                            ("Location", route.location)):  # fmt: skip
            if value:
                self.send_header(name, value)
        body = b"" if status == 304 else route.body
        if route.length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stopped reading (too large, timeout)
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up (a timeout, a refused download) is no server error


@contextmanager
def web_site() -> Iterator[Site]:
    """A site on a free loopback port, stopped afterwards."""
    site = Site()
    handler = type("Handler", (_Handler,), {"site": site})
    server = _Server(("127.0.0.1", 0), handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def page(title: str, paragraphs: list[str], date: str = "2024-05-02") -> bytes:
    """A press-release page with a menu, a share block and a footer around its text."""
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:title' content='{title}'>"
        f"<meta property='article:published_time' content='{date}'>"
        "<meta property='og:site_name' content='Ministère de l’Exemple'></head><body>"
        "<nav><a href='/'>Accueil</a> <a href='/presse'>Presse</a></nav>"
        f"<main><article><h1>{title}</h1>{text}"
        "<div class='share'>Partager : Facebook LinkedIn</div></article></main>"
        "<footer>Mentions légales — Plan du site</footer></body></html>"
    ).encode()


def rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Communiqué {i}</title><link>{link}</link></item>"
                    for i, link in enumerate(links))  # fmt: skip
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Communiqués</title><link>http://example.org/</link>{items}</channel></rss>"
    ).encode()


def sitemap(links: list[str], index: bool = False) -> bytes:
    tag, item = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    entries = "".join(f"<{item}><loc>{link}</loc></{item}>" for link in links)
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<{tag} xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{entries}</{tag}>"
    ).encode()
