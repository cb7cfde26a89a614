"""Crash and hardware-error signatures: what is kept, what is stripped, and bounded work on hostile logs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from failurelog.analysis import signatures as s
from failurelog.analysis.signatures import Signature, all_signatures, describe, log_sections, signatures
from failurelog.core.schema import Schema
from failurelog.model.incident import Incident, Model
from failurelog.site.generate import load_model
from tests.site_helpers import ROOT


def incident(schema: Schema, sections: dict[str, str], ident: str = "SYS-20260101-001") -> Incident:
    """An incident whose body has ``sections`` (heading -> log text, fenced)."""
    body = "\n".join(f"## {heading}\n\n```text\n{text}\n```\n" for heading, text in sections.items())
    return Incident(ident, "t", "closed", "P2-Medium", datetime(2026, 1, 1, tzinfo=UTC), {"id": ident}, body)


def sigs(schema: Schema, text: str, heading: str = "Backtrace/Stack Trace") -> list[Signature]:
    return signatures(incident(schema, {heading: text}), log_sections(schema))


GDB_A = """\
Program terminated with signal SIGSEGV, Segmentation fault.
#0  0x00000000004a2f1c in fix::StoredMessage::seqNum (this=0x0) at src/fix/store/stored_message.h:41
#1  fix::FixSession::onResendRequest (this=0x7f3e2c01a000, msg=...) at src/fix/session/fix_session.cpp:1187
#2  0x00000000004a0b77 in fix::FixSession::dispatchAdmin (this=0x7f3e2c01a000, msg=...) at fix_session.cpp:642
#3  0x000000000049e3d0 in fix::FixSession::onMessage (this=0x7f3e2c01a000, len=96) at fix_session.cpp:503
"""
GDB_B = """\
[New LWP 88121]
#0  0x00000000004b9000 in fix::StoredMessage::seqNum (this=0x10) at src/fix/store/stored_message.h:44
#1  0x00000000004b7c11 in fix::FixSession::onResendRequest (this=0x7f0000001000, msg=...) at fix_session.cpp:1201
#2  0x00000000004b6001 in fix::FixSession::dispatchAdmin (this=0x7f0000001000, msg=...) at fix_session.cpp:650
"""


def test_gdb_frames_keep_names_and_drop_addresses_arguments_and_lines(schema: Schema) -> None:
    first, second = sigs(schema, GDB_A), sigs(schema, GDB_B)
    assert first == [
        Signature(
            "stack", "fix::StoredMessage::seqNum <- fix::FixSession::onResendRequest <- fix::FixSession::dispatchAdmin"
        )
    ]
    assert first == second


def test_demangled_templates_compiler_suffixes_and_crash_frames(schema: Schema) -> None:
    text = """\
#0  __pthread_kill_implementation (no_tid=0, signo=6, threadid=140737) at ./nptl/pthread_kill.c:44
#1  0x00007ffff7a9d476 in __GI_raise (sig=sig@entry=6) at ../sysdeps/posix/raise.c:26
#2  0x00007ffff7a837f3 in __GI_abort () at ./stdlib/abort.c:79
#3  0x0000000000401b2c in std::vector<Order, std::allocator<Order> >::_M_realloc_insert (this=0x1) at vector.tcc:440
#4  0x0000000000401c00 in Book<Level<int> >::insert.isra.0 (this=0x2) at book.h:90
#5  0x0000000000401d00 in Feed::on_packet (this=0x3) from /opt/feed/lib/libfeed.so
"""
    assert describe(sigs(schema, text)[0]) == "std::vector::_M_realloc_insert <- Book::insert <- Feed::on_packet"


def test_a_backtrace_of_crash_machinery_only_has_no_stack_signature(schema: Schema) -> None:
    text = "#0  0x1 in __GI_raise (sig=6) at raise.c:26\n#1  0x2 in __GI_abort () at abort.c:79\n"
    assert sigs(schema, text) == []


def test_kernel_call_trace_skips_unreliable_frames_and_keeps_modules(schema: Schema) -> None:
    first = """\
