"""A repository for the signature and suggestion tests: the shipped examples plus synthetic incidents with plants.

The synthetic incidents come from bench/synth.py (random hosts and words from
one Zipf-spread vocabulary, so many incidents share words by chance). Into a
few of them are planted, by name:

- ``stack-first`` / ``stack-repeat``: the same C++ crash three weeks apart on
  hosts of other sites, with other addresses, arguments, line numbers, thread
  and PID, and no prose in common;
- ``kernel-first`` / ``kernel-repeat``: the same kernel ``Call Trace:`` with
  other offsets, timestamps, CPU and PID, and unreliable ``?`` frames between;
- ``decoy``: error messages naming the first stack's functions, and a crash
  somewhere else (must not share its signature);
- ``noise``: a backtrace of nothing but ``abort``/``raise`` frames (no signature);
- ``standby-first`` / ``standby-fails``: two hosts of a redundant pair, each
  the other's standby, fail a week apart of the same cause: each names the
  other among its affected assets only.

:func:`figures` is the labelled-pairs measure (precision and recall of what an
incident page shows: its explicit links and its top three suggestions); it
reads only ``related()``, so it measures an older checkout the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from failurelog.analysis.related import related
from failurelog.core.primary import primary_from_system, primary_specs
from failurelog.core.schema import Schema, load_schema
from failurelog.model.incident import Model
from tests.search_corpus import _split, _synth
from tests.site_helpers import ROOT, make_repo

SYNTHETIC = 66
LABELLED = Path(__file__).resolve().parent / "fixtures" / "labelled_pairs.yaml"

STACK_FIRST = """\
Program terminated with signal SIGSEGV, Segmentation fault.
#0  0x00000000005a1f3c in OrderContextPool::acquire (this=0x7f22c4001a00, slot=17) at src/oms/pool.cc:212
#1  0x00000000005a0b17 in OrderStateMachine::on_new_order (this=0x7f22c4019800, msg=...) at src/oms/fsm.cc:488
#2  0x000000000059e7d0 in Router::route (this=0x1e4f2a0, order=0x7f22c40ff040) at src/oms/router.cc:91
#3  0x00007f22d3a894da in start_thread (arg=<optimized out>) at pthread_create.c:443
"""
STACK_REPEAT = """\
[Switching to thread 4 (Thread 0x7fa91bffe640 (LWP 30722))]
#0  0x00000000005b2ac8 in OrderContextPool::acquire (this=0x7fa90c0008c0, slot=3) at src/oms/pool.cc:219
#1  0x00000000005b1d01 in OrderStateMachine::on_new_order (this=0x7fa90c022000, msg=...) at src/oms/fsm.cc:502
#2  0x00000000005af3b2 in Router::route (this=0x2a10e70, order=0x7fa90c1e0080) at src/oms/router.cc:97
#3  0x00007fa92b2894da in start_thread (arg=<optimized out>) at pthread_create.c:447
#4  0x00007fa92b30e550 in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81
"""
KERNEL_FIRST = """\
[ 8812.004411] CPU: 3 PID: 0 Comm: swapper/3 Tainted: G           OE      5.14.0-427.22.1.el9_4.x86_64 #1
[ 8812.004430] RIP: 0010:mlx5e_poll_tx_cq+0x2c1/0x6a0 [mlx5_core]
[ 8812.004502] Call Trace:
[ 8812.004503]  <IRQ>
[ 8812.004507]  mlx5e_poll_tx_cq+0x2c1/0x6a0 [mlx5_core]
[ 8812.004519]  mlx5e_napi_poll+0x9d/0x6f0 [mlx5_core]
[ 8812.004528]  __napi_poll+0x2a/0x170
[ 8812.004531]  net_rx_action+0x23c/0x300
"""
KERNEL_REPEAT = """\
[Sat Feb  1 03:14:07 2020] CPU: 27 PID: 1733 Comm: mdfeed-b Tainted: G           OE      5.14.0-427.42.1.el9_4.x86_64 #1
[Sat Feb  1 03:14:07 2020] RIP: 0010:mlx5e_poll_tx_cq+0x2d9/0x6b0 [mlx5_core]
[Sat Feb  1 03:14:07 2020] Call Trace:
[Sat Feb  1 03:14:07 2020]  <IRQ>
[Sat Feb  1 03:14:07 2020]  ? show_regs+0x6c/0x80
[Sat Feb  1 03:14:07 2020]  mlx5e_poll_tx_cq+0x2d9/0x6b0 [mlx5_core]
[Sat Feb  1 03:14:07 2020]  ? __die_body+0x1f/0x70
[Sat Feb  1 03:14:07 2020]  mlx5e_napi_poll+0xa5/0x710 [mlx5_core]
[Sat Feb  1 03:14:07 2020]  __napi_poll+0x2c/0x170
[Sat Feb  1 03:14:07 2020]  net_rx_action+0x243/0x310
"""
DECOY_MESSAGES = "oms: OrderContextPool::acquire slow path taken by Router::route (pool 91% full)"
DECOY_STACK = """\
#0  0x0000000000611c3e in RiskGate::check (this=0x7f0011c0, order=...) at src/risk/gate.cc:77
#1  0x0000000000610a21 in RiskGate::on_order (this=0x7f0011c0, order=...) at src/risk/gate.cc:41
#2  0x000000000060f0b3 in Session::dispatch (this=0x1c0ffee0) at src/risk/session.cc:310
"""
NOISE_STACK = """\
#0  __pthread_kill_implementation (no_tid=0, signo=6, threadid=140737) at ./nptl/pthread_kill.c:44
#1  0x00007ffff7a9d476 in __GI_raise (sig=sig@entry=6) at ../sysdeps/posix/raise.c:26
#2  0x00007ffff7a837f3 in __GI_abort () at ./stdlib/abort.c:79
"""

#: name: (synthetic incident position, host, {section heading: text that replaces its content}).
PLANTS: dict[str, tuple[int, str, dict[str, str]]] = {
    "stack-first": (0, "oms-ny4-21", {"Backtrace/Stack Trace": STACK_FIRST}),
    "stack-repeat": (63, "oms-ld4-09", {"Backtrace/Stack Trace": STACK_REPEAT}),
    "kernel-first": (5, "md-gw-ny4-02", {"dmesg Output": KERNEL_FIRST}),
    "kernel-repeat": (50, "md-gw-ty3-07", {"dmesg Output": KERNEL_REPEAT}),
    "decoy": (10, "oms-ny4-22", {"Error Messages": DECOY_MESSAGES, "Backtrace/Stack Trace": DECOY_STACK}),
    "noise": (20, "db-ch2-03", {"Backtrace/Stack Trace": NOISE_STACK}),
}

#: A redundant pair: the first incident's Primary fails and its standby does not take over; a week later the
#: standby fails itself, the first Primary standing by, of the same cause on the same systems and kernel. Each
#: names the other host among its affected assets only: the hostnames differ, the hosts are the same.
STANDBY = "oms-ny4-40"
#: name: (synthetic incident position, its Primary host).
STANDBY_PLANTS = {"standby-first": (30, "oms-ny4-41"), "standby-fails": (58, STANDBY)}
#: What the second standby incident takes over from the first: (section, key); section "" for the top level.
SAME_CAUSE = (("", "components"), ("", "failure_types"), ("cause", "category"), ("cause", "trigger"))


def _rehost(schema: Schema, data: dict[str, Any], host: str) -> None:
    """Make ``host`` the incident's Primary asset and System Specifications hostname."""
    data["system"]["hostname"] = host
    data["title"] = f"{data['title'].rsplit(' on ', 1)[0]} on {host}"
    for spec in primary_specs(schema):
        data.pop(spec.field.key, None)
    data.update(primary_from_system(schema, data))


