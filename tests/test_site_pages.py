"""The page generators, as pure functions: golden pages, escaping, and schema-driven content.

Regenerate the golden files after an intended change with
``pytest tests/test_site_pages.py --update-golden`` and review the diff. A missing golden file fails.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from failurelog.core.bodyhtml import extension_spec, render
from failurelog.core.schema import Schema, load_schema
from failurelog.core.siteconfig import edit_base, read_config
from failurelog.model.incident import Model, build_model
from failurelog.site import context as c
from failurelog.site import markup
from failurelog.site.asset_pages import asset_history_page, asset_index
from failurelog.site.context import Context, build_context
from failurelog.site.incident_page import incident_page
from failurelog.site.index_pages import incident_index, value_page_text
from failurelog.site.recovery_page import recovery_page
from failurelog.site.report_pages import actions_page, related_page
from failurelog.site.signature_pages import signatures_page
from failurelog.site.stats_page import statistics_page
from failurelog.site.tree import render_tree
from failurelog.validate.run import load_and_check
from tests.site_helpers import GOLDEN, ROOT, SITE_FIXTURES, TODAY

EXTENSIONS = ["tables", "toc", "admonition", "footnotes", "def_list", "pymdownx.superfences"]


def _model(schema: Schema, folder: Path = SITE_FIXTURES) -> Model:
    docs = load_and_check(folder, schema)
    assert all(not d.problems for d in docs), [p for d in docs for p in d.problems]
    return build_model(docs, schema, TODAY)


@pytest.fixture(scope="module")
def ctx() -> Context:
    schema = load_schema(ROOT)
    config = read_config(ROOT)
    return build_context(_model(schema), edit_base(config), markdown=extension_spec(config))


def _incident(ctx: Context, ident: str) -> str:
    return incident_page(ctx, ctx.model.by_id[ident])


def _busiest_asset(ctx: Context) -> str:
    """The page of the asset with the most failures (the first by name on a tie)."""
    history = min(ctx.assets.histories, key=lambda h: (-len(h.failures), h.kind.kind, h.name))
    return asset_history_page(ctx, history)


def _nic_page(ctx: Context) -> str:
    index = next(p for p in ctx.patterns if p.field.name == "components")
    value = next(v for v in index.values if "NIC" in v.value)
    return value_page_text(ctx, index, value)


GOLDEN_PAGES: dict[str, Callable[[Context], str]] = {
    "incident-full.md": lambda ctx: _incident(ctx, "SYS-20260115-001"),
    "incident-linked.md": lambda ctx: _incident(ctx, "SYS-20260304-001"),
    "incident-hostile.md": lambda ctx: _incident(ctx, "SYS-20260220-001"),
    "incident-index.md": incident_index,
    "pattern-components-nic.md": _nic_page,
    "related.md": related_page,
    "actions.md": actions_page,
    "statistics.md": statistics_page,
    "recovery.md": recovery_page,
    "asset-index.md": asset_index,
    "asset-busiest.md": _busiest_asset,
    "signatures.md": signatures_page,
}


@pytest.mark.parametrize("name", sorted(GOLDEN_PAGES))
def test_golden_page(ctx: Context, name: str, update_golden: bool) -> None:
    text = GOLDEN_PAGES[name](ctx)
    path = GOLDEN / name
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest --update-golden and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; pytest --update-golden regenerates it"


def test_generated_pages_are_marked_and_titles_are_safe(ctx: Context) -> None:
    tree = render_tree(ctx)
    pages = {path: text for path, text in tree.items() if path.endswith(".md")}
    assert len(pages) > len(ctx.model.incidents)
    for path, text in pages.items():
        assert markup.GENERATED in text, path
        front = text.split("---\n")[1]
        title = re.search(r"^title: (.*)$", front, re.MULTILINE)
        assert title is not None, path
        shown = title.group(1).strip("'\"")
        assert not set(shown) & set("<>"), (path, shown)
        assert all(re.match(r"&(amp|lt|gt|quot|#x27);", shown[i:]) for i, ch in enumerate(shown) if ch == "&"), shown


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


def _html(md_text: str) -> _Text:
    parser = _Text()
    parser.feed(markdown.markdown(md_text, extensions=EXTENSIONS))
    return parser


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "a | b || c",
    "[click](javascript:alert(1))",
    "*bold* _it_ `code` ~~gone~~",
    "# not a heading",
    "- not a list",
    "1. not numbered",
    "> not quoted",
    "{: onclick=alert(1) }",
    "&lt;script&gt; &amp; &#60;b&#62;",
    "back\\slash \\| pipe",
    "yes",
    "emoji 🚨 and ünïcödé",
    "line\nbreak",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_user_text_renders_literally_in_paragraphs_and_table_cells(value: str) -> None:
    expected = " ".join(value.split("\n")).strip()
    for md_text in (markup.text(value), "| h |\n|---|\n| " + markup.cell(value) + " |"):
        parsed = _html(md_text)
        allowed = {"p", "table", "thead", "tbody", "tr", "th", "td"}
        assert {tag for tag, _a in parsed.tags} <= allowed, (value, parsed.tags)
        assert parsed.text.strip().endswith(expected), (value, parsed.text)


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_title_has_no_raw_html_and_shows_the_title_exactly(value: str) -> None:
    title = markup.safe_title(value)
    assert not set(title) & set("<>\"'\n")
    assert all(re.match(r"&(amp|lt|gt|quot|#x27);", title[i:]) for i in range(len(title)) if title[i] == "&"), title
    assert html.unescape(title) == " ".join(value.split("\n")).strip()


def test_rendered_body_has_no_script_handlers_or_script_links() -> None:
    body = (
        "Text <script>alert(1)</script> and <img src=x onerror=alert(1)>.\n"
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](java&#x09;script:x) [ok](https://example.org/x)\n"
        "<https://example.org/autolink>\n\n"
        "[ref]: javascript:alert(3)\n\n"
        "<!-- guidance -->\n"
        "Inline `<b>code</b>` stays code.\n\n"
        "```text\n<script>in a fence</script>\n```\n"
    )
    parsed = _html(render(body, extension_spec(read_config(ROOT))))
    tags = {tag for tag, _attrs in parsed.tags}
    assert not tags & {"script", "iframe"}
    assert not [k for _t, attrs in parsed.tags for k, _v in attrs if k.startswith("on")]
    hrefs = [v for _t, attrs in parsed.tags for k, v in attrs if k == "href"]
    assert hrefs and all((h or "").startswith("https://example.org") for h in hrefs), hrefs
    assert "<script>in a fence</script>" in parsed.text
    assert "<b>code</b>" in parsed.text
    assert "guidance" not in parsed.text


def test_hostile_incident_page_publishes_no_markup(ctx: Context) -> None:
    page = _incident(ctx, "SYS-20260220-001").split("-->", 1)[1]
    parsed = _html(page)
    tags = {tag for tag, _attrs in parsed.tags}
    assert not tags & {"script", "iframe"}
    # the body's raw <img src=x onerror=...> is kept by the allow-list as a plain relative image, nothing more
    assert [attrs for tag, attrs in parsed.tags if tag == "img"] == [[("src", "x")]]
    assert '<script>alert("x")</script> | pipes & "quotes" yes' in parsed.text
    assert all(v != "javascript:alert(1)" for _t, attrs in parsed.tags for _k, v in attrs)


def test_incident_page_leaves_empty_fields_out_and_links_both_directions(ctx: Context) -> None:
    draft = _incident(ctx, "SYS-20260210-001")
    assert "Failover" not in draft and "Sign-Off" not in draft
    linked_from = _incident(ctx, "SYS-20260115-001")
    assert "**Named by:**" in linked_from and "SYS-20260304-001.md" in linked_from
    assert "same NIC, same Tx unit hang signature" in linked_from
    assert "overdue</strong> (due 2026-02-15)" in linked_from
    assert '<a href="https://git.example.invalid/trading/failurelog/edit/main/incidents/' in linked_from
    assert '">Edit source</a>' in linked_from


def test_suggestions_give_their_reasons(ctx: Context) -> None:
    found = ctx.related.suggestions["SYS-20260301-001"]
    assert found and found[0].incident.id == "SYS-20260115-001"
    from failurelog.analysis.similar import describe

    reasons = " ".join(describe(found[0].shared))
    assert "same host: md-gw-03" in reasons
    assert "similar Error Messages" in reasons and "hang" in reasons


def test_pattern_figures(ctx: Context) -> None:
    hosts = next(p for p in ctx.patterns if p.field.key == "hostname")
    gw = next(v for v in hosts.values if v.value == "md-gw-03")
    assert gw.count == 3
    assert gw.total_downtime == pytest.approx(14 + 42.5 + 6)
    assert gw.recovery.every.mean == pytest.approx((14 + 42.5) / 2)
    assert gw.first_seen.date().isoformat() == "2026-01-15"
    assert gw.by_month == {"2026-01": 1, "2026-03": 2}


def test_a_field_added_to_the_schema_shows_up_without_code_changes(tmp_path: Path) -> None:
    raw = copy.deepcopy(load_schema(ROOT).raw)
    raw["properties"]["trading_venue"] = {
        "type": "string",
        "title": "Trading Venue",
        "enum": ["Eurex", "CME", "LSE"],
        "x-group-by": True,
        "x-index-column": True,
        "x-summary": True,
    }
    raw["properties"]["impact"]["properties"]["trading"]["properties"]["quotes_missed"] = {
        "type": "integer",
        "title": "Quotes Missed",
        "minimum": 0,
        "x-stat": "sum",
    }
    schema = Schema(raw)
    folder = tmp_path / "repo"
    (folder / "incidents" / "2026").mkdir(parents=True)
    for source in (SITE_FIXTURES / "incidents" / "2026").glob("*.md"):
        text = source.read_text(encoding="utf-8")
        if source.stem == "SYS-20260115-001":
            text = text.replace("severity: P1-High\n", "severity: P1-High\ntrading_venue: Eurex\n")
            text = text.replace("    orders_lost: 212\n", "    orders_lost: 212\n    quotes_missed: 9000\n")
        (folder / "incidents" / "2026" / source.name).write_text(text, encoding="utf-8")
    ctx = build_context(_model(schema, folder))
    tree = render_tree(ctx)
    assert "patterns/trading-venue/eurex.md" in tree
    assert "Trading Venue" in tree[c.INCIDENT_INDEX]
    assert (
        '<th>Trading Venue</th> <td><a href="../../../patterns/trading-venue/eurex/">Eurex</a>'
        in (tree["incidents/2026/SYS-20260115-001.md"])
    )
    assert "## Quotes Missed" in tree[c.STATISTICS] and "9,000" in tree[c.STATISTICS]
    exported = json.loads(tree[c.EXPORT_JSON])
    assert any(item.get("trading_venue") == "Eurex" for item in exported)
    assert "trading_venue" in tree[c.EXPORT_CSV].splitlines()[0]


def test_charts_escape_their_labels_and_need_nothing_from_outside() -> None:
    from failurelog.site import svg

    hostile = '<script>alert(1)</script>"'
    charts = [
        svg.bar_chart(["2026-01", hostile], [(hostile, [1.0, 2.0]), ("b", [0.0, 3.0])], title=hostile, unit="min"),
        svg.line_chart(["2026-01", "2026-02"], [(hostile, [1.5, None])], title=hostile),
        svg.hbar_chart([(hostile, 3.0)], title=hostile),
        svg.mini_bars([hostile, "2026-02"], [1, 0]),
    ]
    for chart in charts:
        assert "<script" not in chart and "&lt;script&gt;" in chart
        assert "http" not in chart.replace("http://www.w3.org/2000/svg", "")
    bars = svg.mini_bars(["2026-01", "2026-02", "2026-03"], [0, 1, 4])
    assert bars.count("<rect") == 3 and "<title>2026-03: 4</title>" in bars and 'height="26.0"' in bars


@pytest.mark.parametrize("peak", [0.3, 1, 2, 3, 4, 7, 9, 11, 26, 99, 101, 777, 5200, 200_000, 1_250_000])
def test_count_axes_have_whole_number_ticks_from_zero_to_at_least_the_peak(peak: float) -> None:
    from failurelog.site import svg

    marks = svg.ticks(peak, whole=True)
    assert marks[0] == 0 and marks[-1] >= peak and 2 <= len(marks) <= 6
    assert all(float(m).is_integer() for m in marks), marks
    steps = {marks[i + 1] - marks[i] for i in range(len(marks) - 1)}
    assert len(steps) == 1, marks
    free = svg.ticks(peak)
    assert free[-1] >= peak and len(free) <= 6


def test_chart_colours_carry_meaning() -> None:
    from failurelog.core.schema import load_schema
    from failurelog.site import svg

    schema = load_schema(ROOT)
    met = next(f for f in schema.fields.values() if isinstance(f.schema.get("x-tone"), dict))
    tones = met.schema["x-tone"]
    good = next(v for v, tone in tones.items() if tone == "good")
    bad = next(v for v, tone in tones.items() if tone == "bad")
    assert svg.choice_colors(met, [good, bad]) == [svg.TONES["good"], svg.TONES["bad"]]
    severity = schema.field("severity")
    assert severity is not None and severity.choices
    worst, mildest = severity.choices[0], severity.choices[-1]
    assert svg.choice_colors(severity, [worst, mildest]) == [svg.RANKED[0], svg.RANKED[-1]]
    # Series without a meaning never get the red or green that say bad and good.
    assert not set(svg.PALETTE) & {*svg.RANKED, svg.TONES["bad"], svg.TONES["warn"], svg.TONES["good"]}


@pytest.mark.parametrize(
    ("target", "here", "directory", "flat", "from_source"),
    [
        ("incidents/2026/A.md", "incidents/2026/B.md", "../A/", "A.html", "A/"),
        (
            "patterns/host/x.md",
            "incidents/2026/B.md",
            "../../../patterns/host/x/",
            "../../patterns/host/x.html",
            "../../patterns/host/x/",
        ),
        ("patterns/host/index.md", "patterns/host/x.md", "../", "index.html", "./"),
        ("index.md", "patterns/index.md", "../", "../index.html", "../"),
        ("patterns/host/x.md", "patterns/host/index.md", "x/", "x.html", "x/"),  # an index: the same folder
        ("data/incidents.json", "statistics/index.md", "../data/incidents.json", "../data/incidents.json", None),
    ],
)
def test_links_inside_raw_html_follow_use_directory_urls(
    target: str, here: str, directory: str, flat: str, from_source: str | None
) -> None:
    """MkDocs leaves raw HTML alone; Zensical reads its links from the source file's folder (``from_source``)."""
    from failurelog.site.html import href

    assert href(target, here, True) == directory
    assert href(target, here, False) == flat
    assert href(target, here, False, from_source=True) == flat  # flat URLs: the source's folder is the URL's
    assert href(target, here, True, from_source=True) == (from_source or directory)


