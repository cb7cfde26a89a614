"""Recovery KPIs and asset histories: on the shipped examples, a realistic corpus, and edge cases."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from failurelog.analysis.assets import asset_report
from failurelog.analysis.figures import percentile, summarise
from failurelog.analysis.kpis import BREAKDOWNS, NOT_STATED, kpis
from failurelog.core.inventory import INVENTORY_FILE, read_inventory
from failurelog.core.schema import Schema
from failurelog.model.incident import Model
from failurelog.model.load import load_valid
from failurelog.site.context import ASSET_INDEX, RECOVERY, Context, asset_page, build_context
from failurelog.site.tree import render_tree
from tests.analytics_helpers import front_matter, make, model_of
from tests.cli_helpers import run_cli
from tests.conftest import corpus_copy
from tests.site_helpers import ROOT, make_repo

KINDS = ["host", "model", "bios", "kernel", "firmware", "driver"]


@pytest.fixture(scope="module")
def corpus(built_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped examples plus 36 synthetic incidents whose hosts, versions and words overlap."""
    return corpus_copy(built_corpus, tmp_path_factory, "analytics")


@pytest.fixture(scope="module")
def corpus_model(corpus: Path) -> Model:
    """The corpus loaded and validated once for the tests that only read it."""
    return load_valid(corpus).model


@pytest.fixture(scope="module")
def examples_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Context, dict[str, str]]:
    """The shipped examples' site context and generated tree, built once for the tests that only read them."""
    repo = make_repo(tmp_path_factory.mktemp("examples") / "repo", ROOT / "incidents")
    ctx = build_context(load_valid(repo).model)
    return ctx, render_tree(ctx)


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 0.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0], 0.9) == pytest.approx(90.0)
    summary = summarise([None, 3.0, 1.0, None])
    assert (summary.count, summary.p50, summary.mean) == (2, 2.0, 2.0)


def test_kpis_of_the_examples_say_what_the_recovery_mean_averages() -> None:
    model = load_valid(ROOT).model
    result = kpis(model)
    drafts = sum(1 for i in model.incidents if i.status == model.schema.statuses[0])
    assert drafts >= 1 and result.drafts_left_out == drafts
    assert result.overall.incidents == len(model.incidents) - drafts
    # the 113-minute recovery with no downtime is counted, and said to be
    no_outage = [
        i for i in model.incidents if i.status != "draft" and model.downtime(i) == 0 and model.time_to_recover(i)
    ]
    assert result.overall.recover_no_outage == len(no_outage) > 0
    assert result.overall.recover_with_outage.count == result.overall.recover.count - len(no_outage) - sum(
        1 for i in model.incidents if i.status != "draft" and model.time_to_recover(i) and model.downtime(i) is None
    )
    assert result.overall.recover_with_outage.mean is not None and result.overall.recover.mean is not None
    assert result.overall.recover_with_outage.mean < result.overall.recover.mean
    assert 0 < result.overall.sla_known <= result.overall.incidents


@pytest.mark.parametrize("by", BREAKDOWNS)
def test_every_breakdown_covers_every_reviewed_incident(corpus_model: Model, by: str) -> None:
    model = corpus_model
    result = kpis(model, by)
    seen = sum(g.incidents for g in result.groups)
    if by in ("severity", "quarter", "trigger"):  # one value each (trigger: or "not stated")
        assert seen == result.overall.incidents
    else:  # several components each: every incident at least once
        assert seen >= result.overall.incidents
    assert all(g.incidents > 0 for g in result.groups)
    if by == "quarter":
        keys = [g.key for g in result.groups]
        assert keys == sorted(keys)


def test_since_and_until_bound_the_start_date(corpus_model: Model) -> None:
    model = corpus_model
    since, until = date(2025, 7, 1), date(2025, 12, 31)
    result = kpis(model, "quarter", since, until)
    expected = [i for i in model.incidents if since <= i.occurred_at.date() <= until and i.status != "draft"]
    assert result.overall.incidents == len(expected)
    assert {g.key for g in result.groups} <= {"2025-Q3", "2025-Q4"}


