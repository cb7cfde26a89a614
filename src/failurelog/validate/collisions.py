"""Incident files that another git branch also added, with other content: an add/add conflict waiting to happen.

Two engineers who both took ``SYS-20261201-001`` on their own branches each
have a valid file; git only complains when the branches meet. A path under
``incidents/`` is a collision when it is absent at the merge base of ``HEAD``
and another local or remote-tracking branch, present on that branch, present
in this checkout, and the two blobs differ. A file that existed at the merge
base (edited on both sides) is an ordinary merge, and identical blobs merge
cleanly: neither is reported.

Cheap by construction: one ``git for-each-ref``, one ``git merge-base`` per
distinct other commit and two ``git ls-tree`` per distinct (commit, merge
base) pair, and the last two are remembered by commit id in
``.failurelog-cache/branches.json`` (commit ids never change meaning). The
current branch and its upstream are not "other" branches. Outside a git
repository, or without git, there is nothing to report.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from failurelog.core import atomic
from failurelog.core.paths import INCIDENTS_DIR
from failurelog.core.problems import Problem

CACHE_FILE = "branches.json"
#: The layout of the cache file; another one is ignored and rewritten.
FORMAT = 1
#: Fields of one ``for-each-ref`` line.
_REF_FORMAT = "%(objectname)%00%(HEAD)%00%(refname)%00%(refname:short)%00%(upstream)%00%(symref)"


@dataclass(frozen=True)
class Added:
    """A path another branch added since its merge base with ``HEAD``, and the blob it holds there."""

    branch: str
    blob: str


def blob_id(data: bytes) -> str:
    """The id git gives a blob of ``data`` (what ``git hash-object`` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _git(top: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=top, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


class _Memo:
    """Merge bases and added paths by commit id, read from and written to ``.failurelog-cache/branches.json``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.bases: dict[str, str] = {}
        self.added: dict[str, dict[str, str]] = {}
        self.used_bases: dict[str, str] = {}
        self.used_added: dict[str, dict[str, str]] = {}
        if path is not None:
            self._read(path)

    def _read(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                return
            bases, added = data["bases"], data["added"]
            if isinstance(bases, dict) and all(isinstance(v, str) for v in bases.values()):
                self.bases = bases
            if isinstance(added, dict) and all(
                isinstance(v, dict) and all(isinstance(b, str) for b in v.values()) for v in added.values()
            ):
                self.added = added
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return  # unreadable or another program's: asked of git again and rewritten

    def save(self) -> None:
        """Keep what this run used (what branches no longer need is dropped); errors are ignored."""
        if self.path is None or (self.used_bases == self.bases and self.used_added == self.added):
            return
        data = {"format": FORMAT, "bases": self.used_bases, "added": self.used_added}
        try:
            self.path.parent.mkdir(exist_ok=True)
            atomic.write_text(self.path, json.dumps(data, separators=(",", ":"), sort_keys=True))
        except OSError:
            pass


def _merge_base(top: Path, memo: _Memo, head: str | None, other: str) -> str:
    """The merge base of ``head`` and ``other`` ("" when they share no history or there is no ``HEAD``)."""
    if head is None:
        return ""
    key = f"{head}:{other}"
    base = memo.bases.get(key)
    if base is None:
        base = (_git(top, "merge-base", head, other) or "").strip()
    memo.used_bases[key] = base
    return base


def _listing(top: Path, commit: str, folder: str) -> dict[str, str] | None:
    """Path -> blob of the ``*.md`` files under ``folder`` at ``commit`` (None when git fails)."""
    out = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder)
    if out is None:
        return None
    found: dict[str, str] = {}
    for line in out.split("\0"):
        meta, _tab, name = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and name.endswith(".md"):
            found[name] = parts[2]
    return found


def _added(top: Path, memo: _Memo, other: str, base: str, folder: str) -> dict[str, str]:
    """Path -> blob of what ``other`` added under ``folder`` since ``base``."""
    key = f"{other}:{base}:{folder}"
    added = memo.added.get(key)
    if added is None:
        there = _listing(top, other, folder)
        before = _listing(top, base, folder) if base else {}
        added = {} if there is None or before is None else {p: b for p, b in there.items() if p not in before}
    memo.used_added[key] = added
    return added


def _others(top: Path) -> list[tuple[str, str]] | None:
    """(commit, short name) of every other branch, one per distinct commit; None when git cannot tell."""
    listing = _git(top, "for-each-ref", f"--format={_REF_FORMAT}", "refs/heads", "refs/remotes")
    if listing is None:
        return None
    rows = [line.split("\0") for line in listing.splitlines() if line.count("\0") == 5]
    mine: set[str] = set()  # the branch checked out and its upstream (the same work, perhaps rebased)
    for _commit, current, name, _short, upstream, _symref in rows:
        if current == "*":
            mine.update((name, upstream))
    out: dict[str, str] = {}
    for commit, _current, name, short, _upstream, symref in rows:
        if name not in mine and not symref:
            out.setdefault(commit, short)
    return list(out.items())


def added_elsewhere(root: Path, *, cache: bool = True) -> dict[str, list[Added]]:
    """Incident paths (relative to ``root``) other branches added since their merge base with ``HEAD``.

    Each path maps to the branches that added it and their blobs; empty outside git. ``cache`` remembers
    merge bases and listings by commit id in ``.failurelog-cache/``.
    """
    top_text = _git(root, "rev-parse", "--show-toplevel", "--show-prefix")
    if top_text is None:
        return {}
    top_line, _nl, prefix = top_text.partition("\n")
    top, prefix = Path(top_line), prefix.strip()
    others = _others(top)
    if not others:
        return {}
    head = (_git(top, "rev-parse", "-q", "--verify", "HEAD^{commit}") or "").strip() or None
    memo = _Memo(root / ".failurelog-cache" / CACHE_FILE if cache else None)
    folder = f"{prefix}{INCIDENTS_DIR}/"
    found: dict[str, list[Added]] = {}
    for commit, branch in others:
        if commit == head:
            continue
        base = _merge_base(top, memo, head, commit)
        if base == commit:
            continue  # that branch is behind this one: it added nothing this one lacks
        for path, blob in _added(top, memo, commit, base, folder).items():
            found.setdefault(path[len(prefix) :], []).append(Added(branch, blob))
    memo.save()
    return found


def collision_problems(root: Path, files: dict[str, int], elsewhere: dict[str, list[Added]]) -> list[Problem]:
    """Problems for the ``files`` (name relative to ``root`` -> line of its id) another branch added differently."""
    out: list[Problem] = []
    for name, line in files.items():
        added = elsewhere.get(name)
        if not added:
            continue
        try:
            mine = blob_id((root / name).read_bytes())
        except OSError:
            continue
        for other in added:
            if other.blob == mine:
                continue
            out.append(
                Problem(
                    name,
                    line,
                    "id",
                    f"{Path(name).stem} is also a new incident on branch {other.branch} with other content: "
                    f"git will report an add/add conflict when they meet (take a free id: failurelog renumber "
                    f"{Path(name).stem} NEW-ID)",
                    "id",
                )
            )
    return out
