"""Crash and hardware-error signatures: what a backtrace or a log says, with what changes every time removed.

A signature is read from the incident's log sections (every body section the
schema's ``x-body-sections`` gives ``kind: log``: error messages, backtrace,
dmesg, syslog, application logs). Each is one of:

- ``stack``: the top frames of a backtrace (gdb ``#0 0x.. in f (...) at
  file.cc:123``, ``crash> bt``, a kernel ``Call Trace:`` ``func+0x1a/0x40
  [module]``, Rust, Go and Java frames), function and module names only:
  addresses, offsets, arguments, files and line numbers, PIDs, CPU numbers and
  timestamps are dropped, and so are the frames every crash has (``panic``,
  ``raise``, ``start_thread``...). Shown innermost first: ``A <- B <- C``.
- ``oops``: the kernel oops RIP symbol (``RIP: 0010:ixgbe_clean_rx_irq+0x3f2/0xd60 [ixgbe]``).
- ``mce``: machine-check bank and status (the corrected-error count bits masked).
- ``aer``: a PCIe AER error's severity, type and source (``Receiver ID``), or
  the uncorrectable status of a firmware error record.
- ``nic``: a NIC driver's reset or transmit-timeout message (ixgbe, i40e,
  ice, mlx5, bnxt, sfc...).
- ``edac``: EDAC memory errors, ``CE`` or ``UE``, and ``CE -> UE`` when
  corrected errors escalated to an uncorrectable one.
- ``escalation``: corrected hardware errors (EDAC CE, AER corrected, MCE)
  followed by an uncorrectable or fatal one, whatever the device.
- ``errno``: a system error any program reports in words (``No space left on
  device``: ENOSPC).

Bounded: at most :data:`MAX_LINES` lines of a section are read, each cut to
:data:`MAX_LINE` characters, and every pattern is linear in its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from failurelog.analysis.frames import clean_function, top_frames
from failurelog.core.schema import Schema
from failurelog.model.incident import Incident

#: Kinds of signature and their titles, in the order the signatures page lists them.
KINDS = {
    "stack": "Stacks (top frames)",
    "oops": "Kernel oops RIP",
    "mce": "Machine checks (MCE)",
    "aer": "PCIe AER errors",
    "edac": "EDAC memory errors",
    "escalation": "Corrected errors escalating",
    "nic": "NIC driver resets and timeouts",
    "kernel": "Kernel events",
    "errno": "System errors",
}
#: Kinds that point at one defect (a crash site, a machine-check code, a device error): incidents sharing one
#: are always suggested to each other, ahead of any other evidence. The others name a class of failure.
SPECIFIC = frozenset(["stack", "oops", "mce", "aer", "nic"])
#: How a signature of a kind is named in a sentence (the stack needs no name: its frames say it).
_LABELS = {"mce": "MCE", "aer": "PCIe AER", "edac": "EDAC", "nic": "NIC", "oops": "kernel oops RIP", "kernel": "kernel"}
#: Lines of one section read, and characters of one line.
MAX_LINES = 20_000
MAX_LINE = 600
#: A timestamp or log prefix before the message: ``[  12.345]``, ``[Tue Apr 22 06:12:44 2025]``, syslog dates.
_PREFIX = re.compile(
    r"^(?:\[<[0-9a-f]{1,16}>\]\s*|\[[\d\s.]{3,24}\]\s*|\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d [\d:]{8} \d{4}\]\s*"
    r"|\d{4}-\d\d-\d\dT\S{1,40}\s+|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S{1,64} )"
)
_OOPS_RIP = re.compile(r"RIP: [0-9a-f]{4}:([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+(?:\s+\[(\w+)\])?")
_MCE = re.compile(r"Machine Check(?: Exception)?:\s*[0-9a-f]+\s+Bank (\d+):\s*([0-9a-f]{8,16})", re.IGNORECASE)
_AER = re.compile(r"PCIe Bus Error: severity=([\w ]+?),\s*type=([\w ]+?),\s*\((\w+ ID)\)")
_AER_BIT = re.compile(r"(?:^|:\s+)\[\s*\d+\]\s+([A-Za-z]\w+)(?:\s|$)")
_AER_UNCOR = re.compile(r"aer_uncor_status:\s*(0x[0-9a-f]+)", re.IGNORECASE)
_EDAC = re.compile(r"EDAC (?:MC\d+|\w+):\s*\d+\s+(CE|UE)\s+([a-z ]+?error)", re.IGNORECASE)
_NIC_DRIVERS = r"ixgbe|ixgbevf|i40e|iavf|ice|igb|igc|e1000e|mlx5_core|mlx4_core|mlx4_en|bnxt_en|sfc|ena|tg3|be2net"
_NIC_LINE = re.compile(rf"^({_NIC_DRIVERS})\b")
_NIC_FIRST = re.compile(rf"\n(?:{_NIC_DRIVERS})")  # a line _NIC_LINE matches starts with one
_NIC_EVENTS = (
    ("reset adapter", re.compile(r"\breset(?:ting)? adapter\b", re.IGNORECASE)),
    ("Tx timeout", re.compile(r"\btx[ _]?timeout\b|\btransmit queue \d+ timed out", re.IGNORECASE)),
    ("Tx unit hang", re.compile(r"\bTx Unit Hang\b", re.IGNORECASE)),
    ("PF reset", re.compile(r"\bPF reset\b", re.IGNORECASE)),
    ("firmware reset", re.compile(r"\b(?:fw|firmware) (?:reset|fatal|syndrome)", re.IGNORECASE)),
)
_WATCHDOG = re.compile(rf"NETDEV WATCHDOG: \S+ \(({_NIC_DRIVERS})\): transmit queue \d+ timed out")
#: System errors in the words every program prints them with (strerror), and their names.
ERRNO_TEXTS = {
    "no space left on device": "ENOSPC",
    "disk quota exceeded": "EDQUOT",
    "cannot allocate memory": "ENOMEM",
    "too many open files": "EMFILE",
    "read-only file system": "EROFS",
    "input/output error": "EIO",
    "stale file handle": "ESTALE",
    "connection reset by peer": "ECONNRESET",
}
#: Kernel events worth a signature of their own, by the words of their message.
KERNEL_EVENTS = (  # (name, a lower-case word the message has, the message)
    ("OOM kill", "oom", re.compile(r"invoked oom-killer|Out of memory: Killed process")),
    ("hung task (D state)", "blocked for more than", re.compile(r"INFO: task \S+ blocked for more than")),
    ("soft lockup", "soft lockup", re.compile(r"watchdog: BUG: soft lockup")),
    ("hard lockup", "hard lockup", re.compile(r"Watchdog detected hard LOCKUP")),
    ("RCU stall", "stall", re.compile(r"rcu: INFO: rcu_\w+ detected stalls|rcu_sched self-detected stall")),
    ("NVMe I/O timeout", "qid", re.compile(r"^nvme nvme\d+: I/O \d+ QID \d+ timeout")),
    ("critical medium error", "critical medium error", re.compile(r"critical medium error, dev")),
    ("thermal throttling", "temperature above", re.compile(r"temperature above threshold, cpu clock throttled")),
    ("NFS server not responding", "not responding", re.compile(r"^nfs: server \S+ not responding")),
    ("file system shut down", "error", re.compile(r"\): Filesystem has been shut down|EXT4-fs error")),
)
_ERRNO = re.compile("|".join(re.escape(t) for t in ERRNO_TEXTS), re.IGNORECASE)
#: Words (lower case) one of the hardware, kernel-event or errno patterns needs: a line with none of them, not
#: starting with a NIC driver's name and not following a PCIe AER line, is not read further (most log lines).
HINTS = (
    "machine check",
    "pcie bus error",
    "aer_uncor",
    "edac ",
    "fatal",
    "netdev watchdog",
    "oom-killer",
    "out of memory",
    "blocked for more than",
    "lockup",
    "stall",
    " qid ",
    "medium error",
    "temperature above",
    "not responding",
    "filesystem has been shut down",
    "ext4-fs error",
    *ERRNO_TEXTS,
)
_HINTED = re.compile("|".join(re.escape(w) for w in HINTS))
#: MCi_STATUS bits 38..52 count corrected errors: the same error with another count is the same error.
_MCE_COUNT_MASK = ~(((1 << 15) - 1) << 38)


@dataclass(frozen=True, order=True)
class Signature:
    """One fingerprint: its kind and the text that two incidents share when they share it."""

    kind: str
    text: str

    @property
    def key(self) -> str:
        """The value two incidents compare: kind and text."""
        return f"{self.kind}: {self.text}"


def _lines(text: str) -> list[str]:
    """The section's lines, bounded, without a leading timestamp and surrounding blanks."""
    out = []
    prefix = _PREFIX.match
    for line in text.splitlines()[:MAX_LINES]:
        line = line[:MAX_LINE].strip()
        prefixed = prefix(line)
        out.append(line[prefixed.end() :].strip() if prefixed else line)
    return out


