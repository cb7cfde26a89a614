"""The incidents of a repository: loading them all, and finding one by id.

Every command finds an incident the same way: :func:`find_file` (by id, in
any case, or by path), and :func:`holding` among loaded documents. Large
sets are loaded over forked workers (:func:`load_all`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from failurelog.core.errors import FailurelogError, UsageError
from failurelog.core.ids import IdFormat
from failurelog.core.loader import Document, load
from failurelog.core.parallel import fork_map
from failurelog.core.paths import INCIDENTS_DIR, display_path, incident_files

#: A step run on each document right after it is loaded (in the worker process when loading is spread).
Step = Callable[[Document], None]


def _load(root: Path, step: Step | None, path: Path) -> Document:
    doc = load(path, display_path(path, root), root)
    if step is not None:
        step(doc)
        doc.text = ""  # the step is done with it; not sending it back halves what crosses between processes
    return doc


def load_all(root: Path, files: Sequence[Path] | None = None, *, step: Step | None = None) -> list[Document]:
    """Load every incident (or ``files``) under ``root``, in file order, running ``step`` on each.

    With a ``step`` (the validator's checks), large sets are spread over the
    CPUs with forked workers; YAML parsing is most of the cost and is CPU-bound.
    A document that went through a step comes back without its ``text``.
    """
    paths = list(files if files is not None else incident_files(root))
    if step is None:
        return [load(path, display_path(path, root), root) for path in paths]
    return fork_map(partial(_load, root, step), paths)


def holding(docs: Sequence[Document], incident_id: str) -> list[Document]:
    """The documents whose front matter has the id ``incident_id`` (exact, canonical spelling)."""
    return [d for d in docs if d.meta is not None and d.meta.get("id") == incident_id]


def find_files(root: Path, ids: IdFormat, text: str) -> list[Path]:
    """Incident files named by ``text``: an id in any case (files of that name), or a path to an incident file."""
    parsed = ids.parse(text)
    if parsed is not None:
        wanted = parsed.filename
        return [path for path in incident_files(root) if ids.canonical(path.stem) + ".md" == wanted]
    path = Path(text)
    return [path] if path.suffix == ".md" and path.is_file() else []


def find_file(root: Path, ids: IdFormat, text: str) -> Path:
    """The one incident file ``text`` (an id in any case, or a path) names; a clear error otherwise."""
    found = find_files(root, ids, text)
    if not found:
        if ids.parse(text) is None and not text.endswith(".md"):
            raise UsageError(f"{text!r} is not an incident id ({ids.template}, e.g. {ids.example}) or file")
        raise FailurelogError(f"no incident {ids.canonical(text)} under {INCIDENTS_DIR}/")
    if len(found) > 1:
        names = ", ".join(display_path(path, root) for path in found)
        raise FailurelogError(f"{ids.canonical(text)} names {len(found)} files ({names}): name the file instead")
    return found[0]


def resolve_targets(root: Path, ids: IdFormat, targets: Sequence[str]) -> list[Path]:
    """Paths for ``validate``'s arguments: a file or folder as given, or an incident id (any case).

    A target that is neither an existing path nor the id of an incident file is a usage error (exit 2).
    """
    out: list[Path] = []
    missing: list[str] = []
    unknown: list[str] = []
    for target in targets:
        path = Path(target)
        if path.exists() or path.is_symlink():
            out.append(path)
        elif ids.parse(target) is None:
            missing.append(target)
        elif found := find_files(root, ids, target):
            out.extend(found)
        else:
            unknown.append(ids.canonical(target))
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if unknown:
        raise UsageError(f"no incident {', '.join(unknown)} under {INCIDENTS_DIR}/")
    return out
