"""The reporters registry: for each kind of result, the output formats a command offers.

Each entry names the function that renders it as ``module:function``; the
module is imported only when that format is used, so ``--help`` stays fast.
A command with ``--format`` takes its choices from here
(:func:`failurelog.cli.common.add_format`) and its renderer from :func:`reporter`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reporter:
    """One output format of one kind of result."""

    help: str
    target: str  # "package.module:function"

    def load(self) -> Callable[..., str]:
        """The rendering function (its module imported now)."""
        module, _, name = self.target.partition(":")
        function: Callable[..., str] = getattr(importlib.import_module(module), name)
        return function


#: kind of result -> format name -> reporter, in the order ``--format`` lists them.
REPORTERS: dict[str, dict[str, Reporter]] = {
    "validation": {
        "text": Reporter("path:line: field: message", "failurelog.cli.reporters:render_text"),
        "json": Reporter("one JSON document", "failurelog.cli.reporters:render_json"),
        "github": Reporter("workflow annotations", "failurelog.cli.reporters:render_github"),
    },
    "history": {
        "text": Reporter("for a person", "failurelog.history.report:render_text"),
        "json": Reporter("one JSON document", "failurelog.history.report:render_json"),
    },
    "export": {
        "text": Reporter("the filled-in paper form; needs an ID", "failurelog.seedform.api:export_form"),
        "json": Reporter("front matter as a JSON list", "failurelog.model.export:to_json"),
        "csv": Reporter("one column per schema field", "failurelog.model.export:to_csv"),
    },
    "stats": {
        "text": Reporter("for a person", "failurelog.analysis.report:kpis_text"),
        "json": Reporter("one JSON document", "failurelog.analysis.report:kpis_json"),
    },
    "actions": {
        "text": Reporter("for a person", "failurelog.analysis.report:actions_text"),
        "json": Reporter("one JSON document", "failurelog.analysis.report:actions_json"),
    },
    "assets": {
        "text": Reporter("for a person", "failurelog.analysis.report:assets_text"),
        "json": Reporter("one JSON document", "failurelog.analysis.report:assets_json"),
    },
    "similar": {
        "text": Reporter("for a person", "failurelog.analysis.similar_report:similar_text"),
        "json": Reporter("one JSON document", "failurelog.analysis.similar_report:similar_json"),
    },
}


def reporter(kind: str, name: str) -> Callable[..., Any]:
    """The function rendering ``kind`` results in format ``name``."""
    return REPORTERS[kind][name].load()
