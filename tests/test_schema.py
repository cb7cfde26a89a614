"""The schema itself: well-formed, self-consistent, and requirements that grow with the status."""

from __future__ import annotations

from itertools import pairwise

import pytest
from jsonschema import Draft202012Validator

from failurelog.core.schema import Schema

UNIT_SUFFIX = {
    "%": "_pct",
    "GB": "_gb",
    "TB": "_tb",
    "GHz": "_ghz",
    "min": "_min",
    "ms": "_ms",
    "s": "_s",
    "h": "_h",
    "USD": "_usd",
    "MB/s": "_mb_s",
    "Mbps": "_mbps",
    "/s": "_per_sec",
    "IOPS": "_iops",
}
DRAFT = {
    "schema_version": 2,
    "id": "SYS-20261103-001",
    "title": "x",
    "occurred_at": "2026-11-03T14:22:07.123Z",
    "severity": "P1-High",
}


def test_schema_is_valid_2020_12(schema: Schema) -> None:
    Draft202012Validator.check_schema(schema.raw)
    assert schema.raw["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_field_has_a_title_and_guidance(schema: Schema) -> None:
    missing = [f.name for f in schema.fields.values() if not f.schema.get("title") or not f.description]
    assert missing == []


@pytest.mark.parametrize("unit", sorted(UNIT_SUFFIX))
def test_numbers_state_their_unit_in_name_and_x_unit(schema: Schema, unit: str) -> None:
    fields = [f for f in schema.fields.values() if f.unit == unit]
    assert fields, f"no field uses {unit}"
    for field in fields:
        assert field.key.endswith(UNIT_SUFFIX[unit]), f"{field.name} is in {unit} but not named *{UNIT_SUFFIX[unit]}"


def test_every_number_has_a_unit_or_is_a_count(schema: Schema) -> None:
    unitless = [
        f.name for f in schema.fields.values() if f.type == "number" and not f.unit and not f.key.endswith("_depth")
    ]
    assert unitless == []


def test_annotations_name_real_fields(schema: Schema) -> None:
    for chain in schema.chronology:
        for name in chain:
            field = schema.field(name)
            assert field is not None and field.schema.get("format") in ("date-time", "date"), name
    for field in schema.derived_fields:
        for name in field.schema["x-derived"]["of"]:
            assert schema.field(name) is not None, name
    for section in schema.sections:
        assert section.required_from in (None, *schema.statuses)
    assert schema.reference_fields


def test_requirements_grow_with_the_status(schema: Schema) -> None:
    missing_by_status = []
    for status in schema.statuses:
        errors = schema.validator.iter_errors({**DRAFT, "status": status})
        missing_by_status.append({(tuple(e.absolute_path), e.message) for e in errors if e.validator == "required"})
    assert missing_by_status[0] == set(), "a draft needs only what `failurelog new` writes"
    for earlier, later in pairwise(missing_by_status):
        assert earlier < later


def test_closed_requires_root_cause_recovery_sign_off_and_closing_time(schema: Schema) -> None:
    doc = {**DRAFT, "status": "closed", "root_cause": {}, "impact": {"recovery": {}}, "sign_off": {}}
    paths = {
        ".".join(map(str, (*e.absolute_path, e.message.split("'")[1])))
        for e in schema.validator.iter_errors(doc)
        if e.validator == "required"
    }
    for needed in (
        "root_cause.summary",
        "impact.recovery.total_min",
        "impact.recovery.detection_min",
        "sign_off.approved_by",
        "sign_off.reviewed_by",
        "sign_off.closed_at",
        "action_items",
    ):
        assert needed in paths
