"""A polite, bounded HTTP client: one GET at a time, every failure a named ``FetchError``.

Promises, for every request (each hop of a redirect included):
- only ``http`` and ``https``; no loopback, private, link-local or reserved address unless
  ``allow_private`` (the host name is resolved and every address checked first);
- robots.txt obeyed (read once per site with protego; a missing or unreadable one allows
  all), and its ``Crawl-delay`` if longer than ``delay``, the wait between two requests to the
  same site;
- a ``User-Agent`` naming the project; ``timeout`` seconds in all for a download; at most
  ``max_bytes`` read; at most ``max_redirects`` redirects, a loop refused;
- conditional requests: ``If-None-Match`` / ``If-Modified-Since`` from the validators given;
  a ``304`` is a ``Response`` with ``status=304`` and no body.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

from protego import Protego

from search import __version__
from search.config import defaults

ROBOT = "communiques-search"
USER_AGENT = f"{ROBOT}/{__version__} (moteur de recherche de communiqués de presse)"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchOptions:
    """How politely and how far the web is read (defaults from the settings table)."""

    delay: float = defaults()["fetch_delay"]
    timeout: float = defaults()["fetch_timeout"]
    max_bytes: int = defaults()["fetch_max_bytes"]
    max_redirects: int = defaults()["fetch_max_redirects"]
    max_pages: int = defaults()["fetch_max_pages"]
    allow_private: bool = defaults()["fetch_allow_private"]

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> FetchOptions:
        return cls(**{name: settings[f"fetch_{name}"] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200 or 304
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


class FetchError(Exception):
    """A request that gave nothing usable: ``kind`` for counting, a French ``reason``, and the
    HTTP ``status`` when there was one."""

    def __init__(self, kind: str, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.kind, self.reason, self.status = kind, reason, status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx comes back as an HTTPError, and each hop is checked here


OPENER = urllib.request.build_opener(_NoRedirects())


class Fetcher:
    """GET with the rules above; ``requests`` counts the requests made (robots.txt too)."""

    def __init__(self, options: FetchOptions) -> None:
        self.options = options
        self.requests = 0
        self._robots: dict[str, Protego | None] = {}
        self._last: dict[str, float] = {}  # site → when its last request ended

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        seen: set[str] = set()
        for _ in range(self.options.max_redirects + 1):
            seen.add(url)
            self._check(url)
            headers = {"If-None-Match": etag, "If-Modified-Since": last_modified}
            response, location = self._request(url, {k: v for k, v in headers.items() if v})
            if location is None:
                assert response is not None
                return response
            url = urllib.parse.urljoin(url, location)
            if url in seen:
                raise FetchError("redirect_loop", "boucle de redirections")
        raise FetchError("too_many_redirects", f"plus de {self.options.max_redirects} redirections")

    def _check(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("not_http", "seules les adresses http et https sont lues")
        if not self.options.allow_private:
            _check_public(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        if not self._allowed(parts, url):
            raise FetchError("robots", "interdit par robots.txt")

    def _allowed(self, parts: urllib.parse.SplitResult, url: str) -> bool:
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            try:
                response, _ = self._request(f"{site}/robots.txt", {})
                text = response.body.decode("utf-8", "replace") if response else ""
                self._robots[site] = Protego.parse(text)
            except FetchError:
                self._robots[site] = None  # no robots.txt: everything is allowed
        robots = self._robots[site]
        return robots is None or bool(robots.can_fetch(url, ROBOT))

    def _wait(self, site: str) -> None:
        robots = self._robots.get(site)
        crawl_delay = (robots.crawl_delay(ROBOT) if robots else None) or 0.0
        delay = max(self.options.delay, float(crawl_delay))
        if site in self._last:
            time.sleep(max(0.0, self._last[site] + delay - time.monotonic()))

    def _request(self, url: str, headers: dict[str, str]) -> tuple[Response | None, str | None]:
        """One GET without following redirects: (response, None) or (None, location)."""
        parts = urllib.parse.urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        self._wait(site)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
        self.requests += 1
        deadline = time.monotonic() + self.options.timeout
        try:
            with OPENER.open(request, timeout=self.options.timeout) as answer:
                body = self._read(answer, deadline)
                return _response(answer.url, 200, answer.headers, body), None
        except urllib.error.HTTPError as error:
            return _http_error(error, url)
        except TimeoutError as error:
            raise FetchError("timeout", f"délai dépassé ({self.options.timeout:g} s)") from error
        except urllib.error.URLError as error:
            raise _network_error(error.reason) from error
        except OSError as error:
            raise _network_error(error) from error
        finally:
            self._last[site] = time.monotonic()

    def _read(self, answer: Any, deadline: float) -> bytes:
        limit = self.options.max_bytes
        length = answer.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > limit:
            raise FetchError("too_large", f"trop gros ({int(length)} octets ; {limit} au plus)")
        chunks, size = [], 0
        while chunk := answer.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise FetchError("too_large", f"trop gros (plus de {limit} octets)")
            if time.monotonic() > deadline:
                raise FetchError("timeout", f"délai dépassé ({self.options.timeout:g} s)")
            chunks.append(chunk)
        return b"".join(chunks)


def _response(url: str, status: int, headers: Message, body: bytes) -> Response:
    return Response(
        url=url,
        status=status,
        body=body,
        content_type=(headers.get("Content-Type") or "").split(";")[0].strip().lower(),
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
    )


def _http_error(error: urllib.error.HTTPError, url: str) -> tuple[Response | None, str | None]:
    error.close()
    if error.code == 304:
        return _response(url, 304, error.headers, b""), None
    location = error.headers.get("Location")
    if error.code in (301, 302, 303, 307, 308) and location:
        return None, location
    raise FetchError(f"http_{error.code}", f"erreur HTTP {error.code}", error.code)


def _network_error(reason: object) -> FetchError:
    if isinstance(reason, socket.gaierror):
        return FetchError("dns", "nom de domaine introuvable")
    if isinstance(reason, TimeoutError | socket.timeout):
        return FetchError("timeout", "délai dépassé")
    if isinstance(reason, ConnectionRefusedError):
        return FetchError("connection", "connexion refusée")
    return FetchError("connection", f"connexion impossible ({reason})")


def _check_public(host: str, port: int) -> None:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port)}
    except socket.gaierror as error:
        raise FetchError("dns", "nom de domaine introuvable") from error
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise FetchError(
                "private_address",
                f"adresse locale ou privée refusée ({ip} ; réglage fetch_allow_private)",
            )
