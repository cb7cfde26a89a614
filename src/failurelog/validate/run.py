"""Validate incident files: load, check each, check them against each other, report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from failurelog.core.loader import Document, load
from failurelog.core.parallel import PARALLEL_MIN_ITEMS, fork_map
from failurelog.core.paths import display_path, incident_files
from failurelog.core.problems import Problem
from failurelog.core.schema import Schema, load_schema
from failurelog.core.siteconfig import markdown_spec
from failurelog.validate.checks import body_problems, schema_problems
from failurelog.validate.numbers import number_problems
from failurelog.validate.outside_content import outside_content_problems
from failurelog.validate.rules import consistency_problems, file_problems, repository_problems
from failurelog.validate.secrets import secret_problems
from failurelog.validate.text import text_problems


@dataclass
class Report:
    """The outcome of validating a set of files."""

    checked: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no file has a problem."""
        return not self.problems

    @property
    def invalid_files(self) -> list[str]:
        """Files with at least one problem, in order."""
        return sorted({p.file for p in self.problems})


def check_document(doc: Document, schema: Schema, *, quick: bool = False, markdown: str | None = None) -> None:
    """Run every single-file check on ``doc``, adding its problems to it.

    With ``quick``, the compiled yes/no check runs first and the full validator
    only on files it rejects: worth its 0.2 s of compiling for larger sets.
    Probable credentials and images from other hosts are looked for even when the front matter is broken;
    ``markdown`` is the site's body extensions (default: those of the working folder's mkdocs.yml).
    """
    doc.problems.extend(secret_problems(doc))
    doc.problems.extend(outside_content_problems(doc, markdown))
    if doc.meta is None:
        return
    doc.problems.extend(number_problems(doc))
    doc.problems.extend(text_problems(doc))
    if not (quick and schema.quick_check(doc.meta)):
        doc.problems.extend(schema_problems(doc, schema))
    doc.problems.extend(body_problems(doc, schema))
    doc.problems.extend(file_problems(doc))
    doc.problems.extend(consistency_problems(doc, schema))


#: From this many files on, compiling the quick check pays for itself.
QUICK_CHECK_MIN_FILES = 50


def _load_and_check(root: Path, schema: Schema, quick: bool, path: Path) -> Document:
    doc = load(path, display_path(path, root), root)
    check_document(doc, schema, quick=quick, markdown=markdown_spec(root))
    doc.text = ""  # the checks are done with it; not sending it back halves what crosses between processes
    return doc


def load_all(root: Path, schema: Schema, files: Sequence[Path] | None = None, *, check: bool = True) -> list[Document]:
    """Load (and, with ``check``, check) every incident or ``files`` under ``root``, in file order.

    Large sets are spread over the CPUs with forked workers that inherit the
    compiled validators; YAML parsing is most of the cost and is CPU-bound.
    """
    paths = list(files if files is not None else incident_files(root))
    if not check:
        return [load(path, display_path(path, root), root) for path in paths]
    quick = len(paths) >= QUICK_CHECK_MIN_FILES
    markdown_spec(root)  # read mkdocs.yml once, before forking
    if len(paths) >= PARALLEL_MIN_ITEMS:
        schema.quick_check  # compile before forking, so every worker inherits it  # noqa: B018
        schema.validator  # noqa: B018
    return fork_map(partial(_load_and_check, root, schema, quick), paths)


def expand(targets: Sequence[Path]) -> list[Path]:
    """Files named, plus the ``*.md`` files inside folders named."""
    out: list[Path] = []
    for target in targets:
        if target.is_dir():
            out.extend(sorted(target.rglob("*.md")))
        else:
            out.append(target)
    return out


def validate(root: Path, targets: Sequence[Path] = ()) -> Report:
    """Validate ``targets`` (default: every incident) in the context of the whole repository.

    Cross-incident rules (unique ids, references) see every incident in the
    repository, but only problems in the targeted files are reported.
    """
    return validate_documents(root, targets)[0]


def validate_documents(root: Path, targets: Sequence[Path] = ()) -> tuple[Report, list[Document]]:
    """:func:`validate`, also handing back the checked documents (the site builds from them)."""
    schema = load_schema(root)
    repository = incident_files(root)
    chosen = expand(targets) if targets else repository
    chosen_keys = {p.absolute() for p in chosen}
    others = [p for p in repository if p.absolute() not in chosen_keys]
    docs = load_all(root, schema, chosen)
    context = load_all(root, schema, others, check=False) if others else []
    report = Report(checked=[d.display for d in docs])
    for doc in docs:
        report.problems.extend(doc.problems)
    wanted = {d.display for d in docs}
    report.problems.extend(p for p in repository_problems(docs + context, schema) if p.file in wanted)
    report.problems.sort(key=lambda p: (p.file, p.line, p.field, p.message))
    return report, docs
