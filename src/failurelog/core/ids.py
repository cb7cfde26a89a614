"""Incident ids: the one owner of their shape, read once from the schema's ``id`` pattern.

An id is ``PREFIX-YYYYMMDD-NNN``: the UTC day the incident began and a
sequence number for that day. The schema states the pattern
(``"^SYS-[0-9]{8}-[0-9]{3}$"``); :func:`id_format` reads the prefix and the
width of the number from it, and every command parses, formats, files and
numbers ids through the :class:`IdFormat` it returns. Ids are accepted in
any case (``sys-20260113-001``) and always written in the schema's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from failurelog.core.errors import FailurelogError, UsageError
from failurelog.core.paths import INCIDENTS_DIR

#: The id patterns this module understands: a literal prefix, eight digits of date, N digits of number.
_PATTERN_SHAPE = re.compile(r"^\^(?P<prefix>[A-Za-z][A-Za-z0-9]*)-\[0-9\]\{8\}-\[0-9\]\{(?P<digits>[1-9])\}\$$")


class IdPatternError(ValueError):
    """The schema's ``id`` pattern is not of the form ``^PREFIX-[0-9]{8}-[0-9]{N}$``."""


@dataclass(frozen=True, order=True)
class IncidentId:
    """One parsed incident id; ``str()`` is its canonical text."""

    prefix: str
    day: str  # YYYYMMDD
    number: int
    digits: int = 3

    def __str__(self) -> str:
        """``PREFIX-YYYYMMDD-NNN``."""
        return f"{self.prefix}-{self.day}-{self.number:0{self.digits}d}"

    @property
    def year(self) -> str:
        """The year of the day the incident began, the folder it is filed under."""
        return self.day[:4]

    @property
    def date(self) -> date | None:
        """The calendar day, or None when the digits name no date (``20261399``)."""
        try:
            return date(int(self.day[:4]), int(self.day[4:6]), int(self.day[6:8]))
        except ValueError:
            return None

    @property
    def filename(self) -> str:
        """``<id>.md``."""
        return f"{self}.md"

    def path(self, root: Path) -> Path:
        """Where this incident is filed: ``incidents/YYYY/<id>.md`` under ``root``."""
        return root / INCIDENTS_DIR / self.year / self.filename


@dataclass(frozen=True)
class IdFormat:
    """The id shape the schema declares: its prefix and the width of the day's sequence number."""

    prefix: str
    digits: int

    @cached_property
    def _any_case(self) -> re.Pattern[str]:
        return re.compile(rf"^{re.escape(self.prefix)}-(\d{{8}})-(\d{{{self.digits}}})$", re.IGNORECASE)

    @property
    def max_per_day(self) -> int:
        """The highest sequence number a day can have (999 for three digits)."""
        return int(10**self.digits) - 1

    @property
    def example(self) -> str:
        """A sample id for messages: ``SYS-20260301-001``."""
        return str(self.make("20260301", 1))

    @property
    def template(self) -> str:
        """The shape for messages: ``SYS-YYYYMMDD-NNN``."""
        return f"{self.prefix}-YYYYMMDD-{'N' * self.digits}"

    def make(self, day: str, number: int) -> IncidentId:
        """The id of sequence ``number`` on ``day`` (YYYYMMDD)."""
        return IncidentId(self.prefix, day, number, self.digits)

    def parse(self, text: object, *, exact: bool = False) -> IncidentId | None:
        """The id ``text`` names (any case, surrounding blanks ignored), or None when it is not one.

        With ``exact``, only the canonical spelling is accepted (what a file must hold).
        """
        if not isinstance(text, str):
            return None
        candidate = text if exact else text.strip()
        match = self._any_case.match(candidate)
        if match is None:
            return None
        parsed = self.make(match.group(1), int(match.group(2)))
        return parsed if not exact or str(parsed) == candidate else None

    def canonical(self, text: str) -> str:
        """``text`` in the canonical spelling when it is an id (any case), else ``text`` unchanged."""
        parsed = self.parse(text)
        return str(parsed) if parsed is not None else text

    def require(self, text: str) -> IncidentId:
        """The id ``text`` names; a usage error saying what an id looks like otherwise."""
        parsed = self.parse(text)
        if parsed is None:
            raise UsageError(f"{text!r} is not an incident id: write {self.template}, e.g. {self.example}")
        return parsed

    def next_free(self, day: str, taken: Iterable[object]) -> IncidentId:
        """The lowest-numbered id of ``day`` (YYYYMMDD) not in ``taken`` (ids or file stems, any case)."""
        used = {parsed.number for parsed in map(self.parse, taken) if parsed is not None and parsed.day == day}
        for number in range(1, self.max_per_day + 1):
            if number not in used:
                return self.make(day, number)
        raise FailurelogError(f"all {self.max_per_day} incident numbers for {day} are taken")

    def ids_in_checkout(self, root: Path) -> set[str]:
        """Ids named by the file stems under ``incidents/`` (canonical spelling)."""
        folder = root / INCIDENTS_DIR
        if not folder.is_dir():
            return set()
        return {str(parsed) for path in folder.rglob("*.md") if (parsed := self.parse(path.stem)) is not None}


def id_format(pattern: str) -> IdFormat:
    """The :class:`IdFormat` of the schema's ``id`` pattern; :class:`IdPatternError` when it has another shape."""
    match = _PATTERN_SHAPE.match(pattern)
    if match is None:
        raise IdPatternError(
            f"the id pattern {pattern!r} is not of the form ^PREFIX-[0-9]{{8}}-[0-9]{{N}}$ "
            "(the date and sequence number every command relies on)"
        )
    return IdFormat(match.group("prefix"), int(match.group("digits")))
