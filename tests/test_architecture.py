"""The owners of the cross-cutting concepts (issue 12): ids, schema annotations, the lifecycle, the repository."""

from __future__ import annotations

import ast
import functools
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from failurelog.core.annotations import ANNOTATIONS, get, unknown_annotations, used_annotations
from failurelog.core.errors import SchemaError
from failurelog.core.ids import IdPatternError, id_format
from failurelog.core.lifecycle import introduced, other_rules, required_at, stages
from failurelog.core.repository import find_file, find_files
from failurelog.core.schema import Schema, load_schema
from tests.cli_helpers import run_cli
from tests.history_helpers import GitRepo, git_env
from tests.history_helpers import incident as history_incident

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "failurelog"


# -- ids ------------------------------------------------------------------------------------------------


def test_id_format_is_read_from_the_schema_pattern(schema: Schema) -> None:
    ids = schema.ids
    assert (ids.prefix, ids.digits, ids.max_per_day) == ("SYS", 3, 999)
    parsed = ids.parse(" sys-20260113-007 ")
    assert parsed is not None
    assert (str(parsed), parsed.day, parsed.year, parsed.number) == ("SYS-20260113-007", "20260113", "2026", 7)
    assert parsed.date == date(2026, 1, 13)
    assert parsed.path(Path("/r")) == Path("/r/incidents/2026/SYS-20260113-007.md")
    assert ids.parse("sys-20260113-007", exact=True) is None  # a file must hold the canonical spelling
    assert ids.parse("SYS-20260113-007", exact=True) == parsed
    for wrong in ("SYS-2026011-007", "SYS-20260113-0007", "XYZ-20260113-007", "SYS-20260113-007.md", None, 7):
        assert ids.parse(wrong) is None, wrong
    assert ids.make("20261399", 1).date is None


def test_a_different_pattern_gives_a_different_format() -> None:
    other = id_format("^INC-[0-9]{8}-[0-9]{4}$")
    assert str(other.make("20260101", 12)) == "INC-20260101-0012"
    assert other.max_per_day == 9999
    assert other.parse("SYS-20260101-001") is None
    with pytest.raises(IdPatternError):
        id_format("^SYS-[0-9]+$")


def test_next_free_skips_taken_ids_in_any_case_and_stops_at_the_limit(schema: Schema) -> None:
    ids = schema.ids
    taken = {"SYS-20260101-001", "sys-20260101-002", "SYS-20260102-003", "not an id"}
    assert str(ids.next_free("20260101", taken)) == "SYS-20260101-003"
    assert str(ids.next_free("20260102", taken)) == "SYS-20260102-001"
    full = {str(ids.make("20260101", n)) for n in range(1, 1000)}
    with pytest.raises(Exception, match="all 999 incident numbers for 20260101 are taken"):
        ids.next_free("20260101", full)


