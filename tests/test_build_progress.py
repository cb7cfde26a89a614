"""The site build shows its phases with a bar on a terminal, and nothing when its output is not a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from failurelog.core import progress
from failurelog.site.generate import _MEMO, prepare
from tests.site_helpers import TODAY, make_repo


def test_phases_show_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo")
    monkeypatch.setattr(progress, "enabled", lambda stream=None: True)
    _MEMO.clear()
    done = prepare(repo, today=TODAY)
    err = capfd.readouterr().err
    pages = done.written.written + done.written.unchanged
    assert f"writing pages: {pages} pages" in err


def test_nothing_shows_when_output_is_not_a_terminal(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo")
    _MEMO.clear()
    prepare(repo, today=TODAY)
    assert capfd.readouterr().err == ""
