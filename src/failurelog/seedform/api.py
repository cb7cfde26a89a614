"""``failurelog import`` and ``failurelog export --format text``: forms in, forms out.

Problems with one form (not the form at all, an id already taken, values
that cannot make a valid incident) are reported for that form and the others
go on; warnings name the line of the form they are about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from failurelog.core.atomic import write_new
from failurelog.core.branches import used_ids
from failurelog.core.errors import FailurelogError, FormError
from failurelog.core.ids import IdFormat
from failurelog.core.loader import load
from failurelog.core.paths import display_path
from failurelog.core.repository import find_file, find_files
from failurelog.core.roles import flagged
from failurelog.core.schema import Schema, load_schema
from failurelog.core.values import values_at
from failurelog.seedform import layout, reader, settle, to_incident, writer
from failurelog.seedform.reader import Draft, Note, format_path
from failurelog.seedform.settle import read_sections
from failurelog.seedform.writer import form_order, render_form

#: Fewer recognised headings and labels than this, and the file is not taken for the form.
MIN_RECOGNISED = 4
MAX_FORM_BYTES = 2 * 1024 * 1024


@dataclass
class Outcome:
    """What became of one form."""

    source: str
    path: Path | None = None
    text: str = ""
    notes: list[Note] = field(default_factory=list)
    error: str | None = None


def decode(data: bytes, notes: list[Note]) -> str:
    """The form's text: UTF-8 (a byte-order mark is skipped), else Windows-1252 with a warning; CRLF as LF."""
    if b"\x00" in data:
        raise FormError("binary file, not a filled-in form")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        notes.append(Note(1, "file", "not UTF-8: read as Windows-1252"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _one_form(text: str) -> None:
    """Refuse a file holding two forms: its title line (the first line with a letter) recurs where the second begins."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if any(c.isalpha() for c in line)), None)
    if first is None:
        return
    title = lines[first].strip()
    for number, line in enumerate(lines[first + 1 :], start=first + 2):
        if line.strip() == title:
            raise FormError(
                f"line {number}: a second form begins here ({title!r} again); two forms in one file would be "
                "merged into one incident: put each form in its own file and import them together"
            )


def read_form(schema: Schema, text: str) -> Draft:
    """A draft incident from the text of a filled-in form (refused when the text is not the form)."""
    shape = layout.cached(schema)
    if text.lstrip().startswith("---\n") and "\n## " in text:
        raise FormError("this is an incident file (Markdown with front matter), not a filled-in form")
    _one_form(text)
    reading = reader.read(shape, text)
    if reading.recognised < MIN_RECOGNISED:
        raise FormError(
            "not a SYSTEM FAILURE ANALYSIS LOG form: found "
            f"{reading.recognised} of its headings and labels (INCIDENT ID:, SEVERITY:, SYMPTOMS OBSERVED, ...)"
        )
    return to_incident.build(shape, reading)


def _missing(schema: Schema, draft: Draft) -> None:
    lacking = [
        schema.fields[name].title.upper()
        for name in schema.raw.get("required", [])
        if name not in ("id", "status") and name not in draft.meta
    ]
    if lacking:
        raise FormError(
            f"the form has no {', '.join(lacking)}: every incident needs {'it' if len(lacking) == 1 else 'them'}"
        )


def _allocate(root: Path, ids: IdFormat, draft: Draft, reserved: set[str]) -> str:
    day = str(draft.meta["occurred_at"])[:10].replace("-", "")
    try:
        candidate = str(ids.next_free(day, used_ids(root, ids) | reserved))
    except FailurelogError as exc:
        raise FormError(str(exc)) from None
    draft.notes.append(Note(0, "id", f"the form has no INCIDENT ID: numbered {candidate}"))
    return candidate


def import_one(root: Path, source: Path, *, dry_run: bool, reserved: set[str]) -> Outcome:
    """Import one form; never raises for a problem with the form itself."""
    outcome = Outcome(display_path(source, root) if source.is_absolute() else str(source))
    schema = load_schema(root)
    try:
        if not source.exists():
            raise FormError("no such file")
        if not source.is_file():
            raise FormError("not a regular file")
        if source.stat().st_size > MAX_FORM_BYTES:
            raise FormError(f"larger than {MAX_FORM_BYTES // 1048576} MiB: not a filled-in form")
        text = decode(source.read_bytes(), outcome.notes)
        draft = read_form(schema, text)
        draft.notes[:0] = outcome.notes
        _missing(schema, draft)
        incident_id = draft.meta.get("id") or _allocate(root, schema.ids, draft, reserved)
        draft.meta["id"] = incident_id
        where = next(iter(find_files(root, schema.ids, incident_id)), None)  # any case, anywhere
        if where is not None or incident_id in reserved:
            shown = display_path(where, root) if where else "another form in this import"
            raise FormError(f"incident {incident_id} already exists ({shown}); not overwritten")
        path = schema.ids.require(incident_id).path(root)
        mark_kept_elsewhere(schema, draft, {str(i) for i in schema.ids.ids_in_checkout(root)} | reserved)
        settled = settle.settle(schema, draft, path)
        outcome.path, outcome.text, outcome.notes = path, settled.text, draft.notes
        reserved.add(incident_id)
        if not dry_run:
            try:
                write_new(path, settled.text)
            except FileExistsError:
                raise FormError(f"incident {incident_id} already exists; not overwritten") from None
    except OSError as exc:
        written = exc.filename is not None and Path(exc.filename) != source
        shown = display_path(Path(exc.filename), root) if written else ""
        outcome.error = (
            f"cannot write {shown}: {exc.strerror or exc}" if written else f"cannot read: {exc.strerror or exc}"
        )
    except FailurelogError as exc:
        outcome.error = str(exc)
    return outcome


#: What import writes beside a reference to an incident it cannot find.
KEPT_ELSEWHERE = "not in this repository when imported (named on the paper form)"


def mark_kept_elsewhere(schema: Schema, draft: Draft, known: set[str]) -> None:
    """Mark references to incidents not in the repository as kept elsewhere, with a note for each."""
    externals = flagged(schema, "x-incident-external")
    for spec in schema.reference_fields:
        parent_name = spec.name.rsplit(".", 1)[0] if "." in spec.name else ""
        external = next((f for f in externals if f.name.rsplit(".", 1)[0] == parent_name), None)
        if external is None:
            continue
        for path, value in values_at(draft.meta, spec.name):
            if not isinstance(value, str) or value in known or value == draft.meta.get("id"):
                continue
            item: Any = draft.meta
            for part in path[:-1]:
                item = item[part]
            if isinstance(item, dict) and not item.get(external.key):
                item[external.key] = KEPT_ELSEWHERE
                draft.notes.append(
                    Note(
                        draft.sources.get(path, ("", 0))[1],
                        format_path(path),
                        f"{value} is not in this repository: kept as a reference to a record kept elsewhere "
                        f"({external.title}); it becomes a link once {value} is imported",
                    )
                )


def import_files(root: Path, sources: list[Path], *, dry_run: bool = False) -> list[Outcome]:
    """Import every form in ``sources``, in order."""
    reserved: set[str] = set()
    return [import_one(root, source, dry_run=dry_run, reserved=reserved) for source in sources]


def incident_parts(root: Path, incident_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Front matter and body sections of an incident (refused when its front matter cannot be read)."""
    schema = load_schema(root)
    path = find_file(root, schema.ids, incident_id)
    doc = load(path, display_path(path, root), root)
    if doc.meta is None:
        detail = "; ".join(f"line {p.line}: {p.message}" for p in doc.problems)
        raise FailurelogError(f"cannot read {doc.display}: {detail}")
    return doc.meta, read_sections(schema, doc.body)


def reimport(schema: Schema, text: str, incident_id: str, root: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """What importing ``text`` gives (nothing written): front matter and body sections."""
    draft = read_form(schema, text)
    draft.meta.setdefault("id", incident_id)
    settled = settle.settle(schema, draft, schema.ids.require(incident_id).path(root))
    return settled.meta, settled.sections


def export_form(root: Path, incident_id: str) -> tuple[str, list[str]]:
    """The incident as the filled-in form, and warnings about what would not read back the same.

    What the form has no place for is added as ``[failurelog]`` lines (see :mod:`writer`),
    found by importing the printed form again and comparing.
    """
    schema = load_schema(root)
    meta, sections = incident_parts(root, incident_id)
    shape = layout.cached(schema)
    text = render_form(shape, meta, sections)
    real_id = str(meta.get("id", incident_id))
    try:
        back, back_sections = reimport(schema, text, real_id, root)
    except FailurelogError as exc:
        return text, [f"the printed form would not import again ({exc}); printed without [failurelog] lines"]
    changes = writer.diff(schema, form_order(shape, meta), back)
    warnings = [
        f"section '{spec.heading}' would not read back exactly as written"
        for spec in schema.sections
        if sections.get(spec.key, "") != back_sections.get(spec.key, "")
    ]
    return (render_form(shape, meta, sections, writer.lines(changes)) if changes else text), warnings
