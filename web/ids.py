"""Document ids in addresses: any id ``reindex`` accepts is reachable at ``/documents/<id>``.

Ids are often paths themselves (``/fiche-service-public/…``, ``2024/02/communiqué``): the
converter takes every character up to the end of the address, a leading, trailing or doubled
``/`` included, and slashes are not merged (Werkzeug would redirect ``//`` to ``/`` and lose
the id). What cannot travel in an address (control characters, ``.`` and ``..`` segments that
clients rewrite, a last segment ``similar``) is refused by ``reindex`` instead
(``search.corpus.model.unreachable_id``).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import PathConverter


class IdConverter(PathConverter):
    """A path that may start with ``/`` (Werkzeug's own needs a first character other than
    ``/``)."""

    regex = ".+?"
    part_isolating = False  # it spans several parts of the address


def register(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.url_map.merge_slashes = False
