"""Where things live in a failurelog repository."""

from __future__ import annotations

from pathlib import Path

from failurelog.errors import RepositoryNotFound

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


def incident_files(root: Path) -> list[Path]:
    """Every incident file under ``incidents/``, sorted."""
    folder = root / INCIDENTS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.md") if not p.name.startswith("."))


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the repository root where it lies inside it."""
    for candidate, base in ((path.absolute(), root.absolute()), (path.resolve(), root.resolve())):
        try:
            return candidate.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)