def _plant_standby(schema: Schema, data: dict[str, Any], first: dict[str, Any] | None) -> None:
    """The first incident of the pair (``first`` None) or the second, which fails as the first one did."""
    primary, standby = STANDBY_PLANTS["standby-first"][1], STANDBY
    if first is not None:
        for section, key in SAME_CAUSE:
            (data[section] if section else data)[key] = (first[section] if section else first)[key]
        data["system"]["kernel_version"] = first["system"]["kernel_version"]
        primary, standby = standby, primary
    _rehost(schema, data, primary)
    for spec in primary_specs(schema):
        data[spec.field.key].append({"name": standby, spec.role: "Standby"})


def _replace(body: str, heading: str, text: str) -> str:
    head = f"## {heading}\n\n```text\n"
    start = body.index(head) + len(head)
    end = body.index("```", start)
    return body[:start] + text.rstrip("\n") + "\n" + body[end:]


def build_corpus(target: Path) -> tuple[Path, dict[str, str]]:
    """The repository at ``target`` and the id of each plant."""
    repo = make_repo(target / "repo", ROOT / "incidents")
    synth = _synth()
    made = sorted(synth.generate(target / "synth", SYNTHETIC, seed=23))
    schema = load_schema(ROOT)
    planted = {position: (name, host, sections) for name, (position, host, sections) in PLANTS.items()}
    standbys = {position: name for name, (position, _host) in STANDBY_PLANTS.items()}
    ids: dict[str, str] = {}
    first: dict[str, Any] | None = None  # the first standby incident, once made
    for n, path in enumerate(made):
        data, body = _split(path)
        if n in planted:
            name, host, sections = planted[n]
            _rehost(schema, data, host)
            for heading, text in sections.items():
                body = _replace(body, heading, text)
            ids[name] = str(data["id"])
        if n in standbys:
            _plant_standby(schema, data, first)
            first = first or data
            ids[standbys[n]] = str(data["id"])
        out = repo / "incidents" / path.parent.name / path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(synth.render(data, body.lstrip("\n")), encoding="utf-8")
    return repo, ids


