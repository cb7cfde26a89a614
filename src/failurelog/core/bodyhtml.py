"""An incident's Markdown as the site publishes it: rendered with the site's own extensions, then cleaned.

The body is converted by Python-Markdown with the ``markdown_extensions`` of
``mkdocs.yml`` (so admonitions, footnotes, definition lists and fenced code
are what the site makes of them), and the resulting HTML is cleaned by nh3
(the binding of the Rust ammonia sanitiser) with an allow-list: no
``script``, ``style``, ``iframe``, ``object``, ``embed``, ``svg``, form or
``base`` element survives, no event-handler or ``style`` attribute, and a URL
keeps only the schemes http, https and mailto, or none (relative). Whatever
Markdown corner a payload hides in, only the HTML that comes out counts.

Inline HTML whose tag is not on the allow-list is shown as the text it is
(a pasted ``<none>`` or ``<hostname>`` stays readable) rather than dropped.

Top-level headings are handed back separately (:class:`Heading`), so the
page can emit them as Markdown headings: the engines then put them in the
table of contents, give them anchors and start search sections at them.
``validate`` checks the same cleaned HTML (its images, see
:mod:`failurelog.validate.outside_content`), so it agrees with the site.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import nh3
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.treeprocessors import Treeprocessor

#: Extensions that act on the whole page, not on the body: the page's own conversion runs them.
PAGE_LEVEL = frozenset({"toc", "markdown.extensions.toc", "failurelog.site.mdext"})

TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "var",
    ]
)
#: Removed with everything inside them (other disallowed tags keep their text).
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "textarea",
        "select",
        "xmp",
        "noembed",
        "noframes",
        "title",
    ]
)
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "details": {"open"},
    "li": {"id"},
    "sup": {"id"},
    "div": {"id"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: The only ids kept are the footnotes' own (``fn:1``, ``fnref:1``, ``fnref2:1``): no clobbering of page ids.
_FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:[\w.:-]{1,80}")

#: Marks the top-level headings of one process' conversions; a body cannot guess it.
_TOKEN = secrets.token_hex(8)
_MARK = "data-fl-heading"
_TOP_HEADING = re.compile(rf'<h([1-6]) {_MARK}="{_TOKEN}">(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


@dataclass(frozen=True)
class Heading:
    """A top-level heading of the body: its level and its plain text."""

    level: int
    text: str


Part = Heading | str  # a heading, or a stretch of cleaned HTML between headings


class RenderError(ValueError):
    """The body cannot be rendered (nested too deeply for the parser)."""


class _MarkTopHeadings(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for child in root:
            if child.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                child.set(_MARK, _TOKEN)


class _UnknownTagsAsText(HtmlInlineProcessor):
    """Inline raw HTML whose tag is not on the allow-list is shown as written (``<none>``), not dropped."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]
        name = _TAG_NAME.match(m.group(1))
        if name is None or name.group(1).lower() in TAGS:
            return super().handleMatch(m, data)  # type: ignore[return-value]
        raw = self.backslash_unescape(self.unescape(m.group(1)))
        return self.md.htmlStash.store(html.escape(raw, quote=False)), m.start(0), m.end(0)


class _BodyExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_MarkTopHeadings(md), "failurelog_top_headings", 5)
        md.inlinePatterns.register(_UnknownTagsAsText(HTML_RE, md), "html", 90)


def _without_unset(value: Any) -> Any:
    """A configuration with the values mkdocs.yml could not give (``!!python/name:`` tags read as None) left out."""
    if isinstance(value, dict):
        return {k: _without_unset(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_unset(v) for v in value if v is not None]
    return value


def extension_spec(config: dict[str, Any]) -> str:
    """The body-level ``markdown_extensions`` of an mkdocs.yml configuration, as a JSON key."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in config.get("markdown_extensions") or []:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) and entry else (entry, None)
        if not isinstance(name, str) or name in PAGE_LEVEL:
            continue
        names.append(name)
        if isinstance(options, dict):
            configs[name] = _without_unset(options)
    if "tables" in names or "markdown.extensions.tables" in names:
        table = "tables" if "tables" in names else "markdown.extensions.tables"
        # align="..." rather than style="text-align: ...": style attributes are not kept
        configs[table] = {**configs.get(table, {}), "use_align_attribute": True}
    return json.dumps([names, configs], sort_keys=True)


@lru_cache(maxsize=8)
def _converter(spec: str) -> Markdown:
    names, configs = json.loads(spec)
    return Markdown(extensions=[*names, _BodyExtension()], extension_configs=configs)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    values = {f"h{n}": {_MARK: {_TOKEN}} for n in range(1, 7)}
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes=set(URL_SCHEMES),
        tag_attribute_values=values,
        link_rel="noopener noreferrer",
    )


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    return value


def clean(fragment: str) -> str:
    """An HTML fragment with everything off the allow-list removed."""
    return str(_cleaner().clean(fragment))


def render(body: str, spec: str) -> str:
    """``body`` (Markdown) as cleaned HTML, rendered with the extensions of ``spec`` (see :func:`extension_spec`).

    Raises :class:`RenderError` when the parser gives up on the nesting (``RecursionError``) or fails on
    its own state (a footnote defined inside another: ``RuntimeError``); ``validate`` refuses such bodies
    before the build (see :mod:`failurelog.core.mdlimits`).
    """
    md = _converter(spec)
    try:
        converted = md.reset().convert(body)
    except RuntimeError:  # RecursionError is one
        md.reset()
        raise RenderError("nested too deeply to render") from None
    return clean(converted)


def split(cleaned: str) -> list[Part]:
    """Cleaned HTML cut at its top-level headings: HTML stretches and :class:`Heading` parts, in order."""
    parts: list[Part] = []
    last = 0
    for match in _TOP_HEADING.finditer(cleaned):
        if cleaned[last : match.start()].strip():
            parts.append(cleaned[last : match.start()].strip("\n"))
        parts.append(Heading(int(match.group(1)), html.unescape(_TAG.sub("", match.group(2))).strip()))
        last = match.end()
    if cleaned[last:].strip():
        parts.append(cleaned[last:].strip("\n"))
    return parts


def render_parts(body: str, spec: str) -> list[Part]:
    """``body`` rendered, cleaned and cut at its top-level headings; shown as escaped text if it cannot render."""
    try:
        return split(render(body, spec))
    except RenderError:
        return [f"<pre><code>{html.escape(body)}</code></pre>"]