def test_the_id_pattern_is_written_once_in_python() -> None:
    """No module but core/ids.py spells the id's shape (the schema holds the pattern)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "ids.py":
            continue
        for node in ast.walk(_parsed(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if "SYS-(" in text or "SYS-{" in text or r"\d{8}" in text or "[4:8]" in text:
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


# -- annotations and lifecycle -----------------------------------------------------------------------------


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "schema" / "incident.schema.json").read_text(encoding="utf-8"))
    return data


def _repo_with_schema(tmp_path: Path, raw: dict[str, Any]) -> Path:
    root = tmp_path / "repo"
    (root / "schema").mkdir(parents=True)
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "incidents").mkdir()
    (root / "schema" / "incident.schema.json").write_text(json.dumps(raw, indent=2), encoding="utf-8")
    return root


def test_every_annotation_the_schema_uses_is_declared(schema: Schema) -> None:
    assert unknown_annotations(schema.raw) == []
    used = used_annotations(schema.raw)
    assert {"x-role", "x-body-sections", "x-summary"} <= used <= set(ANNOTATIONS)
    assert all(a.meaning for a in ANNOTATIONS.values())


def test_reading_an_undeclared_annotation_is_a_bug() -> None:
    with pytest.raises(KeyError, match="x-rol is not a declared"):
        get({"x-rol": "downtime"}, "x-rol")


def test_a_misspelt_annotation_is_a_schema_error_at_load(tmp_path: Path) -> None:
    raw = _raw()
    trading = raw["properties"]["impact"]["properties"]["trading"]["properties"]
    trading["outage_min"]["x-rol"] = trading["outage_min"].pop("x-role")
    root = _repo_with_schema(tmp_path, raw)
    with pytest.raises(SchemaError) as caught:
        load_schema(root)
    message = str(caught.value)
    assert "/properties/impact/properties/trading/properties/outage_min/x-rol" in message
    assert "did you mean x-role?" in message
    result = run_cli(root, "validate")
    assert result.returncode == 1
    assert result.stderr.startswith("ERROR schema/incident.schema.json: /properties/impact")
    assert "Traceback" not in result.stderr


def test_a_lifecycle_stage_naming_a_missing_field_is_a_schema_error(tmp_path: Path) -> None:
    raw = _raw()
    closed = next(b for b in raw["allOf"] if b["if"]["properties"].get("status", {}).get("enum") == ["closed"])
    closed["then"]["properties"]["sign_off"]["required"].append("aproved_by")
    root = _repo_with_schema(tmp_path, raw)
    with pytest.raises(SchemaError, match=r"the stage closed requires sign_off\.aproved_by, which is not a field"):
        load_schema(root)


def test_what_a_stage_asks_for_first_is_read_from_all_of(schema: Schema) -> None:
    closed = introduced(schema.raw, "closed")
    assert set(closed) == {"sign_off", "action_items", "body"}
    assert {"sign_off.closed_at", "sign_off.approved_by"} <= set(closed["sign_off"])
    assert set(closed["body"]) == {"why_not_caught_explanation", "what_went_well", "what_could_be_improved"}
    resolved = introduced(schema.raw, "resolved")
    assert "failure" not in resolved  # failure.failure_modes is new at resolved, but failure was asked for earlier
    assert set(resolved) == {"root_cause", "impact", "resolution", "body"}
    raw = _raw()  # a stage asking for something else asks for it first
    stage = next(b for b in raw["allOf"] if b["if"]["properties"].get("status", {}).get("enum") == ["closed"])
    stage["then"]["required"].remove("action_items")
    resolved_stage = next(
        b for b in raw["allOf"] if b["if"]["properties"].get("status", {}).get("enum") == ["resolved", "closed"]
    )
    resolved_stage["then"]["required"].append("action_items")
    assert "action_items" in introduced(raw, "resolved")
    assert "action_items" not in introduced(raw, "closed")


def test_lifecycle_is_read_from_all_of(schema: Schema) -> None:
    assert schema.statuses == list(schema.raw["properties"]["status"]["enum"])
    draft, closed = schema.required_at(schema.statuses[0]), schema.required_at("closed")
    assert draft == list(schema.raw["required"])
    assert {"sign_off.approved_by", "root_cause.summary", "system.hostname"} <= set(closed)
    assert set(draft) < set(schema.required_at("investigating")) < set(schema.required_at("resolved"))
    assert all(stage.required for stage in stages(schema.raw))
    assert required_at(schema.raw, "closed") == closed
    rules = {(r.field, r.value, r.detail) for r in other_rules(schema.raw)}
    assert rules == {("components", "Other", "components_other"), ("failure_types", "Other", "failure_types_other")}


# -- one find-by-id, ids in any case in every command ----------------------------------------------------------


GOOD = (
    "---\nid: {id}\ntitle: t\noccurred_at: '2026-01-13T10:00:00.000Z'\nstatus: draft\nseverity: P1-High\n"
    "schema_version: 2\n---\n\n"
    "## Initial Symptoms\n\nFeed stopped.\n"
)


def _write(repo: Path, incident_id: str, text: str | None = None) -> Path:
    path = repo / "incidents" / "2026" / f"{incident_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text or GOOD.format(id=incident_id), encoding="utf-8")
    return path


def test_find_by_id_in_any_case(repo: Path, schema: Schema) -> None:
    path = _write(repo, "SYS-20260113-001")
    assert find_files(repo, schema.ids, "sys-20260113-001") == [path]
    assert find_file(repo, schema.ids, "Sys-20260113-001") == path
    with pytest.raises(Exception, match="no incident SYS-20260113-002 under incidents/"):
        find_file(repo, schema.ids, "sys-20260113-002")


def test_validate_takes_ids_in_any_case(repo: Path) -> None:
    _write(repo, "SYS-20260113-001")
    _write(repo, "SYS-20260113-002", GOOD.format(id="SYS-20260113-002").replace("severity: P1-High", "severity: P9"))
    good = run_cli(repo, "validate", "sys-20260113-001")
    assert (good.returncode, good.stdout) == (0, "ok: 1 incident valid\n")
    bad = run_cli(repo, "validate", "SYS-20260113-002")
    assert bad.returncode == 1 and "SYS-20260113-002.md" in bad.stdout
    unknown = run_cli(repo, "validate", "SYS-20260113-009")
    assert (unknown.returncode, unknown.stderr) == (2, "ERROR no incident SYS-20260113-009 under incidents/\n")


def test_export_takes_ids_in_any_case_in_every_format(repo: Path) -> None:
    _write(repo, "SYS-20260113-001")
    as_json = run_cli(repo, "export", "sys-20260113-001", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert [m["id"] for m in json.loads(as_json.stdout)] == ["SYS-20260113-001"]
    as_text = run_cli(repo, "export", "sys-20260113-001")
    assert as_text.returncode == 0 and "SYS-20260113-001" in as_text.stdout


@pytest.fixture
def git_repo(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> GitRepo:
    for key, value in git_env().items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    gr = GitRepo(repo).init()
    gr.commit("Add schema and templates", "2026-02-01T09:00:00Z")
    return gr


@pytest.mark.slow
def test_history_takes_ids_in_any_case_and_names_the_new_id_after_a_renumber(git_repo: GitRepo) -> None:
    git_repo.write("incidents/2026/SYS-20260301-001.md", history_incident("SYS-20260301-001"))
    git_repo.write("incidents/2026/SYS-20260301-002.md", history_incident("SYS-20260301-002", title="Other"))
    git_repo.commit("Open two", "2026-03-01T09:00:00Z")
    shown = run_cli(git_repo.root, "history", "sys-20260301-001")
    assert shown.returncode == 0, shown.stderr
    assert "SYS-20260301-001" in shown.stdout
    renumbered = run_cli(git_repo.root, "renumber", "SYS-20260301-002", "SYS-20260301-003")
    assert renumbered.returncode == 0, renumbered.stderr
    git_repo.commit("Renumber", "2026-03-02T09:00:00Z")
    old = run_cli(git_repo.root, "history", "SYS-20260301-002")
    assert old.returncode == 0, old.stderr
    assert "SYS-20260301-002 was renumbered: it is now SYS-20260301-003" in old.stderr
    assert "SYS-20260301-003" in old.stdout
    missing = run_cli(git_repo.root, "history", "SYS-20260301-009")
    assert missing.returncode == 1 and "no incident SYS-20260301-009" in missing.stderr


def test_renumber_takes_ids_in_any_case(repo: Path) -> None:
    _write(repo, "SYS-20260113-001")
    done = run_cli(repo, "renumber", "sys-20260113-001", "sys-20260113-004")
    assert done.returncode == 0, done.stderr
    assert "renumbered SYS-20260113-001 -> SYS-20260113-004" in done.stdout
    assert (repo / "incidents" / "2026" / "SYS-20260113-004.md").read_text(encoding="utf-8").count(
        "id: SYS-20260113-004"
    ) == 1


# -- layout rules ------------------------------------------------------------------------------------------


@functools.cache
def _parsed(path: Path) -> ast.Module:
    """The module's syntax tree, parsed once for every test of this file."""
    return ast.parse(path.read_text(encoding="utf-8"))


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_modules_and_functions_stay_small() -> None:
    too_long = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 400:
            too_long.append(f"{path.relative_to(SRC)}: {len(text.splitlines())} lines")
        for function in _functions(_parsed(path)):
            if (function.end_lineno or function.lineno) - function.lineno + 1 > 80:
                too_long.append(f"{path.relative_to(SRC)}:{function.lineno} {function.name}")
    assert too_long == []