def labelled(name: str, ids: dict[str, str] | None = None) -> dict[str, set[frozenset[str]]]:
    """The labelled pairs of one set (``examples`` or ``corpus``, whose plant names ``ids`` resolves)."""
    raw: dict[str, Any] = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))[name]
    names = ids or {}
    return {kind: {frozenset(names.get(x, x) for x in pair) for pair in raw[kind]} for kind in ("together", "apart")}


@dataclass(frozen=True)
class Figures:
    """What the labelled pairs say about the pages' links and top three suggestions."""

    found: int  # together pairs shown
    together: int
    wrong: int  # apart pairs shown
    apart: int
    pages: int  # incidents showing at least one related or similar incident

    @property
    def recall(self) -> float:
        """Together pairs shown, of all together pairs."""
        return self.found / self.together if self.together else 1.0

    @property
    def precision(self) -> float:
        """Together pairs shown, of all labelled pairs shown."""
        shown = self.found + self.wrong
        return self.found / shown if shown else 1.0


def figures(model: Model, pairs: dict[str, set[frozenset[str]]], k: int = 3) -> Figures:
    """Precision and recall of the explicit links and top ``k`` suggestions over labelled ``pairs``."""
    found = related(model, top_k=k)
    shown: set[frozenset[str]] = set()
    for incident in model.incidents:
        shown.update(frozenset((incident.id, link.target.id)) for link in found.outgoing.get(incident.id, []))
        shown.update(frozenset((incident.id, s.incident.id)) for s in found.suggestions.get(incident.id, [])[:k])
    pages = sum(1 for i in model.incidents if any(i.id in pair for pair in shown))
    together, apart = pairs["together"], pairs["apart"]
    return Figures(len(together & shown), len(together), len(apart & shown), len(apart), pages)
