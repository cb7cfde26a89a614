"""The small exception hierarchy whose ``str()`` is the message a user reads.

Bad *incident* content is never raised: it is collected as
:class:`failurelog.core.problems.Problem` data. These exceptions are for a command
that cannot run at all (wrong arguments, not inside a repository, a file that
would be overwritten).
"""

from __future__ import annotations


class FailurelogError(Exception):
    """A command could not do its job; the message says what to do. Exit status 1."""

    exit_code = 1


class UsageError(FailurelogError):
    """The command line itself is wrong. Exit status 2."""

    exit_code = 2


class RepositoryNotFound(UsageError):
    """No ``schema/incident.schema.json`` in the working directory or above it."""
