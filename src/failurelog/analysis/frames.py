"""Backtrace frames: function and module names of the top frames of gdb, crash, kernel, Rust, Go and Java traces.

Addresses, offsets, arguments, files and line numbers are dropped, and so are
the frames every crash has (:data:`NOISE_FRAMES`). Read by
:mod:`failurelog.analysis.signatures` (its ``stack`` signature).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Frames in a stack signature.
TOP_FRAMES = 3
#: Frames every crash of its kind has: they say how it died, not where.
NOISE_FRAMES = frozenset(
    [
        "machine_kexec",
        "__crash_kexec",
        "crash_kexec",
        "panic",
        "oops_end",
        "die",
        "do_trap",
        "do_error_trap",
        "exc_page_fault",
        "asm_exc_page_fault",
        "page_fault",
        "do_page_fault",
        "exc_invalid_op",
        "asm_exc_invalid_op",
        "handle_bug",
        "report_bug",
        "dump_stack",
        "dump_stack_lvl",
        "show_stack",
        "__warn",
        "warn_slowpath_fmt",
        "raise",
        "__GI_raise",
        "abort",
        "__GI_abort",
        "__pthread_kill_implementation",
        "__pthread_kill_internal",
        "pthread_kill",
        "__pthread_kill",
        "gsignal",
        "__restore_rt",
        "__libc_start_main",
        "__libc_start_call_main",
        "__libc_start_main_impl",
        "_start",
        "start_thread",
        "clone",
        "clone3",
        "__clone",
        "__clone3",
        "__assert_fail",
        "__assert_fail_base",
        "std::terminate",
        "__cxa_throw",
        "__gnu_cxx::__verbose_terminate_handler",
        "__cxxabiv1::__terminate",
        "core::panicking::panic_fmt",
        "core::panicking::panic",
        "rust_begin_unwind",
        "std::panicking::begin_panic_handler",
        "std::sys_common::backtrace::__rust_end_short_backtrace",
        "std::panicking::rust_panic_with_hook",
        "std::rt::lang_start_internal",
        "std::rt::lang_start",
        "runtime.gopanic",
        "runtime.goexit",
        "runtime.main",
        "runtime.sigpanic",
        "runtime.throw",
        "runtime.fatalpanic",
        "entry_SYSCALL_64_after_hwframe",
        "do_syscall_64",
        "ret_from_fork",
        "ret_from_fork_asm",
        "kthread",
    ]
)

_GDB = re.compile(r"^#(\d{1,4})\s+(?:0x[0-9a-fA-F]+\s+in\s+)?(\S.*?)\s\((.*)$")
_GDB_BARE = re.compile(r"^#(\d{1,4})\s+(?:0x[0-9a-fA-F]+\s+in\s+)?([\w:~<>.$@]+)\s*$")
_CRASH = re.compile(r"^#(\d{1,4})\s+\[[0-9a-f]+\]\s+(\S+)\s+at\s+[0-9a-f]+(?:\s+\[(\w+)\])?")
_CRASH_RIP = re.compile(r"\[exception RIP:\s+([\w.]+)")
_KERNEL_FRAME = re.compile(r"^(\?\s+)?([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+(?:\s+\[(\w+)\])?\s*$")
_RUST = re.compile(r"^\d{1,4}:\s+(?:0x[0-9a-f]+ - )?([A-Za-z_<][\w:<>. ]*?)(?:::h[0-9a-f]{16})?$")
_GO = re.compile(r"^([\w./-]+\.(?:\(\*?\w+\)\.)?\w+)\((?:0x[0-9a-f]+|\.\.\.|, )*\)$")
_JAVA = re.compile(r"^at ([\w$.]+)\.([\w$<>]+)\([^)]*\)")
_SUFFIX = re.compile(r"\.(?:cold|isra|constprop|part|lto_priv|localalias)(?:\.\d+)*")
_TEMPLATE = re.compile(r"<[^<>]*>")


def clean_function(name: str) -> str:
    """A frame's function name without compiler suffixes (``.isra.0``, ``.cold``) or template arguments."""
    name = _SUFFIX.sub("", name.strip())
    for _ in range(8):  # nested templates, innermost first; bounded
        stripped = _TEMPLATE.sub("", name)
        if stripped == name:
            break
        name = stripped
    return name.strip()


def _frame(line: str) -> tuple[str, str | None, bool] | None:
    """``(function, module, reliable)`` of a backtrace line, or None."""
    first = line[:1]
    if first != "#" and not first.isdigit() and "+0x" not in line and not line.endswith(")") and first != "a":
        return None  # no frame starts or ends so: most log lines, rejected without a pattern
    found = _CRASH.match(line)
    if found:
        return found.group(2), found.group(3), True
    found = _GDB.match(line) or _GDB_BARE.match(line)
    if found:
        rest = line[found.end() :]
        module = re.search(r"\sfrom\s+\S*?([\w.+-]+)$", rest)
        return found.group(2), module.group(1) if module else None, True
    found = _KERNEL_FRAME.match(line)
    if found:
        return found.group(2), found.group(3), found.group(1) is None
    found = _JAVA.match(line)
    if found:
        return f"{found.group(1)}.{found.group(2)}", None, True
    found = _RUST.match(line) or _GO.match(line)
    if found:
        return found.group(1), None, True
    return None


def top_frames(lines: Iterable[str]) -> list[str]:
    """The first backtrace's top :data:`TOP_FRAMES` frames, innermost first (``name [module]``)."""
    frames: list[str] = []
    for line in lines:
        rip = _CRASH_RIP.search(line) if "exception RIP" in line else None
        parsed = (rip.group(1), None, True) if rip else _frame(line)
        if parsed is None:
            if len(frames) >= TOP_FRAMES:
                break
            continue
        function, module, reliable = parsed
        name = clean_function(function)
        if not reliable or not name or name in NOISE_FRAMES or name == "??":
            continue
        shown = f"{name} [{module}]" if module and not module.endswith(".so") and "." not in module else name
        if not frames or frames[-1].split(" [")[0] != name:
            frames.append(shown)
        if len(frames) >= TOP_FRAMES:
            break
    return frames
