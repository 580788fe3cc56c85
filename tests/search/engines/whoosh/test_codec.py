"""The Whoosh codec: every private name it uses exists in the installed Whoosh, no other module
uses one, and another Whoosh version is refused."""

from __future__ import annotations

import inspect
import re

import pytest

from search.engines.whoosh import codec
from tests.support.paths import ROOT


def _defines(cls: type, name: str) -> bool:
    """A class attribute or method, or an instance attribute its methods assign or read."""
    return hasattr(cls, name) or re.search(rf"self\.{name}\b", inspect.getsource(cls)) is not None


@pytest.mark.parametrize(
    ("cls", "name"),
    [(cls, name) for cls, names in codec.PRIVATE_NAMES.items() for name in names],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_every_private_name_the_codec_uses_exists_in_whoosh(cls: type, name: str) -> None:
    assert _defines(cls, name), f"{cls.__name__}.{name} is gone: check the codec"


def test_no_module_outside_the_codec_touches_a_whoosh_private_name() -> None:
    names = {name for names in codec.PRIVATE_NAMES.values() for name in names}
    pattern = re.compile(r"(?<!self)(?<!cls)\.(" + "|".join(sorted(names)) + r")\b")
    codec_dir = ROOT / "search" / "engines" / "whoosh" / "codec"
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("search", "web", "cli")
        for path in (ROOT / folder).rglob("*.py")
        if codec_dir not in path.parents
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if pattern.search(line.split("#")[0])
    ]
    assert offenders == []


def test_another_whoosh_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codec, "WHOOSH_VERSION", "2.7.4")
    with pytest.raises(ImportError, match=r"Whoosh-Reloaded 2\.7\.4, found 2\.7\.5"):
        codec.check_version()
