"""Where things live in a failurelog repository."""

from __future__ import annotations

import os
from pathlib import Path

from failurelog.core.errors import RepositoryNotFound

SCHEMA_FILE = Path("schema") / "incident.schema.json"
TEMPLATE_FILE = Path("templates") / "incident.md.j2"
INCIDENTS_DIR = Path("incidents")


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds the incident schema."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SCHEMA_FILE).is_file():
            return folder
    raise RepositoryNotFound(
        f"not inside a failurelog repository: no {SCHEMA_FILE} in {here} or any folder above it "
        "(run from the repository, or pass --root)"
    )


def is_incident_path(relative: str) -> bool:
    """Whether a path relative to the repository root (``/``-separated) names an incident file."""
    folder, _, rest = relative.partition("/")
    name = rest.rpartition("/")[2]
    return folder == INCIDENTS_DIR.name and name.endswith(".md") and not name.startswith(".")


def incident_names(root: Path) -> list[str]:
    """Every incident file under ``incidents/`` as a ``/``-separated path relative to ``root``, in file order.

    The order is :func:`incident_files`'; folders reached through a symbolic link are not entered.
    """
    folder = root / INCIDENTS_DIR
    if not folder.is_dir():
        return []
    out: list[list[str]] = []
    top = len(str(folder))
    for here, dirs, files in os.walk(folder):
        rest = here[top:].replace(os.sep, "/").strip("/")
        prefix = [INCIDENTS_DIR.name, *rest.split("/")] if rest else [INCIDENTS_DIR.name]
        # a folder named *.md is listed too (it is then reported as not a regular file)
        out.extend([*prefix, name] for name in (*files, *dirs) if name.endswith(".md") and not name.startswith("."))
    out.sort()
    return ["/".join(parts) for parts in out]


def incident_files(root: Path) -> list[Path]:
    """Every incident file under ``incidents/`` (see :func:`is_incident_path`), sorted."""
    return [root / name for name in incident_names(root)]


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the repository root where it lies inside it."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # not below root, or a symbolic-link loop
        return str(path)