def stack(lines: Iterable[str]) -> Signature | None:
    """The first backtrace's top frames, ``A <- B <- C`` (:func:`failurelog.analysis.frames.top_frames`), or None."""
    frames = top_frames(lines)
    return Signature("stack", " <- ".join(frames)) if frames else None


def _nic(line: str) -> Signature | None:
    watchdog = _WATCHDOG.search(line) if "NETDEV WATCHDOG: " in line else None  # the pattern's first words
    if watchdog:
        return Signature("nic", f"{watchdog.group(1)}: Tx timeout")
    driver = _NIC_LINE.match(line)
    if not driver:
        return None
    for event, pattern in _NIC_EVENTS:
        if pattern.search(line):
            return Signature("nic", f"{driver.group(1)}: {event}")
    return None


def _event(line: str, low: str) -> Signature | None:
    for name, word, pattern in KERNEL_EVENTS:
        if word in low and pattern.search(line):
            return Signature("kernel", name)
    return None


@dataclass
class _Scan:
    """What the hardware scan of one incident's log lines has found so far."""

    out: list[Signature]
    corrected: bool = False
    uncorrected: bool = False

    @property
    def after_aer(self) -> bool:
        """The last signature is a PCIe AER error (the next line may give its status bit)."""
        return bool(self.out) and self.out[-1].kind == "aer"


