"""The seed form's text, cut into lines and tokens: labels, blanks and check boxes; and the field a label names.

A template line is literal text, *blanks* (runs of underscores, or a
placeholder such as ``[YYYY-MM-DD HH:MM:SS.mmm UTC]``) and check boxes
(``[ ]``). The same helpers read the labels and boxes of a filled-in form's
lines, so template and form are read alike; :func:`line_pattern` reads a
filled-in copy of one line.

The schema comes in at one point: the field a label names (:func:`find`,
:func:`same_label`, :func:`section_for`). A label matches a field by
``x-seed-label`` or ``title`` (case and spacing ignored), nearest scope first,
titles before seed labels, shallow before deep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from failurelog.core.schema import ITEMS, Field, Schema

Scope = tuple[str, ...]

#: The seed template shipped with the package (a copy of the paper form).
FORM_RESOURCE = "form.txt"

RULE = re.compile(r"^\s*(?:={5,}|-{5,})\s*$")
UNDERSCORES = re.compile(r"^\s*_{3,}\s*$")
NUMBERED = re.compile(r"^(\s*)(\d+)([.)])(\s*)")
#: A check box in a filled-in form: ``[ ]``, ``[X]``, ``[x]`` (and a tick or ``*``).
BOX = re.compile(r"\[\s?([xX*\u2713\u2714])?\s?\]")
_BLANK = re.compile(r"_{3,}")
_PLACEHOLDER = re.compile(r"\S*\[[A-Z][^\]]*\]\S*")
_TEMPLATE_BOX = re.compile(r"\[ \]")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]\s+)?")
_LEAD_BOX = re.compile(r"^\s*\[\s?[xX*\u2713\u2714]?\s?\]\s*")
#: A label: text up to ``:`` (or ``?`` before a space), without brackets or underscores.
_LABEL = re.compile(r"([^\s:?\[\]_][^:?\[\]_]*?)\s*(?::|\?(?=\s|$))")
_EDGE_UNDERSCORES = re.compile(r"^_{2,}|_{2,}$")


@dataclass(frozen=True)
class Lit:
    """Literal text of a template line."""

    text: str


@dataclass(frozen=True)
class Blank:
    """A place for a value: ``text`` is what the empty form shows there."""

    text: str
    placeholder: str = ""


@dataclass(frozen=True)
class Box:
    """A check box ``[ ]``."""


Token = Lit | Blank | Box


@dataclass(frozen=True)
class TLine:
    """One line of the template, tokenised."""

    number: int
    text: str
    tokens: tuple[Token, ...]

    @property
    def blanks(self) -> list[Blank]:
        """The blanks, in order."""
        return [t for t in self.tokens if isinstance(t, Blank)]

    @property
    def boxes(self) -> int:
        """How many check boxes the line has."""
        return sum(isinstance(t, Box) for t in self.tokens)

    @property
    def is_empty(self) -> bool:
        """Nothing but whitespace."""
        return not self.text.strip()

    @property
    def is_rule(self) -> bool:
        """A ``=====`` or ``-----`` rule."""
        return bool(RULE.match(self.text))

    @property
    def is_underscores(self) -> bool:
        """Only a blank: a line to write on."""
        return bool(UNDERSCORES.match(self.text))

    @property
    def is_numbered(self) -> bool:
        """Starts with ``1.``."""
        return bool(NUMBERED.match(self.text))

    @property
    def leads_with_placeholder(self) -> bool:
        """Starts with a placeholder blank, as ``[HH:MM:SS] ____`` does."""
        first = next((t for t in self.tokens if not (isinstance(t, Lit) and not t.text.strip())), None)
        return isinstance(first, Blank) and bool(first.placeholder)

    @property
    def leads_with_box(self) -> bool:
        """Starts with a check box."""
        return bool(_LEAD_BOX.match(self.text))

    @property
    def label(self) -> str | None:
        """The first label of the line, if the line starts with one."""
        return first_label(self.text)

    @property
    def label_only(self) -> bool:
        """A heading such as ``SYSTEM COMPONENT:``: one label and nothing else."""
        label = self.label
        return label is not None and not self.blanks and not self.boxes and _only_label(self.text)


def _only_label(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped[-1] in ":?" and first_label(stripped) == norm(stripped[:-1])


def norm(text: str) -> str:
    """Casefolded, runs of whitespace as one space, no closing ``:`` or ``?``: how labels are compared."""
    return " ".join(text.casefold().split()).rstrip(":?").rstrip()


def strip_lead(text: str) -> str:
    """The line without indentation, a leading ``- `` bullet or a leading check box."""
    text = _BULLET.sub("", text, count=1)
    return _LEAD_BOX.sub("", text, count=1)


def first_label(text: str) -> str | None:
    """The normalised label a line starts with (after a bullet or box), or None."""
    match = _LABEL.match(strip_lead(text))
    return norm(match.group(1)) if match else None


def labels_in(text: str) -> list[str]:
    """Every label in a piece of literal text, in order, as written (``Version: Old:`` gives two)."""
    return [m.group(1).strip() for m in _LABEL.finditer(_BULLET.sub("", text, count=1))]


def tokenise(number: int, text: str) -> TLine:
    """Cut a template line into literal text, blanks and boxes."""
    tokens: list[Token] = []
    literal = ""
    pos = 0
    while pos < len(text):
        box = _TEMPLATE_BOX.match(text, pos)
        holder = _PLACEHOLDER.match(text, pos) if text[pos] != " " else None
        under = _BLANK.match(text, pos)
        if box:
            tokens.extend([Lit(literal)] if literal else [])
            tokens.append(Box())
            literal, pos = "", box.end()
        elif holder and (pos == 0 or text[pos - 1] == " "):
            end = holder.end()
            follow = re.compile(r"\s+_{3,}").match(text, end)
            leading = not "".join(t.text for t in tokens if isinstance(t, Lit)).strip() and not literal.strip()
            if follow and not leading:
                end = follow.end()
            tokens.extend([Lit(literal)] if literal else [])
            tokens.append(Blank(text[pos:end], holder.group(0)))
            literal, pos = "", end
        elif under:
            tokens.extend([Lit(literal)] if literal else [])
            tokens.append(Blank(under.group(0)))
            literal, pos = "", under.end()
        else:
            literal += text[pos]
            pos += 1
    if literal:
        tokens.append(Lit(literal))
    return TLine(number, text, tuple(tokens))


@lru_cache(maxsize=1)
def template_text() -> str:
    """The seed form shipped with the package."""
    return resources.files("failurelog.seedform").joinpath(FORM_RESOURCE).read_text(encoding="utf-8")


def template_lines() -> list[TLine]:
    """The shipped seed form, tokenised line by line (numbered from 1)."""
    return [tokenise(n, line) for n, line in enumerate(template_text().splitlines(), start=1)]


def clean_value(text: str, placeholder: str = "") -> str:
    """What was written in a blank: leftover underscores, brackets and placeholder text removed."""
    value = _EDGE_UNDERSCORES.sub("", text.strip()).strip()
    if placeholder:
        bare = placeholder.strip("[]")
        for hint in (placeholder, bare):
            if value.casefold().startswith(hint.casefold()):
                value = value[len(hint) :].strip()
        if value.startswith("[") and value.endswith("]") and "[" not in value[1:-1]:
            value = value[1:-1].strip()
    return "" if set(value) <= {"_", " "} else value


def read_boxes(text: str) -> list[tuple[bool, str, int]]:
    """The check boxes of a form line: (ticked, the text after it up to the next box, column)."""
    found = list(BOX.finditer(text))
    out = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        out.append((match.group(1) is not None, text[match.end() : end].strip(), match.start()))
    return out


def after_label(text: str) -> str:
    """What follows the first label of a line (``SEVERITY: [X] P1-High`` gives ``[X] P1-High``)."""
    lead = strip_lead(text)
    match = _LABEL.match(lead)
    return lead[match.end() :].strip() if match else text.strip()


def only_label(text: str) -> bool:
    """A label and nothing else (but underscores) on the line."""
    return first_label(text) is not None and not clean_value(after_label(text))


def _literal(text: str) -> str:
    out = ""
    for chunk in re.split(r"(\s+)", text):
        if chunk.isspace():
            out += r"\s*"
        elif chunk:
            out += re.escape(chunk)
    return out


def line_pattern(tline: TLine, units: list[str]) -> re.Pattern[str]:
    """A forgiving pattern for a filled-in copy of a value line: one group per blank.

    ``units`` are the units of the blanks' fields, in order. Spacing and case
    may differ; the unit written after a blank (``GB``, ``%``)
    and a ``$`` before it may be left out; so may whatever follows the last blank.
    """
    tokens = list(tline.tokens)
    blanks = sum(isinstance(t, Blank) for t in tokens)
    parts, seen = [r"^\s*"], 0
    for position, token in enumerate(tokens):
        if isinstance(token, Box):
            group = "?P<mark>" if position == 0 else "?:"
            parts.append(rf"\[\s?({group}[^\]\s]?)\s?\]")
        elif isinstance(token, Blank):
            if token.placeholder and position == 0:
                parts.append(rf"\[\s*(?P<b{seen}>[^\]]*?)\s*\]")
            else:
                parts.append(rf"\s*(?P<b{seen}>.*?)")
            seen += 1
        else:
            parts.append(_lit_pattern(token, position, units[seen - 1] if seen else "", seen == blanks and seen > 0))
    parts.append(r"\s*$")
    return re.compile("".join(parts), re.IGNORECASE)


def _lit_pattern(token: Lit, position: int, unit: str, trailing: bool) -> str:
    text = token.text
    out = ""
    if position == 0:
        number = NUMBERED.match(text)
        if number:
            text = text[number.end() :]
            out += r"\d+[.)]\s*"
        stripped = text.lstrip()
        if stripped.startswith("- "):
            text = stripped[2:]
            out += r"(?:[-*\u2022]\s*)?"
    body = text.strip()
    if unit and norm(body).startswith(norm(unit)):
        out += rf"\s*(?:{re.escape(unit)})?"
        body = body[len(unit) :]
    dollar = body.endswith("$")
    if dollar:
        body = body[:-1]
    out += r"\s*" + _literal(body) + r"\s*" + (r"\$?" if dollar else "")
    return f"(?:{out})?" if trailing else out


def children_of(schema: Schema, scope: Scope) -> list[Field]:
    """Every field below ``scope``, at any depth."""
    return [f for f in schema.fields.values() if len(f.path) > len(scope) and f.path[: len(scope)] == scope]


def _chain(scope: Scope, floor: Scope) -> list[Scope]:
    """``scope`` and its parents down to ``floor`` (array levels stepped over)."""
    out = []
    here = scope
    while True:
        out.append(here)
        if len(here) <= len(floor):
            return out
        here = here[:-1]
        if here and here[-1] == ITEMS:
            here = here[:-1]


def find(schema: Schema, scope: Scope, floor: Scope, label: str) -> Field | None:
    """The field titled (or seed-labelled) ``label`` nearest to ``scope``: titles first, then shallowest."""
    wanted = norm(label)
    for level in _chain(scope, floor):
        found = [f for f in children_of(schema, level) if wanted in (norm(f.title), norm(f.seed_label))]
        if found:
            found.sort(key=lambda f: (norm(f.title) != wanted, len(f.path)))
            return found[0]
    return None


def same_label(schema: Schema, scope: Scope, floor: Scope, label: str) -> list[Field]:
    """Fields sharing the seed label ``label`` (``Used`` gives used, total and ``Used %``), in schema order."""
    wanted = norm(label)
    for level in _chain(scope, floor):
        found = [
            f
            for f in children_of(schema, level)
            if not f.is_container
            and (norm(f.seed_label) == wanted or norm(f.title) == wanted or norm(f.title).startswith(wanted + " "))
        ]
        if found:
            return found
    return []


def section_for(schema: Schema, heading: str, group: str) -> str:
    """The key of the body section labelled ``heading`` in the form section ``group`` ("" for none)."""
    for section in schema.sections:
        if norm(section.group) == norm(group) and norm(heading) == norm(section.seed_label):
            return section.key
    return ""


def literal_before_blanks(tline: TLine) -> list[str]:
    """The literal text before each blank of the line (from the last box)."""
    out, text = [], ""
    for token in tline.tokens:
        if isinstance(token, Lit):
            text += token.text
        elif isinstance(token, Box):
            text = ""
        else:
            out.append(text)
            text = ""
    return out


def form_sections(lines: list[TLine] | None = None) -> list[tuple[str, list[TLine]]]:
    """The form (default: the shipped one) cut at its ``====`` headed sections: (heading, lines); ``""`` first."""
    lines = template_lines() if lines is None else lines
    out: list[tuple[str, list[TLine]]] = [("", [])]
    for index, tline in enumerate(lines):
        between = 0 < index < len(lines) - 1 and lines[index - 1].is_rule and lines[index + 1].is_rule
        if between and not tline.is_rule and not tline.is_empty:
            out.append((tline.text.strip(), []))
        out[-1][1].append(tline)
    return out


def best_run(members: list[tuple[list[str], bool]]) -> tuple[int, int, int] | None:
    """(start, period, count) of the longest run of repeated lines holding a value line.

    ``members`` are the entries of a group: their lines, and whether the entry holds a value.
    Lines compare with their numbers (``1.``, ``2.``) left out.
    """
    signatures = ["\n".join(NUMBERED.sub(r"\1#\3\4", line) for line in lines) for lines, _value in members]
    best: tuple[int, int, int] | None = None
    for start in range(len(members)):
        for period in range(1, (len(members) - start) // 2 + 1):
            unit = signatures[start : start + period]
            if not any(value for _lines, value in members[start : start + period]):
                continue
            count = 1
            while signatures[start + count * period : start + (count + 1) * period] == unit:
                count += 1
            if count >= 2 and (best is None or period * count > best[1] * best[2]):
                best = (start, period, count)
        if best is not None:
            return best
    return best