[ 8812.004430] RIP: 0010:mlx5e_poll_tx_cq+0x2c1/0x6a0 [mlx5_core]
[ 8812.004502] Call Trace:
[ 8812.004503]  <IRQ>
[ 8812.004504]  ? show_regs+0x6c/0x80
[ 8812.004507]  mlx5e_poll_tx_cq+0x2c1/0x6a0 [mlx5_core]
[ 8812.004519]  mlx5e_napi_poll+0x9d/0x6f0 [mlx5_core]
[ 8812.004528]  __napi_poll.constprop.0+0x2a/0x170
"""
    second = first.replace("0x2c1/0x6a0", "0x2d9/0x6b0").replace("8812.0045", "91.12")
    found = sigs(schema, first, "dmesg Output")
    assert found == [
        Signature("stack", "mlx5e_poll_tx_cq [mlx5_core] <- mlx5e_napi_poll [mlx5_core] <- __napi_poll"),
        Signature("oops", "mlx5e_poll_tx_cq [mlx5_core]"),
    ]
    assert sigs(schema, second, "dmesg Output") == found


def test_crash_bt_starts_at_the_exception_rip(schema: Schema) -> None:
    text = """\
PID: 0        TASK: ffff9e5a40e18000  CPU: 14   COMMAND: "swapper/14"
 #2 [ffffb4c1c0398d68] panic at ffffffffa75e23d4
 #5 [ffffb4c1c0398e30] asm_exc_page_fault at ffffffffa7800b62
    [exception RIP: ixgbe_clean_rx_irq+1010]
    RIP: ffffffffc09a4d02  RSP: ffffb4c1c0398ee0  RFLAGS: 00010246
 #6 [ffffb4c1c0398f68] ixgbe_poll at ffffffffc09a6b5e [ixgbe]
 #7 [ffffb4c1c0398fc8] __napi_poll at ffffffffa736c0a1
"""
    assert describe(sigs(schema, text)[0]) == "ixgbe_clean_rx_irq <- ixgbe_poll [ixgbe] <- __napi_poll"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "thread 'main' panicked at src/book.rs:88:5\nstack backtrace:\n"
            "   0: rust_begin_unwind\n   1: core::panicking::panic_fmt\n"
            "  12: book::ladder::Ladder::insert::h0123456789abcdef\n             at ./src/book.rs:88:5\n"
            "  13: feed::decode::on_msg::hfedcba9876543210\n  14: feed::main::h00112233aabbccdd\n",
            "book::ladder::Ladder::insert <- feed::decode::on_msg <- feed::main",
        ),
        (
            "panic: runtime error: invalid memory address\n\ngoroutine 17 [running]:\n"
            "main.(*Router).route(0xc000123400, 0x0)\n\t/src/router.go:212 +0x1d\n"
            "main.(*Server).handle(0xc00001e000, ...)\n\t/src/server.go:88 +0x8f\n"
            "main.serve(...)\n\t/src/main.go:30 +0x2a\n",
            "main.(*Router).route <- main.(*Server).handle <- main.serve",
        ),
        (
            'Exception in thread "risk-1" java.lang.NullPointerException\n'
            "\tat com.firm.risk.LimitBook.check(LimitBook.java:212)\n"
            "\tat com.firm.risk.Gate.onOrder(Gate.java:88)\n\tat com.firm.risk.Loop.run(Loop.java:41)\n",
            "com.firm.risk.LimitBook.check <- com.firm.risk.Gate.onOrder <- com.firm.risk.Loop.run",
        ),
    ],
)
def test_rust_go_and_java_frames(schema: Schema, text: str, expected: str) -> None:
    assert describe(sigs(schema, text)[0]) == expected


def test_hardware_errors_nic_resets_and_escalation(schema: Schema) -> None:
    dmesg = """\
