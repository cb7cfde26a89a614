"""The rendering path of an incident's body: the site's extensions, then the allow-list cleaner.

A property test assembles random Markdown from every construct the site
enables, with script payloads in every slot: the cleaned HTML never holds a
``script`` element, an ``on*`` attribute, or a ``javascript:``, ``vbscript:``
or ``data:`` URL. Unit tests check what must survive (headings for the table
of contents, footnotes, tables, code, unknown tags as text) and that
``validate`` sees images exactly where the site would publish them.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failurelog.core.bodyhtml import Heading, extension_spec, render, render_parts
from failurelog.core.loader import Document, parse_text
from failurelog.core.mdlimits import excesses
from failurelog.core.siteconfig import read_config
from failurelog.validate.outside_content import outside_content_problems
from tests.payloads import PAYLOADS

ROOT = Path(__file__).resolve().parent.parent
SPEC = extension_spec(read_config(ROOT))
_SCHEMES = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta", "link", "form"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            probe = re.sub(r"[\x00-\x20]+", "", html.unescape(value or ""))
            if name.startswith("on") or name in ("style", "srcdoc", "srcset", "formaction"):
                self.bad.append(f"<{tag} {name}>")
            if name in ("href", "src") and _SCHEMES.match(probe):
                self.bad.append(f"<{tag} {name}={value}>")


def audit(cleaned: str) -> list[str]:
    parser = _Audit()
    parser.feed(cleaned)
    parser.close()
    return parser.bad


PAYLOAD_TEXT = st.sampled_from([text for _kind, text in PAYLOADS])
INLINE = st.one_of(
    PAYLOAD_TEXT,
    st.sampled_from(["plain words", "`code <b>`", "*em*", "**strong**", "[link](https://x.invalid/)", "\\`", "<", "&"]),
)


def _indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line for line in text.split("\n"))


KINDS = ["para", "admonition", "details", "footnote", "deflist", "list", "quote", "fence", "ref"]
BAD_URLS = ["javascript:x()", "data:text/html,x", "vbscript:x", "JAVA&#09;SCRIPT:x", "java\\\nscript:x"]


@st.composite
def blocks(draw: st.DrawFn, depth: int = 0) -> str:
    inner = " ".join(draw(st.lists(INLINE, min_size=1, max_size=3)))
    kind = draw(
        st.sampled_from(["para", "admonition", "details", "footnote", "deflist", "list", "quote", "fence", "ref"])
    )
    nested = draw(blocks(depth + 1)) if depth < 2 and draw(st.booleans()) else inner
    if kind == "admonition":
        return f"!!! note\n{_indent(nested)}"
    if kind == "details":
        return f'??? warning "t"\n{_indent(nested)}'
    if kind == "footnote":
        return f"x[^n{depth}]\n\n[^n{depth}]: {inner}\n{_indent(nested)}"
    if kind == "deflist":
        return f"Term\n:   {inner}\n\n{_indent(nested)}"
    if kind == "list":
        return f"- {inner}\n{_indent(nested, '  ')}\nlazy {inner}"
    if kind == "quote":
        return _indent(nested, "> ")
    if kind == "fence":
        return f"```text\n{inner}\n```"
    if kind == "ref":
        return f"[r][d{depth}] ![i][d{depth}]\n\n[d{depth}]: {draw(st.sampled_from(BAD_URLS))}"
    return inner


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(blocks(), min_size=1, max_size=6))
def test_random_markdown_never_yields_script(parts: list[str]) -> None:
    body = "\n\n".join(parts)
    # What the page emits: the cleaned HTML cut at its headings, or the escaped text of a body the parser fails on.
    emitted = "\n".join(
        p if isinstance(p, str) else f"<h{p.level}>{html.escape(p.text)}</h{p.level}>" for p in render_parts(body, SPEC)
    )
    assert audit(emitted) == [], body


def test_every_payload_kind_is_disarmed() -> None:
    assert len(PAYLOADS) >= 40
    for kind, text in PAYLOADS:
        cleaned = render(text, SPEC)
        assert audit(cleaned) == [], (kind, cleaned)


def test_headings_are_handed_back_for_the_table_of_contents() -> None:
    parts = render_parts(
        "Intro\n\n## Root *cause* & more\n\ntext\n\n!!! note\n    ### nested stays HTML\n\n### Sub", SPEC
    )
    headings = [p for p in parts if isinstance(p, Heading)]
    assert headings == [Heading(2, "Root cause & more"), Heading(3, "Sub")]
    assert any(isinstance(p, str) and "nested stays HTML" in p for p in parts)


def test_what_the_site_needs_survives() -> None:
    cleaned = render("a[^1]\n\n| x | y |\n|:--|--:|\n| 1 | 2 |\n\n```python\nx = '<b>'\n```\n\n[^1]: note", SPEC)
    assert 'id="fn:1"' in cleaned and 'href="#fn:1"' in cleaned
    assert '<td align="right">2</td>' in cleaned
    assert 'class="highlight"' in cleaned and "&lt;b&gt;" in cleaned


def test_unknown_tags_are_shown_as_text_not_dropped() -> None:
    cleaned = render("value was <none>, host <md-gw-03> and <b>bold</b>", SPEC)
    assert "&lt;none&gt;" in cleaned and "&lt;md-gw-03&gt;" in cleaned and "<b>bold</b>" in cleaned


def test_ids_other_than_footnotes_are_dropped() -> None:
    assert "id=" not in render('<div id="__md_search">x</div> <p id="content">y</p>', SPEC)


def _doc(body: str) -> Document:
    return parse_text(Document(path=Path("x.md"), display="x.md"), f"---\ntitle: t\n---\n{body}")


def test_validate_finds_outside_images_wherever_the_site_renders_them() -> None:
    hidden = [
        "!!! note\n    ![a](https://evil.invalid/1.png)",
        "x[^1]\n\n[^1]: ![b](//evil.invalid/2.png)",
        "> ![c][r]\n>\n> [r]: https://evil.invalid/3.png",
        'Term\n:   <img src="https://evil.invalid/4.png">',
        '- item\n<img src="HTTPS://evil.invalid/5.png">',
        '<img src="&#104;ttps://evil.invalid/6.png">',
    ]
    for body in hidden:
        problems = outside_content_problems(_doc(body), SPEC)
        assert [p.rule for p in problems] == ["content"], body
        assert problems[0].line >= 4
    inside_code = '```\n![a](https://evil.invalid/1.png)\n```\n\n`<img src="https://evil.invalid/2.png">`'
    assert outside_content_problems(_doc(inside_code), SPEC) == []


def test_bounds_are_refused_with_line_and_limit() -> None:
    cases = {
        "<" * 900_000: "at most 20,000 on a line",
        "[" * 50_000: "'[' in one paragraph",
        "".join("    " * i + "!!! note\n" for i in range(400)): "at most 8 levels",
        "".join("  " * i + "- x\n" for i in range(600)): "at most 8 levels",
        ("x " * 40 + "\n") * 20_000: "at most 524,288",
        "| a | b |\n|---|---|\n" + "| x | y |\n" * 1_600: "more than 3,000 table cells",
        "| a |\n|---|\n" + "| <b>x</b> <i>y</i> |\n" * 300: "more than 1,000 HTML tags",
        "".join(f"x[^{i}]\n\n[^{i}]: n\n\n" for i in range(600)): "more than 500 footnotes",
        "".join(f"- item {i}\n" for i in range(3_100)): "more than 3,000 list items",
        "".join(f"> q {i}\n" for i in range(3_100)): "more than 3,000 list items, quoted lines",
        "".join("!!! note\n    x\n\n" for _ in range(3_100)): "admonitions in the body",
        "".join("??? note\n    x\n\n" for _ in range(1_100)): "more than 1,000 admonitions",
        "x[^a]\n\n[^a]: t\n    y[^b]\n\n    [^b]: u\n\n[^c]: v": "footnote defined in an indented block",
    }
    for body, needle in cases.items():
        found = excesses(body)
        assert any(needle in e.message for e in found), (needle, [e.message for e in found])
        problems = outside_content_problems(_doc(body), SPEC)
        assert problems and all(p.rule == "markdown" for p in problems)
    assert excesses("```\n" + "[" * 5000 + "\n```\n") == []
    # Inside a fence nothing is counted; a long post-mortem's tables and lists stay well inside the bounds.
    assert excesses("```\n" + "| a | b |\n" * 5_000 + "- x\n" * 5_000 + "```\n") == []
    usual = "| a | b | c |\n|---|---|---|\n" + "| x | <b>y</b> | [z](#z) |\n" * 200 + "\n- item\n" * 500
    assert excesses(usual + "".join(f"x[^{i}]\n\n[^{i}]: n\n\n" for i in range(100))) == []


def test_a_body_the_parser_fails_on_renders_as_text() -> None:
    """Python-Markdown fails on a footnote defined in a footnote: the page shows the body as text, no crash."""
    body = "x[^a]\n\n[^a]: t\n    y[^b]\n\n    [^b]: u <b>bold</b>\n\n[^c]: v"
    assert render_parts(body, SPEC) == [f"<pre><code>{html.escape(body)}</code></pre>"]


def test_the_first_line_past_a_body_wide_bound_is_named() -> None:
    body = "Intro.\n\n" + "".join(f"- item {i}\n" for i in range(3_001))
    (found,) = excesses(body)
    assert found.offset == 2 + 3_000 and body.split("\n")[found.offset] == "- item 3000"
