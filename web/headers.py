"""Headers added to every response: security headers for every page, CORS for the API.

- Content-Security-Policy: only this server's own scripts, styles and images; no inline
  script; no framing (with ``X-Frame-Options`` for older browsers);
- ``X-Content-Type-Options: nosniff`` and a ``Referrer-Policy`` that keeps queries private;
- ``Access-Control-Allow-Origin: *`` on ``/api/``: any page may read the API with GET, and
  search with POST (form-encoded: no preflight).
"""

from __future__ import annotations

from flask import Flask, Response, request

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def register(app: Flask) -> None:
    app.after_request(_add_headers)


def _add_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/api/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
    return response