def test_card_banner_and_story_come_from_schema_annotations(tmp_path: Path) -> None:
    """A field marked x-summary joins the card (inside a list: all its values); x-banner texts follow the schema."""
    raw = copy.deepcopy(load_schema(ROOT).raw)
    name = raw["properties"]["assets"]["items"]["properties"]["name"]
    name.update({"title": "Host Name", "x-summary": True})
    raw["properties"]["assets"]["title"] = "Affected Hosts"  # the card labels a list's values with its title
    name.pop("x-group-by")  # no pattern pages: the names still link, to their asset histories (x-asset)
    raw["properties"]["status"]["x-banner"] = {"investigating": "Still digging: nothing here is reviewed yet."}
    schema = Schema(raw)
    folder = tmp_path / "repo"
    (folder / "incidents" / "2026").mkdir(parents=True)
    for source in (SITE_FIXTURES / "incidents" / "2026").glob("*.md"):
        text = source.read_text(encoding="utf-8")
        if "status: investigating" in text:
            text = re.sub(  # a second host after the Primary one
                r"^(assets:\n  - name: .*\n    role: Primary\n)",
                r"\1  - name: md-gw-04\n    role: Pair Member\n",
                text,
                flags=re.MULTILINE,
            )
        (folder / "incidents" / "2026" / source.name).write_text(text, encoding="utf-8")
    ctx = build_context(_model(schema, folder))
    investigating = [i for i in ctx.model.incidents if i.status == "investigating"]
    closed = [i for i in ctx.model.incidents if i.status == "closed"]
    assert investigating and closed
    page = incident_page(ctx, investigating[0])
    card = next(line for line in page.splitlines() if line.startswith('<div class="fl-card">'))
    hosts = [f'<a href="../../../asset-history/host/{n}/">{n}</a>' for n in ("md-gw-03", "md-gw-04")]
    assert f"<dt>Affected Hosts</dt> <dd>{', '.join(hosts)}</dd>" in card
    assert "Host Name" not in card
    assert "Still digging: nothing here is reviewed yet." in page
    assert page.index('<div class="fl-banner">') < page.index('<div class="fl-card">')
    assert '<div class="fl-banner">' not in incident_page(ctx, closed[0])
    # The card shows the severity as a badge coloured by its rank among the schema's choices.
    severity = schema.field("severity")
    assert severity is not None and severity.choices
    rank = severity.choices.index(investigating[0].severity)
    assert f'<span class="fl-badge fl-level-{min(rank, 3)}" title="Severity">' in card
    # Severity first, then status (x-summary-order), though the schema lists the status first.
    assert card.index('title="Severity"') < card.index('title="Status"')
    assert list(raw["properties"]).index("status") < list(raw["properties"]).index("severity")


def test_timeline_entries_are_dated_across_midnight() -> None:
    from datetime import UTC, datetime

    from failurelog.site.story import dated

    start = datetime(2026, 3, 1, 23, 50, tzinfo=UTC)
    moments = dated([("23:55:00", "a"), ("00:05:10", "b"), ("bad", "c"), ("01:00", "d")], start)
    assert [m.at.isoformat() if m.at else None for m in moments] == [
        "2026-03-01T23:55:00+00:00",
        "2026-03-02T00:05:10+00:00",
        None,
        "2026-03-02T01:00:00+00:00",
    ]
