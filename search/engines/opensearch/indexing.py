"""The OpenSearch engine's reindex: a new index per generation, then the alias swapped.

Promises:
- the alias (``opensearch_index``) always names a complete index: a generation is written into
  an index of its own and the alias moves to it in one atomic ``_aliases`` request once every
  document is in and every copy is active (green: losing one node then loses no shard); a
  failure of any kind (``kill -9``, a lost node, a cluster that refuses writes) leaves the
  alias where it was, and the next run deletes the leftovers (indexes of ours that no alias
  names, other than the newest previous ones);
- only one reindex runs at a time (a lock document; one left by a process of this host that
  died is taken over);
- incremental by default, by content hash (``search.indexing.ChangeSet``): the served index's
  hashes are read back (``hash`` field), new and changed documents written, the unchanged ones
  copied from the served index (a scroll; analysed again), vanished ones left out; ``full=True``
  rebuilds from nothing, and so does a change of the mapping or of the stemmer;
- documents are sent in bulk requests of bounded size; items refused for back-pressure (429) or
  because a shard was briefly unavailable (a node lost) are sent again after a growing pause,
  a bounded number of times; anything else fails the run with ``IndexWriteError``;
- the same report, problems and ``strict`` rule as the whoosh engine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from opensearchpy import OpenSearch, helpers
from opensearchpy import exceptions as os_errors

from search.corpus import Document, corpus_files
from search.corpus.model import first_words
from search.engines.opensearch.analysis import MAPPING_VERSION, index_body
from search.engines.opensearch.client import unavailable_as_error
from search.errors import CorpusError, IndexBusy, IndexWriteError
from search.indexing import (
    Changes,
    ChangeSet,
    NoEvents,
    ReindexEvents,
    ReindexReport,
    report_of,
)

CHUNK_DOCS = 500
CHUNK_BYTES = 4 * 1024 * 1024
RETRIES = 6  # sends of one item refused for back-pressure or an unavailable shard
FIRST_PAUSE, LONGEST_PAUSE = 0.5, 20.0
RETRIED_STATUSES = (429, 503)
WRITE_TIMEOUT = 120.0  # seconds for one bulk, copy or wait request
KEEP_PREVIOUS = 1  # indexes kept besides the served one, as the whoosh engine's generations


def reindex(
    client: OpenSearch,
    settings: dict[str, Any],
    paths: Iterable[str | Path],
    events: ReindexEvents | None = None,
    full: bool = False,
    strict: bool = False,
) -> ReindexReport:
    """Index every document under ``paths`` into a new index and point the alias at it."""
    events = events or NoEvents()
    started = time.perf_counter()
    files = corpus_files(paths)
    if not files:
        raise CorpusError("aucun fichier de corpus trouvé (.jsonl, .jsonl.gz, .md, .txt, .html)")
    alias = settings["opensearch_index"]
    with refused_as_error(), unavailable_as_error(), WriterLock(client, alias):
        served = served_index(client, alias)
        prune(client, alias, served)
        base = None if full else _reusable(client, served, settings)
        report = _new_generation(client, settings, alias, served, base, files, events, strict)
        prune(client, alias, report.generation)
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def refused_as_error() -> Iterator[None]:
    """A request the cluster refused outright, as ``IndexWriteError`` (the alias unmoved)."""
    try:
        yield
    except os_errors.TransportError as error:
        if isinstance(error, os_errors.ConnectionError) or error.status_code in (
            429,
            502,
            503,
            504,
        ):
            raise
        raise IndexWriteError(
            f"OpenSearch a refusé une écriture ({error.status_code} : {error.error}) : "
            "l’index servi est conservé"
        ) from error


def publish(client: OpenSearch, alias: str, name: str) -> ReindexReport:
    """Serve the index ``name``, one of ours already on the cluster: a previous generation
    (a rollback) or one restored from a snapshot of another cluster. It must be named for the
    alias (a name, not a pattern) and complete (its mapping says so: a run that died leaves
    an index that is not); then the alias moves to it. ``CorpusError`` otherwise, the alias
    left where it was."""
    with unavailable_as_error(), WriterLock(client, alias):
        if name not in generations(client, alias) or not _complete(client, name):
            raise CorpusError(
                f"index introuvable ou incomplet : {name} (publiable : un index complet "
                f"« {alias}-… » de ce cluster ; l’alias reste sur "
                f"{served_index(client, alias) or 'aucun index'})"
            )
        documents = int(client.count(index=name)["count"])
        _swap(client, alias, served_index(client, alias), name)
        prune(client, alias, name)
    return ReindexReport(generation=name, mode="copied", indexed=documents)


def served_index(client: OpenSearch, alias: str) -> str | None:
    """The index the alias names (``None``: none yet)."""
    try:
        return next(iter(client.indices.get_alias(name=alias)), None)
    except os_errors.NotFoundError:
        return None


def generations(client: OpenSearch, alias: str) -> list[str]:
    """Our indexes, oldest first (their names sort by creation time)."""
    found = client.indices.get(index=f"{alias}-*", expand_wildcards="open,closed")
    return sorted(found)


def prune(client: OpenSearch, alias: str, served: str | None) -> list[str]:
    """Delete our indexes other than ``served`` and the ``KEEP_PREVIOUS`` newest complete
    others (an incomplete one, left by a run that died, is always deleted)."""
    others = [name for name in generations(client, alias) if name != served]
    complete = [name for name in others if _complete(client, name)]
    kept = set(complete[-KEEP_PREVIOUS:]) if KEEP_PREVIOUS else set()
    doomed = [name for name in others if name not in kept]
    for name in doomed:
        client.indices.delete(index=name, ignore_unavailable=True)
    return doomed


def _complete(client: OpenSearch, name: str) -> bool:
    meta = client.indices.get_mapping(index=name)[name]["mappings"].get("_meta", {})
    return bool(meta.get("complete"))


def _new_name(alias: str) -> str:
    return f"{alias}-{dt.datetime.now(dt.UTC).strftime('%Y%m%d-%H%M%S-%f')}"


def _new_generation(
    client: OpenSearch,
    settings: dict[str, Any],
    alias: str,
    served: str | None,
    base: str | None,
    files: list[Path],
    events: ReindexEvents,
    strict: bool,
) -> ReindexReport:
    name = _new_name(alias)
    built_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    client.indices.create(
        index=name,
        body=index_body(settings, built_at),
        timeout="60s",
        request_timeout=WRITE_TIMEOUT,
    )
    try:
        changes = _write(client, name, base, files, events)
        if strict and changes.problems:
            raise CorpusError(
                f"{len(changes.problems)} problème(s) dans le corpus et --strict demandé : "
                "l’index servi est conservé"
            )
        _finish(client, name, settings)
        _swap(client, alias, served, name)
    except BaseException:
        _delete_quietly(client, name)
        raise
    return _report(client, name, base, changes)


def _write(
    client: OpenSearch, name: str, base: str | None, files: list[Path], events: ReindexEvents
) -> Changes:
    changes = Changes()
    previous = _hashes(client, base) if base else {}
    change_set = ChangeSet(files, previous, changes, events)
    sent = _send(client, name, _actions(change_set, changes))
    change_set.all_read()
    if base:
        keep = {i for i, digest in change_set.digests().items() if previous.get(i) == digest}
        if _send(client, name, _unchanged(client, base, keep)) != len(keep):
            raise IndexWriteError("copie de l’index servi incomplète : l’index servi est conservé")
    changes.deleted = len(change_set.deleted)
    if sent != changes.added + changes.updated:
        raise IndexWriteError("des documents n’ont pas été écrits : l’index servi est conservé")
    return changes


def _actions(change_set: ChangeSet, changes: Changes) -> Iterator[dict[str, Any]]:
    for doc, previous in change_set:
        if previous is None:
            changes.added += 1
        else:
            changes.updated += 1
        yield {"_op_type": "index", "_id": doc.id, "_source": _source(doc, change_set)}


def _source(doc: Document, change_set: ChangeSet) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title or "",
        "heading": doc.title or first_words(doc.body),
        "body": doc.body,
        "date": doc.date,
        "url": doc.url,
        "type": doc.type,
        "source": doc.source,
        "path": doc.path,
        "extra": doc.extra,
        "hash": change_set.hashes[doc.id][0],
    }


def _send(client: OpenSearch, name: str, actions: Iterable[dict[str, Any]]) -> int:
    """Send ``actions`` in bulk; the items refused for back-pressure or an unavailable shard
    are sent again after a growing pause. Returns how many succeeded."""
    done = 0
    for chunk in _chunks(actions):
        pending, pause = chunk, FIRST_PAUSE
        for _attempt in range(RETRIES):
            pending = _bulk(client, name, pending)
            done += len(chunk) - len(pending)
            chunk = pending
            if not pending:
                break
            _check_not_red(client, name)
            time.sleep(pause)
            pause = min(2 * pause, LONGEST_PAUSE)
        if pending:
            raise IndexWriteError(
                f"le cluster refuse encore {len(pending)} document(s) après {RETRIES} essais "
                "(surcharge ou nœud perdu) : l’index servi est conservé"
            )
    return done


def _check_not_red(client: OpenSearch, name: str) -> None:
    """Fail at once when the new index lost every copy of a shard (nothing to wait for)."""
    health = client.cluster.health(index=name, timeout="5s", request_timeout=WRITE_TIMEOUT)
    if health.get("status") == "red" and not health.get("initializing_shards"):
        raise IndexWriteError(
            "le nouvel index a perdu toutes les copies d’une partition (nœud perdu) : "
            "l’index servi est conservé ; relancez reindex quand le cluster est vert"
        )


def _chunks(actions: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    size = 0
    for action in actions:
        chunk.append(action)
        size += len(str(action.get("_source", "")))
        if len(chunk) >= CHUNK_DOCS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _bulk(client: OpenSearch, name: str, chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One bulk request: the actions to send again (refused for a retriable reason)."""
    lines: list[dict[str, Any]] = []
    for action in chunk:
        lines.append({action["_op_type"]: {"_index": name, "_id": action["_id"]}})
        if "_source" in action:
            lines.append(action["_source"])
    try:
        answer = client.bulk(body=lines, timeout="30s", request_timeout=WRITE_TIMEOUT)
    except os_errors.TransportError as error:
        if error.status_code in RETRIED_STATUSES or isinstance(error, os_errors.ConnectionError):
            return chunk
        raise
    if not answer.get("errors"):
        return []
    again = []
    for action, item in zip(chunk, answer["items"], strict=True):
        result = next(iter(item.values()))
        status = result.get("status", 500)
        if status in RETRIED_STATUSES:
            again.append(action)
        elif status >= 300 and not (action["_op_type"] == "delete" and status == 404):
            raise IndexWriteError(
                f"document « {action['_id']} » refusé par OpenSearch ({status} : "
                f"{result.get('error', {}).get('reason', '?')}) : l’index servi est conservé"
            )
    return again


