"""What was written in a blank, as the typed value of a field, and back.

``64 GB`` is 64 for a field in GB, ``1,204`` is 1204, ``$12,500`` is 12500,
``2h 5m`` and ``00:14:30`` are minutes for a field in minutes, and
``2026-03-04 13:31:07.412 UTC`` is ``2026-03-04T13:31:07.412Z``. Text that
does not fit the field is never lost: it comes back as a *remark*, and so does
a trailing ``(note)`` beside a value that fits: ``32 (2 x 16, HT off)``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from failurelog.core import yamlio
from failurelog.core.schema import Field, Schema

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+"
_QUANTITY = re.compile(
    rf"^\s*(?P<cur>[$\u20ac\u00a3])?\s*(?P<num>{_NUMBER})\s*(?P<mult>[kKM](?![A-Za-z]))?"
    r"\s*(?P<unit>[A-Za-z%/][A-Za-z%/ ]*?)?\s*$"
)
_PAREN = re.compile(r"^(?P<head>.*?\S)\s*\((?P<note>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*$", re.DOTALL)
_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\b", re.IGNORECASE
)
_CLOCK = re.compile(r"^\s*(\d{1,3}):(\d{2})(?::(\d{2}(?:\.\d+)?))?\s*$")
_STAMP = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)

#: Seconds per unit of time, for fields in min, s or h.
SECONDS = {"ms": 0.001, "s": 1, "min": 60, "h": 3600, "d": 86400}
#: Factor per unit of size or rate (decimal; KiB and the like binary), for fields in GB, TB, MB/s, Mbps.
SCALES = {prefix + "b": 1000.0**power for power, prefix in enumerate("kmgtp", start=1)}
SCALES.update({prefix + "ib": 1024.0**power for power, prefix in enumerate("kmgt", start=1)})
SCALES.update({prefix + "bps": 1000.0**power for power, prefix in enumerate("kmg", start=1)})
SCALES.update({prefix + "b/s": 1000.0**power for power, prefix in enumerate("kmg", start=1)})
_TIME_WORDS = {"ms": "ms", "milli": "ms", "s": "s", "sec": "s", "m": "min", "min": "min", "h": "h", "hr": "h"}
_TIME_WORDS.update({"hour": "h", "d": "d", "day": "d", "second": "s", "minute": "min", "millisecond": "ms"})


@dataclass
class Parsed:
    """A value for a field, text kept beside it, and a warning for the importer to show."""

    value: Any = None
    remark: str | None = None
    warning: str | None = None


@lru_cache(maxsize=512)
def _checker(schema: Schema, name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema.fields[name].schema, format_checker=schema.validator.format_checker)


def fits(schema: Schema, spec: Field, value: Any) -> bool:
    """True when ``value`` passes the field's own schema (type, pattern, format, range)."""
    return bool(_checker(schema, spec.name).is_valid(value))


def _time_unit(word: str) -> str | None:
    word = word.lower().rstrip("s") if len(word) > 2 else word.lower()
    return _TIME_WORDS.get(word) or _TIME_WORDS.get(word + "s")


def parse_duration(text: str, unit: str) -> float | None:
    """``14 min``, ``2h 5m``, ``00:14:30``, ``90 s`` in ``unit`` (``min``, ``s`` or ``h``), or None."""
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = int(clock.group(1)), int(clock.group(2)), float(clock.group(3) or 0)
        return (hours * 3600 + minutes * 60 + seconds) / SECONDS[unit]
    parts = _DURATION_PART.findall(text)
    rest = _DURATION_PART.sub("", text)
    if not parts or re.sub(r"[\s,]|and", "", rest):
        return None
    total = 0.0
    for amount, word in parts:
        found = _time_unit(word)
        if found is None:
            return None
        total += float(amount) * SECONDS[found]
    return total / SECONDS[unit]


def _tidy(number: float) -> int | float:
    number = round(number, 6)
    if not math.isfinite(number):
        return number  # validate refuses it, naming the field
    return int(number) if number == int(number) and abs(number) < 2**53 else number


def parse_number(text: str, spec: Field) -> tuple[int | float | None, str | None]:
    """A number in the field's unit, and a note when a unit was converted (None when it is not a number)."""
    unit = spec.unit or ""
    if unit in SECONDS or (unit == "h"):
        duration = parse_duration(text, unit)
        if duration is not None:
            return _tidy(duration), None
    match = _QUANTITY.match(text)
    if not match:
        return None, None
    number = float(match.group("num").replace(",", ""))
    mult = match.group("mult")
    written = (match.group("unit") or "").strip()
    if mult:
        if unit not in ("", "/s", "IOPS"):
            return None, None
        number *= {"k": 1e3, "K": 1e3, "M": 1e6}[mult]
    if match.group("cur") and unit != "USD":
        return None, None
    if not written or _same_unit(written, unit, spec.title):
        return _tidy(number), None
    if unit in SECONDS and _time_unit(written):
        return _tidy(number * SECONDS[_time_unit(written) or "s"] / SECONDS[unit]), None
    have, want = SCALES.get(written.lower()), SCALES.get(unit.lower())
    if have and want:
        return _tidy(number * have / want), f"converted {text.strip()} to {unit}"
    return None, None


def _same_unit(written: str, unit: str, title: str) -> bool:
    written_n = written.lower().replace(" ", "")
    aliases = {unit.lower(), unit.lower().rstrip("s")}
    if unit == "/s":
        aliases |= {"/s", "/sec", "persec", "persecond"}
    if unit == "USD":
        aliases |= {"usd", "$", "dollars"}
    if unit == "%":
        aliases |= {"%", "percent", "%ofcapacity"}
    if unit == "GHz":
        aliases |= {"ghz"}
    return written_n in aliases or written_n in title.lower().replace(" ", "")


