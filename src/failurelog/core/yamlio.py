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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from failurelog.core.yamlerrors import error_mark, explain

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

_RESOLVED: dict[str, str] = {}  # plain scalar text -> tag; incidents repeat most of their words


def _fast_resolve(self: Any, kind: Any, value: Any, implicit: Any) -> str:
    """``Resolver.resolve`` without path resolvers, memoised: it runs once per node of every file."""
    if kind is yaml.ScalarNode and implicit[0]:
        tag = _RESOLVED.get(value)
        if tag is None:
            tag = _STR_TAG
            for candidate, regexp in StrictLoader.yaml_implicit_resolvers.get(value[:1], ()):
                if regexp.match(value):
                    tag = candidate
                    break
            if len(_RESOLVED) > 100_000:
                _RESOLVED.clear()
            _RESOLVED[value] = tag
        return tag
    if kind is yaml.ScalarNode:
        return _STR_TAG
    return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


def _no_path_resolvers(self: Any, *args: Any) -> None:
    """No path-based resolvers are registered, so there is nothing to track per level."""


StrictLoader.resolve = _fast_resolve
StrictLoader.descend_resolver = _no_path_resolvers
StrictLoader.ascend_resolver = _no_path_resolvers


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | float:
    return _int_text(str(loader.construct_scalar(node)))


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    return _float_text(str(loader.construct_scalar(node)))


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


def _cut_by_comment(node: yaml.Node, lines: list[str], hashed: set[int]) -> bool:
    """A one-line plain value followed by `` #word``: YAML silently dropped that part as a comment.

    ``hashed`` holds the numbers of the lines that have a ``#`` at all: most do not.
    """
    end = node.end_mark
    if end.line not in hashed or not isinstance(node, yaml.ScalarNode) or node.style or not node.value:
        return False
    return node.start_mark.line == end.line and bool(_TRAILING_COMMENT.match(lines[end.line], end.column))


_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_BOOLS = {"true": True, "false": False}


#: Digits an integer may have; a longer numeral is read as infinite, which ``validate`` refuses
#: (Python's int() of an unbounded string is quadratic, and refused past 4,300 digits).
MAX_INT_DIGITS = 40


def _int_text(text: str) -> int | float:
    if len(text.lstrip("+-")) > MAX_INT_DIGITS + 2:
        return float("-inf") if text.startswith("-") else float("inf")
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)  # a leading zero is decimal in YAML 1.2, not octal


def _float_text(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    return float("nan") if lowered == ".nan" else float(lowered)


_SCALARS: dict[str, Any] = {
    _STR_TAG: str,
    "tag:yaml.org,2002:int": _int_text,
    "tag:yaml.org,2002:float": _float_text,
    "tag:yaml.org,2002:bool": lambda text: _BOOLS[text.lower()],
    "tag:yaml.org,2002:null": lambda text: None,
}


class _Builder:
    """Build the value of a composed document in one walk, checking it on the way.

    Maps every key and list item to its file line and reports aliases,
    duplicate keys, non-text keys, values cut short by a `` #word`` comment and
    nesting deeper than :data:`MAX_DEPTH`. Replaces PyYAML's constructor (a
    second walk over the same nodes) for the plain YAML types; explicit tags
    such as ``!!binary`` still go through it.
    """

    def __init__(self, loader: yaml.SafeLoader, offset: int, text: str, result: ParsedYaml) -> None:
        self.loader = loader
        self.offset = offset
        self.lines = text.split("\n")
        self.hashed = {number for number, line in enumerate(self.lines) if "#" in line}
        self.result = result
        self.seen: set[int] = set()

    def problem(self, line: int, message: str, path: Path) -> None:
        self.result.problems.append(YamlProblem(line, message, path))

    def build(self, node: yaml.Node, path: Path) -> Any:
        if id(node) in self.seen:
            line = self.result.lines.get(path, self.offset + node.start_mark.line + 1)
            self.problem(line, "YAML anchors and aliases (&name / *name) are not allowed: write the value out", path)
            return None
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            self.problem(self.offset + node.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels", path)
            return None
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
            out = []
            for index, item in enumerate(node.value):
                self.result.lines[(*path, index)] = self.offset + item.start_mark.line + 1
                out.append(self.build(item, (*path, index)))
            return out
        try:
            if isinstance(node, yaml.ScalarNode) and node.tag in _SCALARS:
                return _SCALARS[node.tag](node.value)
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError) as exc:
            detail = getattr(exc, "problem", None) or f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}"
            self.problem(self.offset + node.start_mark.line + 1, f"invalid YAML: {detail}", path)
            return None

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = self.offset + key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else key_node.id
                self.problem(line, f"key {shown!r} must be text (quote it, or use a field name)", path)
                continue
            key = str(key_node.value)
            if key in first_line:
                self.problem(
                    line,
                    f"duplicate key {key!r} (first defined on line {first_line[key]}); "
                    "YAML would silently keep only the last one",
                    (*path, key),
                )
                continue
            first_line[key] = line
            self.result.lines[(*path, key)] = line
            if _cut_by_comment(value_node, self.lines, self.hashed):
                self.problem(
                    line,
                    f"the text after ' #' is a YAML comment, so {key!r} is only "
                    f"{value_node.value!r}: quote the whole value, or put the comment on its own line",
                    (*path, key),
                )
            out[key] = self.build(value_node, (*path, key))
        return out


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
            line = offset_line(error_mark(exc), line_offset)
            result.problems.append(YamlProblem(line, explain(exc, text)))
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
        data = _Builder(loader, line_offset, text, result).build(node, ())
        if not result.problems:
            result.data = data
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


#: Every (path, value) pair of a front matter, as :func:`walk` lists them.
Walk = Sequence[tuple[Path, Any]]


def walk(data: Any) -> list[tuple[Path, Any]]:
    """:func:`iter_paths` as a list: the checks that each look at every value share one walk."""
    return list(iter_paths(data))


def iter_paths(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Yield every (path, value) pair below ``data``, leaves and containers alike, parents before children."""
    # a stack, not recursion: a nested ``yield from`` costs every item one step per level above it
    stack: list[tuple[Path, Any]] = [(path, data)]
    while stack:
        here, node = stack.pop()
        yield here, node
        if isinstance(node, dict):
            stack.extend([((*here, key), value) for key, value in node.items()][::-1])
        elif isinstance(node, list):
            stack.extend([((*here, index), value) for index, value in enumerate(node)][::-1])
