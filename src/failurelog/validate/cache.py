"""The validation cache: each incident file's problems and :class:`Facts`, under ``.failurelog-cache/``.

One JSON file, ``.failurelog-cache/validate.json`` in the repository root
(git-ignored), written atomically after a run. It holds, per file (by its
path relative to the root): the file's size, modification time, inode and
change time, the SHA-256 of its bytes, the problems of the single-file checks and the facts the cross-incident rules
read. The whole cache is keyed on the schema's text, the site's Markdown
extensions and the failurelog code that checks (:func:`code_version`): any
other key, a newer :data:`FORMAT`, or a file that is not the JSON this
module writes (truncated, edited, another program's) is detected, said in
:attr:`Cache.state`, and the cache is rebuilt from the files.

An entry is used only when the file's stat is the one recorded, so a cache
copied from another checkout (or committed by someone) is never trusted: its
inodes and change times are not this checkout's. A file modified within
:data:`RACY_NS` before the run that read it must also still have the bytes
of the recorded SHA-256 (its modification time may not have ticked since),
until a later run has hashed it again.
Symbolic links and unreadable or oversized files are never cached.

Beside it, ``index.json`` (:mod:`failurelog.validate.cacheindex`) holds every
file's stamp and id and where its entry lies: a run of a few files
(``quick``) reads only the index and the entries it needs, when the index
describes this very ``validate.json``, and the whole file otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from failurelog.core import atomic
from failurelog.core.loader import Document
from failurelog.core.problems import Problem
from failurelog.validate.cacheindex import INDEX_FILE, Index, Row, read_index, serialize
from failurelog.validate.facts import Facts, facts_from_json

CACHE_DIR = ".failurelog-cache"
CACHE_FILE = "validate.json"
#: The layout of the cache file; a cache with a higher one was written by a newer failurelog.
FORMAT = 1
#: A file modified less than this before the run that cached it is compared by hash, never trusted by stat alone.
RACY_NS = 2_000_000_000

#: (size, mtime_ns, inode, ctime_ns): what says "unchanged" without reading the file.
Stamp = tuple[int, int, int, int]


def stamp_of(path: str | Path) -> Stamp | None:
    """The stamp of a regular file (not a symbolic link), or None for anything the cache must not keep."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns)


def digest(data: bytes) -> str:
    """The content hash the cache is keyed on."""
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of failurelog's own source: a cache written by other code (other rules) is stale."""
    package = Path(__file__).resolve().parent.parent
    hasher = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        hasher.update(source.relative_to(package).as_posix().encode())
        hasher.update(source.read_bytes())
    return hasher.hexdigest()


def cache_key(schema_text: bytes, markdown: str) -> str:
    """The key of a whole cache: the schema, the body's Markdown extensions and the code that checks."""
    hasher = hashlib.sha256()
    for part in (schema_text, markdown.encode(), code_version().encode()):
        hasher.update(hashlib.sha256(part).digest())
    return hasher.hexdigest()


class CorruptCache(Exception):
    """An entry of the cache is not what this module writes (found when it is first read)."""


