"""A stable digest of what a page reads, for the page cache (:mod:`failurelog.site.pagecache`).

:func:`fingerprint` turns a value a page reads (an incident, a list of links, a
pattern value, a history) into a string that changes whenever anything a page
could see of it changes. An :class:`~failurelog.model.incident.Incident` is its
whole content (front matter, body, source path), not its id: a page that reads
another incident's title is rendered anew when that incident changes in any
way. A dataclass is its compared fields; a schema :class:`Field` is its dotted
name (the schema as a whole is part of every page's key). A value of a type it
does not know is an error, never a guess: a key that could miss a change would
be a cache that hides one.

:data:`FORBIDDEN` stands, in the context a cached page renders with, for what
it must not read directly (the whole model, the analyses): any use of it raises
:class:`DirectRead`, so a page that reads around the recorded lookups fails in
the tests instead of being kept stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime
from pathlib import PurePath
from typing import Any, NoReturn

from failurelog.core.schema import Field
from failurelog.model.incident import Incident

#: Incidents' digests in this build, by object id (the object kept with it, so the id is not reused).
_digests: dict[int, tuple[Incident, str]] = {}
#: Frozen dataclasses' parts in this build (a channel shared by thousands of suggestions), likewise.
_frozen: dict[int, tuple[Any, list[str]]] = {}


class DirectRead(RuntimeError):
    """A cached page read the model or an analysis directly instead of through ``Context.read``."""


class _Forbidden:
    """A placeholder whose every use raises :class:`DirectRead`."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _refuse(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise DirectRead(f"a cached page read {self._name!r} directly; read it through Context.read")

    def __getattr__(self, name: str) -> NoReturn:
        if name.startswith("__"):
            raise AttributeError(name)
        self._refuse()

    __iter__ = __len__ = __getitem__ = __contains__ = __bool__ = __call__ = _refuse

    def __repr__(self) -> str:
        return f"<forbidden {self._name}>"


def forbidden(name: str) -> Any:
    """A placeholder for ``name`` that refuses every use (typed Any: it stands in for the real thing)."""
    return _Forbidden(name)


def forget() -> None:
    """Drop the incidents' digests of the last build (a new build makes new incident objects)."""
    _digests.clear()
    _frozen.clear()


def incident_digest(incident: Incident) -> str:
    """The digest of everything an incident holds: its front matter in order, its body and its source path."""
    kept = _digests.get(id(incident))
    if kept is not None and kept[0] is incident:
        return kept[1]
    text = json.dumps([incident.meta, incident.body, incident.source], ensure_ascii=False, default=repr)
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    _digests[id(incident)] = (incident, digest)
    return digest


def _parts(value: Any, out: list[str]) -> None:
    if value is None or isinstance(value, bool | int | float | str):
        out.append(f"{type(value).__name__}:{value!r}")
    elif isinstance(value, Incident):
        out.append(f"incident:{incident_digest(value)}")
    elif isinstance(value, Field):
        out.append(f"field:{value.name}")
    elif isinstance(value, date | datetime | PurePath):
        out.append(f"{type(value).__name__}:{value.isoformat() if not isinstance(value, PurePath) else value}")
    elif isinstance(value, _Forbidden):
        out.append(repr(value))
    elif isinstance(value, list | tuple):
        out.append(f"{type(value).__name__}[{len(value)}")
        for item in value:
            _parts(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append(f"dict[{len(value)}")
        for key, item in value.items():
            _parts(key, out)
            _parts(item, out)
        out.append("]")
    elif isinstance(value, set | frozenset):
        out.append(f"set[{len(value)}")
        out.extend(sorted(fingerprint(item) for item in value))
        out.append("]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        kept = _frozen.get(id(value))
        if kept is not None and kept[0] is value:
            out.extend(kept[1])
            return
        mine = [f"{type(value).__qualname__}("]
        for spec in dataclasses.fields(value):
            if spec.compare:
                _parts(getattr(value, spec.name), mine)
        mine.append(")")
        out.extend(mine)
        if type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            _frozen[id(value)] = (value, mine)
    else:
        raise TypeError(f"no fingerprint for a {type(value).__qualname__}")


def fingerprint(value: Any) -> str:
    """A digest of ``value`` that changes whenever anything a page could show of it changes."""
    if value is None:
        return "n"  # a lookup's most common answers (a page's path, no page) kept as they are: not hex digits
    if isinstance(value, str):
        return f"s{value}"
    out: list[str] = []
    _parts(value, out)
    return hashlib.sha1("\x1f".join(out).encode("utf-8"), usedforsecurity=False).hexdigest()
