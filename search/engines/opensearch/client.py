"""The connection to the cluster, and the one place where its failures become our errors.

Promises: every request is bounded by ``opensearch_timeout`` seconds and retried at most once
on another node; a cluster that cannot be reached, or that answers that it cannot serve (red,
no shard copy left), raises ``IndexUnavailable`` with a French message: a worker never hangs
on it. Credentials come from the settings (the environment): basic auth or an API key, and a
CA file to check an ``https://`` cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from opensearchpy import OpenSearch
from opensearchpy import exceptions as os_errors

from search.errors import IndexUnavailable

T = TypeVar("T")
UNAVAILABLE = (
    "le moteur de recherche OpenSearch est injoignable ou indisponible ({why}) : "
    "réessayez dans un instant"
)


def connect(settings: dict[str, Any]) -> OpenSearch:
    """A client for the cluster the settings name (nothing is sent before the first call)."""
    hosts = [url.strip() for url in str(settings["opensearch_url"]).split(",") if url.strip()]
    options: dict[str, Any] = {
        "timeout": settings["opensearch_timeout"],
        "max_retries": 1,
        "retry_on_timeout": False,
        "http_compress": False,
    }
    if settings["opensearch_user"]:
        options["http_auth"] = (settings["opensearch_user"], settings["opensearch_password"])
    if settings["opensearch_api_key"]:
        options["headers"] = {"Authorization": f"ApiKey {settings['opensearch_api_key']}"}
    if settings["opensearch_ca_file"]:
        options["ca_certs"] = settings["opensearch_ca_file"]
        options["verify_certs"] = True
    return OpenSearch(hosts, **options)


@contextmanager
def unavailable_as_error() -> Iterator[None]:
    """Turn a cluster that cannot answer into ``IndexUnavailable`` (503)."""
    try:
        yield
    except os_errors.ConnectionTimeout as error:
        raise IndexUnavailable(UNAVAILABLE.format(why="délai dépassé")) from error
    except os_errors.ConnectionError as error:
        raise IndexUnavailable(UNAVAILABLE.format(why="connexion refusée")) from error
    except os_errors.AuthenticationException as error:
        raise IndexUnavailable(UNAVAILABLE.format(why="identifiants refusés")) from error
    except os_errors.AuthorizationException as error:
        raise IndexUnavailable(UNAVAILABLE.format(why="accès refusé")) from error
    except os_errors.TransportError as error:
        if error.status_code in (429, 502, 503, 504):
            raise IndexUnavailable(UNAVAILABLE.format(why=f"statut {error.status_code}")) from error
        raise


def call(operation: Callable[[], T]) -> T:
    """``operation()`` with the cluster's failures as our errors."""
    with unavailable_as_error():
        return operation()
