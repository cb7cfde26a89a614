"""Raw HTML in an incident cannot run script or load outside content on the built site.

An incident carrying `<script>`, `onerror=`, `javascript:` links, frames,
external images and the like in its body and in every rendered front-matter
string is built with the real `failurelog build`; then every page of the site
is parsed (not grepped): no element may carry an event handler, no link or
resource may use a script scheme, no frame/object/embed/base/form may appear,
no script may be other than the theme's own, and nothing may be fetched from
another host.
"""

from __future__ import annotations

import html
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from tests.cli_helpers import run_cli
from tests.site_helpers import make_repo

pytestmark = pytest.mark.slow  # real engine builds / browser: run by .ci/run, skipped by -m "not slow"

IDENT = "SYS-20260221-001"

PAYLOADS = [
    "<script>alert(101)</script>",
    "<img src=x onerror=alert(102)>",
    "<svg onload=alert(103)>",
    '<a href="javascript:alert(104)">a</a>',
    "[md](javascript:alert(105))",
    "[entity](jav&#x61;script:alert(106))",
    '<a href="jav&#x61;script:alert(107)">b</a>',
    '<iframe src="https://evil.example/frame"></iframe>',
    '<object data="https://evil.example/o.swf"></object>',
    '<embed src="https://evil.example/e.swf">',
    "<style>body{background:url(https://evil.example/bg.png)}</style>",
    '<div style="background:url(https://evil.example/div.png)">c</div>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><input name=p></form>',
    "<details open ontoggle=alert(108)>d</details>",
]
ONE_LINE = " ".join([*PAYLOADS, "![pixel](https://evil.example/pixel.png)"])  # front matter: shown as text
#: A title is short (the schema limits it): the most common attacks.
TITLE = "<script>alert(120)</script> <img src=x onerror=alert(121)> [t](javascript:alert(122)) ![p](https://evil.example/t.png)"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def hostile_incident() -> str:
    q = _quoted(ONE_LINE)
    body_lines = "\n\n".join(PAYLOADS)
    return f"""---
id: {IDENT}
title: {_quoted(TITLE)}
occurred_at: '2026-02-21T10:00:00.000Z'
status: draft
severity: P3-Low
components: [Other]
components_other: {q}
failure_types: [Other]
failure_types_other: {q}
root_cause:
  summary: {q}
  contributing_factors:
    - {q}
response:
  emergency_timeline:
    - time: '10:01:00'
      action: {q}
action_items:
  - action: {q}
    owner: {q}
    due: '2026-03-01'
    priority: High
    status: Not Started
schema_version: 2
---

## Initial Symptoms

{body_lines}

- <script>alert(109)</script> in a list item
- [ref link][r1] and ![local image](../assets/diagram.png)

| column | value |
| --- | --- |
| cell | <img src=x onerror=alert(110)> |

<div onclick=alert(111)>
an HTML block
</div>

[r1]: javascript:alert(112)

## Error Messages

```text
<script>alert(113)</script> shown as code, not run
```
"""


class _Audit(HTMLParser):
    """Everything on a page that would run script or fetch from elsewhere."""

    LOADING: ClassVar[dict[str, str]] = {
        "img": "src",
        "script": "src",
        "iframe": "src",
        "embed": "src",
        "source": "src",
        "audio": "src",
        "video": "src",
        "object": "data",
        "input": "src",
        "link": "href",
    }
    FORBIDDEN: ClassVar[set[str]] = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            probe = re.sub(r"[\x00-\x20]+", "", html.unescape(value)).lower()
            if probe.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and re.search(r"url\(\s*['\"]?(https?:)?//", value, re.IGNORECASE):
                self.found.append(f"<{tag} style={value!r}>")
        if tag in self.FORBIDDEN:
            self.found.append(f"<{tag}>")
        if tag == "form" and re.match(r"\s*(https?:)?//", values.get("action", "")):
            self.found.append(f"<form action={values['action']!r}>")  # the theme's own forms post nowhere
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta http-equiv=refresh>")
        wanted = self.LOADING.get(tag)
        fetched = tag != "link" or any(word in values.get("rel", "") for word in ("stylesheet", "icon", "preload"))
        if wanted and fetched and re.match(r"\s*(https?:)?//", values.get(wanted, "")):
            self.found.append(f"<{tag} {wanted}={values[wanted]!r}> loads from another host")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and ("alert(" in data or "evil.example" in data):
            self.found.append(f"<script>{data[:60]!r}")


