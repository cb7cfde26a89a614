"""Incident ids taken on other git branches, so that ``new`` does not hand out one of them.

Two engineers who each run ``failurelog new`` on their own branch on the same
day would otherwise both get ``SYS-YYYYMMDD-001``. The ids already used on
every local and remote-tracking branch are read from git in one
``git for-each-ref`` and one ``git ls-tree`` per distinct commit, restricted
to ``incidents/``. Outside a git repository, or without git, there is
nothing to add and the working tree alone decides.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from failurelog.core.ids import IdFormat
from failurelog.core.paths import INCIDENTS_DIR
from failurelog.core.schema import load_schema

#: The branches looked at: local ones and remote-tracking ones (tags name released history, not new work).
REF_PATTERNS = ("refs/heads", "refs/remotes")


def _format(root: Path) -> IdFormat:
    return load_schema(root).ids


def ids_on_branches(root: Path, ids: IdFormat | None = None) -> set[str]:
    """Incident ids (file stems, canonical spelling) under ``incidents/`` on every local and remote-tracking branch.

    ``ids`` is the schema's id format (read from ``root`` when not given). Empty
    when ``root`` is not in a git repository, git is not installed, or git fails.
    """
    ids = ids or _format(root)
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
            return {str(parsed) for name in found if (parsed := ids.parse(name)) is not None}
    except (git.GitError, OSError, ValueError):
        return set()


def numbers_on_branches(root: Path, day: str, ids: IdFormat | None = None) -> set[int]:
    """Sequence numbers taken on ``day`` (YYYYMMDD) on any branch."""
    ids = ids or _format(root)
    parsed = (ids.parse(name) for name in ids_on_branches(root, ids))
    return {p.number for p in parsed if p is not None and p.day == day}


def used_ids(root: Path, ids: IdFormat | None = None) -> set[str]:
    """Every id taken: named by a file under ``incidents/`` in this checkout or on any git branch."""
    ids = ids or _format(root)
    return ids.ids_in_checkout(root) | ids_on_branches(root, ids)
