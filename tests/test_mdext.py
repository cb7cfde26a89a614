"""The generated-blocks Markdown extension: same HTML as Python-Markdown's own raw-HTML path, and never in code."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from failurelog.site import html as h
from failurelog.site.context import build_context
from failurelog.site.generate import load_model
from failurelog.site.html import is_generated_block
from failurelog.site.mdext import GeneratedBlocks
from failurelog.site.tree import render_tree

ROOT = Path(__file__).resolve().parent.parent


def _converter(config: dict[str, Any], *, ours: bool) -> markdown.Markdown:
    """A Markdown converter with mkdocs.yml's extensions (and ours, or not)."""
    names: list[Any] = []
    settings: dict[str, Any] = {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            settings[name] = options
    if ours:
        names.append(GeneratedBlocks())
    return markdown.Markdown(extensions=names, extension_configs=settings)


@pytest.fixture(scope="module")
def tree() -> dict[str, str]:
    model = load_model(ROOT, date(2026, 12, 1))
    return render_tree(build_context(model, "https://git.example.invalid/edit/main/"))


def _body(page: str) -> str:
    return page.split("\n---\n", 1)[1] if page.startswith("---\n") else page


@pytest.mark.slow
def test_every_generated_page_converts_to_the_same_html_with_and_without_the_extension(tree: dict[str, str]) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plain, ours = _converter(config, ours=False), _converter(config, ours=True)
    pages = {path: text for path, text in tree.items() if path.endswith(".md")}
    per_incident = []
    for path, text in sorted(pages.items()):
        body = _body(text)
        if path.startswith("incidents/") and not path.endswith("index.md"):
            per_incident.append(sum(is_generated_block(line) for line in body.split("\n")))
        assert ours.reset().convert(body) == plain.reset().convert(body), path
    # Every incident page has its summary card and its folded data tables as generated blocks (most also
    # their timeline), so this compared something on each of the 19 example incidents.
    assert len(per_incident) == 19 and min(per_incident) >= 2, per_incident


def test_a_block_inside_code_stays_code() -> None:
    block = h.block("fields", "<table><tbody><tr><th>x</th> <td><script>alert(1)</script></td></tr></tbody></table>")
    text = f"Before.\n\n```text\n{block}\n```\n\n~~~\n{block}\n~~~\n"
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    out = _converter(config, ours=True).convert(text)
    assert "<script>" not in out
    assert out.count("&lt;script&gt;") == 2


def test_a_generated_block_is_one_line() -> None:
    assert is_generated_block(h.block("index", "<table></table>"))
    with pytest.raises(ValueError, match="one line"):
        h.block("fields", "<p>a</p>\n<p>b</p>")
    assert not is_generated_block('<div class="fl-fields"><table>')  # not closed on its line
    assert not is_generated_block(' <div class="fl-fields"></div>')  # indented: code or a list item's text
