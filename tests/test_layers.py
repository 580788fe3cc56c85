"""The folder tree is the architecture: each layer imports only the layers below it.

- nothing in ``search`` outside ``search/engines`` imports an engine;
- the adapters (``web``, ``cli``) reach an engine only through ``search.engines.open_engine``;
- in the Whoosh engine, the write side and the read side never import each other;
- no import cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import ROOT

PACKAGES = ("search", "web", "cli")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the project, and the project modules (or packages) it imports."""
    paths = {_module(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    found: dict[str, set[str]] = {}
    for module, path in paths.items():
        targets = found.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:  # ``from web import api`` imports the module web.api
                    submodule = f"{node.module}.{alias.name}"
                    targets.add(submodule if submodule in paths else node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
    return {m: {t for t in ts if t.split(".")[0] in PACKAGES} - {m} for m, ts in found.items()}


def test_nothing_engine_neutral_imports_an_engine() -> None:
    wrong = [
        (module, target)
        for module, targets in _imports().items()
        if module.startswith("search") and not module.startswith("search.engines")
        for target in targets
        if target.startswith("search.engines")
    ]
    assert wrong == []


def test_the_adapters_open_engines_only_through_open_engine() -> None:
    wrong = [
        (module, target)
        for module, targets in _imports().items()
        if module.split(".")[0] in ("web", "cli")
        for target in targets
        if target.startswith("search.engines") and target != "search.engines"
    ]
    assert wrong == []


def test_the_write_side_and_the_read_side_never_import_each_other() -> None:
    sides = {"search.engines.whoosh.writing", "search.engines.whoosh.reading"}
    wrong = [
        (module, target)
        for module, targets in _imports().items()
        for side in sides
        if module.startswith(side)
        for target in targets
        if any(target.startswith(other) for other in sides - {side})
    ]
    assert wrong == []


def test_no_import_cycle() -> None:
    graph = _imports()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        for target in graph.get(module, ()):
            assert target not in path, " → ".join((*path, target))
            if target not in done:
                visit(target, (*path, target))
        done.add(module)

    for module in graph:
        visit(module, (module,))