def test_missing_figures_and_not_stated_groups(schema: Schema) -> None:
    incidents = [
        make("SYS-20260101-001", "2026-01-01T10:00:00Z", recover=10, outage=5, closed="2026-01-11T10:00:00Z"),
        make("SYS-20260102-001", "2026-01-02T10:00:00Z"),  # no figures at all
        make("SYS-20260103-001", "2026-01-03T10:00:00Z", status="draft", recover=999, outage=999),
    ]
    result = kpis(model_of(schema, incidents), "trigger")
    assert result.drafts_left_out == 1
    assert result.overall.incidents == 2
    assert result.overall.recover.count == 1 and result.overall.recover.mean == 10
    assert result.overall.close.count == 1 and result.overall.close.mean == pytest.approx(10.0)
    assert result.overall.sla_rate is None
    assert [g.key for g in result.groups] == [NOT_STATED]


def test_asset_failures_match_the_primary_assets_in_the_files(corpus: Path, corpus_model: Model) -> None:
    """Counted from the files: each failed asset's host and kernel (stated, else Primary), against the report."""
    hosts: Counter[str] = Counter()
    kernels: Counter[str] = Counter()
    for path in (corpus / "incidents").rglob("*.md"):
        data = front_matter(path)
        primaries = [a for a in data.get("assets", []) if a.get("failed", a.get("role") == "Primary")]
        for asset in {a["name"]: a for a in primaries}.values():
            hosts[asset["name"]] += 1
        for kernel in {a["kernel"] for a in primaries if "kernel" in a}:
            kernels[kernel] += 1
    report = asset_report(corpus_model)
    got = {(h.kind.kind, h.name): len(h.failures) for h in report.histories}
    assert {n: c for (k, n), c in got.items() if k == "host" and c} == dict(hosts)
    assert {n: c for (k, n), c in got.items() if k == "kernel" and c} == dict(kernels)
    shared = [h for h in report.histories if len(h.failures) >= 2]
    assert shared, "the corpus must have assets that failed more than once"
    for history in shared:
        assert history.mtbf_days == pytest.approx(history.window_days / len(history.failures))
        days = [i.occurred_at for i in history.failures]
        assert days == sorted(days)


def test_one_failure_same_day_failures_and_a_standby(schema: Schema) -> None:
    incidents = [
        make("SYS-20260301-001", "2026-03-01T09:00:00Z", host="solo-01", recover=5),
        make("SYS-20260302-001", "2026-03-02T09:00:00Z", host="twice-01", recover=10, outage=2),
        make("SYS-20260302-002", "2026-03-02T15:00:00Z", host="twice-01", recover=30, outage=0),
        make("SYS-20260303-001", "2026-03-03T09:00:00Z", host="solo-01", role="Standby"),
    ]
    report = asset_report(model_of(schema, incidents, today=date(2026, 3, 31)))
    solo, twice = report.named("SOLO-01")[0], report.named("twice-01")[0]
    assert len(solo.occurrences) == 2 and len(solo.failures) == 1 and solo.mtbf_days is None
    assert [o.roles for o in solo.occurrences] == [("Primary",), ("Standby",)]
    assert len(twice.failures) == 2 and twice.mtbf_days == pytest.approx(30 / 2)
    assert twice.recovery.every.mean == 20 and twice.outage_min == 2
    assert twice.recovery.outages.mean == 10 and twice.recovery.no_outage == 1
    firmware = [h for h in report.histories if h.kind.kind == "firmware"]
    assert len(firmware) == 1 and len(firmware[0].failures) == 3  # the standby's NIC did not fail
    assert twice.rate_per_asset_year is None


def test_a_host_named_like_a_page_gets_its_own_path(schema: Schema) -> None:
    incidents = [
        make("SYS-20260301-001", "2026-03-01T09:00:00Z", host="index"),
        make("SYS-20260302-001", "2026-03-02T09:00:00Z", host="INDEX"),
        make("SYS-20260303-001", "2026-03-03T09:00:00Z", host="Index!"),
    ]
    report = asset_report(model_of(schema, incidents))
    slugs = [h.slug for h in report.histories if h.kind.kind == "host"]
    assert "index" not in slugs and len(set(slugs)) == 3
    assert "index" not in {k.slug for k in report.kinds}


def _inventory(repo: Path, text: str) -> None:
    (repo / INVENTORY_FILE).parent.mkdir(exist_ok=True)
    (repo / INVENTORY_FILE).write_text(text, encoding="utf-8")