def test_core_imports_nothing_above_it() -> None:
    """core/ is the bottom layer: it imports no other package of failurelog."""
    bad = []
    for path in (SRC / "core").glob("*.py"):
        imports = [n for n in ast.walk(_parsed(path)) if isinstance(n, ast.ImportFrom)]
        for node in imports:
            module = node.module or ""
            if module.startswith("failurelog.") and not module.startswith("failurelog.core"):
                bad.append(f"core/{path.name}: {module}")
    assert bad == []


def test_help_lists_every_command_module() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "failurelog"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("new", "validate", "history", "renumber", "import", "export", "build", "serve"):
        assert f"    {command}" in result.stdout, command


# -- imports ------------------------------------------------------------------------------------------------

#: Third-party packages slow enough to import that ``failurelog --help`` must not load them.
HEAVY = frozenset({"jsonschema", "fastjsonschema", "jinja2", "git", "yaml", "markdown", "nh3", "mkdocs"})

#: The in-function imports of failurelog's own modules that stay, and why. Each is a command module's ``run``
#: importing the library module that does the work, because that module loads a package of HEAVY (checked
#: below, so an entry cannot outlive its reason) and ``cli/main`` imports every command module for ``--help``.
LAZY_FOR_HELP = {
    ("cli/actions.py", "failurelog.analysis.followthrough"),
    ("cli/actions.py", "failurelog.model.load"),
    ("cli/assets.py", "failurelog.analysis.assets"),
    ("cli/assets.py", "failurelog.core.inventory"),
    ("cli/assets.py", "failurelog.model.load"),
    ("cli/build.py", "failurelog.site.build"),
    ("cli/export.py", "failurelog.model.export"),
    ("cli/history.py", "failurelog.history.read"),
    ("cli/import_forms.py", "failurelog.seedform.api"),
    ("cli/main.py", "failurelog.cli.reporters"),
    ("cli/migrate.py", "failurelog.authoring.migrate"),
    ("cli/new.py", "failurelog.authoring.scaffold"),
    ("cli/renumber.py", "failurelog.authoring.renumber"),
    ("cli/serve.py", "failurelog.site.build"),
    ("cli/similar.py", "failurelog.analysis.similar_report"),
    ("cli/similar.py", "failurelog.model.load"),
    ("cli/stats.py", "failurelog.analysis.kpis"),
    ("cli/stats.py", "failurelog.model.load"),
    ("cli/validate.py", "failurelog.cli.reporters"),
    ("cli/validate.py", "failurelog.core.repository"),
    ("cli/validate.py", "failurelog.validate.run"),
}