def _hashes(client: OpenSearch, index: str) -> dict[str, str]:
    """Every document's content hash in ``index`` (a scroll over the ``hash`` field)."""
    found: dict[str, str] = {}
    query = {"query": {"match_all": {}}, "_source": ["hash"]}
    for hit in helpers.scan(client, query=query, index=index, size=2000, request_timeout=60):
        found[hit["_id"]] = hit["_source"].get("hash", "")
    return found


def _unchanged(client: OpenSearch, base: str, keep: set[str]) -> Iterator[dict[str, Any]]:
    """The served index's documents whose id is in ``keep``, as bulk actions (a scroll: any
    cluster can do it, the ``_reindex`` module is not needed)."""
    for hit in helpers.scan(client, index=base, size=1000, request_timeout=WRITE_TIMEOUT):
        if hit["_id"] in keep:
            yield {"_op_type": "index", "_id": hit["_id"], "_source": hit["_source"]}


def _finish(client: OpenSearch, name: str, settings: dict[str, Any]) -> None:
    """Searchable, every copy active (green; yellow when the cluster has too few nodes for the
    replicas asked), then marked complete."""
    client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=name, request_timeout=WRITE_TIMEOUT)
    nodes = int(client.cluster.health(request_timeout=WRITE_TIMEOUT)["number_of_data_nodes"])
    wanted = "green" if nodes > settings["opensearch_replicas"] else "yellow"
    health = client.cluster.health(
        index=name, wait_for_status=wanted, timeout="90s", request_timeout=WRITE_TIMEOUT
    )
    if health.get("timed_out") or health.get("status") == "red":
        raise IndexWriteError(
            f"le nouvel index n’a pas toutes ses copies actives ({health.get('status')}) : "
            "l’index servi est conservé"
        )
    client.indices.put_mapping(index=name, body={"_meta": _meta(client, name, complete=True)})


