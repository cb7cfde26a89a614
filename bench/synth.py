"""Synthetic, valid, full-schema incidents for the benchmarks (bench_validate.py, bench_site.py).

Values come from the schema itself (every field filled: enums, numbers within
bounds, formats, lists of objects); a few dozen templates are checked with
the real validator, and any field a rule still rejects is dropped, so the
generator keeps working when rules change. Incidents are then made from the
templates by shifting every date by whole days, and by drawing host names,
titles, error messages, backtraces and root causes from a vocabulary with a
Zipf-like spread, so related-incident suggestions see realistic overlap.

    python bench/synth.py OUT_DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

from failurelog.core.loader import Document, parse_text  # noqa: E402
from failurelog.core.paths import SCHEMA_FILE  # noqa: E402
from failurelog.core.primary import primary_from_system, primary_specs  # noqa: E402
from failurelog.core.schema import ITEMS, Field, Schema, load_schema  # noqa: E402
from failurelog.validate.rules import _derive, repository_problems  # noqa: E402
from failurelog.validate.run import check_document  # noqa: E402

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)$")
TEMPLATES = 24
#: Durations as on-call engineers see them (median e**mu, long right tail), by the field's ``x-unit``:
#: about 20 minutes to detect or recover, a few hours, seconds.
DURATION_SCALE = {"min": (3.0, 1.2), "h": (1.0, 1.0), "s": (2.0, 1.5)}


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """Pronounceable pseudo-words, most frequent first."""
    syllables = [
        "ka",
        "ro",
        "mi",
        "tse",
        "ix",
        "gbe",
        "nvm",
        "edac",
        "sfc",
        "tx",
        "rx",
        "irq",
        "dma",
        "pci",
        "numa",
        "lo",
        "ck",
        "re",
        "set",
        "hang",
        "flap",
        "oom",
        "seg",
        "fault",
        "ring",
        "mmu",
        "tlb",
        "io",
        "q",
    ]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered


_CUMULATIVE: dict[int, list[float]] = {}


def zipf_words(rng: random.Random, vocab: list[str], n: int) -> str:
    """``n`` words drawn with Zipf's law: the word of rank r is drawn in proportion to 1/r."""
    weights = _CUMULATIVE.get(len(vocab))
    if weights is None:
        total, weights = 0.0, []
        for rank in range(1, len(vocab) + 1):
            total += 1 / rank
            weights.append(total)
        _CUMULATIVE[len(vocab)] = weights
    return " ".join(rng.choices(vocab, cum_weights=weights, k=n))


def _value(rng: random.Random, schema: Schema, spec: Field, when: datetime, vocab: list[str]) -> Any:
    s = spec.schema
    if "const" in s:
        return s["const"]
    if spec.is_container and spec.type == "array":
        return [_object(rng, schema, (*spec.path, ITEMS), when, vocab) for _ in range(rng.randint(1, 3))]
    if spec.type == "object":
        return _object(rng, schema, spec.path, when, vocab)
    if spec.choices is not None:
        choices = [c for c in spec.choices if c != "Other"] or spec.choices
        return rng.sample(choices, rng.randint(1, min(3, len(choices)))) if spec.multiple else rng.choice(choices)
    if spec.type == "array":
        if s.get("minItems") == s.get("maxItems") and s.get("minItems"):
            return [round(rng.uniform(0, 40), 2) for _ in range(int(s["minItems"]))]
        return [zipf_words(rng, vocab, 5) for _ in range(rng.randint(1, 3))]
    fmt = s.get("format")
    if fmt == "date-time":
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    if fmt == "date":
        return when.date().isoformat()
    if spec.type == "integer":
        return rng.randint(int(s.get("minimum", 0)), 50_000)
    if spec.type == "number":
        low, high = float(s.get("minimum", 0) or 0), float(s.get("maximum", 500))
        if s.get("x-unit") in DURATION_SCALE:  # minutes to recover, not a uniform draw up to the ten-year bound
            return round(min(high, max(low, rng.lognormvariate(*DURATION_SCALE[s["x-unit"]]))), 2)
        return round(rng.uniform(low, high), 2)
    if "pattern" in s:
        candidates = [
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
            f"{rng.getrandbits(160):040x}",
            "host-00",
        ]
        return next((c for c in candidates if re.fullmatch(s["pattern"], c)), None)
    if "anyOf" in s:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return zipf_words(rng, vocab, 8)


