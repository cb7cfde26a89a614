"""The primary affected asset and the form's System Specifications, from the ``x-primary`` annotation.

The annotation sits on a list of assets and names the item field holding the
role, the role of the primary asset, the item's yes/no field saying whether
the asset itself failed (optional), and which item fields mirror which
System Specifications fields::

    "x-primary": {"role": "role", "value": "Primary", "failed": "failed",
                  "mirrors": {"name": "system.hostname", "os": "system.os", ...}}

An asset *failed* in an incident when its ``failed`` field says so; when it
is not stated, the primary asset failed and the others (a standby that took
over, a bystander) did not (:func:`asset_failed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from failurelog.core.annotations import get as annotation
from failurelog.core.schema import ITEMS, Field, Schema
from failurelog.core.values import value_at


@dataclass(frozen=True)
class PrimarySpec:
    """One ``x-primary`` list: its field, the role key and value, and the mirrored fields."""

    field: Field
    role: str
    value: str
    mirrors: dict[str, str]
    failed: str | None = None  # the item field saying whether the asset itself failed


def primary_specs(schema: Schema) -> list[PrimarySpec]:
    """Every list field annotated ``x-primary``."""
    out = []
    for f in schema.fields.values():
        spec = annotation(f.schema, "x-primary")
        if isinstance(spec, dict):
            failed = str(spec["failed"]) if spec.get("failed") else None
            out.append(PrimarySpec(f, str(spec["role"]), str(spec["value"]), dict(spec.get("mirrors", {})), failed))
    return out


def mirrored_fields(schema: Schema) -> dict[str, str]:
    """Each System Specifications field an ``x-primary`` list mirrors, with the item field mirroring it.

    ``system.hostname`` -> ``assets[].name``: the same host, so its value has that asset's history and
    an asset's name counts where the hostname does.
    """
    return {
        source: f"{spec.field.name}{ITEMS}.{key}"
        for spec in primary_specs(schema)
        for key, source in spec.mirrors.items()
    }


def asset_failed(item: dict[str, Any], spec: PrimarySpec) -> bool:
    """Whether the asset ``item`` of the list ``spec`` failed itself: as its ``failed`` field says, else if primary."""
    stated = item.get(spec.failed) if spec.failed else None
    return stated if isinstance(stated, bool) else item.get(spec.role) == spec.value


def name_field(spec: PrimarySpec) -> str | None:
    """The item field naming the asset itself (``assets[].name``): the first one ``mirrors`` maps, or None."""
    first = next(iter(spec.mirrors), None)
    return f"{spec.field.name}{ITEMS}.{first}" if first else None


def failed_field(schema: Schema, spec: PrimarySpec) -> Field | None:
    """The item field of ``spec``'s list saying whether an asset failed itself, or None when it names none."""
    return schema.field(f"{spec.field.name}{ITEMS}.{spec.failed}") if spec.failed else None


def primary_item(items: Any, spec: PrimarySpec) -> tuple[int, dict[str, Any]] | None:
    """The index and value of the first item whose role is the primary one, or None."""
    if not isinstance(items, list):
        return None
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get(spec.role) == spec.value:
            return index, item
    return None


def primary_from_system(schema: Schema, meta: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The asset lists to add so that the System Specifications in ``meta`` have their primary asset.

    Empty when the lists are already there, or when the mirrored fields say nothing.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for spec in primary_specs(schema):
        if spec.field.path[0] in meta or len(spec.field.path) != 1:
            continue
        found = {key: value_at(meta, source) for key, source in spec.mirrors.items()}
        keys = [k for k, v in found.items() if v is not None]
        if keys and keys[0] == next(iter(spec.mirrors)):  # the asset's name is known
            asset: dict[str, Any] = {keys[0]: found[keys[0]], spec.role: spec.value}
            asset.update({k: found[k] for k in keys[1:]})
            out[spec.field.key] = [asset]
    return out
