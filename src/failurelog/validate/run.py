"""Validate incident files: load, check each, check them against each other, report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from failurelog.core.inventory import inventory_problems
from failurelog.core.loader import Document
from failurelog.core.parallel import PARALLEL_MIN_ITEMS
from failurelog.core.paths import incident_files
from failurelog.core.problems import Problem
from failurelog.core.repository import load_all
from failurelog.core.schema import Schema, load_schema
from failurelog.core.siteconfig import markdown_spec
from failurelog.validate.assets import primary_problems
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
    doc.problems.extend(file_problems(doc, schema))
    doc.problems.extend(consistency_problems(doc, schema))
    doc.problems.extend(primary_problems(doc, schema))


#: From this many files on, compiling the quick check pays for itself.
QUICK_CHECK_MIN_FILES = 50


def load_and_check(root: Path, schema: Schema, files: Sequence[Path] | None = None) -> list[Document]:
    """Load and check every incident (or ``files``) under ``root``, in file order (see :func:`load_all`)."""
    paths = list(files if files is not None else incident_files(root))
    quick = len(paths) >= QUICK_CHECK_MIN_FILES
    markdown = markdown_spec(root)  # read mkdocs.yml once, before forking
    if len(paths) >= PARALLEL_MIN_ITEMS:
        schema.quick_check  # compile before forking, so every worker inherits it  # noqa: B018
        schema.validator  # noqa: B018
    return load_all(root, paths, step=partial(check_document, schema=schema, quick=quick, markdown=markdown))


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
    docs = load_and_check(root, schema, chosen)
    context = load_all(root, others) if others else []
    report = Report(checked=[d.display for d in docs])
    for doc in docs:
        report.problems.extend(doc.problems)
    wanted = {d.display for d in docs}
    report.problems.extend(p for p in repository_problems(docs + context, schema) if p.file in wanted)
    if not targets:  # the whole repository: its fleet inventory too
        report.problems.extend(inventory_problems(root, schema))
    report.problems.sort(key=lambda p: (p.file, p.line, p.field, p.message))
    return report, docs
