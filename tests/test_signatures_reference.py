"""The signature scan gives what a straightforward line-by-line reading gives, on synthetic and hostile logs.

:mod:`failurelog.analysis.signatures` tests each hardware pattern only on the
lines that can hold its words (found in bulk over the joined, lower-cased
lines). The reference below is the reading it replaced: every line through
the hint regex, the NIC driver match and the patterns in turn. Both read the
synthetic corpus with planted stacks, and random mixes of real hardware lines
(MCE, AER with its status bits, EDAC, NIC, kernel events, errno), synthetic
noise and lines made to break a bulk reading (hints past the line's cut,
upper case, dotted capital I, final sigma, carriage returns, driver names
inside words).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from failurelog.analysis import signatures as s
from failurelog.analysis.frames import clean_function
from failurelog.analysis.signatures import Signature, all_signatures, log_sections, signatures
from failurelog.core.schema import Schema, load_schema
from failurelog.model.incident import Incident, Model
from tests.site_helpers import ROOT


def _reference_lines(text: str) -> list[str]:
    out = []
    for n, line in enumerate(text.splitlines()):
        if n >= s.MAX_LINES:
            break
        line = line[: s.MAX_LINE].strip()
        prefixed = s._PREFIX.match(line)
        out.append(line[prefixed.end() :].strip() if prefixed else line)
    return out


def _reference_nic(line: str) -> Signature | None:
    watchdog = s._WATCHDOG.search(line)
    if watchdog:
        return Signature("nic", f"{watchdog.group(1)}: Tx timeout")
    driver = s._NIC_LINE.match(line)
    if not driver:
        return None
    for event, pattern in s._NIC_EVENTS:
        if pattern.search(line):
            return Signature("nic", f"{driver.group(1)}: {event}")
    return None


def _reference_other(line: str, low: str) -> Signature | None:
    found = _reference_nic(line)
    for name, word, pattern in s.KERNEL_EVENTS:
        if found is None and word in low and pattern.search(line):
            found = Signature("kernel", name)
    if found is None and any(t in low for t in s.ERRNO_TEXTS) and (e := s._ERRNO.search(line)):
        found = Signature("errno", f"{s.ERRNO_TEXTS[e.group(0).lower()]} ({e.group(0).lower()})")
    return found


def reference_hardware(lines: list[str]) -> list[Signature]:
    out: list[Signature] = []
    corrected = uncorrected = False
    edac: set[str] = set()
    for line in lines:
        low = line.lower()
        if not (s._HINTED.search(low) or s._NIC_LINE.match(line) or (out and out[-1].kind == "aer")):
            continue
        found: Signature | None = None
        if "machine check" in low and (m := s._MCE.search(line)):
            status = int(m.group(2), 16) & s._MCE_COUNT_MASK
            found = Signature("mce", f"bank {int(m.group(1))} status {status:016x}")
            uncorrected = uncorrected or bool(status >> 61 & 1)
            corrected = corrected or not status >> 61 & 1
        elif "pcie bus error" in low and (m := s._AER.search(line)):
            severity = m.group(1).strip()
            found = Signature("aer", f"{severity}, {m.group(2).strip()}, {m.group(3)}")
            corrected = corrected or severity.lower() == "corrected"
            uncorrected = uncorrected or severity.lower() != "corrected"
        elif (m := s._AER_BIT.search(line)) and out and out[-1].kind == "aer" and "(" not in out[-1].text:
            found = Signature("aer", f"{out[-1].text} ({m.group(1)})")
            out.pop()
        elif "aer_uncor" in low and (m := s._AER_UNCOR.search(line)):
            found = Signature("aer", f"Uncorrected status {m.group(1).lower()}")
            uncorrected = True
        elif "edac " in low and (m := s._EDAC.search(line)):
            edac.add(m.group(1).upper())
            corrected = corrected or m.group(1).upper() == "CE"
            uncorrected = uncorrected or m.group(1).upper() == "UE"
            kind = m.group(2).lower()
            found = Signature("edac", f"{'CE -> UE' if edac == {'CE', 'UE'} else m.group(1).upper()} {kind}")
            same = [n for n, x in enumerate(out) if x.kind == "edac" and x.text.endswith(kind)]
            if same:
                out[same[0]] = found
                continue
        elif "fatal machine check" in low or "event severity: fatal" in low:
            uncorrected = True
        else:
            found = _reference_other(line, low)
        if found is not None and found not in out:
            out.append(found)
    if corrected and uncorrected:
        out.append(Signature("escalation", "corrected hardware errors, then uncorrectable"))
    return out


def reference_signatures(incident: Incident, headings: list[str]) -> list[Signature]:
    found: list[Signature] = []
    every: list[str] = []
    for heading in headings:
        text = incident.sections.get(heading)
        if not text:
            continue
        lines = _reference_lines(text)
        every.extend(lines)
        top = s.stack(lines)
        if top is not None and top not in found and not any(x.kind == "stack" for x in found):
            found.append(top)
        for line in lines:
            rip = s._OOPS_RIP.search(line)
            if rip:
                oops = Signature("oops", clean_function(rip.group(1)) + (f" [{rip.group(2)}]" if rip.group(2) else ""))
                if oops not in found:
                    found.append(oops)
    for sig in reference_hardware(every):
        if sig not in found:
            found.append(sig)
    return found


HARDWARE = """\
[Tue Apr 22 06:12:44 2025] EDAC MC1: 1 CE memory read error on CPU_SrcID#1_MC#1_Chan#0_DIMM#0 (page:0x2f3a41)
[Tue Apr 22 14:03:19 2025] mce: [Hardware Error]: CPU 27: Machine Check Exception: 5 Bank 13: be00000000800090
mce: [Hardware Error]: CPU 3: Machine Check: 0 Bank 7: 9c00004000010090
[Tue Apr 22 14:03:19 2025] EDAC MC1: 1 UE memory read error on CPU_SrcID#1_MC#1_Chan#0_DIMM#0 (page:0x2f3a41)
EDAC skx MC0: 3 CE memory scrubbing error on DIMM_A1
ixgbe 0000:3b:00.0 ens1f0: Detected Tx Unit Hang
ixgbe 0000:3b:00.0 ens1f0: Reset adapter
i40e 0000:5e:00.1: PF reset failed
mlx5_core 0000:81:00.0: firmware fatal error
NETDEV WATCHDOG: ens2f1 (mlx5_core): transmit queue 5 timed out
mlx5_core 0000:81:00.0: PCIe Bus Error: severity=Corrected, type=Physical Layer, (Receiver ID)
mlx5_core 0000:81:00.0:    [ 0] RxErr                  (First)
pcieport 0000:00:03.0: PCIe Bus Error: severity=Uncorrected (Fatal), type=Transaction Layer, (Requester ID)
pcieport 0000:00:03.0:   [14] CmpltTO
{1}[Hardware Error]: event severity: fatal
aer_uncor_status: 0x00100000, aer_uncor_mask: 0x00000000
Fatal Machine Check on CPU 4
Out of memory: Killed process 4412 (oms) total-vm:812345kB
oms invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0
INFO: task mdfeed-a:4431 blocked for more than 122 seconds.
watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [ksoftirqd/3:30]
rcu: INFO: rcu_sched self-detected stall on CPU
nvme nvme0: I/O 412 QID 7 timeout, aborting
blk_update_request: critical medium error, dev sdb, sector 1234
CPU0: Core temperature above threshold, cpu clock throttled
nfs: server filer01 not responding, still trying
XFS (dm-3): Filesystem has been shut down due to log error
EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0
tickrec[2871]: open(/data/x): No space left on device
write failed: Input/Output error
RIP: 0010:ixgbe_clean_rx_irq+0x3f2/0xd60 [ixgbe]
#0  0x00000000004a2f1c in fix::StoredMessage::seqNum (this=0x0) at src/fix/store/stored_message.h:41
#1  fix::FixSession::onResendRequest (this=0x7f3e2c01a000, msg=...) at src/fix/session/fix_session.cpp:1187
 ixgbe_poll+0x1a/0x40 [ixgbe]