def _candidates(lines: list[str], every: str, present: list[str]) -> list[int]:
    """Positions of the lines that may have a hint or a NIC driver's name first: a superset, each line read again.

    ``every`` is the lines joined by newlines and lower-cased: split again, its
    parts are the lines lower-cased (a line holds no line break). Both tests
    run in bulk over joined texts, and a place found in one is turned into the
    line holding it by counting the line breaks before it, instead of testing
    each line in turn. A line whose only hint is ``edac `` can give nothing but
    an EDAC error, so only the lines :data:`_EDAC` matches are kept for it.
    """
    lows = every.split("\n")
    if len(lows) != len(lines):  # cannot happen for lines from splitlines(); read them all then
        return list(range(len(lines)))
    found: set[int] = set()
    for word in present:
        holding = []
        at, n, counted = every.find(word), 0, 0
        while at != -1:
            n += every.count("\n", counted, at)  # the line breaks before it, counted once
            counted = at
            holding.append(n)
            end = every.find("\n", at)  # then the next line holding it
            at = every.find(word, end + 1) if end != -1 else -1
        found.update([n for n in holding if _EDAC.search(lines[n])] if word == "edac " else holding)
    joined = "\n" + "\n".join(lines)  # a driver's name after a line break: a line starting with it
    found.update(_breaks_before(joined, [m.start() for m in _NIC_FIRST.finditer(joined)]))
    return sorted(found)


def _breaks_before(text: str, places: list[int]) -> list[int]:
    """How many line breaks ``text`` has before each of ``places`` (in increasing order), each counted once."""
    out = []
    n = counted = 0
    for at in places:
        n += text.count("\n", counted, at)
        counted = at
        out.append(n)
    return out


def _hardware(lines: list[str]) -> list[Signature]:
    """MCE, AER, EDAC, NIC, errno and escalation signatures of the lines, in the order first seen.

    One lower-cased text of every line says which :data:`HINTS` occur at all
    (a hint in a line is in that text) and which lines may hold them; only
    those lines, and every line after a PCIe AER error, are read.
    """
    every = "\n".join(lines).lower()
    present = [w for w in HINTS if w in every]
    errnos = [t for t in present if t in ERRNO_TEXTS]
    scan = _Scan([])
    edac: set[str] = set()
    nic_line = _NIC_LINE.match
    candidates = _candidates(lines, every, present)
    at = n = 0  # the next candidate (position in ``candidates``) and the next line
    while True:
        if not scan.after_aer:  # after an AER error every line is read (its status bit may follow)
            while at < len(candidates) and candidates[at] < n:
                at += 1
            if at == len(candidates):
                break
            n = candidates[at]
        if n >= len(lines):
            break
        line = lines[n]
        n += 1
        low = line.lower()
        if not (scan.after_aer or nic_line(line) or any([w in low for w in present])):
            continue
        found = _hardware_line(line, low, scan, edac)
        if found is None:
            found = _nic(line) or _event(line, low)
            if found is None and errnos and any([t in low for t in errnos]) and (e := _ERRNO.search(line)):
                found = Signature("errno", f"{ERRNO_TEXTS[e.group(0).lower()]} ({e.group(0).lower()})")
        if found is not None and found is not _KEPT and found not in scan.out:
            scan.out.append(found)
    if scan.corrected and scan.uncorrected:
        scan.out.append(Signature("escalation", "corrected hardware errors, then uncorrectable"))
    return scan.out


