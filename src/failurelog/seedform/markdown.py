"""An incident file's text from front matter and body sections, and the sections back from a body."""

from __future__ import annotations

import re
from typing import Any

import yaml

from failurelog.core import yamlio
from failurelog.core.body import parse_body
from failurelog.core.errors import FailurelogError
from failurelog.core.schema import ITEMS, Schema

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class _BlockDumper(yamlio.SafeValueDumper):
    """Block-style YAML; multi-line text as ``|`` blocks; lists of numbers inline; list items indented."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent ``- item`` under its key, as the example incidents do."""
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


def _sequence(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    numbers = bool(value) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=numbers)


_BlockDumper.add_representer(str, _text)
_BlockDumper.add_representer(list, _sequence)


def ordered(schema: Schema, value: Any, path: tuple[str, ...] = ()) -> Any:
    """``value`` with mapping keys in the schema's order (the seed form's order)."""
    if isinstance(value, list):
        return [ordered(schema, item, (*path, ITEMS)) for item in value]
    if not isinstance(value, dict):
        return value
    if path == ("remarks",):
        names = list(schema.fields)
        return dict(sorted(value.items(), key=lambda kv: names.index(kv[0]) if kv[0] in names else len(names)))
    keys = [f.key for f in schema.children(path)]
    order = sorted(value, key=lambda k: keys.index(k) if k in keys else len(keys))
    return {key: ordered(schema, value[key], (*path, key)) for key in order}


def front_matter(schema: Schema, meta: dict[str, Any]) -> str:
    """The YAML between the ``---`` lines; checked to read back equal with the strict loader."""
    data = ordered(schema, meta)
    text: str = yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    parsed = yamlio.parse(text)
    if parsed.problems or parsed.data != data:
        raise FailurelogError("internal error: the front matter would not read back as written")
    return text


def section_comment(schema: Schema, key: str) -> str:
    """The guidance comment an empty section gets, as `failurelog new` writes it."""
    spec = next(s for s in schema.sections if s.key == key)
    when = f" Required once status is '{spec.required_from}'." if spec.required_from else ""
    return f"<!-- {spec.description}{when} -->"


def incident_text(schema: Schema, meta: dict[str, Any], sections: dict[str, str]) -> str:
    """A whole incident file: front matter, then every body section of the schema in order."""
    out = ["---\n", front_matter(schema, meta), "---\n"]
    for spec in schema.sections:
        content = sections.get(spec.key, "").strip("\n") or section_comment(schema, spec.key)
        out.append(f"\n## {spec.heading}\n\n{content}\n")
    return "".join(out)


def read_sections(schema: Schema, body: str) -> dict[str, str]:
    """Body sections by key, HTML comments (the scaffold's guidance) removed; empty ones left out."""
    out: dict[str, str] = {}
    by_heading = {s.heading: s.key for s in schema.sections}
    for section in parse_body(body).sections:
        key = by_heading.get(section.heading)
        text = _COMMENT.sub("", section.text).strip("\n")
        if key is not None and text.strip():
            out[key] = "\n".join(line.rstrip() for line in text.strip("\n").splitlines()).strip("\n")
    return out
