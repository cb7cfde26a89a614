"""Running the installed ``failurelog`` console script from tests, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: The console script pip installed next to this interpreter.
ENTRY_POINT = str(Path(sys.executable).parent / "failurelog")


def run_cli(
    repo: Path, *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``failurelog ARGS`` in ``repo``, output captured, no colour; ``env`` adds to the environment."""
    return subprocess.run(
        [ENTRY_POINT, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
