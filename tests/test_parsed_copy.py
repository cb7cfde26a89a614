"""A kept document is handed out as a copy (validate/parsed.copied): equal to a deep copy, sharing nothing mutable."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from failurelog.core.loader import Document, load
from failurelog.validate.parsed import copied

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "incidents").rglob("*.md")) + sorted((ROOT / "tests" / "hostile" / "files").glob("*.md"))


def _containers(value: Any) -> list[Any]:
    """Every dict and list inside ``value`` (``value`` too)."""
    if isinstance(value, dict):
        return [value, *(c for item in value.values() for c in _containers(item))]
    if isinstance(value, list):
        return [value, *(c for item in value for c in _containers(item))]
    return []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_copy_is_a_deep_copy_that_shares_no_container(path: Path) -> None:
    doc = load(path, path.name, ROOT)
    twin = copied(doc)
    assert twin == copy.deepcopy(doc)
    mine = {id(c) for c in _containers(doc.meta)} | {id(doc.lines), id(doc.problems)}
    assert not mine & ({id(c) for c in _containers(twin.meta)} | {id(twin.lines), id(twin.problems)})


def test_changing_a_copy_leaves_the_kept_document_alone() -> None:
    doc = Document(path=Path("x.md"), display="x.md", meta={"a": [{"b": [1, 2]}], "c": {"d": "e"}}, body="text")
    before = copy.deepcopy(doc)
    twin = copied(doc)
    assert twin.meta is not None
    twin.meta["a"][0]["b"].append(3)
    twin.meta["c"]["d"] = "changed"
    twin.lines[("a",)] = 4
    assert doc == before
