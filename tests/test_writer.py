"""The tree writer: only changed files are written, unchanged ones keep their mtime, stale ones go."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from failurelog.site.writer import MANIFEST, write_tree

OLD = 1_000_000_000_000_000_000  # an mtime (ns) long before any write of this test


def _age(path: Path) -> None:
    os.utime(path, ns=(OLD, OLD))


def test_second_write_of_the_same_tree_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "build" / "docs"
    tree: dict[str, str | bytes] = {"a.md": "alpha", "sub/b.md": "beta", "c.bin": b"\x00\x01"}
    first = write_tree(tree.items(), out)
    assert (first.written, first.unchanged, first.removed) == (3, 0, 0)
    assert sorted(first.changed) == ["a.md", "c.bin", "sub/b.md"]
    for rel in tree:
        _age(out / rel)
    write_tree(tree.items(), out)  # the manifest now records the aged mtimes as unknown: content compared
    again = write_tree(tree.items(), out)
    assert (again.written, again.unchanged, again.changed) == (0, 3, [])
    assert all((out / rel).stat().st_mtime_ns == OLD for rel in tree)
    assert (out / "a.md").read_text() == "alpha" and (out / "c.bin").read_bytes() == b"\x00\x01"


def test_only_the_changed_page_is_rewritten_and_a_stale_one_removed(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    write_tree({"a.md": "alpha", "b.md": "beta", "old/x.md": "x"}.items(), out)
    for rel in ("a.md", "b.md"):
        _age(out / rel)
    done = write_tree({"a.md": "alpha", "b.md": "beta 2"}.items(), out)
    assert (done.written, done.unchanged, done.removed) == (1, 1, 1)
    assert sorted(done.changed) == ["b.md", "old/x.md"]
    assert (out / "a.md").stat().st_mtime_ns == OLD
    assert (out / "b.md").read_text() == "beta 2"
    assert not (out / "old").exists()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_a_generated_file_edited_by_hand_is_rewritten_even_when_the_manifest_says_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    write_tree([("a.md", "alpha")], out)
    (out / "a.md").write_text("ALPHA")  # same size, other content
    done = write_tree([("a.md", "alpha")], out)
    assert done.written == 1 and (out / "a.md").read_text() == "alpha"


def test_without_a_manifest_identical_files_are_compared_not_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    write_tree([("a.md", "alpha")], out)
    (out.parent / MANIFEST).unlink()
    _age(out / "a.md")
    done = write_tree([("a.md", "alpha")], out)
    assert (done.written, done.unchanged) == (0, 1)
    assert (out / "a.md").stat().st_mtime_ns == OLD


def test_a_corrupt_manifest_is_ignored(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    write_tree([("a.md", "alpha")], out)
    (out.parent / MANIFEST).write_text('{"a.md": "not an entry"')
    done = write_tree([("a.md", "alpha"), ("b.md", "beta")], out)
    assert (done.written, done.unchanged) == (1, 1)


def test_pages_are_consumed_one_at_a_time_and_the_first_of_a_path_wins(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    seen: list[str] = []

    def pages() -> Iterator[tuple[str, str]]:
        for n in range(3):
            # each page is on disk before the next is asked for
            assert all((out / rel).is_file() for rel in seen)
            seen.append(f"p{n}.md")
            yield f"p{n}.md", f"page {n}"
        yield "p0.md", "a hand-written page of a generated path"

    done = write_tree(pages(), out)
    assert done.written == 3
    assert (out / "p0.md").read_text() == "page 0"
