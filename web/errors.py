"""The one error boundary of the web adapter: every error becomes one JSON shape under
``/api/`` and one error page elsewhere, with the status the error carries. A visitor never sees a
traceback; unexpected errors are logged and answered with a generic 500.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.errors import SearchError

HTTP_MESSAGES = {
    404: "page introuvable : vérifiez l’adresse",
    405: "méthode non autorisée pour cette adresse",
    413: "requête trop volumineuse",
    429: "trop de requêtes depuis votre adresse : réessayez dans un moment",
}
INTERNAL = "erreur interne du serveur : réessayez plus tard"


def register(app: Flask) -> None:
    app.register_error_handler(SearchError, _search_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _search_error(error: SearchError) -> tuple[Response | str, int]:
    return _respond(error.status, error.message)


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    return _respond(status, HTTP_MESSAGES.get(status, error.description or INTERNAL))


def _unexpected(error: Exception) -> tuple[Response | str, int]:
    current_app.logger.exception("unexpected error on %s", request.path)
    return _respond(500, INTERNAL)


def _respond(status: int, message: str) -> tuple[Response | str, int]:
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "status": status}), status
    query = request.args.get("q", "")
    return render_template("error.html", status=status, message=message, q=query), status