class Entry:
    """One file's outcome: its problems and facts, and the stamp and hash of the bytes they come from.

    An entry read from the cache parses its problems and facts only when they are asked for (a one-file
    run needs the facts of few files); one that turns out malformed raises :class:`CorruptCache`.
    ``stamp`` and ``sha256`` are None for a file that is not to be cached; ``doc`` is the checked
    document when the caller asked to keep it.
    """

    __slots__ = ("_facts", "_problems", "_raw", "checked_ns", "doc", "sha256", "stamp")

    def __init__(
        self,
        stamp: Stamp | None,
        sha256: str | None,
        checked_ns: int,
        problems: tuple[Problem, ...] | None = None,
        facts: Facts | None = None,
        raw: tuple[str, Any, Any] | None = None,
        doc: Document | None = None,
    ) -> None:
        """An outcome from a check (``problems`` and ``facts``) or from the cache (``raw``: name, problems, facts)."""
        self.stamp, self.sha256, self.checked_ns = stamp, sha256, checked_ns
        self._problems, self._facts, self._raw, self.doc = problems, facts, raw, doc

    def restamped(self, stamp: Stamp, checked_ns: int) -> Entry:
        """The same outcome for the same bytes, seen with another stamp at another time."""
        return Entry(stamp, self.sha256, checked_ns, self._problems, self._facts, self._raw)

    @property
    def incident_id(self) -> str | None:
        """The id in the file's front matter (without parsing the rest of the facts)."""
        if self._facts is None and self._raw is not None:
            facts = self._raw[2]
            found = facts[0] if isinstance(facts, list) and facts else None
            return found if isinstance(found, str) else None
        return self.facts.id

    @property
    def facts(self) -> Facts:
        """What the cross-incident rules read."""
        if self._facts is None:
            assert self._raw is not None
            try:
                self._facts = facts_from_json(self._raw[0], self._raw[2])
            except (KeyError, TypeError, ValueError) as exc:
                raise CorruptCache(str(exc)) from None
        return self._facts

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The problems of the single-file checks."""
        if self._problems is None:
            assert self._raw is not None
            try:
                self._problems = tuple(
                    Problem(str(f), int(n), str(d), str(m), str(r)) for f, n, d, m, r in self._raw[1]
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise CorruptCache(str(exc)) from None
        return self._problems

    def as_json(self) -> list[Any]:
        """JSON-ready form: size, mtime, inode, ctime, checked_ns, hash, problems, facts (see :func:`_entry`)."""
        assert self.stamp is not None and self.sha256 is not None
        if self._raw is not None and self._facts is None and self._problems is None:
            problems, facts = self._raw[1], self._raw[2]  # still as read: no need to rebuild them
        else:
            problems = [[p.file, p.line, p.field, p.message, p.rule] for p in self.problems]
            facts = self.facts.as_json()
        return [*self.stamp, self.checked_ns, self.sha256, problems, facts]


def _entry(name: str, data: Any) -> Entry:
    """An entry as read: its stamp and hash are checked now, its problems and facts when first used."""
    if not isinstance(data, list) or len(data) != 8:
        raise CorruptCache(f"malformed entry {name!r}")
    size, mtime, inode, ctime, checked, sha, problems, facts = data
    if not all(type(n) is int for n in (size, mtime, inode, ctime, checked)) or not isinstance(sha, str):
        raise CorruptCache(f"malformed entry {name!r}")
    if not isinstance(problems, list):
        raise CorruptCache(f"malformed entry {name!r}")
    return Entry((size, mtime, inode, ctime), sha, checked, raw=(name, problems, facts))


class Cache:
    """The cache of one repository, read once; :meth:`save` writes what this run found.

    ``state`` says what was found: ``fresh`` (usable), ``missing``, ``corrupt``
    (not JSON, truncated, or not this module's layout), ``stale`` (another
    schema, Markdown configuration or failurelog code), ``newer`` (written by a
    later failurelog) or ``off`` (not used). Only a ``fresh`` cache gives hits.
    """

    def __init__(self, root: Path, key: str, *, enabled: bool = True, quick: bool = False) -> None:
        """Read the cache of ``root`` if its key is ``key``; with ``quick``, through its index when it can."""
        self.path = root / CACHE_DIR / CACHE_FILE
        self.key = key
        self.started_ns = time.time_ns()
        self.entries: dict[str, Entry] = {}
        self._raw: dict[str, Any] = {}  # as read; made entries when first looked up
        self._index: Index | None = None  # with ``_text``: entries still to be read from the text, by position
        self._text = ""
        self.index_ok = False  # index.json describes the validate.json read (else the next save writes one)
        self.schema_checked = False
        self.changed = False
        self.state = self._read(quick) if enabled else "off"

    def _read(self, quick: bool) -> str:
        try:
            data = self.path.read_bytes()
            text = data.decode("utf-8")
        except FileNotFoundError:
            return "missing"
        except (OSError, UnicodeDecodeError):
            return "corrupt"
        try:
            index = read_index((self.path.parent / INDEX_FILE).read_text(encoding="utf-8"), data)
        except (OSError, UnicodeDecodeError):
            index = None
        self.index_ok = index is not None
        if quick and index is not None and self._header_fits(text):
            self._index, self._text = index, text
            return "fresh"
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                return "corrupt"
            version = data["format"]
            if not isinstance(version, int):
                return "corrupt"
            if version > FORMAT:
                return "newer"
            if version != FORMAT or data["key"] != self.key:
                return "stale"
            entries = data["entries"]
            if not isinstance(entries, dict):
                return "corrupt"
            checked = data["schema_checked"] is True
        except (ValueError, KeyError, TypeError, AttributeError, CorruptCache):
            return "corrupt"
        self._raw, self.schema_checked = entries, checked
        return "fresh"

    def _header_fits(self, text: str) -> bool:
        """Whether the text the index describes begins as this module writes a fresh cache of this key."""
        for checked in (True, False):
            head = json.dumps({"format": FORMAT, "key": self.key, "schema_checked": checked}, separators=(",", ":"))
            if text.startswith(head[:-1] + ',"entries":{'):
                self.schema_checked = checked
                return True
        return False

    def discard(self, state: str) -> None:
        """Forget every entry (one turned out malformed): this run rebuilds the cache."""
        self.entries, self._raw, self.schema_checked, self.state = {}, {}, False, state
        self._index, self._text = None, ""

    def _from_index(self, display: str) -> Any:
        """The entry of ``display`` as read from the text of validate.json, or None."""
        at = self._index.position.get(display) if self._index is not None else None
        if at is None or self._index is None:
            return None
        start, end = self._index.spans[2 * at], self._index.spans[2 * at + 1]
        try:
            value, stop = json.JSONDecoder().raw_decode(self._text, start)
        except ValueError:
            raise CorruptCache(f"malformed entry {display!r}") from None
        if stop != end:
            raise CorruptCache(f"malformed entry {display!r}")
        return value

    def peek(self, display: str, path: str | Path) -> tuple[bool, str | None]:
        """Whether ``path`` is unchanged since it was cached, and then the id it holds.

        Through the index, without reading the file's entry, unless its stamp is racy (then as :meth:`get`).
        """
        index = self._index
        at = index.position.get(display) if index is not None and display not in self.entries else None
        if index is None or at is None:
            entry = self.get(display, path)
            return (False, None) if entry is None else (True, entry.incident_id)
        now = stamp_of(path)
        if now is None or now != index.stamp(at):
            return False, None
        if index.columns[1][at] + RACY_NS < index.columns[4][at]:
            return True, index.ids[at]
        entry = self.get(display, path)
        return (False, None) if entry is None else (True, entry.incident_id)

    def get(self, display: str, path: str | Path) -> Entry | None:
        """The cached outcome of ``path`` if its content is what was cached, else None."""
        entry = self.entries.get(display)
        if entry is None:
            raw = self._raw.get(display)
            if raw is None:
                raw = self._from_index(display)
            if raw is None:
                return None
            entry = self.entries[display] = _entry(display, raw)
        now = stamp_of(path)
        if now is None or now != entry.stamp:
            return None  # changed, or another checkout (a clone, a cache copied or committed): checked afresh
        if entry.stamp[1] + RACY_NS < entry.checked_ns:
            return entry
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        if digest(data) != entry.sha256:
            return None
        entry = entry.restamped(now, self.started_ns)
        self.put(display, entry)
        return entry

    def put(self, display: str, entry: Entry) -> None:
        """Record the outcome of one file."""
        self.entries[display] = entry
        self.changed = True

    def save(self, keep: set[str]) -> None:
        """Write the entries of the files in ``keep`` (the others were deleted or renamed); errors are ignored.

        Nothing is written when the cache is off, or when nothing changed and the index describes the cache.
        The entries of files only seen through the index are copied as the text they were read as.
        """
        if self.state == "off":
            return
        indexed = self._index.names if self._index is not None else []
        dropped = (set(self.entries) | set(self._raw) | set(indexed)) - keep
        if not (self.changed or dropped or self.state != "fresh" or not self.index_ok):
            return
        header = {"format": FORMAT, "key": self.key, "schema_checked": self.schema_checked}
        # every file of the run was looked up (or seen through the index), so what is still only read is of
        # files that are gone
        rows = [self._row(name) for name in sorted((set(self.entries) | set(indexed)) & keep)]
        try:
            cache_text, index_text = serialize(header, rows)
            self.path.parent.mkdir(exist_ok=True)
            atomic.write_text(self.path, cache_text)
            if index_text is not None:
                atomic.write_text(self.path.parent / INDEX_FILE, index_text)
        except (OSError, UnicodeError):
            pass  # a read-only checkout validates without a cache (and a file name that is not text, uncached)

    def _row(self, name: str) -> Row:
        """What :func:`serialize` writes of the file ``name``: from this run, or as the index has it."""
        entry = self.entries.get(name)
        if entry is not None:
            assert entry.stamp is not None
            return name, entry.as_json(), (*entry.stamp, entry.checked_ns), entry.incident_id
        index = self._index
        assert index is not None
        at = index.position[name]
        stamp = (*index.stamp(at), index.columns[4][at])
        return name, self._text[index.spans[2 * at] : index.spans[2 * at + 1]], stamp, index.ids[at]
