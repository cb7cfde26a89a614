"""Incident ids taken on other git branches, so that ``new`` does not hand out one of them.

Two engineers who each run ``failurelog new`` on their own branch on the same
day would otherwise both get ``SYS-YYYYMMDD-001``. The ids already used on
every local and remote-tracking branch are read from git in one
``git for-each-ref`` and one ``git ls-tree`` per distinct commit, restricted
to ``incidents/``. Outside a git repository, or without git, there is
nothing to add and the working tree alone decides.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from failurelog.core.paths import INCIDENTS_DIR

#: The branches looked at: local ones and remote-tracking ones (tags name released history, not new work).
REF_PATTERNS = ("refs/heads", "refs/remotes")

_ID = re.compile(r"^SYS-(\d{8})-(\d{3})$")


def ids_on_branches(root: Path) -> set[str]:
    """Incident ids (file stems) under ``incidents/`` on every local and remote-tracking branch.

    Empty when ``root`` is not in a git repository, git is not installed, or git fails.
    """
    try:
        import git
    except ImportError:  # GitPython refuses to import when no git executable is found
        return set()
    try:
        with git.Repo(root, search_parent_directories=True) as repo:
            if repo.working_tree_dir is None:
                return set()
            top = Path(repo.working_tree_dir).resolve()
            folder = (root.resolve() / INCIDENTS_DIR).relative_to(top).as_posix()
            listing = repo.git.for_each_ref("--format=%(objectname)", *REF_PATTERNS)
            found: set[str] = set()
            for commit in dict.fromkeys(listing.split()):  # many branches share a commit
                try:
                    names = repo.git.ls_tree("-r", "--name-only", commit, "--", f"{folder}/")
                except git.GitCommandError:
                    continue  # a ref to something that is not a commit
                found.update(PurePosixPath(name).stem for name in names.splitlines() if name.endswith(".md"))
            return {name for name in found if _ID.match(name)}
    except (git.GitError, OSError, ValueError):
        return set()


def numbers_on_branches(root: Path, day: str) -> set[int]:
    """Sequence numbers taken on ``day`` (YYYYMMDD) on any branch."""
    out: set[int] = set()
    for incident_id in ids_on_branches(root):
        match = _ID.match(incident_id)
        if match and match.group(1) == day:
            out.add(int(match.group(2)))
    return out