def audit(page: Path) -> list[str]:
    parser = _Audit()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    incidents = tmp_path_factory.mktemp("incidents")
    (incidents / "2026").mkdir()
    (incidents / "2026" / f"{IDENT}.md").write_text(hostile_incident(), encoding="utf-8")
    repo = make_repo(tmp_path_factory.mktemp("hostile-site") / "repo", incidents)
    site = repo.parent / "site"
    result = run_cli(repo, "build", "--site-dir", str(site), timeout=600, env={"SOURCE_DATE_EPOCH": "1773100800"})
    if result.returncode != 0 and "Traceback" not in result.stderr:
        pytest.fail(f"build refused the hostile incident:\n{result.stdout}\n{result.stderr}")
    assert result.returncode == 0, result.stderr
    return site


def test_incident_page_was_built(site: Path) -> None:
    page = site / "incidents" / "2026" / IDENT / "index.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    assert "alert(101)" in text  # the payload is there, as text
    assert "&lt;script&gt;alert(113)&lt;/script&gt;" in text  # and the code block shows it literally


def test_no_page_runs_script_or_loads_outside_content(site: Path) -> None:
    problems = {str(page.relative_to(site)): audit(page) for page in sorted(site.rglob("*.html"))}
    assert {page: found for page, found in problems.items() if found} == {}


# -- images from other hosts: refused by validate, so the site is never built with them --------------

EXTERNAL = [
    ("inline", "see ![graph](https://grafana.example.com/render/d/abc.png)", 0, "grafana.example.com"),
    ("nested-alt", "![a [b] c](https://evil.example/n.png 'title')", 0, "evil.example/n.png"),
    ("protocol-relative", "![x](//evil.example/p.png)", 0, "//evil.example/p.png"),
    ("angle-brackets", "- item ![x](<https://evil.example/a.png>)", 0, "evil.example/a.png"),
    ("reference", "![chart][c]\n\nmore text\n\n[c]: https://evil.example/ref.png", 4, "evil.example/ref.png"),
    # raw HTML is rendered (then cleaned) now, so a raw <img> is an image the site would fetch: refused too
    ("raw-html", '<img src="https://evil.example/img.png">', 0, "evil.example/img.png"),
]
LOCAL = [
    "![diagram](../assets/diagram.png)",
    "[the dashboard](https://grafana.example.com/d/abc)",
    "`![x](https://evil.example/code-span.png)`",
    "```text\n![x](https://evil.example/fenced.png)\n```",
    "![inline data](data:image/png;base64,iVBORw0KGgo=)",
]
HEAD = (
    "---\nid: SYS-20261103-001\ntitle: x\noccurred_at: '2026-11-03T14:22:07.123Z'\nstatus: draft\n"
    "severity: P1-High\nschema_version: 2\n---\n\n## Initial Symptoms\n\n"
)
FIRST_BODY_LINE = HEAD.count("\n") + 1


def _write(repo: Path, body: str) -> Path:
    path = repo / "incidents" / "2026" / "SYS-20261103-001.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEAD + body + "\n", encoding="utf-8")
    return path


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(repo, *args, timeout=600)


@pytest.mark.parametrize(("body", "line", "shown"), [c[1:] for c in EXTERNAL], ids=[c[0] for c in EXTERNAL])
def test_validate_refuses_images_from_other_hosts(repo: Path, body: str, line: int, shown: str) -> None:
    _write(repo, body)
    result = _run(repo, "validate")
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(
        f"incidents/2026/SYS-20261103-001.md:{FIRST_BODY_LINE + line}: body: image from another host"
    )
    assert shown in first


@pytest.mark.parametrize("body", LOCAL)
def test_local_images_links_and_code_are_fine(repo: Path, body: str) -> None:
    _write(repo, body)
    result = _run(repo, "validate")
    assert (result.returncode, result.stdout) == (0, "ok: 1 incident valid\n")


def test_build_refuses_an_incident_with_an_outside_image(tmp_path: Path) -> None:
    incidents = tmp_path / "incidents"
    (incidents / "2026").mkdir(parents=True)
    (incidents / "2026" / "SYS-20261103-001.md").write_text(
        HEAD + "![pixel](https://evil.example/pixel.png)\n", encoding="utf-8"
    )
    repo = make_repo(tmp_path / "repo", incidents)
    result = _run(repo, "build", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 1
    assert f"incidents/2026/SYS-20261103-001.md:{FIRST_BODY_LINE}: body: image from another host" in result.stdout
    assert not (tmp_path / "site" / "incidents").exists()
