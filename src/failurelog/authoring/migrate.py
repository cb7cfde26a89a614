"""``failurelog migrate``: upgrade incident files written for an earlier schema, in place.

Each file's ``schema_version`` (absent means the first schema) says where it
starts; each step edits the front-matter lines and leaves comments, quoting
and the body alone. A step's edit must read back as the data the step
defines, or the file is refused untouched. Files are replaced atomically, and
a file already at the current version is left as it is, so running it twice
changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from failurelog.authoring import upgrade_v2
from failurelog.core import atomic
from failurelog.core.loader import Document, load, parse_text
from failurelog.core.schema import Schema

#: The first schema had no ``schema_version`` field.
FIRST = 1


@dataclass
class Migrated:
    """What migrating one file did."""

    path: Path
    changes: list[str] = field(default_factory=list)
    problem: str | None = None  # why the file was left untouched

    @property
    def changed(self) -> bool:
        """The file was rewritten."""
        return bool(self.changes) and self.problem is None


def current_version(schema: Schema) -> int:
    """The version files are upgraded to."""
    return schema.version


def _split(text: str) -> tuple[list[str], list[str], list[str]] | None:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    return None if end is None else (lines[:1], lines[1:end], lines[end:])


def migrate_text(doc: Document, schema: Schema) -> tuple[str | None, list[str], str | None]:
    """(new text or None, changes, problem) for one loaded file."""
    if doc.meta is None:
        reason = doc.problems[0].message if doc.problems else "no front matter"
        return None, [], f"cannot read it ({reason}); fix it first"
    key = schema.version_field.key if schema.version_field is not None else "schema_version"
    version = doc.meta.get(key, FIRST)
    target = current_version(schema)
    if not isinstance(version, int) or isinstance(version, bool) or version > target:
        return None, [], f"{key} is {version!r}; this failurelog knows versions up to {target}"
    if version == target:
        return None, [], None
    parts = _split(doc.text)
    if parts is None:
        return None, [], "its front matter does not start with a '---' line"
    head, front, tail = parts
    expected, changes = upgrade_v2.upgrade(doc.meta)
    edited = upgrade_v2.edit(front, doc.lines, 1, doc.meta)
    text = "\n".join([*head, *edited, *tail])
    check = parse_text(Document(path=doc.path, display=doc.display), text)
    if check.meta != expected:
        return None, [], "the automatic edit would not give the expected front matter; upgrade it by hand"
    return text, changes, None


def migrate(schema: Schema, paths: list[Path], root: Path, dry_run: bool = False) -> list[Migrated]:
    """Upgrade every file in ``paths`` to the schema's version; one result per file."""
    results = []
    for path in paths:
        doc = load(path, root=root)
        text, changes, problem = migrate_text(doc, schema)
        result = Migrated(path, changes, problem)
        if text is not None and problem is None and not dry_run:
            atomic.replace(path, text)
        results.append(result)
    return results