def test_inventory_turns_counts_into_rates(repo: Path, schema: Schema) -> None:
    _inventory(
        repo,
        "assets:\n  - kind: firmware\n    name: 8.1.2.1004\n    count: 10\n    since: '2026-01-01'\n"
        "  - kind: model\n    name: PowerEdge R999\n    count: 4\n    since: '2025-06-01'\n",
    )
    inventory = read_inventory(repo, KINDS)
    assert inventory.usable, inventory.problems
    incidents = [make(f"SYS-202603{d:02d}-001", f"2026-03-{d:02d}T09:00:00Z") for d in (1, 5, 9)]
    report = asset_report(model_of(schema, incidents, today=date(2026, 12, 31)), inventory)
    firmware = report.named("8.1.2.1004")[0]
    assert firmware.window == (date(2026, 3, 1), date(2026, 12, 31))  # the first incident is later than since
    assert firmware.rate_per_asset_year == pytest.approx(3 / (10 * 305 / 365.25))
    never = report.named("PowerEdge R999")[0]  # in the inventory, never failed: a rate of zero
    assert never.failures == [] and never.rate_per_asset_year == 0


@pytest.mark.parametrize(
    ("text", "field", "line", "words"),
    [
        (
            "assets:\n  - kind: firmwre\n    name: x\n    count: 2\n    since: '2026-01-01'\n",
            "assets[0].kind",
            2,
            "did you mean 'firmware'",
        ),
        (
            "assets:\n  - kind: model\n    name: x\n    count: 0\n    since: '2026-01-01'\n",
            "assets[0].count",
            4,
            "minimum",
        ),
        (
            "assets:\n  - kind: model\n    name: x\n    count: 2\n    since: '2026-02-30'\n",
            "assets[0].since",
            5,
            "not a date",
        ),
        ("assets:\n  - kind: model\n    name: x\n    count: 2\n", "assets[0]", 2, "'since' is a required"),
        ("assets: [\n", "(file)", 2, ""),
        (
            "assets:\n  - {kind: model, name: x, count: 2, since: '2026-01-01'}\n"
            "  - {kind: model, name: x, count: 3, since: '2026-01-01'}\n",
            "assets[1]",
            3,
            "listed twice",
        ),
    ],
)
def test_a_bad_inventory_is_reported_as_data_and_not_used(
    repo: Path, text: str, field: str, line: int, words: str
) -> None:
    _inventory(repo, text)
    inventory = read_inventory(repo, KINDS)
    assert not inventory.usable and inventory.get("model", "x") is None
    problem = inventory.problems[0]
    assert (problem.file, problem.field, problem.line) == ("inventory/assets.yaml", field, line)
    assert words in problem.message


