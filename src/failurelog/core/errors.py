"""The small exception hierarchy whose ``str()`` is the message a user reads.

Bad *incident* content is never raised: it is collected as
:class:`failurelog.core.problems.Problem` data. These exceptions are for a command
that cannot run at all (wrong arguments, not inside a repository, a file that
would be overwritten).
"""

from __future__ import annotations

from typing import Any


class FailurelogError(Exception):
    """A command could not do its job; the message says what to do. Exit status 1."""

    exit_code = 1


class UsageError(FailurelogError):
    """The command line itself is wrong. Exit status 2."""

    exit_code = 2


class RepositoryNotFound(UsageError):
    """No ``schema/incident.schema.json`` in the working directory or above it."""


class SchemaError(FailurelogError):
    """``schema/incident.schema.json`` cannot be used: it is not JSON, or it declares what no code understands."""

    def __init__(self, file: str, problems: list[str]) -> None:
        """One error for the schema ``file`` listing every ``problems`` found in it."""
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}: {problem}" for problem in problems))


class FormError(FailurelogError):
    """One paper form cannot be imported; the message says why (the other forms go on)."""


class ValidationFailed(FailurelogError):
    """Some incidents are invalid; the site is not built. ``report`` holds the problems."""

    def __init__(self, report: Any) -> None:
        """Keep the report (a :class:`failurelog.validate.run.Report`); the message counts the invalid files."""
        self.report = report
        count = len(report.invalid_files)
        super().__init__(f"{count} invalid incident file{'s' if count != 1 else ''}: the site was not built")
