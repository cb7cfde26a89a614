"""A test repository for the site search that looks like a real firm's: ids, hosts, versions and words overlap.

The shipped example incidents (19), plus synthetic ones from bench/synth.py
(hosts ``md-gw-ny4-01``..., ``fixgw-ld4-07``..., up to three incidents a day so
many ids end in ``-001``, words drawn from one Zipf-spread vocabulary), into
which near-misses are planted: kernel versions that differ in one part or
share a prefix, identifiers that extend one another (``RTR_UNAVAILABLE`` and
``RTR_UNAVAILABLE_RETRY``), a host family (``pgdb-ny4-01``, ``pgdb-ld4-01``,
``pg-ny4-01``), an error phrase in one incident and its words scattered
(more often) in another, and a title full of HTML and quotes.

What a search should rank first is not written down here: :func:`expected`
works it out from the files, so the tests hold for whatever the corpus holds.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from failurelog.core.primary import primary_from_system, primary_specs
from failurelog.core.schema import load_schema
from tests.site_helpers import ROOT, make_repo

SYNTHETIC = 36
#: bench/synth.py's seed for the synthetic incidents.
SEED = 11
PHRASE = "Fatal exception in interrupt"
HOSTILE_TITLE = 'Feed <b>zebracorn</b> & "quoted" <script>x</script> on md-gw-ny4-09'

#: (hostname, kernel version, lines added to the Error Messages section) for the first synthetic incidents.
PLANTS: list[tuple[str | None, str | None, list[str]]] = [
    ("pgdb-ny4-01", "5.14.0-503.26.1.el9_5", [f"kernel: Kernel panic - not syncing: {PHRASE}"]),
    (
        "pgdb-ld4-01",
        "5.14.0-503.26.1.el9_4",
        ["fatal: exception counter rose; interrupt storm; fatal exception"] * 3
        + ["interrupt in handler: fatal, exception logged, interrupt masked"],
    ),
    ("pg-ny4-01", "5.14.0-503.26.11.el9_5", ["gateway: RTR_UNAVAILABLE_RETRY x3 RTR_UNAVAILABLE_RETRY"] * 2),
    ("md-gw-ny4-02", "5.14.0-503.26.1.el9_4", ["gateway: order router said RTR_UNAVAILABLE"]),
    ("md-gw-ld4-02", "5.14.0-503.26.1.el9_4", ["ERROR: duplicate key in exec_audit_log_2026_10_ts_idx"] * 3),
    ("md-gw-ty3-05", "5.14.0-427.13.1.el9_4", ["ERROR: index exec_audit_log_2026_11_ts_idx is corrupt"]),
    ("md-gw-ch2-07", "5.14.0-427.13.1.el9_4", ["exec_audit_log grew past its quota"]),
]


@dataclass(frozen=True)
class Incident:
    """What the assertions need of one incident file."""

    id: str
    title: str
    hostname: str
    kernel: str
    text: str


def _synth() -> Any:
    """bench/synth.py, loaded once per process (so its checked templates are kept for the next corpus)."""
    loaded = sys.modules.get("failurelog_bench_synth")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("failurelog_bench_synth", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _split(path: Path) -> tuple[dict[str, Any], str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), body


def _plant(path: Path, synth: Any, host: str | None, kernel: str | None, lines: list[str], title: str | None) -> None:
    data, body = _split(path)
    if host:
        data["system"]["hostname"] = host
    own = data["system"].get("hostname")
    if own and not title:  # synth's title names a host at random; a real one names the incident's own host
        data["title"] = re.sub(r" on \S+$", f" on {own}", str(data["title"]))
    if kernel:
        data["system"]["kernel_version"] = kernel
    if title:
        data["title"] = title
    if host or kernel:  # the Primary affected asset is the System Specifications' machine: keep them agreeing
        schema = load_schema(ROOT)
        for spec in primary_specs(schema):
            data.pop(spec.field.key, None)
        data.update(primary_from_system(schema, data))
    fence = "## Error Messages\n\n```text\n"
    if lines:
        assert fence in body, path
        body = body.replace(fence, fence + "\n".join(lines) + "\n", 1)
    path.write_text(synth.render(data, body.lstrip("\n")), encoding="utf-8")


def build_corpus(target: Path) -> Path:
    """The repository at ``target``: shipped incidents, synthetic ones, and the planted near-misses."""
    repo = make_repo(target / "repo", ROOT / "incidents")
    synth = _synth()
    made = sorted(synth.generate(target / "synth", SYNTHETIC, seed=SEED))
    for n, path in enumerate(made):
        host, kernel, lines = PLANTS[n] if n < len(PLANTS) else (None, None, [])
        _plant(path, synth, host, kernel, lines, HOSTILE_TITLE if n == len(PLANTS) else None)
        out = repo / "incidents" / path.parent.name / path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return repo


def incidents(repo: Path) -> dict[str, Incident]:
    """Every incident of the repository, by id."""
    out = {}
    for path in sorted((repo / "incidents").rglob("*.md")):
        data, _ = _split(path)
        system = data.get("system") or {}
        out[str(data["id"])] = Incident(
            id=str(data["id"]),
            title=str(data["title"]),
            hostname=str(system.get("hostname", "")),
            kernel=str(system.get("kernel_version", "")),
            text=path.read_text(encoding="utf-8"),
        )
    return out


def whole_token(token: str) -> re.Pattern[str]:
    """``token`` not continued by a word character, dot-digit or dash (``RTR_UNAVAILABLE`` not in ``..._RETRY``)."""
    return re.compile(rf"(?<![\w.-]){re.escape(token)}(?![\w-]|\.\w)", re.IGNORECASE)


def expected(corpus: dict[str, Incident], kind: str, query: str) -> set[str]:
    """The ids an answer may rank first for ``query``: the incident it names, or those holding it."""
    q = query.lower()
    if kind == "id":
        return {i for i in corpus if i.lower() == q}
    if kind == "host":
        return {i for i, c in corpus.items() if c.hostname == query}
    if kind == "field":  # "Hostname: md-gw-03", as a field reads on the incident page
        label, _, value = query.partition(": ")
        assert label == "Hostname", label
        return {i for i, c in corpus.items() if c.hostname == value}
    if kind == "host prefix":
        return {i for i, c in corpus.items() if c.hostname.startswith(query + "-")}
    if kind == "version":
        return {i for i, c in corpus.items() if c.kernel == query}
    if kind == "identifier":
        return {i for i, c in corpus.items() if whole_token(query).search(c.text)}
    if kind == "phrase":
        return {i for i, c in corpus.items() if q in c.text.lower()}
    raise ValueError(kind)
