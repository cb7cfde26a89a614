"""Probable credentials pasted into an incident are errors with their line; allow markers and benign text pass."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from failurelog.authoring.scaffold import NewIncident, create
from failurelog.core.loader import Document, parse_text
from failurelog.core.problems import line_of
from failurelog.core.yamlio import iter_paths
from failurelog.validate import secrets as secrets_module
from failurelog.validate.run import validate
from failurelog.validate.secrets import MAX_FINDINGS, RULES, mask, scan
from tests.cli_helpers import run_cli
from tests.hostile_texts import HOSTILE_MEGABYTES

ROOT = Path(__file__).resolve().parent.parent

HEAD = (
    "---\nid: SYS-20261103-001\ntitle: Kernel panic\noccurred_at: '2026-11-03T14:22:07.123Z'\n"
    "status: draft\nseverity: P1-High\nschema_version: 2\n"
    "---\n\n## Initial Symptoms\n\nFeed stopped.\n\n## Error Messages\n\n"
)
BODY_LINE = HEAD.count("\n") + 1  # the first line written after HEAD

# Values built from parts so that this file itself does not look like it leaks credentials.
AWS_ID = "AKIA" + "Z3MSJV4WXXNSFQ7K"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzQ3kLmN0pR"  # 40 characters
GITHUB = "ghp_" + "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx"
SLACK = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
JWT = "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
AZURE_KEY = "lJzRc1YdHaAA2KCNJJ1tkYwF/+mKK6Ygw0NGe170Xu592euJv2wYUtBlV8z+" + "qnlcNQSnIYVTkLWntUO1F8j8rQ=="
GCP = "AIza" + "SyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI"

POSITIVE = [
    ("private-key", "-----BEGIN RSA " + "PRIVATE KEY-----", "private key"),
    ("openssh-key", "    -----BEGIN OPENSSH " + "PRIVATE KEY-----", "private key"),
    ("aws-key-id", f"aws_access_key_id = {AWS_ID}", "AWS access key id"),
    ("aws-key-in-log", f"2026-11-03 boto: using {AWS_ID} for s3", "AWS access key id"),
    ("aws-secret", f'aws_secret_access_key: "{AWS_SECRET}"', "AWS secret access key"),
    ("gcp-api-key", f"maps client key={GCP}", "Google Cloud API key"),
    ("gcp-sa-key-id", '  "private_key_id": "' + "d41d8cd98f00b204e9800998ecf8427e12345678" + '",', "service-account"),
    ("azure-storage", f"DefaultEndpointsProtocol=https;AccountName=x;AccountKey={AZURE_KEY};", "Azure storage"),
    ("postgres-url", "DSN postgres://trader:S3cr3tPa55@db01:5432/orders", "password in a URL"),
    ("https-url", "curl https://admin:hunter2@fix-gw.example.com/api", "password in a URL"),
    ("ado-connection", "Server=db01;Database=orders;User Id=sa;Password=P@ss;", "password"),
    ("password-assign", "export DB_PASSWORD=Tr4d1ngR0cks!", "password"),
    ("bearer-opaque", "Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543", "bearer token"),
    ("bearer-jwt", f"Authorization: Bearer {JWT}", "JSON Web Token"),
    ("basic-auth", 'curl -H "Authorization: Basic dHJhZGVyOnMzY3IzdA=="', "basic-auth"),
    ("api-key", "vendor api_key: 'q8Xk2mZ7Lp4Rt9Wv'", "secret, key or token"),
    ("generic-token", "X-Auth-Token=a81be4e3b0c4429f", "secret, key or token"),
    ("github", f"GITHUB_TOKEN={GITHUB}", "GitHub token"),
    ("slack-token", f"alerting via {SLACK}", "Slack token"),
    (
        "slack-webhook",
        "POST https://hooks.slack.com/services/" + "T0A1B2C3D/B0A1B2C3D/Xy1Zk2Lm3Np4Qr5St6Uv7Wx8",
        "Slack webhook",
    ),
]


def incident(repo: Path, body: str, head: str = HEAD) -> Path:
    path = repo / "incidents" / "2026" / "SYS-20261103-001.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + body + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("line", "kind"), [(line, kind) for _, line, kind in POSITIVE], ids=[p[0] for p in POSITIVE])
def test_credential_in_body_is_an_error_at_its_line(repo: Path, line: str, kind: str) -> None:
    incident(repo, f"```text\nsome log line\n{line}\n```")
    problems = validate(repo).problems
    assert [(p.line, p.field, p.rule) for p in problems] == [(BODY_LINE + 2, "body", "secret")], problems
    assert kind in problems[0].message


@pytest.mark.parametrize("line", [line for _, line, _ in POSITIVE], ids=[p[0] for p in POSITIVE])
def test_message_never_repeats_the_secret(repo: Path, line: str) -> None:
    incident(repo, line)
    (problem,) = validate(repo).problems
    for word in line.replace("=", " ").replace(":", " ").replace('"', " ").split():
        if len(word) >= 12 and "PRIVATE" not in word:
            assert word not in problem.message


BENIGN = [
    "Linux md-gw-03 5.15.0-91-generic #101-Ubuntu SMP x86_64",
    "commit 3f2a9c1b7e4d5f60718293a4b5c6d7e8f9012345",
    "EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x1a2b3c)",
    "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "uuid 6f1c2a3b-4d5e-6f70-8192-a3b4c5d6e7f8",
    "password: ${DB_PASSWORD}",
    "password=******",
    "PGPASSWORD=<redacted>",
    "postgres://trader:${PGPASSWORD}@db01/orders",
    "postgres://trader@db01:5432/orders",
    "https://wiki.example.com/display/OPS/Runbook?pageId=12345",
    "sshd[2211]: Failed password for invalid user admin from 10.1.2.3 port 52211 ssh2",
    "The market-data API key for the vendor expired at 03:00 UTC; the token bucket refilled.",
    "token bucket: 2048",
    "secret_file: /etc/fixgw/secret.key",
    "PWD=/home/ops",
    "password_min_length: 12",
    "Bearer token expired at 03:12:45.120Z",
    "-----BEGIN CERTIFICATE-----",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx1c2VyQGhvc3Q ops@md-gw-03",
    "Authorization header missing (HTTP 401)",
    "key: value pairs were dropped by the FIX parser",
]


@pytest.mark.parametrize("line", BENIGN)
def test_ordinary_log_lines_and_placeholders_pass(line: str) -> None:
    assert scan(line) == []


@pytest.mark.parametrize(
    "marked",
    [
        "password=Tr4d1ngR0cks!  # failurelog: allow-secret",
        "password=Tr4d1ngR0cks! <!-- failurelog: allow-secret -->",
        "password=Tr4d1ngR0cks!  # pragma: allowlist secret",
        "# failurelog: allow-secret-next-line\npassword=Tr4d1ngR0cks!",
        "# pragma: allowlist nextline secret\npassword=Tr4d1ngR0cks!",
    ],
)
def test_allow_markers(marked: str) -> None:
    assert scan(marked) == []


def test_allow_marker_covers_only_its_own_line() -> None:
    text = "password=Tr4d1ngR0cks!  # failurelog: allow-secret\npassword=Tr4d1ngR0cks!"
    assert [f.line for f in scan(text)] == [2]
    # the next-line marker is not a same-line marker
    assert [f.line for f in scan("password=Tr4d1ngR0cks! # failurelog: allow-secret-next-line")] == [1]


def test_front_matter_secret_names_its_field(repo: Path) -> None:
    head = HEAD.replace("title: Kernel panic\n", f"title: Kernel panic after rotating {AWS_ID}\n")
    incident(repo, "Nothing here.", head=head)
    problems = validate(repo).problems
    assert [(p.line, p.field, p.rule) for p in problems] == [(3, "title", "secret")]


def test_secret_in_a_file_with_broken_yaml_is_still_reported(repo: Path) -> None:
    head = HEAD.replace("status: draft\n", "status: [draft\n")
    incident(repo, f"```\n{GITHUB}\n```", head=head)
    rules = sorted({p.rule for p in validate(repo).problems})
    assert rules == ["secret", "yaml"]


def test_shipped_incidents_and_a_fresh_incident_have_no_findings(repo: Path) -> None:
    path = create(repo, NewIncident(title="x", at="2026-11-03T14:22:07.123Z", capture=True))
    lines = path.read_text(encoding="utf-8").split("\n")
    uncommented = "\n".join(line[2:] if line.startswith("# ") else line for line in lines)
    assert scan(uncommented) == []  # every field and guidance line of the template
    for shipped in sorted((ROOT / "incidents").rglob("*.md")):
        assert scan(shipped.read_text(encoding="utf-8")) == [], shipped


def test_mask_shows_little() -> None:
    assert mask("P@ss") == "…(4 characters)"
    assert mask(AWS_ID) == "AKIA…(20 characters)"


class _CountingPattern:
    """A rule's pattern that counts the characters it is given to search."""

    def __init__(self, pattern: re.Pattern[str], read: list[int]) -> None:
        self.pattern, self.read = pattern, read

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        self.read[0] += len(text)
        return self.pattern.finditer(text)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE_MEGABYTES))