def _meta(client: OpenSearch, name: str, **changes: Any) -> dict[str, Any]:
    meta = client.indices.get_mapping(index=name)[name]["mappings"].get("_meta", {})
    return {**meta, **changes}


def _swap(client: OpenSearch, alias: str, served: str | None, name: str) -> None:
    """One atomic request: the alias leaves ``served`` and names ``name``."""
    actions: list[dict[str, Any]] = [{"add": {"index": name, "alias": alias}}]
    if served and served != name:
        actions.insert(0, {"remove": {"index": served, "alias": alias}})
    client.indices.update_aliases(body={"actions": actions}, request_timeout=WRITE_TIMEOUT)


def _reusable(client: OpenSearch, served: str | None, settings: dict[str, Any]) -> str | None:
    """The served index, if the new one can start from it: same mapping and stemmer."""
    if served is None:
        return None
    meta = _meta(client, served)
    same = (
        meta.get("mapping") == MAPPING_VERSION
        and meta.get("stemmer") == settings["opensearch_stemmer"]
    )
    return served if same else None


def _report(client: OpenSearch, name: str, base: str | None, changes: Changes) -> ReindexReport:
    stats = client.indices.stats(index=name, metric="store")
    size = int(stats["_all"]["primaries"]["store"]["size_in_bytes"])
    return report_of(changes, name, base is not None, size)