def parse_stamp(text: str, base: str | None = None) -> tuple[str | None, bool]:
    """``YYYY-MM-DD HH:MM[:SS[.mmm]] [UTC|Z|+hh:mm]`` as ISO UTC text, and whether milliseconds were written.

    ``base`` supplies the date when only a time is written (the end of a window ``02:00 to 03:00``).
    """
    text = text.strip().strip("[]").strip()
    if base and re.match(r"^\d{1,2}:\d{2}", text):
        text = f"{base} {text}"
    match = _STAMP.match(text)
    if not match or match.group(2) is None:
        return None, False
    day, hour, minute, second, fraction, zone = match.groups()
    try:
        when = datetime.fromisoformat(f"{day}T{int(hour):02d}:{minute}:{second or '00'}")
    except ValueError:
        return None, False
    micros = int((fraction or "0").ljust(6, "0")[:6])
    when = when.replace(microsecond=micros, tzinfo=_zone(zone))
    when = when.astimezone(UTC)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S")
    if fraction:
        stamp += f".{when.microsecond // 1000:03d}"
    return stamp + "Z", bool(fraction)


def _zone(zone: str | None) -> timezone:
    if not zone or zone.upper() in ("UTC", "GMT", "Z"):
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _match_choice(choices: list[str], text: str) -> str | None:
    wanted = " ".join(text.casefold().split())
    exact = [c for c in choices if c.casefold() == wanted]
    if exact:
        return exact[0]
    prefixed = [c for c in choices if wanted and c.casefold().startswith(wanted)]
    return prefixed[0] if len(prefixed) == 1 else None


def split_items(text: str) -> list[str]:
    """One line of a list: items split at ``;`` if there is one, else at ``,``."""
    separator = ";" if ";" in text else ","
    return [item.strip() for item in text.split(separator) if item.strip()]


def _convert(schema: Schema, spec: Field, text: str) -> tuple[Any, str | None]:
    if spec.type == "array":
        items = spec.schema.get("items", {})
        if isinstance(items, dict) and items.get("type") in ("number", "integer"):
            return [_tidy(float(n.replace(",", ""))) for n in re.findall(_NUMBER, text)], None
        return [item for line in text.splitlines() for item in split_items(line)], None
    if spec.choices:
        return _match_choice(spec.choices, text), None
    if spec.type in ("number", "integer"):
        return parse_number(text, spec)
    fmt = spec.schema.get("format")
    if fmt == "date-time":
        stamp, has_ms = parse_stamp(text)
        if stamp is not None and not has_ms and not fits(schema, spec, stamp):
            stamp = stamp[:-1] + ".000Z"
        return stamp, None
    if fmt == "date":
        try:
            return date.fromisoformat(text.strip()).isoformat(), None
        except ValueError:
            return None, None
    value = text.strip()
    kinds = spec.schema.get("type")
    if isinstance(kinds, list) and len(kinds) > 1:  # text, number or boolean: read it as YAML would
        scalar = yamlio.parse(value)
        if not scalar.problems and isinstance(scalar.data, (int, float, bool)) and fits(schema, spec, scalar.data):
            return scalar.data, None
    if not fits(schema, spec, value):
        clock = _CLOCK.match(value)
        if clock and int(clock.group(1)) < 24:  # 9:05 -> 09:05:00 where a field wants HH:MM:SS
            value = f"{int(clock.group(1)):02d}:{clock.group(2)}:{(clock.group(3) or '00')[:2]}"
        elif fits(schema, spec, value.lower()):
            value = value.lower()
    return value, None


def parse_text(schema: Schema, spec: Field, text: str) -> Parsed:
    """Read ``text`` (already cleaned of underscores) as a value of ``spec``."""
    text = text.strip()
    if not text:
        return Parsed()
    value, warning = _convert(schema, spec, text)
    if value not in (None, []) and fits(schema, spec, value):
        return Parsed(value, warning=warning)
    paren = _PAREN.match(text)
    if paren:
        value, warning = _convert(schema, spec, paren.group("head"))
        if value not in (None, []) and fits(schema, spec, value):
            return Parsed(value, paren.group("note").strip() or None, warning)
    return Parsed(None, text, f"{text!r} is not a valid {spec.title}; kept as a remark")


def format_number(value: Any) -> str:
    """A number as the form shows it: ``64``, ``3.84``."""
    if isinstance(value, float) and math.isfinite(value) and value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def format_stamp(value: str) -> str:
    """``2026-03-04T13:31:07.412Z`` -> ``2026-03-04 13:31:07.412 UTC`` (other text unchanged)."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z", value)
    return f"{match.group(1)} {match.group(2)} UTC" if match else value


def join_items(items: list[Any]) -> str:
    """A list on one line, readable back by :func:`split_items`."""
    texts = [format_number(i) if isinstance(i, (int, float)) else str(i) for i in items]
    if any("," in t for t in texts):
        joined = "; ".join(texts)
        return joined if ";" in joined else joined + ";"
    return ", ".join(texts)


def format_value(spec: Field, value: Any, remark: str | None = None, *, show_unit: bool = True) -> str:
    """The text to write in a blank for ``value`` (and a remark in brackets after it)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = format_number(value)
        if show_unit and spec.unit:
            text += f" {spec.unit}"
    elif isinstance(value, list):
        if value and all(isinstance(v, (int, float)) for v in value):
            text = " / ".join(format_number(v) for v in value)
        else:
            text = join_items(value)
    elif spec.schema.get("format") == "date-time" and isinstance(value, str):
        text = format_stamp(value)
    else:
        text = str(value)
    return f"{text} ({remark})" if remark else text