def test_hostile_megabyte_is_scanned_in_bounded_work(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A megabyte made to trip the triggers: the planted key after it is found, and each rule reads each line once."""
    text = HOSTILE_MEGABYTES[name] + f"\nboto: using {AWS_ID} for s3\n"
    read = [0]
    counted = tuple(
        dataclasses.replace(rule, pattern=cast(re.Pattern[str], _CountingPattern(rule.pattern, read))) for rule in RULES
    )
    monkeypatch.setattr(secrets_module, "RULES", counted)
    findings = scan(text)
    assert len(findings) <= MAX_FINDINGS
    planted = text.count("\n")  # the key's 1-based line: the one before the final line break
    assert any(f.line == planted and f.kind == "AWS access key id" for f in findings), findings[-3:]
    # Every regular expression runs on its trigger lines only, once each: at most one read of the text per rule.
    assert 0 < read[0] <= len(RULES) * len(text)


def test_cli_reports_secret_with_exit_1(repo: Path) -> None:
    incident(repo, "```\nDSN postgres://trader:S3cr3tPa55@db01:5432/orders\n```")
    result = run_cli(repo, "validate")
    assert result.returncode == 1
    assert result.stdout.startswith(
        f"incidents/2026/SYS-20261103-001.md:{BODY_LINE + 1}: body: probable password in a URL"
    )
    assert "S3cr3tPa55" not in result.stdout


def test_decoded_values_are_each_scanned_as_on_their_own(repo: Path) -> None:
    """The decoded values are searched for triggers all at once; what is found is what scanning each finds."""
    head = HEAD.replace(
        "schema_version: 2\n",
        "schema_version: 2\n"
        "note_a: |\n  line one\n  line two\n  pass the word: failurelog: allow-secret-next-line\n"
        "note_c:\n  - plain\n  - |\n    first\n    second\n    third\n"
        '  - "GITHUB_TOKEN=\\u0067hp_abcdefghijklmnopqrstuvwxyz0123456789AB"\n'
        f'"{SLACK}": keyed\n'
        "note_d: |\n  nothing\n  to see\n"
        'note_b: "\\x41KIAIOSFODNN7EXAMPLQ"\n'
        'note_e: "Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543"\n',
    )
    doc = parse_text(Document(path=repo / "x.md", display="x.md"), head + "Body.\n")
    assert doc.meta is not None
    raw_lines = doc.text.split("\n")
    alone = []
    for path, value in iter_paths(doc.meta):
        for text in ([value] if isinstance(value, str) else []) + (
            [path[-1]] if path and isinstance(path[-1], str) else []
        ):
            for found in scan(text):
                line = line_of(doc.lines, path, 1)
                if not secrets_module._allowed(raw_lines, line):
                    alone.append((line, path, found))
    assert {found.kind for _line, _path, found in alone} == {
        "AWS access key id",
        "GitHub token",
        "Slack token",
        "bearer token",
    }
    assert secrets_module.decoded_findings(doc) == alone