def _delete_quietly(client: OpenSearch, name: str) -> None:
    with contextlib.suppress(Exception):  # the run already fails; the next one cleans up
        client.indices.delete(index=name, ignore_unavailable=True)


class WriterLock:
    """One reindex at a time: a document created only if absent, naming this host and
    process; one whose process of this host is dead is taken over."""

    def __init__(self, client: OpenSearch, alias: str) -> None:
        self.client, self.index = client, f"{alias}.lock"
        self.owner = {"host": socket.gethostname(), "pid": os.getpid(), "since": time.time()}

    def __enter__(self) -> WriterLock:
        if not self._take():
            holder = self._holder()
            if holder and not self._dead(holder):
                raise IndexBusy(
                    f"une autre réindexation est en cours (hôte {holder.get('host')}, "
                    f"processus {holder.get('pid')}) : réessayez quand elle sera finie"
                )
            self._release()
            if not self._take():
                raise IndexBusy("une autre réindexation vient de commencer : réessayez plus tard")
        return self

    def __exit__(self, *exc: object) -> None:
        self._release()

    def _take(self) -> bool:
        try:
            self.client.index(
                index=self.index,
                id="writer",
                body=self.owner,
                params={"op_type": "create", "refresh": "true"},
            )
        except os_errors.ConflictError:
            return False
        return True

    def _holder(self) -> dict[str, Any] | None:
        try:
            return dict(self.client.get(index=self.index, id="writer")["_source"])
        except os_errors.NotFoundError:
            return None

    def _dead(self, holder: dict[str, Any]) -> bool:
        if holder.get("host") != self.owner["host"]:
            return False
        try:
            os.kill(int(holder["pid"]), 0)
        except ProcessLookupError:
            return True
        except (PermissionError, ValueError, KeyError):
            return False
        return False

    def _release(self) -> None:
        with contextlib.suppress(os_errors.NotFoundError):
            self.client.delete(index=self.index, id="writer", params={"refresh": "true"})
