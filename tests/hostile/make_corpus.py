"""Write the small hostile files of tests/hostile/files/ (run by hand after changing a case).

    python tests/hostile/make_corpus.py

The files are committed byte for byte (``files/.gitattributes`` keeps git from
touching their line endings); the huge ones, the symbolic links, the FIFO and
the folder named like a file are made at test time by tests/test_hostile.py.
Each case is a whole incident file; tests/hostile/expected.json says where
``failurelog validate`` must point (line) and what it must say.
"""

from __future__ import annotations

import codecs
from pathlib import Path

HERE = Path(__file__).resolve().parent / "files"

HEAD = (
    "---\n"
    "id: SYS-20261103-001\n"
    "title: Kernel panic on md-gw-03\n"
    "occurred_at: '2026-11-03T14:22:07.123Z'\n"
    "status: draft\n"
    "severity: P1-High\n"
)
BODY = "schema_version: 2\n---\n\n## Initial Symptoms\n\nFeed stopped.\n"
GOOD = HEAD + BODY


def alias_bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + "\n" + BODY


WRONG_TYPES = (
    HEAD.replace("title: Kernel panic on md-gw-03", "title: 12345")
    .replace("status: draft", "status: [draft]")
    .replace("severity: P1-High", "severity: {P1: High}")
    + "components: Network Interface Card (NIC)\n"
    "system:\n"
    "  hostname: [md-gw-03]\n"
    "  cpu_cores: 3.5\n"
    "  total_ram_gb: 512 GB\n"
    "  ip_address: 10.0.0.300\n"
    "metrics:\n"
    "  cpu:\n"
    "    overall_pct: '95%'\n"
    "    load_average: 1.2 1.4 1.9\n"
    "impact:\n"
    "  trading:\n"
    "    orders_lost: -5\n"
    "    outage_min: true\n"
    "action_items: {owner: nobody}\n" + BODY
)

CASES: dict[str, bytes] = {
    "empty.md": b"",
    "whitespace_only.md": b"\n   \n\t\n",
    "binary_elf.md": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4,
    "binary_png.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
    "utf16_with_bom.md": codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"),
    "utf8_bom.md": codecs.BOM_UTF8 + GOOD.encode(),
    "crlf.md": GOOD.replace("\n", "\r\n").encode(),
    "crlf_in_body_only.md": (HEAD + BODY.replace("Feed stopped.\n", "Feed stopped.\r\nAgain.\r\n")).encode(),
    "latin1.md": GOOD.replace("Kernel panic", "Kernel panic \u00e9t\u00e9").encode("latin-1"),
    "cp1252_smart_quotes.md": GOOD.replace("Kernel panic", "\u201cKernel panic\u201d").encode("cp1252"),
    "tabs_as_indent.md": (HEAD + "system:\n\thostname: md-gw-03\n" + BODY).encode(),
    "terminal_colour_code.md": GOOD.replace("Kernel panic", "\x1b[31mKernel panic\x1b[0m").encode(),
    "alias_bomb.md": alias_bomb().encode(),
    "alias_simple.md": (HEAD + "failure_types: &t [Kernel Panic]\nroot_cause:\n  summary: *t\n" + BODY).encode(),
    "yaml_merge_key.md": (HEAD + "base: &b {status: draft}\n<<: *b\n" + BODY).encode(),
    "duplicate_key.md": (HEAD + "title: Second title\n" + BODY).encode(),
    "duplicate_nested_key.md": (
        HEAD + "system:\n  hostname: md-gw-03\n  os: Rocky Linux 9.4\n  hostname: md-gw-04\n" + BODY
    ).encode(),
    "deep_nesting_flow.md": (HEAD + "system: " + "[" * 200 + "]" * 200 + "\n" + BODY).encode(),
    "deep_nesting_block.md": (
        "---\n" + "".join("  " * i + f"k{i}:\n" for i in range(80)) + "  " * 80 + "v: 1\n" + BODY
    ).encode(),
    "python_tag.md": (HEAD + 'remarks: !!python/object/apply:os.system ["touch pwned"]\n' + BODY).encode(),
    "custom_tag.md": (HEAD + "remarks: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n" + BODY).encode(),
    "yaml_timestamps.md": (
        HEAD.replace("occurred_at: '2026-11-03T14:22:07.123Z'", "occurred_at: 2026-11-03 14:22:07")
        + "failure:\n  first_indication_at: 2026-11-03\n  complete_failure_at: 2026-11-03T14:22:07Z\n"
        + BODY
    ).encode(),
    "wrong_types.md": WRONG_TYPES.encode(),
    "unknown_fields.md": (
        HEAD + "severty: P1\nsystem:\n  hostnme: md-gw-03\n  Hostname: md-gw-03\nfoo: bar\n" + BODY
    ).encode(),
    "id_path_traversal.md": GOOD.replace("id: SYS-20261103-001", "id: ../../etc/passwd").encode(),
    "id_with_slash.md": GOOD.replace("id: SYS-20261103-001", "id: SYS-20261103-001/x").encode(),
    "id_absolute_path.md": GOOD.replace("id: SYS-20261103-001", "id: /etc/shadow").encode(),
    "id_backslash.md": GOOD.replace("id: SYS-20261103-001", "id: 'SYS-20261103-001\\..\\x'").encode(),
    "id_nul_escape.md": GOOD.replace("id: SYS-20261103-001", 'id: "SYS-20261103-001\\0"').encode(),
    "front_matter_unclosed.md": (HEAD + "\n## Initial Symptoms\n\nFeed stopped.\n").encode(),
    "front_matter_is_number.md": b"---\n42\n---\n\n## Initial Symptoms\n\nx\n",
    "nul_byte_in_body.md": (GOOD + "\n## Error Messages\n\nsegfault at \x00\n").encode(),
}


def main() -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / ".gitattributes").write_text(
        "# byte-exact hostile input: no line-ending conversion, no diffs\n* -text -diff\n"
    )
    for name, data in CASES.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(CASES)} files to {HERE}")


if __name__ == "__main__":
    main()
