"""``flat_values`` and the model's columns give what walking every leaf gave, for every field and odd shapes.

:func:`failurelog.core.values.flat_values` (what ``Incident.values`` and
``Model.column`` read) walks a plain dotted path directly; the reference is
the reading it replaced: every leaf of :func:`leaves_at`, lists flattened,
None left out. Both read every schema field of the example incidents and of
front matters with the wrong shapes in every place (None, scalars for lists,
lists for objects, lists holding None, missing keys).
"""

from __future__ import annotations

import copy
import random
from datetime import date
from typing import Any

from failurelog.core.repository import load_all
from failurelog.core.schema import load_schema
from failurelog.core.values import flat_values, leaves_at, value_at
from failurelog.model.incident import build_model
from tests.site_helpers import ROOT


def reference_values(meta: Any, name: str) -> list[Any]:
    """``Incident.values`` before: every leaf, lists flattened, None left out."""
    out: list[Any] = []
    for value in leaves_at(meta, name):
        if isinstance(value, list):
            out.extend(v for v in value if v is not None)
        elif value is not None:
            out.append(value)
    return out


_ODD = [None, 0, "", "text", [], [None], [None, "a"], {}, {"x": 1}, [{"name": None}], 3.5, False]


def _mangle(meta: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy of ``meta`` with a few values, at any depth, replaced by one of the wrong shapes."""
    out = copy.deepcopy(meta)
    for _ in range(rng.randint(1, 6)):
        node: Any = out
        while isinstance(node, dict | list) and node and rng.random() < 0.7:
            key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
            if rng.random() < 0.3 or not isinstance(node[key], dict | list):
                node[key] = copy.deepcopy(rng.choice(_ODD))
                break
            node = node[key]
    return out


def test_flat_values_and_columns_match_every_leaf() -> None:
    schema = load_schema(ROOT)
    docs = load_all(ROOT)
    names = sorted(schema.fields)
    rng = random.Random(15)
    metas = [d.meta for d in docs if isinstance(d.meta, dict)]
    mangled = [_mangle(m, rng) for m in metas for _ in range(10)]
    compared = 0
    for meta in metas + mangled:
        for name in names:
            assert flat_values(meta, name) == reference_values(meta, name), name
            compared += bool(reference_values(meta, name))
    assert compared > 10_000  # most fields hold values: the comparison is not of empty lists
    model = build_model(docs, schema, date(2026, 12, 1))
    columns = model.columns(names)
    for name, column in zip(names, columns, strict=True):
        assert list(column) == [reference_values(i.meta, name) for i in model.incidents]
        assert model.column(name) is column  # read once per model


def reference_value(meta: Any, name: str) -> Any:
    """``value_at`` before, for a plain dotted name: each key looked up in turn, None when one is missing."""
    value = meta
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def test_value_at_matches_the_key_by_key_walk() -> None:
    schema = load_schema(ROOT)
    names = sorted(n for n in schema.fields if "[]" not in n)
    rng = random.Random(16)
    metas = [d.meta for d in load_all(ROOT) if isinstance(d.meta, dict)]
    for meta in metas + [_mangle(m, rng) for m in metas for _ in range(10)]:
        for name in names:
            assert value_at(meta, name) == reference_value(meta, name), name
