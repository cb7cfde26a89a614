"""Affected assets: the primary one agrees with the System Specifications (``x-primary``); names are exact."""

from __future__ import annotations

from failurelog.core.annotations import get as annotation
from failurelog.core.loader import Document
from failurelog.core.primary import primary_item, primary_specs
from failurelog.core.problems import Problem, dotted, line_of
from failurelog.core.schema import ITEMS, Schema
from failurelog.core.values import value_at
from failurelog.core.yamlio import Walk, walk
from failurelog.validate.checks import shown


def primary_problems(doc: Document, schema: Schema) -> list[Problem]:
    """A primary asset exists when assets are listed beside System Specifications, and it agrees with them."""
    meta = doc.meta or {}
    out: list[Problem] = []
    for spec in primary_specs(schema):
        items = value_at(meta, spec.field.name)
        if not isinstance(items, list):
            continue
        found = primary_item(items, spec)
        if found is None:
            stated = {m: value_at(meta, m) for m in spec.mirrors.values() if value_at(meta, m) is not None}
            if stated:
                said = ", ".join(f"{k} {v}" for k, v in stated.items())
                out.append(
                    Problem(
                        doc.display,
                        line_of(doc.lines, spec.field.path, 2),
                        spec.field.name,
                        f"no asset has {spec.role} {spec.value!r}, but the System Specifications ({said}) "
                        f"describe the {spec.value} asset: list it with {spec.role}: {spec.value}",
                        "consistency",
                    )
                )
            continue
        index, item = found
        for key, other in spec.mirrors.items():
            mine, theirs = item.get(key), value_at(meta, other)
            if mine is None or theirs is None or mine == theirs:
                continue
            path: tuple[str | int, ...] = (*spec.field.path, index, key)
            out.append(
                Problem(
                    doc.display,
                    line_of(doc.lines, path, 2),
                    dotted(path),
                    f"the {spec.value} asset says {shown(mine)} but {other} says {shown(theirs)}; "
                    "both describe the same machine",
                    "consistency",
                )
            )
    return out


def spacing_problems(doc: Document, schema: Schema, walked: Walk | None = None) -> list[Problem]:
    """An asset name or version (``x-asset``) with spaces around it: it would count as another asset.

    ``walked`` is :func:`~failurelog.core.yamlio.walk` of the front matter, when the caller has it already.
    """
    kinds = {
        f.path: str(annotation(f.schema, "x-asset")) for f in schema.fields.values() if annotation(f.schema, "x-asset")
    }
    if not kinds or not isinstance(doc.meta, dict):
        return []
    out: list[Problem] = []
    for path, value in walk(doc.meta) if walked is None else walked:
        if not isinstance(value, str) or value == value.strip():
            continue
        kind = kinds.get(tuple(ITEMS if isinstance(step, int) else step for step in path))
        if kind is None:
            continue
        message = (
            f"{shown(value)} has spaces around it; {kind} names are compared exactly, so it would count as "
            f"another {kind} than {shown(value.strip())}: remove the spaces"
            if value.strip()
            else f"a blank {kind} name: write the name or leave the field out"
        )
        out.append(Problem(doc.display, line_of(doc.lines, path, 1), dotted(path), message, "consistency"))
    return out