def _object(rng: random.Random, schema: Schema, prefix: tuple[str, ...], when: datetime, vocab: list[str]) -> Any:
    out = {}
    for spec in schema.children(prefix):
        refs = spec.is_container and any(c.schema.get("x-incident-ref") for c in schema.children((*spec.path, ITEMS)))
        if spec.key.endswith("_other") or refs or spec.key == "remarks":
            continue
        value = _value(rng, schema, spec, when, vocab)
        if value is not None:
            out[spec.key] = value
    return out


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def _times(schema: Schema, data: dict[str, Any], start: datetime) -> None:
    """Give every timestamp of the chronology chains a place in one consistent order."""
    t = start
    chains = schema.raw.get("x-chronology", [])
    chains = chains if chains and isinstance(chains[0], list) else [chains]
    before: dict[str, set[str]] = {}  # each field and the fields that must come first
    for chain in chains:
        for index, name in enumerate(chain):
            before.setdefault(name, set()).update(chain[:index])
    done: list[str] = []
    while len(done) < len(before):  # the chains never loop, so some field is always free
        free = next(n for n in before if n not in done and before[n] <= set(done))
        done.append(free)
    for name in done:
        spec = schema.field(name)
        if spec is None:
            continue
        t += timedelta(minutes=7)
        fmt = spec.schema.get("format")
        _set(data, name, t.date().isoformat() if fmt == "date" else t.strftime("%Y-%m-%dT%H:%M:%S.000Z"))


def _body(schema: Schema, rng: random.Random, vocab: list[str]) -> str:
    parts = []
    for section in schema.sections:
        if section.kind == "log":
            lines = "\n".join(f"[{i:>6}.{rng.randint(0, 999999):06d}] {zipf_words(rng, vocab, 9)}" for i in range(4))
            parts.append(f"## {section.heading}\n\n```text\n{lines}\n```\n")
        else:
            parts.append(f"## {section.heading}\n\n{zipf_words(rng, vocab, 30)}.\n")
    return "\n".join(parts)


#: libyaml's emitter when PyYAML has it (the same bytes as ``yaml.safe_dump``, in less than half the time).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render(data: dict[str, Any], body: str) -> str:
    """The incident file: block-style front matter, then the body."""
    front = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n\n{body}"


def _check(schema: Schema, data: dict[str, Any], body: str) -> list[str]:
    ident = data["id"]
    doc = Document(path=Path(f"incidents/{ident[4:8]}/{ident}.md"), display=f"{ident}.md")
    parse_text(doc, render(data, body))
    check_document(doc, schema)
    problems = doc.problems + repository_problems([doc], schema)
    return [p.field for p in problems]


def _drop(data: dict[str, Any], dotted: str) -> bool:
    parts = [p for p in re.split(r"\.|\[(\d+)\]", dotted) if p]
    node: Any = data
    for part in parts[:-1]:
        node = (
            node[int(part)]
            if part.isdigit() and isinstance(node, list) and int(part) < len(node)
            else None
            if isinstance(node, list)
            else node.get(part)
            if isinstance(node, dict)
            else None
        )
        if node is None:
            return False
    last = parts[-1] if parts else ""
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        del node[int(last)]
        return True
    return False


def template(rng: random.Random, schema: Schema, vocab: list[str], when: datetime) -> tuple[dict[str, Any], str] | None:
    """One valid, closed incident on ``when``'s day, or None when the rules reject it even after dropping fields."""
    data = _object(rng, schema, (), when, vocab)
    data["id"] = f"SYS-{when:%Y%m%d}-001"
    data["status"] = schema.statuses[-1]
    data["system"]["hostname"] = "host-00"
    _primary_asset(schema, data)
    _times(schema, data, when)
    body = _body(schema, rng, vocab)
    for spec in schema.derived_fields:
        value = _derive(spec.schema["x-derived"], data)
        if value is not None:
            _set(data, spec.name, round(value, 2) if isinstance(value, float) else value)
    for _round in range(8):
        bad = _check(schema, data, body)
        if not bad:
            return data, body
        dropped = False
        for name in sorted(set(bad), key=lambda n: (-len(n), n)):  # longest first; ties by name, not hash order
            while name and not (dropped := _drop(data, name) or dropped):
                shorter = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", name)
                name = "" if shorter == name else shorter  # a top-level name already gone: nothing left to drop
        if not dropped:
            return None
    return None


def _primary_asset(schema: Schema, data: dict[str, Any]) -> None:
    """The asset lists hold just the System Specifications' machine, as the Primary asset (``x-primary``)."""
    for spec in primary_specs(schema):
        data.pop(spec.field.key, None)
    data.update(primary_from_system(schema, data))