@functools.cache
def _module_file(module: str) -> Path | None:
    base = SRC.parent.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The absolute modules an import statement loads (``from a import b`` loads ``a.b`` when that is a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    module = node.module or ""
    return [f"{module}.{a.name}" for a in node.names if _module_file(f"{module}.{a.name}")] or [module]


def _function_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for function in _functions(tree):
        found += [n for n in ast.walk(function) if isinstance(n, ast.Import | ast.ImportFrom)]
    return found


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The imports a module runs when it is imported: not those in functions or under ``if TYPE_CHECKING``."""
    skipped = {id(n) for n in _function_imports(tree)}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skipped |= {id(n) for n in ast.walk(node)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) and id(n) not in skipped]


@functools.cache
def _runtime_targets(path: Path) -> tuple[str, ...]:
    return tuple(t for node in _runtime_imports(_parsed(path)) for t in _imported(node))


def _loads_heavy(module: str, seen: set[str] | None = None) -> set[str]:
    """The HEAVY packages importing ``module`` loads, following the module-level imports of failurelog's modules."""
    seen = set() if seen is None else seen
    parts = module.split(".")
    heavy: set[str] = set()
    for depth in range(1, len(parts) + 1):  # importing a.b.c runs a, a.b and a.b.c
        name = ".".join(parts[:depth])
        path = _module_file(name)
        if name in seen or path is None:
            continue
        seen.add(name)
        for target in _runtime_targets(path):
            top = target.split(".")[0]
            heavy |= {top} & HEAVY
            if top == "failurelog":
                heavy |= _loads_heavy(target, seen)
    return heavy


def test_the_package_imports_its_own_modules_at_the_top() -> None:
    """An import of failurelog inside a function hides a cycle or costs nothing to make at the top (issue 12)."""
    found = set()
    for path in sorted(SRC.rglob("*.py")):
        for node in _function_imports(_parsed(path)):
            assert not (isinstance(node, ast.ImportFrom) and node.level), f"{path}:{node.lineno}: relative import"
            for target in _imported(node):
                if target.split(".")[0] == "failurelog":
                    found.add((path.relative_to(SRC).as_posix(), target))
    assert found - LAZY_FOR_HELP == set(), "move these imports to the top of the module"
    assert LAZY_FOR_HELP - found == set(), "no longer imported inside a function: drop it from LAZY_FOR_HELP"


def test_an_import_kept_inside_a_function_loads_a_heavy_package() -> None:
    light = sorted(f"{path}: {module}" for path, module in LAZY_FOR_HELP if not _loads_heavy(module))
    assert light == [], "these load no heavy package: import them at the top"
    assert _loads_heavy("failurelog.cli.main") == set()  # what --help loads
