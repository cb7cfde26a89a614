"""The model of every valid incident of a repository, for the commands that analyse it (stats, assets, actions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from failurelog.core.schema import load_schema
from failurelog.model.incident import Model, build_model
from failurelog.validate.run import validate_documents


@dataclass
class Loaded:
    """The model of the valid incidents, and the files left out because ``validate`` refuses them."""

    model: Model
    skipped: list[str] = field(default_factory=list)  # "path:line: message" of the first problem


def load_valid(root: Path, today: date | None = None) -> Loaded:
    """Validate every incident; build the model from those without a problem, naming the others."""
    report, docs = validate_documents(root)
    bad: dict[str, str] = {}
    shown = {d.display for d in docs}
    for problem in report.problems:
        if problem.file not in shown:  # the inventory: its own commands report it
            continue
        bad.setdefault(problem.file, f"{problem.file}:{problem.line}: {problem.message}")
    kept = [d for d in docs if d.display not in bad]
    model = build_model(kept, load_schema(root), today)
    return Loaded(model, [bad[k] for k in sorted(bad)])
