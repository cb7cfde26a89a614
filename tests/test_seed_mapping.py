"""Every label, checkbox and section of the seed form has a home in the schema.

The seed form (src/failurelog/seedform/form.txt) is parsed here independently of the
package: a home is a field title or ``x-seed-label``, a body-section heading or
label, a group title (object, ``x-form-group``, body-section group, form
section), or an enum value for a checkbox.
"""

from __future__ import annotations

import re

import pytest

from failurelog.core.schema import Schema

from .conftest import SEED

RULE = re.compile(r"^={20,}$")
PLACEHOLDER = re.compile(r"_{3,}|SYS-\[YYYY\]\[MM\]\[DD\]-\[SEQ\]|\[(?:YYYY|HH:MM|Name|Tech Lead|Manager)[^\]]*\]")
CHECKBOX = re.compile(r"\[ \]\s*([^\[]+)")
NUMBERED = re.compile(r"^\d+\.\s")
# The paper's own preamble and the appendix's list of suggested commands are guidance, not fields.
SKIP_UNTIL = "INCIDENT ENTRY TEMPLATE"
COMMAND_LIST = ("DIAGNOSTIC COMMANDS USED:", "HARDWARE DIAGNOSTICS:")


def norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).strip(" :").casefold()


def seed_items() -> tuple[list[str], list[str], list[str]]:
    """(form section titles, labels, checkbox options) of the seed form."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    sections, labels, options = [], [], []
    started = False
    in_commands = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line or RULE.match(line):
            continue
        if i > 0 and RULE.match(lines[i - 1].strip()) and i + 1 < len(lines) and RULE.match(lines[i + 1].strip()):
            started = started or line == SKIP_UNTIL
            if started and line not in (SKIP_UNTIL, "END OF SYSTEM FAILURE ANALYSIS"):
                sections.append(line)
            continue
        if not started:
            continue
        if line == COMMAND_LIST[0]:
            labels.append(line)
            in_commands = True
            continue
        if line == COMMAND_LIST[1]:
            in_commands = False
        if in_commands:
            continue
        if line.startswith("- "):
            line = line[2:]
        if NUMBERED.match(line):
            line = NUMBERED.sub("", line)
        if line.startswith("[HH:MM:SS]"):
            continue
        head, _, boxes = line.partition("[ ]")
        for option in CHECKBOX.findall("[ ]" + boxes) if boxes or line.startswith("[ ]") else []:
            option = PLACEHOLDER.sub("", option).strip()
            if " - " in option:  # "[ ] Yes - Location: ___"
                value, _, label = option.partition(" - ")
                options.append(value)
                labels.append(label.rstrip(":"))
            elif option.endswith(":") and option[:-1] != "Other":
                labels.append(option[:-1])  # "[ ] Action: ___": a labelled value whose box is its status
            else:
                options.append(option.rstrip(":"))
        previous = None
        for chunk in PLACEHOLDER.split(head):
            chunk = chunk.strip()
            if (chunk.endswith("?") or ":" in chunk) and re.search(r"[A-Za-z]", chunk):
                label = chunk.strip(" $%:")
                labels.append(f"{previous}: {label}" if previous and label in ("Old", "New") else label)
                previous = label.split(":")[0]
    return sections, labels, options


def homes(schema: Schema) -> tuple[set[str], set[str]]:
    labels: set[str] = set()
    values: set[str] = set()
    for field in schema.fields.values():
        labels.update({norm(field.title), norm(field.seed_label)})
        if field.form_group:
            labels.add(norm(field.form_group))
        values.update(norm(c) for c in field.choices or [])
        for choice in field.choices or []:
            if field.seed_label == "Priority":
                labels.add(norm(f"{choice} priority"))
    for section in schema.sections:
        labels.update({norm(section.heading), norm(section.seed_label), norm(section.group)})
        if section.form_group:
            labels.add(norm(section.form_group))
    labels.update(norm(s["title"]) for s in schema.form["sections"])
    return labels, values


SECTIONS, LABELS, OPTIONS = seed_items()


def test_seed_parse_finds_the_form() -> None:
    # guards the parser above: if it found nothing, the mapping tests would pass vacuously
    assert len(SECTIONS) == 13
    assert len(LABELS) > 150
    assert len(OPTIONS) > 100


@pytest.mark.parametrize("label", sorted(set(LABELS)))
def test_every_seed_label_has_a_home(schema: Schema, label: str) -> None:
    labels, _ = homes(schema)
    assert norm(label) in labels, f"seed label {label!r} has no field, section or group in the schema"


@pytest.mark.parametrize("option", sorted(set(OPTIONS)))
def test_every_seed_checkbox_is_an_enum_value(schema: Schema, option: str) -> None:
    _, values = homes(schema)
    assert norm(option) in values, f"seed checkbox {option!r} is no enum value in the schema"


@pytest.mark.parametrize("section", SECTIONS)
def test_every_seed_section_has_a_home(schema: Schema, section: str) -> None:
    assert norm(section) in {norm(s["title"]) for s in schema.form["sections"]}


def test_other_boxes_keep_their_text(schema: Schema) -> None:
    with_other = [f for f in schema.fields.values() if f.choices and "Other" in f.choices]
    assert with_other, "the seed has 'Other: ____' boxes"
    for field in with_other:
        assert schema.field(f"{field.name}_other") is not None, f"{field.name} has Other but no {field.name}_other"


def test_every_top_level_field_sits_in_one_form_section(schema: Schema) -> None:
    placed = [name for s in schema.form["sections"] for name in s["fields"]]
    assert sorted(placed) == sorted(f.key for f in schema.children())
