"""Named errors of the library, each with an HTTP-like status and a message a person can act on.

Adapters turn them into output in exactly one place each (JSON for the API, a page for the site,
a red line and an exit code for the command line). Messages are in French: they reach users.
"""

from __future__ import annotations


class SearchError(Exception):
    """Base class: ``status`` says whose fault it is, ``message`` says what to do."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(SearchError):
    """The request cannot be answered as written (a parameter out of range, an empty query)."""

    status = 400


class NotFound(SearchError):
    """The thing asked for does not exist (an unknown document id)."""

    status = 404


class IndexUnavailable(SearchError):
    """No index can be served right now (never built, or its folder is unreadable)."""

    status = 503


class IndexBusy(SearchError):
    """Another reindex holds the writer lock."""

    status = 409


class IndexWriteError(SearchError):
    """The new index could not be written (disk full, read-only folder); the served one stays."""

    status = 507


class CorpusError(SearchError):
    """The corpus given to reindex cannot be used at all (missing path, nothing readable)."""

    status = 400


SHOWN_VALUES = 12  # known values an UnknownValue names


class UnknownValue(BadRequest):
    """A filter value no document has; ``name`` is the parameter, ``value`` the value."""

    def __init__(self, name: str, value: str, known: list[str]) -> None:
        listed = ", ".join(known[:SHOWN_VALUES]) + (" …" if len(known) > SHOWN_VALUES else "")
        super().__init__(
            f"{name} « {value[:60]} » inconnu : aucun document ne l’a"
            + (f" (valeurs connues : {listed})" if known else "")
        )
        self.name = name
        self.value = value
