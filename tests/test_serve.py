"""``failurelog serve`` on a throw-away repository: a real server on a free port, answered over HTTP.

An edit, an added, a deleted and a renamed incident show up without a restart; an invalid incident puts its
``file:line: field: message`` on every page (and in the terminal) while the server keeps answering; fixing it
brings the site back. The waits poll with a generous limit: they say when a change shows, not how fast.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from failurelog.site.broken import BANNER_CLASS
from tests.site_helpers import make_repo

pytestmark = pytest.mark.slow

WAIT = 120.0  # seconds: a shared, loaded machine; a change normally shows within a few
INCIDENTS = Path("incidents") / "2026"
BAD_LINE = "incidents/2026/SYS-20260210-001.md:6: severity: 'P9' is not an allowed value"


@dataclass
class Server:
    """A running ``failurelog serve``: its URL and the file its terminal output goes to."""

    url: str
    log: Path

    def get(self, path: str) -> tuple[int, str]:
        """Status and text of ``path`` (a 404 is an answer too); fails on no answer within 30 s."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def wait_for(self, what: str, check: Callable[[], bool]) -> None:
        """Poll ``check`` until it holds; fail with the server's output when it never does."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.3)
        pytest.fail(f"never saw {what}; server output:\n{self.log.read_text(errors='replace')[-3000:]}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(repo: Path, log: Path) -> Iterator[Server]:
    """``failurelog serve`` on ``repo`` in a child process, stopped (by its own pid) afterwards."""
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1773100800")
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "failurelog", "--root", str(repo), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    server = Server(f"http://127.0.0.1:{port}/", log)
    try:
        server.wait_for("the server answering", lambda: _answers(server))
        yield server
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _answers(server: Server) -> bool:
    try:
        return server.get("")[0] == 200
    except OSError:
        return False


def _page(incident: str) -> str:
    return f"incidents/2026/{incident}/"


def _shows(server: Server, path: str, text: str) -> bool:
    status, body = server.get(path)
    return status == 200 and text in body


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edits_show_and_an_invalid_incident_is_shown_on_every_page(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    folder = repo / INCIDENTS
    with serving(repo, tmp_path / "serve.log") as server:
        assert _shows(server, _page("SYS-20260115-001"), "NIC link flap on md-gw-03")
        # the search index is built in the background after the first build
        server.wait_for("the search index", lambda: server.get("pagefind/pagefind.js")[0] == 200)
        _edit(folder / "SYS-20260115-001.md", "stalls market data", "stalls the quote feed")
        server.wait_for("the edited title", lambda: _shows(server, _page("SYS-20260115-001"), "stalls the quote feed"))

        good = (folder / "SYS-20260210-001.md").read_text(encoding="utf-8")
        _edit(folder / "SYS-20260210-001.md", "severity: P2-Medium", "severity: P9")
        server.wait_for("the banner on the home page", lambda: _shows(server, "", BAD_LINE.replace("'", "&#x27;")))
        for path in (_page("SYS-20260115-001"), "incidents/", "statistics/"):
            status, body = server.get(path)
            assert status == 200 and BANNER_CLASS in body and BAD_LINE.replace("'", "&#x27;") in body, path
        assert "stalls the quote feed" in server.get(_page("SYS-20260115-001"))[1]  # the last good pages stay
        assert BAD_LINE in server.log.read_text(errors="replace")  # the terminal shows the same message

        (folder / "SYS-20260210-001.md").write_text(good, encoding="utf-8")
        server.wait_for("the site back", lambda: BANNER_CLASS not in server.get("")[1])
        assert _shows(server, _page("SYS-20260210-001"), "EDAC corrected memory errors")


def test_added_deleted_and_renamed_incidents_show(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    folder = repo / INCIDENTS
    with serving(repo, tmp_path / "serve.log") as server:
        added = (folder / "SYS-20260115-001.md").read_text(encoding="utf-8")
        added = added.replace("id: SYS-20260115-001", "id: SYS-20260115-002").replace(
            "NIC link flap on md-gw-03", "Second flap on md-gw-03", 1
        )
        (folder / "SYS-20260115-002.md").write_text(added, encoding="utf-8")
        server.wait_for("the added incident", lambda: _shows(server, _page("SYS-20260115-002"), "Second flap"))
        server.wait_for("the added incident in the index", lambda: _shows(server, "incidents/", "SYS-20260115-002"))

        (folder / "SYS-20260115-002.md").unlink()
        server.wait_for("the deleted incident gone", lambda: server.get(_page("SYS-20260115-002"))[0] == 404)
        assert "SYS-20260115-002" not in server.get("incidents/")[1]

        text = (folder / "SYS-20260304-001.md").read_text(encoding="utf-8")
        (folder / "SYS-20260304-002.md").write_text(text.replace("id: SYS-20260304-001", "id: SYS-20260304-002"))
        (folder / "SYS-20260304-001.md").unlink()
        server.wait_for("the renamed incident", lambda: _shows(server, _page("SYS-20260304-002"), "Kernel panic"))
        server.wait_for("the old name gone", lambda: server.get(_page("SYS-20260304-001"))[0] == 404)
        assert BANNER_CLASS not in server.get("")[1]


def test_a_server_started_on_an_invalid_incident_shows_an_error_page_then_the_site(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    bad = repo / INCIDENTS / "SYS-20260210-001.md"
    good = bad.read_text(encoding="utf-8")
    _edit(bad, "severity: P2-Medium", "severity: P9")
    with serving(repo, tmp_path / "serve.log") as server:
        status, home = server.get("")
        assert status == 200 and "The site could not be built" in home and BAD_LINE.replace("'", "&#x27;") in home
        assert BAD_LINE in server.log.read_text(errors="replace")
        assert server.get("incidents/")[0] == 404  # no last good build to show; the server still answers
        bad.write_text(good, encoding="utf-8")
        server.wait_for("the site", lambda: _shows(server, "incidents/", "SYS-20260210-001"))
        assert "could not be built" not in server.get("")[1]
