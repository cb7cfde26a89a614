"""Validate incident files: load, check each, check them against each other, report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from failurelog.core.inventory import inventory_problems
from failurelog.core.loader import MAX_BYTES, Document, load, parse_bytes
from failurelog.core.parallel import PARALLEL_MIN_ITEMS, fork_imap
from failurelog.core.paths import SCHEMA_FILE, display_path, incident_files, incident_names
from failurelog.core.problems import Problem
from failurelog.core.progress import phase
from failurelog.core.repository import load_all
from failurelog.core.schema import Schema, load_schema
from failurelog.core.siteconfig import markdown_spec
from failurelog.core.yamlio import walk
from failurelog.validate.assets import primary_problems, spacing_problems
from failurelog.validate.cache import Cache, CorruptCache, Entry, cache_key, digest, stamp_of
from failurelog.validate.checks import body_problems, schema_problems
from failurelog.validate.collisions import added_elsewhere, collision_problems
from failurelog.validate.facts import facts_of
from failurelog.validate.numbers import number_problems
from failurelog.validate.outside_content import outside_content_problems
from failurelog.validate.parsed import documents_of
from failurelog.validate.rules import consistency_problems, cross_problems, file_problems
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
    walked = walk(doc.meta) if isinstance(doc.meta, dict) else []  # one walk for the checks that read every value
    doc.problems.extend(secret_problems(doc, walked))
    doc.problems.extend(outside_content_problems(doc, markdown))
    if doc.meta is None:
        return
    doc.problems.extend(number_problems(doc, walked))
    doc.problems.extend(text_problems(doc, walked))
    if not (quick and schema.quick_check(doc.meta)):
        doc.problems.extend(schema_problems(doc, schema))
    doc.problems.extend(body_problems(doc, schema))
    doc.problems.extend(file_problems(doc, schema))
    doc.problems.extend(consistency_problems(doc, schema))
    doc.problems.extend(primary_problems(doc, schema))
    doc.problems.extend(spacing_problems(doc, schema, walked))


#: From this many files on, compiling the quick check pays for itself.
QUICK_CHECK_MIN_FILES = 50


def use_quick_check(schema: Schema, count: int) -> bool:
    """Whether checking ``count`` files runs the compiled yes/no check first (see :func:`check_document`).

    For :data:`QUICK_CHECK_MIN_FILES` files or more, or whenever this process has compiled it already: a
    long-lived process (``serve``, the test suite) re-checks a few files at a time with the schema an earlier,
    larger run compiled, and the full validator costs about ten times the compiled check on a valid file.
    """
    return count >= QUICK_CHECK_MIN_FILES or "quick_check" in vars(schema)


def load_and_check(root: Path, schema: Schema, files: Sequence[Path] | None = None) -> list[Document]:
    """Load and check every incident (or ``files``) under ``root``, in file order (see :func:`load_all`)."""
    paths = list(files if files is not None else incident_files(root))
    quick = use_quick_check(schema, len(paths))
    markdown = markdown_spec(root)  # read mkdocs.yml once, before forking
    if len(paths) >= PARALLEL_MIN_ITEMS:
        schema.quick_check  # compile before forking, so every worker inherits it  # noqa: B018
        schema.validator  # noqa: B018
    return load_all(root, paths, step=partial(check_document, schema=schema, quick=quick, markdown=markdown))


def check_file(
    root: Path, schema: Schema, path: Path, *, quick: bool, markdown: str, keep: bool, checked_ns: int = 0
) -> Entry:
    """Load and check one file: its outcome, with the stamp and hash of the bytes checked when they may be cached.

    ``checked_ns`` is when the run began (the cache's :attr:`Cache.started_ns`); ``keep`` keeps the document.
    """
    display = display_path(path, root)
    stamp = stamp_of(path)
    data: bytes | None = None
    if stamp is not None and stamp[0] <= MAX_BYTES:
        try:
            data = path.read_bytes()
        except OSError:
            data = None
    doc = load(path, display, root) if data is None else parse_bytes(Document(path=path, display=display), data)
    check_document(doc, schema, quick=quick, markdown=markdown)
    doc.text = ""  # done with it; not sending it back halves what crosses between processes
    sha = digest(data) if data is not None else None
    facts = facts_of(doc, schema)
    return Entry(stamp if sha else None, sha, checked_ns, tuple(doc.problems), facts, doc=doc if keep else None)


#: Phases over fewer items than this are over before a bar would be worth drawing.
PROGRESS_MIN_ITEMS = 200


def _long(items: Sequence[object]) -> bool:
    return len(items) >= PROGRESS_MIN_ITEMS


def _check_files(
    root: Path,
    schema: Schema,
    markdown: str,
    paths: Sequence[Path],
    *,
    keep: bool,
    progress: bool,
    checked_ns: int,
    state: str,
) -> list[Entry]:
    """:func:`check_file` on every path, over forked workers for large sets."""
    quick = use_quick_check(schema, len(paths))
    if len(paths) >= PARALLEL_MIN_ITEMS:
        schema.quick_check  # compile before forking, so every worker inherits it  # noqa: B018
        schema.validator  # noqa: B018
    job = partial(check_file, root, schema, quick=quick, markdown=markdown, keep=keep, checked_ns=checked_ns)
    title = f"checking (the cache was {state}: rebuilt)" if state in ("corrupt", "stale", "newer") else "checking"
    with phase(title, len(paths), show=progress and _long(paths)) as step:
        out = []
        for entry in fork_imap(job, paths):
            out.append(entry)
            step(1)
        return out


def expand(targets: Sequence[Path]) -> list[Path]:
    """Files named, plus the ``*.md`` files inside folders named."""
    out: list[Path] = []
    for target in targets:
        if target.is_dir():
            out.extend(sorted(target.rglob("*.md")))
        else:
            out.append(target)
    return out


def validate(root: Path, targets: Sequence[Path] = (), *, cache: bool = True, progress: bool = False) -> Report:
    """Validate ``targets`` (default: every incident) in the context of the whole repository.

    Cross-incident rules (unique ids, references) see every incident in the
    repository, but only problems in the targeted files are reported. With
    ``cache`` the outcome of each unchanged file comes from ``.failurelog-cache/``
    (:mod:`failurelog.validate.cache`) and only changed files are read; without
    it every file is checked and the cache is left alone. ``progress`` shows the
    phases of a long run on a terminal (:mod:`failurelog.core.progress`).
    """
    return _validate(root, targets, cache=cache, progress=progress, keep=False)[0]


def validate_documents(
    root: Path, targets: Sequence[Path] = (), *, cache: bool = True
) -> tuple[Report, list[Document]]:
    """:func:`validate`, also handing back the documents (the site builds from them).

    With ``cache`` an unchanged file's problems come from the cache and its document is only parsed, once per
    content in a process (:mod:`failurelog.validate.parsed`); without it every file is checked.
    """
    report, docs = _validate(root, targets, cache=cache, progress=False, keep=True)
    return report, [doc for doc in docs if doc is not None]


#: A chosen file: its path, and its name in the repository (None for a file outside ``incidents/``: never cached).
Chosen = tuple[Path, str | None]


def _validate(
    root: Path, targets: Sequence[Path], *, cache: bool, progress: bool, keep: bool
) -> tuple[Report, list[Document | None]]:
    schema = load_schema(root)
    markdown = markdown_spec(root)
    names = incident_names(root)
    if targets:
        base = f"{root.absolute()}/"
        by_path = {base + name: name for name in names}
        chosen: list[Chosen] = [(path, by_path.get(str(path.absolute()))) for path in expand(targets)]
        taken = {name for _path, name in chosen}
        others = [name for name in names if name not in taken]
    else:
        chosen, others = [(root / name, name) for name in names], []
    store = Cache(root, cache_key((root / SCHEMA_FILE).read_bytes(), markdown), enabled=cache, quick=bool(targets))
    try:
        report, docs = _run(root, schema, markdown, store, chosen, others, progress=progress, keep=keep)
    except CorruptCache:  # an entry turned out malformed: start again from the files
        store.discard("corrupt")
        report, docs = _run(root, schema, markdown, store, chosen, others, progress=progress, keep=keep)
    if not targets:  # the whole repository: its fleet inventory too
        report.problems.extend(inventory_problems(root, schema))
        report.problems.sort(key=lambda p: (p.file, p.line, p.field, p.message))
    return report, docs


#: An other file seen unchanged through the cache (its entry is read only if the rules need its facts).
_SEEN = Entry(None, None, 0, (), None)


def _other(root: Path, schema: Schema, markdown: str, store: Cache, name: str, entry: Entry | None) -> Entry:
    """The outcome of another file whose facts the rules need: checked in this run, else from the cache."""
    if entry is not None and entry is not _SEEN:
        return entry
    found = store.get(name, f"{root}/{name}")
    if found is None:  # changed since it was seen a moment ago: checked now
        found = check_file(
            root,
            schema,
            root / name,
            quick=use_quick_check(schema, 1),
            markdown=markdown,
            keep=False,
            checked_ns=store.started_ns,
        )
        if found.stamp is not None:
            store.put(name, found)
    return found


def _run(
    root: Path,
    schema: Schema,
    markdown: str,
    store: Cache,
    chosen: Sequence[Chosen],
    others: Sequence[str],
    *,
    progress: bool,
    keep: bool,
) -> tuple[Report, list[Document | None]]:
    """Validate ``chosen`` among ``others``: each file's outcome from ``store`` or from checking it, then the rules.

    The cross-incident rules run over the facts of the chosen files and of the other files that hold an id
    one of them holds or names: the problems they find in the chosen files are those of all the facts. Of the
    other files only the ids are read (:meth:`Cache.peek`), and the facts of those that hold such an id.
    """
    schema.meta_checked = schema.meta_checked or store.schema_checked
    base = f"{root}/"
    total = len(chosen) + len(others)
    entries: list[Entry | None] = []
    other_ids: list[str | None] = []
    with phase(
        "reading the cache", total, show=progress and store.state == "fresh" and total >= PROGRESS_MIN_ITEMS
    ) as step:
        for _path, name in chosen:
            entries.append(store.get(name, base + name) if name is not None else None)
            step(1)
        for name in others:
            seen, found = store.peek(name, base + name)
            entries.append(None if not seen else _SEEN)
            other_ids.append(found)
            step(1)
    names = [name for _path, name in chosen] + list(others)
    missing = [index for index, entry in enumerate(entries) if entry is None]
    paths = [chosen[index][0] if index < len(chosen) else root / str(names[index]) for index in missing]
    fresh = _check_files(
        root, schema, markdown, paths, keep=keep, progress=progress, checked_ns=store.started_ns, state=store.state
    )
    for index, entry in zip(missing, fresh, strict=True):
        entries[index] = entry
        name = names[index]
        if index >= len(chosen):
            other_ids[index - len(chosen)] = entry.facts.id
        if name is not None and entry.stamp is not None:
            store.put(name, entry)
    mine = [entry for entry in entries[: len(chosen)] if entry is not None]
    report = Report(checked=[name if name is not None else display_path(path, root) for path, name in chosen])
    for entry in mine:
        report.problems.extend(entry.problems)
    facts = [entry.facts for entry in mine]
    named = {f.id for f in facts if f.id is not None} | {ref.value for f in facts for ref in f.references}
    context = [
        _other(root, schema, markdown, store, others[number], entries[len(chosen) + number]).facts
        for number, found in enumerate(other_ids)
        if found in named
    ]
    wanted = set(report.checked)
    report.problems.extend(p for p in cross_problems(facts + context) if p.file in wanted)
    ids = {name: entry.facts.id_line for (_path, name), entry in zip(chosen, mine, strict=True) if name is not None}
    if ids:
        report.problems.extend(collision_problems(root, ids, added_elsewhere(root, cache=store.state != "off")))
    report.problems.sort(key=lambda p: (p.file, p.line, p.field, p.message))
    store.schema_checked = schema.meta_checked
    store.save(set(chosen_name for _path, chosen_name in chosen if chosen_name is not None) | set(others))
    if not keep:
        return report, [None] * len(mine)
    files = [(path, shown, entry) for (path, _name), shown, entry in zip(chosen, report.checked, mine, strict=True)]
    docs: list[Document | None] = [*documents_of(root, files)]
    return report, docs