[Tue Apr 22 06:12:44 2025] EDAC MC1: 1 CE memory read error on CPU_SrcID#1_MC#1_Chan#0_DIMM#0 (page:0x2f3a41)
[Tue Apr 22 14:03:19 2025] mce: [Hardware Error]: CPU 27: Machine Check Exception: 5 Bank 13: be00000000800090
[Tue Apr 22 14:03:19 2025] EDAC MC1: 1 UE memory read error on CPU_SrcID#1_MC#1_Chan#0_DIMM#0 (page:0x2f3a41)
ixgbe 0000:3b:00.0 ens1f0: Detected Tx Unit Hang
ixgbe 0000:3b:00.0 ens1f0: Reset adapter
NETDEV WATCHDOG: ens2f1 (mlx5_core): transmit queue 5 timed out
mlx5_core 0000:81:00.0: PCIe Bus Error: severity=Corrected, type=Physical Layer, (Receiver ID)
mlx5_core 0000:81:00.0:    [ 0] RxErr                  (First)
"""
    found = [describe(x) for x in sigs(schema, dmesg, "dmesg Output")]
    assert found == [
        "EDAC CE -> UE memory read error",
        "MCE bank 13 status be00000000800090",
        "NIC ixgbe: Tx unit hang",
        "NIC ixgbe: reset adapter",
        "NIC mlx5_core: Tx timeout",
        "PCIe AER Corrected, Physical Layer, Receiver ID (RxErr)",
        "corrected hardware errors, then uncorrectable",
    ]


def test_mce_status_ignores_the_corrected_error_count(schema: Schema) -> None:
    one = sigs(schema, "mce: [Hardware Error]: CPU 3: Machine Check: 0 Bank 7: 9c00004000010090", "dmesg Output")
    other = sigs(schema, "mce: [Hardware Error]: CPU 9: Machine Check: 0 Bank 7: 9c00018000010090", "dmesg Output")
    assert one == other == [Signature("mce", "bank 7 status 9c00000000010090")]


def test_errno_and_kernel_events(schema: Schema) -> None:
    text = "tickrec[2871]: open(/data/x): No space left on device\nINFO: task mdfeed-a:4431 blocked for more than 122 s"
    assert [describe(x) for x in sigs(schema, text, "Error Messages")] == [
        "ENOSPC (no space left on device)",
        "kernel hung task (D state)",
    ]


def test_pathological_logs_are_read_within_bounds(schema: Schema) -> None:
    huge_line = "#0  0x1 in " + "A" * 5_000_000 + " (x=1) at a.c:1"
    many = "\n".join(f"[{n}.000] nothing to see {n}" for n in range(100_000))
    nested = "#0  0x1 in " + "<" * 50_000 + "f" + ">" * 50_000 + " () at a.c:1"
    brackets = "[" * 200_000
    for text in (huge_line, many, nested, brackets, "#1 " * 100_000):
        found = sigs(schema, text, "dmesg Output")
        assert all(len(x.text) <= 3 * s.MAX_LINE for x in found)
    late = many + "\nixgbe 0000:3b:00.0 ens1f0: Reset adapter"
    assert sigs(schema, late, "dmesg Output") == []  # past MAX_LINES: not read


@pytest.fixture(scope="module")
def examples_model() -> Model:
    """The shipped example incidents."""
    return load_model(ROOT, date(2026, 12, 1))


def test_all_signatures_of_the_examples(examples_model: Model) -> None:
    found = all_signatures(examples_model.incidents, examples_model.schema)
    shown = {key: [describe(x) for x in value] for key, value in found.items()}
    assert shown["SYS-20260304-001"] == [
        "ixgbe_clean_rx_irq <- ixgbe_poll [ixgbe] <- __napi_poll",
        "kernel oops RIP ixgbe_clean_rx_irq [ixgbe]",
    ]
    assert shown["SYS-20250603-001"] == [
        "fix::StoredMessage::seqNum <- fix::FixSession::onResendRequest <- fix::FixSession::dispatchAdmin"
    ]
    escalated = "corrected hardware errors, then uncorrectable"
    assert escalated in shown["SYS-20250422-001"] and escalated in shown["SYS-20260623-001"]
    enospc = "ENOSPC (no space left on device)"
    assert enospc in shown["SYS-20260113-001"] and enospc in shown["SYS-20260728-001"]
    assert enospc not in shown["SYS-20260915-001"]
