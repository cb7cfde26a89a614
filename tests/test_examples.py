"""The shipped example incidents: valid, and together they use every value the form offers."""

from __future__ import annotations

from pathlib import Path

import pytest

from failurelog.core.body import parse_body
from failurelog.core.loader import load
from failurelog.core.paths import incident_files
from failurelog.core.schema import Schema
from failurelog.core.values import values_at
from failurelog.validate.run import validate

ROOT = Path(__file__).resolve().parent.parent
DOCS = [load(p) for p in incident_files(ROOT)]


def test_at_least_twelve_examples_all_valid() -> None:
    assert len(DOCS) >= 12
    report = validate(ROOT)
    assert report.problems == []


@pytest.mark.parametrize(
    "name",
    [
        "status",
        "severity",
        "components",
        "failure_types",
        "failure.failure_modes",
        "response.detection_method",
        "resolution.fix_types",
        "impact.data_loss",
        "root_cause.investigation_methods",
        "root_cause.why_not_caught",
    ],
)
def test_every_value_is_used_at_least_once(schema: Schema, name: str) -> None:
    field = schema.field(name)
    assert field is not None and field.choices
    used: set[str] = set()
    for doc in DOCS:
        for _path, value in values_at(doc.meta, name):
            used.update(value if isinstance(value, list) else [value])
    assert set(field.choices) - used == set()


def test_explicit_related_links_form_a_recurring_fault() -> None:
    links = [
        ((doc.meta or {})["id"], value)
        for doc in DOCS
        for _p, value in values_at(doc.meta, "related.similar_incidents[].id")
    ]
    targets = {target for _source, target in links}
    assert len(links) >= 3
    assert any(sum(1 for _s, t in links if t == target) >= 2 for target in targets), "one fault recurs at least twice"


def test_logs_and_traces_are_in_fenced_code_blocks(schema: Schema) -> None:
    log_sections = {s.heading for s in schema.sections if s.kind == "log"}
    fenced = 0
    for doc in DOCS:
        for section in parse_body(doc.body, doc.body_line).sections:
            if section.heading in log_sections and not section.is_empty:
                assert "```" in section.text, f"{doc.display}: '## {section.heading}' has no fenced code block"
                fenced += 1
    assert fenced >= 12
