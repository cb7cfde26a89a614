"""The seed form's text, cut into lines and tokens: labels, blanks and check boxes.

Nothing here knows the schema. A template line is literal text, *blanks*
(runs of underscores, or a placeholder such as ``[YYYY-MM-DD HH:MM:SS.mmm UTC]``)
and check boxes (``[ ]``). The same helpers read the labels and boxes of a
filled-in form's lines, so template and form are read alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

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