#: What :func:`_hardware_line` gives for a line it has read with nothing to add (no other pattern is tried).
_KEPT = Signature("", "")


def _hardware_line(line: str, low: str, scan: _Scan, edac: set[str]) -> Signature | None:
    """The MCE, AER or EDAC signature of one line (updating ``scan``), :data:`_KEPT`, or None to try the others."""
    out = scan.out
    if "machine check" in low and (m := _MCE.search(line)):
        status = int(m.group(2), 16) & _MCE_COUNT_MASK
        scan.uncorrected = scan.uncorrected or bool(status >> 61 & 1)  # UC bit
        scan.corrected = scan.corrected or not status >> 61 & 1
        return Signature("mce", f"bank {int(m.group(1))} status {status:016x}")
    if "pcie bus error" in low and (m := _AER.search(line)):
        severity = m.group(1).strip()
        scan.corrected = scan.corrected or severity.lower() == "corrected"
        scan.uncorrected = scan.uncorrected or severity.lower() != "corrected"
        return Signature("aer", f"{severity}, {m.group(2).strip()}, {m.group(3)}")  # source agent
    if scan.after_aer and "(" not in out[-1].text and (m := _AER_BIT.search(line)):
        return Signature("aer", f"{out.pop().text} ({m.group(1)})")
    if "aer_uncor" in low and (m := _AER_UNCOR.search(line)):
        scan.uncorrected = True
        return Signature("aer", f"Uncorrected status {m.group(1).lower()}")
    if "edac " in low and (m := _EDAC.search(line)):
        edac.add(m.group(1).upper())
        scan.corrected = scan.corrected or m.group(1).upper() == "CE"
        scan.uncorrected = scan.uncorrected or m.group(1).upper() == "UE"
        kind = m.group(2).lower()
        found = Signature("edac", f"{'CE -> UE' if edac == {'CE', 'UE'} else m.group(1).upper()} {kind}")
        same = [n for n, s in enumerate(out) if s.kind == "edac" and s.text.endswith(kind)]
        if not same:
            return found
        out[same[0]] = found  # the escalation takes the place of the first EDAC signature
        return _KEPT
    if "fatal machine check" in low or "event severity: fatal" in low:
        scan.uncorrected = True
        return _KEPT
    return None


def log_sections(schema: Schema) -> list[str]:
    """Headings of the body sections the schema declares as logs."""
    return [s.heading for s in schema.sections if s.kind == "log"]


def signatures(incident: Incident, headings: Iterable[str]) -> list[Signature]:
    """Every signature of the incident's log sections ``headings``: stack first, then the rest as first seen."""
    found: list[Signature] = []
    every: list[str] = []
    for heading in headings:
        text = incident.sections.get(heading)
        if not text:
            continue
        lines = _lines(text)
        every.extend(lines)
        top = None if any(s.kind == "stack" for s in found) else stack(lines)  # the first backtrace's only
        if top is not None and top not in found:
            found.append(top)
        for line in lines if "RIP: " in text else ():  # a line is a part of the text
            rip = _OOPS_RIP.search(line) if "RIP: " in line else None
            if rip:
                oops = Signature("oops", clean_function(rip.group(1)) + (f" [{rip.group(2)}]" if rip.group(2) else ""))
                if oops not in found:
                    found.append(oops)
    for sig in _hardware(every):
        if sig not in found:
            found.append(sig)
    return found


def all_signatures(incidents: Iterable[Incident], schema: Schema) -> dict[str, list[Signature]]:
    """Signatures by incident id, for every incident that has one."""
    headings = log_sections(schema)
    out = {}
    for incident in incidents:
        found = signatures(incident, headings)
        if found:
            out[incident.id] = found
    return out


def shared_by(found: dict[str, list[Signature]], order: Iterable[Incident]) -> dict[Signature, list[Incident]]:
    """Each signature with the incidents (in ``order``) that have it; most shared first, then by kind and text."""
    holders: dict[Signature, list[Incident]] = {}
    for incident in order:
        for sig in found.get(incident.id, []):
            holders.setdefault(sig, []).append(incident)
    return dict(sorted(holders.items(), key=lambda kv: (-len(kv[1]), kv[0].kind, kv[0].text)))


def describe(sig: Signature) -> str:
    """A signature as a reader sees it: ``stack OrderContextPool::acquire <- ...``; ``MCE bank 13 ...``."""
    label = _LABELS.get(sig.kind)
    return f"{label} {sig.text}" if label else sig.text
