"""Texts of about a megabyte made to trip the secret scanner's triggers on every line or every few characters.

Shared by the functional test (tests/test_secrets.py: the scan finishes, finds a key planted after them and
reads each line once per rule) and the timing (bench/bench_secrets.py, figures in bench/README.md).
"""

from __future__ import annotations

HOSTILE_MEGABYTES: dict[str, str] = {
    "many-lines": "key\n" * 250_000,
    "assignments": "token=" * 170_000,
    "jwt-like": "eyJ" + "a" * 20 + "." * 40_000,
    "basic-auth": ("authorization: basic " + "dHJhZGVyOnMzY3IzdA== ") * 20_000,
    "aws-words": "aws key " * 120_000,
    "url-colons": "postgres://" + "a:" * 500_000,
}
