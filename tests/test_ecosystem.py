"""The files other tools read: pre-commit hooks, GitHub workflows, the pull-request template, CONTRIBUTING."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from failurelog.cli.main import build_parser
from tests.cli_helpers import ENTRY_POINT

ROOT = Path(__file__).resolve().parent.parent


def load_yaml(relative: str) -> Any:
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


def triggers(workflow: dict[Any, Any]) -> Any:
    return workflow.get("on", workflow.get(True))  # PyYAML reads the key `on` as the boolean true


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict[str, Any]) -> list[str]:
    return [step["run"] for step in steps(workflow) if "run" in step]


def subcommands() -> set[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return set(actions[0].choices or ())


def test_pre_commit_hook_for_other_repositories() -> None:
    (hook,) = load_yaml(".pre-commit-hooks.yaml")
    assert hook["id"] == "failurelog-validate"
    assert hook["language"] == "python"
    assert hook["entry"] == "failurelog validate"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("incidents/2026/SYS-20261103-001.md")
    assert not files.search("README.md")
    assert not files.search("docs/incidents.md")
    script = load_toml_scripts()
    assert hook["entry"].split()[0] in script


def load_toml_scripts() -> dict[str, str]:
    import tomllib

    return dict(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"])


def test_hook_entry_runs_on_named_files(repo: Path) -> None:
    """What pre-commit does: the entry with the staged incident files appended."""
    from failurelog.authoring.scaffold import NewIncident, create

    path = create(repo, NewIncident(title="x", at="2026-11-03T14:22:07.123Z"))
    (hook,) = load_yaml(".pre-commit-hooks.yaml")
    command = [ENTRY_POINT, *shlex.split(hook["entry"])[1:], path.relative_to(repo).as_posix()]
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False, timeout=60)
    assert (result.returncode, result.stdout) == (0, "ok: 1 incident valid\n")


def test_own_pre_commit_config() -> None:
    config = load_yaml(".pre-commit-config.yaml")
    hooks = {hook["id"]: (repo["repo"], hook) for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "failurelog-validate"} <= set(hooks)
    repo, validate_hook = hooks["failurelog-validate"]
    assert repo == "local"
    assert validate_hook["language"] == "script" and (ROOT / validate_hook["entry"]).is_file()
    assert re.compile(validate_hook["files"]).search("incidents/2025/SYS-20250318-001.md")
    assert re.compile(config["exclude"]).search("tests/hostile/files/crlf.md")  # never "fixed"


def test_own_hook_runs_without_failurelog_on_the_path(repo: Path) -> None:
    """A `.venv` install puts failurelog on no PATH: the hook's script finds the checkout's own."""
    from failurelog.authoring.scaffold import NewIncident, create

    path = create(repo, NewIncident(title="x", at="2026-11-03T14:22:07.123Z"))
    config = load_yaml(".pre-commit-config.yaml")
    (hook,) = [h for r in config["repos"] for h in r["hooks"] if h["id"] == "failurelog-validate"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(repo)}
    command = [str(ROOT / hook["entry"]), path.relative_to(repo).as_posix()]
    result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=60)
    assert (result.returncode, result.stdout) == (0, "ok: 1 incident valid\n"), result.stderr


def test_pre_commit_is_installed_by_the_test_extras() -> None:
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(re.match(r"pre-commit\b", requirement) for requirement in extras["test"])


def test_validate_workflow_annotates_pull_requests_and_runs_the_tests() -> None:
    workflow = load_yaml(".github/workflows/validate.yml")
    assert "pull_request" in triggers(workflow)
    commands = runs(workflow)
    assert any("failurelog validate --format github" in command for command in commands)
    assert any(".ci/run" in command or "pytest" in command for command in commands)
    assert workflow["permissions"] == {"contents": "read"}


def test_publish_workflow_builds_from_main_with_full_history() -> None:
    workflow = load_yaml(".github/workflows/publish.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    checkout = [s for s in steps(workflow) if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert checkout and all(s["with"]["fetch-depth"] == 0 for s in checkout)
    assert any(command.startswith("failurelog build") for command in runs(workflow))
    uses = [str(s.get("uses", "")) for s in steps(workflow)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"


@pytest.mark.parametrize("workflow", sorted(p.name for p in (ROOT / ".github" / "workflows").glob("*.yml")))
def test_workflow_commands_exist(workflow: str) -> None:
    for command in runs(load_yaml(f".github/workflows/{workflow}")):
        for line in command.splitlines():
            words = shlex.split(line)
            if words[:1] == ["failurelog"]:
                assert words[1] in subcommands(), line


def test_pull_request_template_has_the_review_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] \*\*(.+?)\*\*", text, flags=re.MULTILINE)
    for wanted in (
        "Timeline complete",
        "Root cause evidenced",
        "Action items owned and dated",
        "No secrets or personal data",
        "Logs in code blocks",
        "Related incidents linked",
        "Sign-off",
    ):
        assert any(item.startswith(wanted) for item in items), wanted


def test_codeowners_example() -> None:
    lines = [
        line.split()
        for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert any(words[0] == "/incidents/" for words in lines)
    assert all(len(words) >= 2 and all(owner.startswith("@") for owner in words[1:]) for words in lines)


def test_contributing_names_real_commands() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    used = set(re.findall(r"failurelog ([a-z]+)", text))
    assert {"new", "validate", "renumber"} <= used
    assert used <= subcommands()
    assert "failurelog: allow-secret" in text