""".splitlines()
#: Lines made to break a bulk reading: words past the cut, case, characters whose lower case is longer.
HOSTILE = [
    "x" * (s.MAX_LINE - 3) + "EDAC MC0: 1 CE memory read error",
    " " * (s.MAX_LINE - 4) + "sfc reset adapter",
    "sfc" + "x" * (s.MAX_LINE + 10) + " reset adapter",
    "İEDAC MC0: 1 CE memory read error",
    "ΣEDAC mc0: 2 ue MEMORY READ ERROR",
    "MACHINE CHECK: 0 BANK 4: FE00000000800400",
    "ixgbeİ reset adapter",
    "sfchang reset adapter",
    "tlbsfc ioedac nvmsegck ixgbe reset adapter",
    "ioedac mc0: 1 ce memory read error",
    "pcie bus error severity=corrected",
    "[   12.5]   [ 3] BadTLP",
    "no space left on deviceΣ",
    "ioedac \r EDAC MC2: 1 CE memory read error",
    "",
    "   ",
]


def _noise(rng: random.Random) -> str:
    words = ["ioedac", "nvmsegck", "tlbsfc", "sfchang", "edacckflap", "qoom", "oomdma", "stallring", "faultix"]
    return f"[{rng.randint(0, 9)}.{rng.randint(0, 999999):06d}] " + " ".join(rng.choices(words, k=rng.randint(1, 9)))


def _mix(rng: random.Random) -> list[str]:
    pool = HARDWARE + HOSTILE
    return [rng.choice(pool) if rng.random() < 0.3 else _noise(rng) for _ in range(rng.randint(0, 30))]


def test_the_hardware_scan_matches_the_line_by_line_reading() -> None:
    rng = random.Random(7)
    hits = 0
    for _ in range(3000):
        lines = _reference_lines("\n".join(_mix(rng)))
        expected = reference_hardware(lines)
        assert s._hardware(lines) == expected, lines
        hits += bool(expected)
    assert hits > 2000  # most mixes hold a hardware line: the comparison is not of empty lists


def _incident(sections: dict[str, str], n: int) -> Incident:
    ident = f"SYS-20260101-{n:03d}"
    body = "\n".join(f"## {heading}\n\n```text\n{text}\n```\n" for heading, text in sections.items())
    return Incident(ident, "t", "closed", "P2-Medium", datetime(2026, 1, 1, tzinfo=UTC), {"id": ident}, body)


def test_signatures_of_mixed_sections_match_the_reference() -> None:
    schema = load_schema(ROOT)
    headings = log_sections(schema)
    rng = random.Random(3)
    kinds: set[str] = set()
    for n in range(600):
        chosen = rng.sample(headings, rng.randint(1, len(headings)))
        sections = {h: "\n".join(_mix(rng)).replace("\n", "\r\n" if rng.random() < 0.1 else "\n") for h in chosen}
        incident = _incident(sections, n % 999 + 1)
        expected = reference_signatures(incident, headings)
        assert signatures(incident, headings) == expected, sections
        kinds.update(x.kind for x in expected)
    assert kinds >= {"stack", "oops", "mce", "aer", "edac", "escalation", "nic", "kernel", "errno"}


@pytest.fixture(scope="module")
def model(planted_model: Model) -> Model:
    """Three hundred synthetic incidents with planted stacks (tests/conftest.py), loaded once per run."""
    return planted_model


def test_signatures_of_the_synthetic_corpus_match_the_reference(model: Model) -> None:
    schema: Schema = model.schema
    headings = log_sections(schema)
    expected = {i.id: found for i in model.incidents if (found := reference_signatures(i, headings))}
    assert all_signatures(model.incidents, schema) == expected
    assert sum(1 for found in expected.values() if found[0].kind == "stack") > 30  # the planted stacks are read
