"""The opensearch engine's reindex and failures on the real cluster: an index per generation
behind an alias, incremental runs by content hash, the previous index kept and older ones
pruned, leftovers of a dead run cleaned up, ``--strict`` and an empty corpus leaving the alias
where it was, the command line's summary and exit statuses, and a cluster that cannot be
reached answered by 503 with a French message."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from search.engines import open_engine
from search.engines.opensearch.analysis import index_body
from search.errors import CorpusError, IndexUnavailable
from search.models import SearchRequest
from tests.support.cluster import Cluster, request
from tests.support.corpus import DOCS, write_jsonl
from tests.support.engines import drop, engine_settings
from tests.support.paths import BIN, ROOT
from web import create_app

pytestmark = pytest.mark.cluster


def indexes(settings: dict[str, Any]) -> list[str]:
    url, alias = settings["opensearch_url"], settings["opensearch_index"]
    return sorted(row["index"] for row in request(f"{url}/_cat/indices/{alias}-*?format=json"))


def served(settings: dict[str, Any]) -> str:
    url, alias = settings["opensearch_url"], settings["opensearch_index"]
    return next(iter(request(f"{url}/_alias/{alias}")))


@pytest.fixture
def settings(tmp_path: Path, opensearch_cluster: Cluster) -> Any:
    values = engine_settings("opensearch", tmp_path, opensearch_cluster)
    yield values
    drop(values)


def test_generations_behind_an_alias_incremental_and_pruned(
    settings: dict[str, Any], corpus_dir: Path
) -> None:
    engine = open_engine(settings)
    first = engine.reindex([corpus_dir])
    assert (first.mode, first.indexed, first.added) == ("full", len(DOCS), len(DOCS))
    assert served(settings) == first.generation and first.index_bytes > 0
    docs = [dict(d) for d in DOCS[1:]]  # one deleted, one changed, one added
    docs[0]["title"] = "Titre changé"
    docs.append({"id": "nouveau", "title": "Nouveau", "body": "Un texte neuf sur l’espace."})
    write_jsonl(corpus_dir / "docs.jsonl", docs)
    second = engine.reindex([corpus_dir])
    assert (second.mode, second.added, second.updated, second.deleted) == ("incremental", 1, 1, 1)
    assert second.unchanged == len(DOCS) - 2 and second.indexed == len(docs)
    assert engine.health().documents == len(docs) and served(settings) == second.generation
    assert engine.document(docs[0]["id"]).title == "Titre changé"
    assert [hit.id for hit in engine.search(SearchRequest("neuf")).hits] == ["nouveau"]
    third = engine.reindex([corpus_dir], full=True)
    assert third.mode == "full" and indexes(settings) == [second.generation, third.generation]


def test_a_failed_run_leaves_the_alias_and_the_next_cleans_up(
    settings: dict[str, Any], corpus_dir: Path, tmp_path: Path
) -> None:
    engine = open_engine(settings)
    first = engine.reindex([corpus_dir])
    leftover = f"{settings['opensearch_index']}-00000000-dead"  # a run killed mid-way
    request(f"{settings['opensearch_url']}/{leftover}", "PUT", index_body(settings, "then"))
    with (corpus_dir / "docs.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("{pas du json\n")
    with pytest.raises(CorpusError, match="strict"):
        engine.reindex([corpus_dir], strict=True)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "vide.jsonl").write_text("", "utf-8")
    with pytest.raises(CorpusError, match="aucun document"):
        engine.reindex([tmp_path / "empty"])
    assert served(settings) == first.generation
    assert engine.search(SearchRequest("OTAN")).total > 0
    again = engine.reindex([corpus_dir])
    assert again.skipped == 1 and indexes(settings) == [first.generation, again.generation]


def test_command_line_summary_and_exit_statuses(settings: dict[str, Any], corpus_dir: Path) -> None:
    env = {
        **os.environ,
        "COMMUNIQUES_ENGINE": "opensearch",
        "COMMUNIQUES_OPENSEARCH_URL": settings["opensearch_url"],
        "COMMUNIQUES_OPENSEARCH_INDEX": settings["opensearch_index"],
    }

    def run(*args: str, **more: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True,
                              timeout=120, env={**env, **more}, cwd=ROOT)  # fmt: skip

    done = run("reindex", str(corpus_dir), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["indexed"] == len(DOCS) and summary["generation"].startswith("t")
    found = json.loads(run("search-cli", "Geoana", "--json").stdout)
    assert found["results"][0]["id"] == "industrie-2024"
    away = run("search-cli", "OTAN", COMMUNIQUES_OPENSEARCH_URL="http://127.0.0.1:9")
    assert away.returncode == 69 and "OpenSearch est injoignable" in away.stderr


def test_publish_rolls_the_alias_back_to_a_previous_index_and_forward_again(
    settings: dict[str, Any], corpus_dir: Path
) -> None:
    """``reindex --publish NAME`` with the opensearch engine: the alias moves to a complete index
    of ours already on the cluster (here the previous generation, kept by every reindex; an
    index restored from a snapshot is published the same way); anything else is refused with
    exit status 2 and the alias left where it was."""
    env = {
        **os.environ,
        "COMMUNIQUES_ENGINE": "opensearch",
        "COMMUNIQUES_OPENSEARCH_URL": settings["opensearch_url"],
        "COMMUNIQUES_OPENSEARCH_INDEX": settings["opensearch_index"],
    }

    def publish(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / "reindex"), "--publish", name], capture_output=True,
                              text=True, timeout=120, env=env, cwd=ROOT)  # fmt: skip

    engine = open_engine(settings)
    old = engine.reindex([corpus_dir])
    docs = [*DOCS, {"id": "neuf", "title": "Nouveau", "body": "Un texte neuf sur l’espace."}]
    write_jsonl(corpus_dir / "docs.jsonl", docs)
    new = engine.reindex([corpus_dir])
    assert served(settings) == new.generation and engine.search(SearchRequest("neuf")).total == 1

    back = publish(old.generation)
    assert back.returncode == 0, back.stderr
    assert f"{len(DOCS)} documents indexés" in back.stdout and old.generation in back.stdout
    assert served(settings) == old.generation and engine.health().documents == len(DOCS)
    assert engine.search(SearchRequest("neuf")).total == 0
    assert indexes(settings) == [old.generation, new.generation]  # the newer one kept
    forward = publish(new.generation)
    assert forward.returncode == 0, forward.stderr
    assert served(settings) == new.generation and engine.search(SearchRequest("neuf")).total == 1

    alias, url = settings["opensearch_index"], settings["opensearch_url"]
    dead = f"{alias}-00000000-dead"  # what a run killed mid-way leaves: not marked complete
    request(f"{url}/{dead}", "PUT", index_body(settings, "then"))
    request(f"{url}/other-{alias}", "PUT", {})
    for refused in (dead, f"{alias}-*", f"other-{alias}", alias, "absent"):
        done = publish(refused)
        assert done.returncode == 2, (refused, done.stdout, done.stderr)
        assert f"index introuvable ou incomplet : {refused}" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and served(settings) == new.generation
    request(f"{url}/other-{alias}", "DELETE")


def test_an_unreachable_cluster_is_a_503_in_french(tmp_path: Path) -> None:
    settings = engine_settings(
        "whoosh", tmp_path, None, engine="opensearch", opensearch_timeout=2.0
    )
    settings["opensearch_url"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    engine = open_engine(settings)
    with pytest.raises(IndexUnavailable, match="injoignable"):
        engine.search(SearchRequest("OTAN"))
    client = create_app(settings).test_client()
    for path in ("/api/search?q=OTAN", "/api/health", "/api/documents/x"):
        response = client.get(path)
        assert response.status_code == 503 and "OpenSearch" in response.get_json()["error"]
    assert client.get("/?q=OTAN").status_code == 503


def test_no_index_yet_is_a_503_saying_to_reindex(settings: dict[str, Any]) -> None:
    response = create_app(settings).test_client().get("/api/health")
    assert response.status_code == 503 and "reindex" in response.get_json()["error"]
