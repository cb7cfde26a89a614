"""Strict YAML reading and safe YAML writing for incident front matter.

PyYAML implements YAML 1.1, where ``NO`` is a boolean, ``12:30`` is 750,
``012`` is octal and an unquoted date becomes a ``datetime.date``. Incident
files are read with the YAML 1.2 core schema instead, so what a person
writes is what the validator sees. Aliases are refused (an alias bomb is a
few hundred bytes that expand to billions of nodes), duplicate keys are
errors, and every key and list item is mapped to its line in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Deeper nesting than this is refused before anything walks it.
MAX_DEPTH = 64

Path = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"

_CORE_RESOLVERS: list[tuple[str, str, str]] = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
]


class StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader with YAML 1.2 core-schema scalars (no 1.1 surprises)."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}


for _tag, _pattern, _first in _CORE_RESOLVERS:
    StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)  # a leading zero is decimal in YAML 1.2, not octal


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


class SafeValueDumper(yaml.SafeDumper):
    """Dumper that quotes any string that YAML 1.1 *or* 1.2 would read as non-text.

    The pure-Python emitter is used on purpose: libyaml's escapes emoji and
    other astral-plane characters even with ``allow_unicode``.
    """


# a copy of SafeDumper's YAML 1.1 resolvers, then the 1.2 ones added to it
SafeValueDumper.yaml_implicit_resolvers = {
    key: list(value) for key, value in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
for _tag, _pattern, _first in _CORE_RESOLVERS:
    SafeValueDumper.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


@dataclass
class YamlProblem:
    """A problem found while reading YAML; ``line`` is 1-based in the file."""

    line: int
    message: str
    path: Path = ()


@dataclass
class ParsedYaml:
    """The value of a YAML document plus the line of every key and list item."""

    data: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)


# "#md-alerts", "#4123": a hashtag or ticket number, not a deliberate "# comment"
_TRAILING_COMMENT = re.compile(r"[ \t]+#[^\s#]")


def _cut_by_comment(node: yaml.Node, lines: list[str]) -> bool:
    """A one-line plain value followed by `` #word``: YAML silently dropped that part as a comment."""
    if not isinstance(node, yaml.ScalarNode) or node.style or not node.value:
        return False
    start, end = node.start_mark, node.end_mark
    return start.line == end.line < len(lines) and bool(_TRAILING_COMMENT.match(lines[end.line], end.column))


def _check_tree(root: yaml.Node, offset: int, result: ParsedYaml, text: str = "") -> None:
    """Map paths to lines, and find aliases, duplicate keys, non-text keys, cut values and deep nesting."""
    lines = text.split("\n")
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            result.problems.append(
                YamlProblem(
                    result.lines.get(path, offset + node.start_mark.line + 1),
                    "YAML anchors and aliases (&name / *name) are not allowed: write the value out",
                    path,
                )
            )
            continue
        seen.add(id(node))
        if len(path) > MAX_DEPTH:
            result.problems.append(
                YamlProblem(offset + node.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels", path)
            )
            continue
        if isinstance(node, yaml.MappingNode):
            first_line: dict[str, int] = {}
            children: list[tuple[yaml.Node, Path]] = []
            for key_node, value_node in node.value:
                line = offset + key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                    shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else key_node.id
                    result.problems.append(
                        YamlProblem(line, f"key {shown!r} must be text (quote it, or use a field name)", path)
                    )
                    continue
                key = str(key_node.value)
                if key in first_line:
                    result.problems.append(
                        YamlProblem(
                            line,
                            f"duplicate key {key!r} (first defined on line {first_line[key]}); "
                            "YAML would silently keep only the last one",
                            (*path, key),
                        )
                    )
                    continue
                first_line[key] = line
                result.lines[(*path, key)] = line
                if _cut_by_comment(value_node, lines):
                    result.problems.append(
                        YamlProblem(
                            line,
                            f"the text after ' #' is a YAML comment, so {key!r} is only "
                            f"{value_node.value!r}: quote the whole value, or put the comment on its own line",
                            (*path, key),
                        )
                    )
                children.append((value_node, (*path, key)))
            stack.extend(reversed(children))  # visit in document order
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                result.lines[(*path, index)] = offset + item.start_mark.line + 1
            stack.extend((item, (*path, index)) for index, item in reversed(list(enumerate(node.value))))


def parse(text: str, line_offset: int = 0) -> ParsedYaml:
    """Parse one YAML document strictly; problems are returned, never raised.

    ``line_offset`` is the number of file lines before ``text`` starts, so
    reported lines are lines of the file.
    """
    result = ParsedYaml()
    loader = StrictLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = offset_line(mark, line_offset)
            message = " ".join(part for part in (exc.context, exc.problem) if part)
            result.problems.append(YamlProblem(line, f"invalid YAML: {message}"))
            return result
        except yaml.reader.ReaderError as exc:  # a control character, e.g. a terminal colour code pasted in
            line = line_offset + text.count("\n", 0, exc.position) + 1
            shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
            result.problems.append(YamlProblem(line, f"invalid YAML: control character {shown} is not allowed"))
            return result
        except (yaml.YAMLError, RecursionError) as exc:
            result.problems.append(YamlProblem(line_offset + 1, f"invalid YAML: {exc}"))
            return result
        if node is None:
            return result
        _check_tree(node, line_offset, result, text)
        if result.problems:
            return result
        try:
            result.data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            result.problems.append(YamlProblem(offset_line(mark, line_offset), f"invalid YAML: {exc.problem}"))
        except (yaml.YAMLError, ValueError, RecursionError) as exc:
            result.problems.append(YamlProblem(line_offset + 1, f"invalid YAML: {exc}"))
    finally:
        loader.dispose()
    return result


def offset_line(mark: yaml.Mark | None, line_offset: int) -> int:
    """1-based file line of a YAML mark."""
    return line_offset + (mark.line + 1 if mark is not None else 1)


_LINE_BREAKS = "\n\r\x85\u2028\u2029"


def dump_value(value: Any) -> str:
    """Render one value as inline YAML that reads back equal with :func:`parse`.

    Used by the scaffold template (the ``yaml`` filter): titles such as
    ``yes``, ``# x``, ``- x``, ``*x`` or ``{a: 1}`` and non-Latin text and emoji
    come back exactly as given.
    """
    multiline = isinstance(value, str) and any(ch in value for ch in _LINE_BREAKS)
    text: str = yaml.dump(
        value,
        Dumper=SafeValueDumper,
        default_style='"' if multiline else None,
        allow_unicode=True,
        default_flow_style=True,
        width=2**31 - 1,
        sort_keys=False,
    )
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.rstrip("\n")


def iter_paths(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Yield every (path, value) pair below ``data``, leaves and containers alike."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_paths(value, (*path, index))
