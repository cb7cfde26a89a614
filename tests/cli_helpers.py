"""Running the ``failurelog`` command from tests: in this process (fast), or as the installed console script.

:func:`run_cli` calls :func:`failurelog.cli.main.main` in this process, set up as
the console script would be: the repository as the current folder, the
environment the subprocess would get, empty stdin, stdout and stderr captured as
bytes and decoded the way :func:`subprocess.run` decodes them, ``SystemExit``
turned into the exit status and any other exception into a traceback on stderr
and status 1, as the interpreter does. It restores the folder, the environment,
the standard streams, logging and warning filters afterwards. A Python process
start costs about as much as a small command, so this is what makes
``pytest -m "not slow"`` quick.

:func:`run_entry_point` starts the real console script pip installed. Tests
whose point is the real process (the script itself, import time, signals, the
process' own encodings) use it. ``FAILURELOG_TESTS_SUBPROCESS=1`` sends every
:func:`run_cli` through it too (slower; for telling a test problem from an
in-process artefact).
"""

from __future__ import annotations

import io
import locale
import logging
import os
import signal
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import FrameType

#: The console script pip installed next to this interpreter.
ENTRY_POINT = str(Path(sys.executable).parent / "failurelog")
#: What every run adds to the environment: no colour, no MkDocs 2 banner.
BASE_ENV = {"NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
#: Set (to anything but empty or 0) to run every :func:`run_cli` through the real console script.
SUBPROCESS_SWITCH = "FAILURELOG_TESTS_SUBPROCESS"


def run_entry_point(
    repo: Path, *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``failurelog ARGS`` as a real process in ``repo``, output captured, no colour; ``env`` adds to the env."""
    return subprocess.run(
        [ENTRY_POINT, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, **BASE_ENV, **(env or {})},
    )


def run_cli(
    repo: Path, *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``failurelog ARGS`` in ``repo``, output captured, no colour; ``env`` adds to the environment.

    Runs in this process (see the module docstring); the result is what
    :func:`run_entry_point` would return. Past ``timeout`` seconds it raises
    :class:`subprocess.TimeoutExpired`, as the subprocess would.
    """
    if os.environ.get(SUBPROCESS_SWITCH, "") not in ("", "0"):
        return run_entry_point(repo, *args, timeout=timeout, env=env)
    command = [ENTRY_POINT, *args]
    out, err = _capture(1), _capture(2)
    with _isolated(repo, {**BASE_ENV, **(env or {})}, out, err), _deadline(command, timeout):
        status = _call_main(list(args))
        out.flush()
        err.flush()
    return subprocess.CompletedProcess(command, status, _decode(out), _decode(err))


@lru_cache(maxsize=1)
def _child_streams() -> tuple[str, str, str]:
    """(encoding, stdout errors, stderr errors) of a real child's standard streams on a pipe, asked once."""
    code = "import sys; print(sys.stdout.encoding, sys.stdout.errors, sys.stderr.errors)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, **BASE_ENV}
    )
    encoding, out_errors, err_errors = done.stdout.split()
    return encoding, out_errors, err_errors


def _capture(stream: int) -> io.TextIOWrapper:
    """A text stream like a child's stdout (1) or stderr (2) on a pipe: its encoding and errors, not a terminal."""
    encoding, *errors = _child_streams()
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors=errors[stream - 1], newline="\n")


def _decode(stream: io.TextIOWrapper) -> str:
    """The captured bytes as ``subprocess.run(text=True)`` reads them: strict decoding, universal newlines."""
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    data = buffer.getvalue().decode(locale.getencoding())
    return data.replace("\r\n", "\n").replace("\r", "\n")


def _call_main(argv: list[str]) -> int:
    """``sys.exit(main(argv))`` as the console script does it, the exit turned into a status."""
    from failurelog.cli.main import main

    try:
        return _status(main(argv))
    except SystemExit as exc:
        return _status(exc.code)
    except subprocess.TimeoutExpired:
        raise
    except BaseException:  # the interpreter prints any uncaught exception and exits 1
        traceback.print_exc(file=sys.stderr)
        return 1


def _status(code: object) -> int:
    """The exit status the interpreter gives ``sys.exit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


@contextmanager
def _isolated(repo: Path, env: dict[str, str], out: io.TextIOWrapper, err: io.TextIOWrapper) -> Iterator[None]:
    """Run with ``repo`` as the folder, ``env`` added to the environment and the streams swapped; undo it all after."""
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_logging = _logging_state()
    os.environ.update(env)
    os.chdir(repo)
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding=_child_streams()[0])
    sys.stdout, sys.stderr = out, err
    try:
        with warnings.catch_warnings():
            _interpreter_warning_filters()
            yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        _restore_logging(saved_logging)


LoggingState = dict[str, tuple[list[logging.Handler], int, bool, bool]]


def _logging_state() -> LoggingState:
    """Handlers, level, propagation and disabled flag of every logger that exists now (the root included)."""
    loggers: dict[str, logging.Logger] = {"": logging.getLogger()}
    for name, item in logging.Logger.manager.loggerDict.items():
        if isinstance(item, logging.Logger):
            loggers[name] = item
    return {name: (list(lg.handlers), lg.level, lg.propagate, lg.disabled) for name, lg in loggers.items()}


def _restore_logging(state: LoggingState) -> None:
    """Put every logger back as :func:`_logging_state` found it; a logger made since loses what the run gave it.

    ``failurelog build`` hangs a handler on the ``mkdocs`` logger that writes to
    the ``sys.stderr`` of its run; left in place, the next run's MkDocs messages
    would go to a stale stream.
    """
    for name, item in list(logging.Logger.manager.loggerDict.items()):
        if isinstance(item, logging.Logger) and name not in state:
            item.handlers.clear()
            item.setLevel(logging.NOTSET)
            item.propagate, item.disabled = True, False
    for name, (handlers, level, propagate, disabled) in state.items():
        logger = logging.getLogger(name or None)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate, logger.disabled = propagate, disabled


def _interpreter_warning_filters() -> None:
    """The warning filters a fresh ``python`` starts with (pytest's own would turn warnings into records)."""
    warnings.resetwarnings()
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")


@contextmanager
def _deadline(command: list[str], timeout: float) -> Iterator[None]:
    """Raise :class:`subprocess.TimeoutExpired` in the run once ``timeout`` seconds have passed (main thread only)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise subprocess.TimeoutExpired(command, timeout)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
