"""Find credentials pasted into an incident: private keys, cloud keys, tokens, passwords in URLs.

Incidents are pasted from terminals at 3 a.m. and published to the whole
firm, so ``validate`` reports anything that looks like a credential, with its
line, as an error (rule ``secret``). The patterns are those of the common
scanners (detect-secrets, gitleaks) for the formats a trading platform's logs
and configs carry; detect-secrets itself is not used because its ad hoc line
scan costs about 1 ms a line and its entropy plugins flag every kernel
version, commit hash and EDAC line (see ``bench/bench_secrets.py``).

Speed matters (CI validates thousands of files): each rule names a few
cheap triggers (a lower-case literal found with ``str.find`` in the
lower-cased text, or a pattern with a literal start for formats whose case
is fixed), and a rule's regular expression runs only on the lines where one
of its triggers occurs. All quantifiers that could meet each
other are bounded, so a hostile one-megabyte line cannot make a regex
backtrack for long.

A false positive is allowed by a marker on the same line, ``failurelog:
allow-secret`` (e.g. ``# failurelog: allow-secret`` after YAML, or ``<!--
failurelog: allow-secret -->`` in prose), or on the line before,
``failurelog: allow-secret-next-line``. detect-secrets' own ``pragma:
allowlist secret`` and ``pragma: allowlist nextline secret`` are honoured too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from failurelog.core.loader import Document
from failurelog.core.problems import Problem, dotted, line_of
from failurelog.core.yamlio import Path, Walk, walk

#: Values that stand for a secret without being one.
_PLACEHOLDER = re.compile(
    r"""^(?:
        [*xX#.\-_•]+                                   # ******, xxxx, ----
      | <[^<>]*> | \[[^\[\]]*\] | \([^()]*\)           # <password>, [REDACTED], (none)
      | \$\{[^}]*\}? | \$\(?[A-Za-z_][A-Za-z0-9_]*\)?  # ${PGPASSWORD}, $TOKEN, $(cat ...)
      | \{\{.*\}\}? | %\(?[a-z_]*\)?s | %s              # {{ secret }}, %(pw)s, %s
      | (?i:redacted|removed|hidden|masked|elided|none|null|nil|empty|unset|changeme|example|placeholder
            |password|passwd|secret|token|your[_-]?\w*|\w*[_-]here|xxx+\w*|dummy|test|fake)
    )$""",
    re.VERBOSE,
)


def _plausible(value: str, *, min_length: int) -> bool:
    """A value worth reporting: long enough, not a placeholder, not a path, not plain words."""
    value = value.strip("\"'`.,;)")
    if len(value) < min_length or _PLACEHOLDER.match(value):
        return False
    if value.startswith(("/", "./", "../", "~/", "file:")):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    mixed_case = value.lower() != value and value.upper() != value
    return has_alpha and (has_digit or has_symbol or mixed_case)


def _password(value: str) -> bool:
    return _plausible(value, min_length=4)


def _token(value: str) -> bool:
    return _plausible(value, min_length=8) and any(c.isdigit() for c in value)


def _url_password(value: str) -> bool:
    return bool(value) and _PLACEHOLDER.match(value.strip()) is None and "{" not in value


#: A trigger: a lower-case literal found with ``str.find`` in the lower-cased text, or, for formats
#: whose case is fixed, a pattern with a literal start searched in the text as written.
Trigger = str | re.Pattern[str]


@dataclass(frozen=True)
class Rule:
    """One kind of credential: cheap triggers on the lower-cased text, then the pattern on those lines."""

    kind: str
    triggers: tuple[Trigger, ...]
    pattern: re.Pattern[str]
    #: the capture group holding the secret itself (0: the whole match)
    group: int = 0
    #: an extra test of the captured value, to skip placeholders and prose
    plausible: Callable[[str], bool] | None = None


# Triggers are shared between rules where they can be: every distinct trigger is one pass over
# the text (about 15 us for 20 KiB), and most incidents contain none of them.
_KEYWORD_TRIGGERS: tuple[Trigger, ...] = ("key", "secret", "token", "pass", "pwd")
_KEYWORDS = (
    r"(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?token"
    r"|access[_-]?token|refresh[_-]?token|api[_-]?token|secret|token)"
)
_ASSIGN = r"""[A-Za-z0-9_.\-]{0,30}["']?[^\S\n]{0,5}(?:=>|:=|=|:)[^\S\n]{0,5}["']?"""

#: Specific formats first: where two rules find the same text, the first names it.
RULES: tuple[Rule, ...] = (
    Rule(
        "private key",
        (re.compile("PRIVATE KEY|PuTTY-User-Key"),),
        re.compile(r"-----BEGIN[A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d"),
    ),
    Rule("AWS access key id", (re.compile("A(?:KIA|SIA)"),), re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    Rule(
        "AWS secret access key",
        _KEYWORD_TRIGGERS,
        re.compile(
            r"(?i)aws.{0,20}?(?:secret|key|pwd|password|pass|token).{0,20}?[\"'=:\s]([0-9a-zA-Z/+]{40})(?![0-9a-zA-Z/+=])"
        ),
        1,
    ),
    Rule("Google Cloud API key", (re.compile("AIza"),), re.compile(r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])")),
    Rule(
        "Google Cloud service-account key id",
        ("key",),
        re.compile(r"\"private_key_id\"[^\S\n]{0,5}:[^\S\n]{0,5}\"([0-9a-f]{40})\""),
        1,
    ),
    Rule("Azure storage account key", ("key",), re.compile(r"(?i)AccountKey=([A-Za-z0-9+/]{40,100}={0,2})"), 1),
    Rule("Azure shared access signature", ("sig=",), re.compile(r"[?&;]sig=([A-Za-z0-9%+/=]{30,200})"), 1),
    Rule(
        "Azure client secret",
        (re.compile("Q~"),),
        re.compile(r"(?<![A-Za-z0-9_~.])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}(?![A-Za-z0-9_~.\-])"),
    ),
    Rule(
        "Slack webhook URL",
        ("://",),
        re.compile(
            r"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9_]{1,40}/[A-Za-z0-9_]{1,40}/[A-Za-z0-9_]{8,100}"
        ),
    ),
    Rule(
        "Slack token",
        (re.compile("xox[abposre]-"),),
        re.compile(r"\bxox[abposre]-(?:[0-9]{1,20}-){1,4}[A-Za-z0-9]{8,64}"),
    ),
    Rule(
        "GitHub token",
        (re.compile(r"gh[pousr]_|github_pat_"),),
        re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36,255}|\bgithub_pat_[A-Za-z0-9_]{22,255}"),
    ),
    Rule("GitLab token", (re.compile("glpat-"),), re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,50}")),
    Rule(
        "JSON Web Token",
        (re.compile("eyJ"),),
        re.compile(r"\beyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,4000}\.[A-Za-z0-9_\-]{10,2000}"),
    ),
    Rule(
        "password in a URL",
        ("://",),
        re.compile(r"\b[A-Za-z][A-Za-z0-9+.\-]{1,20}://[^\s:/?#@\"'<>]{1,128}:([^\s@/\"'<>]{1,256})@"),
        1,
        _url_password,
    ),
    Rule(
        "bearer token",
        ("bearer",),
        re.compile(r"(?i)\bbearer[^\S\n]{1,5}([A-Za-z0-9\-._~+/]{16,4000}=*)"),
        1,
        _token,
    ),
    Rule(
        "basic-auth credentials",
        ("basic",),
        re.compile(
            r"(?i)\bauthorization[\"']?[^\S\n]{0,5}[:=][^\S\n]{0,5}[\"']?basic[^\S\n]{1,5}([A-Za-z0-9+/]{8,500}={0,2})"
        ),
        1,
    ),
    Rule(
        "password",
        ("pass", "pwd"),
        re.compile(r"(?i)(?:password|passwd|passphrase|pwd)" + _ASSIGN + r"([^\s\"',;&]{1,256})"),
        1,
        _password,
    ),
    Rule(
        "secret, key or token",
        ("key", "secret", "token"),
        re.compile(r"(?i)" + _KEYWORDS + _ASSIGN + r"([^\s\"',;&]{1,512})"),
        1,
        _token,
    ),
)

_ALLOW = re.compile(r"failurelog:[^\S\n]*allow-secret(?!-)|pragma:[^\S\n]*allowlist[ -]secret", re.IGNORECASE)
_ALLOW_NEXT = re.compile(
    r"failurelog:[^\S\n]*allow-secret-next-line|pragma:[^\S\n]*allowlist[ -]nextline[ -]secret", re.IGNORECASE
)


#: A file with more probable secrets than this is reported up to here: the reader has seen enough.
MAX_FINDINGS = 100


@dataclass(frozen=True)
class Finding:
    """A probable credential: its 1-based line in the scanned text, its kind, and a masked preview."""

    line: int
    kind: str
    preview: str


def mask(value: str) -> str:
    """Enough of ``value`` to find it again, not enough to use it: ``AKIA…(20 characters)``, ``…(7 characters)``."""
    if value.startswith(("-----BEGIN", "PuTTY")):
        return value
    shown = value[:4] if len(value) >= 16 else value[:2] if len(value) >= 10 else ""
    return f"{shown}…({len(value)} characters)"


def _first(haystack: str, trigger: Trigger, start: int) -> int:
    """Offset of the first occurrence of ``trigger`` at or after ``start``, or -1."""
    if isinstance(trigger, str):
        return haystack.find(trigger, start)
    match = trigger.search(haystack, start)
    return -1 if match is None else match.start()


def _trigger_lines(haystack: str, trigger: Trigger) -> list[int]:
    """0-based indexes of the lines of ``haystack`` where ``trigger`` occurs."""
    out: list[int] = []
    line, counted = 0, 0  # line breaks are counted once, never from the start again
    at = _first(haystack, trigger, 0)
    while at != -1:
        line += haystack.count("\n", counted, at)
        counted = at
        out.append(line)
        end = haystack.find("\n", at)
        if end == -1:
            break
        at = _first(haystack, trigger, end)
    return out


def _candidate_lines(text: str, lower: str, rules: Iterable[Rule]) -> dict[int, list[Rule]]:
    """Line index (0-based) -> the rules one of whose triggers occurs on that line, in rule order.

    Literal triggers are looked for in ``lower``, patterns in ``text``; ``lower()`` neither adds nor
    removes a line break, so both give the same line indexes.
    """
    seen: dict[Trigger, list[int]] = {}
    out: dict[int, list[Rule]] = {}
    for rule in rules:
        for trigger in rule.triggers:
            if trigger not in seen:
                seen[trigger] = _trigger_lines(lower if isinstance(trigger, str) else text, trigger)
            for index in seen[trigger]:
                found = out.setdefault(index, [])
                if rule not in found:
                    found.append(rule)
    return out


def scan(text: str) -> list[Finding]:
    """Probable credentials in ``text``, in line order; allowed lines are skipped."""
    lower = text.lower()
    candidates = _candidate_lines(text, lower, RULES)
    if not candidates:
        return []
    lines = text.split("\n")  # lower() never adds or removes a line break, so indexes agree
    findings: list[Finding] = []
    for index in sorted(candidates):
        line = lines[index]
        if _ALLOW.search(line) or (index > 0 and _ALLOW_NEXT.search(lines[index - 1])):
            continue
        taken: list[tuple[int, int]] = []
        for rule in candidates[index]:
            for match in rule.pattern.finditer(line):
                start, end = match.span(rule.group)
                value = match.group(rule.group)
                if rule.plausible is not None and not rule.plausible(value):
                    continue
                if any(start < b and a < end for a, b in taken):
                    continue  # already named by a more specific rule
                taken.append((start, end))
                findings.append(Finding(index + 1, rule.kind, mask(value)))
                break  # one finding of a kind is enough to send the reader to the line
            if len(findings) >= MAX_FINDINGS:
                return findings
    return findings


def _field(doc: Document, line: int) -> str:
    """The front-matter field a line belongs to, ``body`` below the front matter, else ``''``."""
    if line >= doc.body_line:
        return "body"
    text = doc.text.split("\n", line)[line - 1] if line >= 1 else ""
    if text.lstrip().startswith("#") or not doc.lines:
        return ""
    best: tuple[int, int, Path] | None = None
    for path, at in doc.lines.items():
        if at <= line and (best is None or (at, len(path)) > best[:2]):
            best = (at, len(path), path)
    return dotted(best[2]) if best is not None else ""


def _allowed(lines: list[str], line: int) -> bool:
    """Whether the 1-based ``line`` carries an allow marker, or the line before it the next-line marker."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    before = lines[line - 2] if 1 < line <= len(lines) + 1 else ""
    return bool(_ALLOW.search(here) or _ALLOW_NEXT.search(before))


def decoded_findings(doc: Document, walked: Walk | None = None) -> list[tuple[int, Path, Finding]]:
    r"""Probable credentials in the front matter's decoded values and keys, with the line of each key.

    YAML escapes (``"\x41KIA..."``, ``"\u0067hp_..."``), folded and continued lines are decoded first, so a
    secret spelled so that the raw text hides it is found all the same. ``walked`` is
    :func:`~failurelog.core.yamlio.walk` of the front matter, when the caller has it already.
    """
    if not isinstance(doc.meta, dict):
        return []
    items: list[tuple[Path, str]] = []
    for path, value in walk(doc.meta) if walked is None else walked:
        if isinstance(value, str) and value:
            items.append((path, value))
        if path and isinstance(path[-1], str) and path[-1]:
            items.append((path, path[-1]))
    raw_lines = doc.text.split("\n")
    out: list[tuple[int, Path, Finding]] = []
    for index in _triggered([text for _path, text in items]):
        path, text = items[index]
        for found in scan(text):
            line = line_of(doc.lines, path, 1)
            if not _allowed(raw_lines, line):
                out.append((line, path, found))
    return out


def _triggered(texts: list[str]) -> list[int]:
    """Indexes of the texts where a trigger of some rule occurs: the only ones :func:`scan` can find anything in.

    One pass per trigger over all the texts joined by line breaks, instead of one per text (an incident has
    hundreds of values and keys). No trigger matches a line break, so each occurrence lies inside one text.
    """
    joined = "\n".join(texts)
    lines = _candidate_lines(joined, joined.lower(), RULES)
    if not lines:
        return []
    starts, at = [], 0  # the line index of each text's first line in ``joined``
    for text in texts:
        starts.append(at)
        at += text.count("\n") + 1
    return sorted({bisect_right(starts, line) - 1 for line in lines})


def _problem(doc: Document, line: int, field: str, found: Finding) -> Problem:
    return Problem(
        doc.display,
        line,
        field,
        f"probable {found.kind} ({found.preview}): remove it, and rotate it if it was ever pushed or shared; "
        "if it is not a secret, add `failurelog: allow-secret` to the line (in a # or <!-- --> comment)",
        "secret",
    )


def secret_problems(doc: Document, walked: Walk | None = None) -> list[Problem]:
    """Probable credentials anywhere in ``doc`` (raw lines, and decoded front-matter values), one problem each.

    ``walked`` is :func:`~failurelog.core.yamlio.walk` of the front matter, when the caller has it already.
    """
    if not doc.text:
        return []
    raw = scan(doc.text)
    problems = [_problem(doc, found.line, _field(doc, found.line), found) for found in raw]
    seen = {(found.kind, found.preview) for found in raw} | {(found.kind, found.line) for found in raw}
    for line, path, found in decoded_findings(doc, walked):
        if (found.kind, found.preview) not in seen and (found.kind, line) not in seen:
            seen.update({(found.kind, found.preview), (found.kind, line)})
            problems.append(_problem(doc, line, dotted(path), found))
    return problems