def _shift(value: Any, days: int) -> Any:
    if isinstance(value, dict):
        return {k: _shift(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, days) for v in value]
    if isinstance(value, str) and (match := _DATE.match(value)):
        try:
            day = date.fromisoformat(match.group(1)) + timedelta(days=days)
        except ValueError:
            return value
        return day.isoformat() + match.group(2)
    return value


#: (seed, base day, schema text) -> (random state after the templates, vocabulary, templates), by :func:`_templates`.
_TEMPLATE_MEMO: dict[tuple[int, datetime, str], tuple[Any, list[str], list[tuple[dict[str, Any], str]]]] = {}


def _templates(
    seed: int, schema: Schema, base: datetime
) -> tuple[random.Random, list[str], list[tuple[dict[str, Any], str]]]:
    """The generator seeded with ``seed``, its vocabulary and the checked templates, as they stand after drawing them.

    Checking the templates with the validator is most of a small corpus' cost;
    a process that generates several corpora (the test suite) checks them once
    per seed and schema. The state is restored, so the output is the same bytes.
    """
    key = (seed, base, (ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    if key not in _TEMPLATE_MEMO:
        rng = random.Random(seed)
        vocab = vocabulary(rng)
        made = [t for t in (template(rng, schema, vocab, base) for _ in range(TEMPLATES)) if t is not None]
        if not made:
            raise SystemExit("no valid template: the schema's rules reject every generated incident")
        _TEMPLATE_MEMO[key] = rng.getstate(), vocab, made
    state, vocab, made = _TEMPLATE_MEMO[key]
    rng = random.Random()
    rng.setstate(state)
    return rng, list(vocab), copy.deepcopy(made)


def generate(out: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` valid incidents under ``out/incidents/YYYY/``; copy schema/ and templates/ beside them."""
    import shutil

    schema = load_schema(ROOT)
    for folder in ("schema", "templates"):
        if not (out / folder).exists():
            shutil.copytree(ROOT / folder, out / folder)
    base = datetime(2020, 1, 1, 9, 0, tzinfo=UTC)
    rng, vocab, made = _templates(seed, schema, base)
    hosts = [
        f"{role}-{site}-{n:02d}"
        for role in ("md-gw", "fixgw", "risk", "oms", "db", "strat")
        for site in ("ny4", "ld4", "ty3", "ch2")
        for n in range(1, 11)
    ]
    per_day, paths, ids = 3, [], []
    for n in range(count):
        days = n // per_day
        data, body = copy.deepcopy(rng.choice(made))
        data = _shift(data, days)
        day = base + timedelta(days=days)
        data["id"] = f"SYS-{day:%Y%m%d}-{n % per_day + 1:03d}"
        data["title"] = f"{zipf_words(rng, vocab, 3)} on {rng.choice(hosts)}"
        data["system"]["hostname"] = rng.choice(hosts)
        _primary_asset(schema, data)
        if "root_cause" in data:
            data["root_cause"]["summary"] = zipf_words(rng, vocab, 12)
        if len(ids) > per_day and rng.random() < 0.2:
            earlier = rng.choice(ids[-30:-per_day] or ids[:1])
            data.setdefault("related", {})["similar_incidents"] = [
                {"id": earlier[0], "date": earlier[1], "similarity": zipf_words(rng, vocab, 4)}
            ]
        body = _body(schema, rng, vocab)
        path = out / "incidents" / f"{day:%Y}" / f"{data['id']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(data, body), encoding="utf-8")
        ids.append((data["id"], day.date().isoformat()))
        paths.append(path)
    return paths


STACK_FENCE = "## Backtrace/Stack Trace\n\n```text\n"


def plant_stacks(paths: list[Path], stacks: int, seed: int) -> None:
    """Give one incident in five a gdb backtrace from a pool of ``stacks`` (other addresses and lines each time).

    Incidents that share a stack share a crash signature (failurelog.analysis.signatures) with nothing else in
    common: what the signature channel of the suggestions is for.
    """
    rng = random.Random(seed)
    for path in paths:
        if rng.random() >= 0.2:
            continue
        k = rng.randrange(stacks)
        frames = "\n".join(
            f"#{n}  0x{rng.getrandbits(40):016x} in svc{k}::Module{n}::step{k + n} (this=0x{rng.getrandbits(32):x}) "
            f"at src/svc{k}/m{n}.cc:{rng.randint(10, 900)}"
            for n in range(4)
        )
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(STACK_FENCE, STACK_FENCE + frames + "\n", 1), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)