def test_stats_command_text_and_json(corpus: Path, corpus_model: Model) -> None:
    done = run_cli(corpus, "stats", "--by", "component", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["by"] == "component" and data["drafts_left_out"] >= 1
    model = corpus_model
    assert data["overall"] == kpis(model, "component").overall.as_dict()
    assert set(data["overall"]) >= {"time_to_detect_min", "time_to_recover_min", "time_to_close_days", "sla"}
    text = run_cli(corpus, "stats", "--since", "2026-01-01")
    assert text.returncode == 0 and "draft" in text.stdout and "with no outage" in text.stdout
    bad = run_cli(corpus, "stats", "--since", "2026-13-01")
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_assets_command_lists_and_shows_one(corpus: Path) -> None:
    listing = run_cli(corpus, "assets")
    assert listing.returncode == 0, listing.stderr
    assert "NIC Firmware" in listing.stdout and "rates need" not in listing.stdout
    one = run_cli(corpus, "assets", "MD-GW-03", "--format", "json")
    assert one.returncode == 0, one.stderr
    data = json.loads(one.stdout)
    assert [a["name"] for a in data["assets"]] == ["md-gw-03"] and data["inventory"]["present"] is False
    shown = run_cli(corpus, "assets", "md-gw-03")
    assert "rates need inventory/assets.yaml" in shown.stdout and "SYS-20260304-001" in shown.stdout
    missing = run_cli(corpus, "assets", "no-such-host")
    assert missing.returncode == 1 and "no incident names an asset" in missing.stderr


def test_an_unknown_asset_name_names_the_close_ones(corpus: Path) -> None:
    missing = run_cli(corpus, "assets", "MD-GW-3")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert "no incident names an asset 'MD-GW-3'" in missing.stderr
    assert "did you mean" in missing.stderr and "md-gw-03" in missing.stderr
    far = run_cli(corpus, "assets", "zzzzzzzzzzzz")
    assert far.returncode == 1 and "did you mean" not in far.stderr


def test_names_differing_only_in_case_are_two_assets_and_the_exact_one_comes_first(schema: Schema) -> None:
    incidents = [
        make("SYS-20260301-001", "2026-03-01T09:00:00Z", host="STRAT-01"),
        make("SYS-20260302-001", "2026-03-02T09:00:00Z", host="strat-01"),
        make("SYS-20260303-001", "2026-03-03T09:00:00Z", host="strat-01"),
    ]
    report = asset_report(model_of(schema, incidents))
    assert [(h.name, len(h.failures)) for h in report.named("strat-01")] == [("strat-01", 2), ("STRAT-01", 1)]
    assert [h.name for h in report.named("STRAT-01")] == ["STRAT-01", "strat-01"]
    assert [h.name for h in report.named("Strat-01")] == ["STRAT-01", "strat-01"]
    assert report.close_names("strat-1") == ["STRAT-01", "strat-01"]


def test_assets_command_warns_about_a_bad_inventory(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", ROOT / "incidents")
    _inventory(repo, "assets:\n  - kind: nic\n    name: x\n    count: 2\n    since: '2026-01-01'\n")
    done = run_cli(repo, "assets")
    assert done.returncode == 0
    assert "WARNING inventory/assets.yaml:2: assets[0].kind: unknown asset kind 'nic'" in done.stdout


def test_the_site_tree_has_a_page_per_asset_and_no_clash(examples_site: tuple[Context, dict[str, str]]) -> None:
    ctx, tree = examples_site
    paths = [asset_page(h) for h in ctx.assets.histories]
    assert len(paths) == len(set(paths)) == len(ctx.assets.histories) > 0
    assert all(p in tree for p in paths) and ASSET_INDEX in tree and RECOVERY in tree
    for history in ctx.assets.histories:  # the index links every asset page
        assert f"({asset_page(history).removeprefix('asset-history/')})" in tree[ASSET_INDEX]
    assert "1 draft left out" in tree[RECOVERY]
    statistics = tree["statistics/index.md"]
    assert "of them with no outage" in statistics and "outages only" in statistics


def test_validate_reports_a_bad_inventory_and_accepts_a_good_one(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", ROOT / "incidents")
    _inventory(repo, "assets:\n  - kind: model\n    name: PowerEdge R660\n    count: many\n    since: '2025-01-01'\n")
    done = run_cli(repo, "validate")
    assert done.returncode == 1
    assert "inventory/assets.yaml:4: assets[0].count: 'many' is not of type 'integer'" in done.stdout
    one = run_cli(repo, "validate", "incidents/2026/SYS-20260304-001.md")  # one file: the inventory is not its concern
    assert one.returncode == 0, one.stdout
    _inventory(repo, "assets:\n  - kind: model\n    name: PowerEdge R660\n    count: 40\n    since: '2025-01-01'\n")
    assert run_cli(repo, "validate").returncode == 0
    shown = run_cli(repo, "assets", "PowerEdge R660")
    assert "failures per asset-year: " in shown.stdout and "40 since 2025-01-01" in shown.stdout


def test_an_asset_pattern_page_links_its_history(examples_site: tuple[Context, dict[str, str]]) -> None:
    ctx, tree = examples_site
    history = next(h for h in ctx.assets.histories if h.kind.kind == "firmware" and h.failures)
    pattern = ctx.pattern_page(history.kind.field.name, history.name)
    assert pattern is not None and "Asset history (failures, MTBF" in tree[pattern]
    assert asset_page(history).rpartition("/")[2] in tree[pattern]
    components = next(p for p in ctx.patterns if p.field.name == "components")
    plain = ctx.pattern_page("components", components.values[0].value)
    assert plain is not None and "Asset history" not in tree[plain]  # not an asset field
