"""Synthetic incidents that use the whole schema, for benchmarks.

Values are generated from the schema itself (enums, numeric bounds, formats),
then the timestamps and derived figures are made consistent, so every
generated incident is valid and closed.

    python bench/synth.py OUT_DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from failurelog import yamlio  # noqa: E402
from failurelog.schema import ITEMS, Field, Schema, load_schema  # noqa: E402

WORDS = (  # noqa: SIM905 -- a sentence of jargon reads better than 42 quoted words
    "link flap on eth2 after firmware 8.1.2 retransmit storm kernel panic EDAC corrected error threshold exceeded "
    "nvme media errors thermal throttle package temp segfault fixgw order book deadlock mutex risk limits journal "
    "replay postgres invalid page checksum oom killer rss leak cgroup"
).split()
HOSTS = [
    f"{role}-{site}-{n:02d}"
    for role in ("md-gw", "fixgw", "risk", "oms", "db")
    for site in ("ny4", "ld4", "ty3")
    for n in range(1, 7)
]


def _text(rng: random.Random, n: int = 8) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _value(rng: random.Random, schema: Schema, spec: Field, when: datetime) -> Any:
    s = spec.schema
    if spec.is_container and spec.type == "array":
        return [_object(rng, schema, (*spec.path, ITEMS), when) for _ in range(rng.randint(1, 3))]
    if spec.type == "object":
        return _object(rng, schema, spec.path, when)
    if spec.choices is not None:
        if spec.multiple:
            choices = [c for c in spec.choices if c != "Other"]
            return rng.sample(choices, rng.randint(1, min(3, len(choices))))
        return rng.choice(spec.choices)
    if spec.type == "array":
        if s.get("minItems") == 3 and s.get("maxItems") == 3:
            return [round(rng.uniform(0, 40), 2) for _ in range(3)]
        return [_text(rng, 5) for _ in range(rng.randint(1, 3))]
    fmt = s.get("format")
    if fmt == "date-time":
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    if fmt == "date":
        return (when + timedelta(days=rng.randint(1, 30))).date().isoformat()
    if spec.type == "integer":
        return rng.randint(int(s.get("minimum", 0)), 100_000)
    if spec.type == "number":
        return round(rng.uniform(float(s.get("minimum", 0) or 0.1), float(s.get("maximum", 500))), 2)
    if "pattern" in s:
        return None  # ids, hashes, hostnames, times: filled in by _fix
    if spec.key == "ip_address":
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return _text(rng)


def _object(rng: random.Random, schema: Schema, prefix: tuple[str, ...], when: datetime) -> dict[str, Any]:
    out = {}
    for spec in schema.children(prefix):
        if spec.key.endswith("_other") or spec.key in ("remarks", "similar_incidents"):
            continue
        value = _value(rng, schema, spec, when)
        if value is not None:
            out[spec.key] = value
    return out


def incident(rng: random.Random, schema: Schema, day: datetime, seq: int, earlier: list[str]) -> dict[str, Any]:
    """One valid, closed incident for ``day`` with sequence number ``seq``."""
    # later sequence numbers start later in the day, so "similar past incidents" are in the past
    when = day + timedelta(hours=6 * (seq - 1), seconds=rng.randint(0, 5 * 3600), milliseconds=rng.randint(0, 999))
    data = _object(rng, schema, (), when)
    data["id"] = f"SYS-{day:%Y%m%d}-{seq:03d}"
    data["status"] = "closed"
    data["system"]["hostname"] = rng.choice(HOSTS)
    times = {}
    t = when
    for name in schema.chronology[0]:  # the main chain: incident, failure, fix, closing
        times[name] = t
        t += timedelta(minutes=rng.randint(1, 90), milliseconds=rng.randint(0, 999))
    for name, value in times.items():
        parts = name.split(".")
        target = data
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        spec = schema.field(name)
        assert spec is not None
        ms = spec.schema.get("pattern", "").find("\\.[0-9]{3}Z$") >= 0
        target[parts[-1]] = value.strftime("%Y-%m-%dT%H:%M:%S") + (f".{value.microsecond // 1000:03d}Z" if ms else "Z")
    failure = data["failure"]
    span = times["failure.complete_failure_at"] - times["failure.first_indication_at"]
    failure["degradation_duration_min"] = round(span.total_seconds() / 60, 2)
    mem = data["metrics"]["memory"]
    mem["total_gb"] = 512
    mem["used_pct"] = round(100 * mem["used_gb"] / 512, 2)
    mem["swap_total_gb"] = 64
    mem["swap_used_gb"] = min(mem["swap_used_gb"], 64)
    mem["swap_used_pct"] = round(100 * mem["swap_used_gb"] / 64, 2)
    sla = data["impact"]["sla"]
    sla["variance_min"] = round(sla["actual_recovery_min"] - sla["rto_min"], 2)
    sla["met"] = "Yes" if sla["actual_recovery_min"] <= sla["rto_min"] else "No"
    data["resolution"]["code_changes"]["commit"] = f"{rng.getrandbits(160):040x}"
    data["response"]["emergency_timeline"] = [
        {"time": f"{when.hour:02d}:{when.minute:02d}:{i * 7 % 60:02d}", "action": _text(rng)} for i in range(3)
    ]
    for person in data["sign_off"].values():
        if isinstance(person, dict):
            person["date"] = times["sign_off.closed_at"].date().isoformat()
    data["related"]["similar_incidents"] = [
        {"id": ref, "similarity": _text(rng, 4)} for ref in rng.sample(earlier, min(len(earlier), 2))
    ]
    if not data["related"]["similar_incidents"]:
        del data["related"]["similar_incidents"]
    data["remarks"] = {"system.cpu_cores": "2 x 16, HT off"}
    return data


def to_markdown(schema: Schema, data: dict[str, Any], rng: random.Random) -> str:
    """Front matter in block style plus every body section."""
    import yaml

    fm = yaml.dump(data, Dumper=yamlio.SafeValueDumper, allow_unicode=True, sort_keys=False, width=100)
    body = []
    for section in schema.sections:
        if section.kind == "log":
            lines = "\n".join(f"[{i:>8}.{rng.randint(0, 999999):06d}] {_text(rng, 10)}" for i in range(6))
            body.append(f"## {section.heading}\n\n```text\n{lines}\n```\n")
        else:
            body.append(f"## {section.heading}\n\n{_text(rng, 40)}.\n")
    return f"---\n{fm}---\n\n" + "\n".join(body)


def generate(out: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` incidents under ``out/incidents/YYYY/`` (a copy of schema/ beside them)."""
    import shutil

    rng = random.Random(seed)
    schema = load_schema(ROOT)
    for folder in ("schema", "templates"):
        if not (out / folder).exists():
            shutil.copytree(ROOT / folder, out / folder)
    paths = []
    ids: list[str] = []
    start = datetime(2021, 1, 1, tzinfo=UTC)
    per_day = 3
    for n in range(count):
        day = start + timedelta(days=n // per_day)
        data = incident(rng, schema, day, n % per_day + 1, ids[-50:])
        path = out / "incidents" / f"{day:%Y}" / f"{data['id']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_markdown(schema, data, rng), encoding="utf-8")
        ids.append(data["id"])
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)
