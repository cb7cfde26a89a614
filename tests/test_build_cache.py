"""The site's build validates with the validation cache: a warm build gives what a cold one gives.

On the cross-referring synthetic corpus of tests/test_cache.py and on every
negative case placed in it: the build's documents and report from no cache,
a cold cache and a warm one (no file checked again) are the same, and so is
the generated tree. An edit that keeps the size and modification time is seen,
and a document a caller changed does not reach the next run.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from failurelog.core.loader import Document
from failurelog.site import generate
from failurelog.validate import parsed
from failurelog.validate import run as run_module
from failurelog.validate.cache import CACHE_DIR, CACHE_FILE
from failurelog.validate.run import validate_documents
from tests.search_corpus import SEED as SEARCH_SEED
from tests.search_corpus import _synth
from tests.test_cache import _refuse, _split, corpus, incident_paths, outcome, repo
from tests.test_cases import EXPECTED as CASE_EXPECTED
from tests.test_cases import place

__all__ = ["corpus", "repo"]  # the fixtures, shared with tests/test_cache.py

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "negative"
TODAY = date(2026, 12, 1)


def _docs(docs: list[Document]) -> list[tuple[Any, ...]]:
    return [(str(d.path), d.display, d.meta, d.body, d.body_line, d.lines) for d in docs]


def _build(root: Path) -> tuple[Any, list[tuple[Any, ...]]]:
    report, docs = validate_documents(root)
    return outcome(report), _docs(docs)


def _same_cold_and_warm(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed.forget()
    report, docs = validate_documents(root, cache=False)
    cold = outcome(report), _docs(docs)
    assert not (root / CACHE_DIR).exists()
    assert _build(root) == cold  # builds the cache
    assert (root / CACHE_DIR / CACHE_FILE).is_file()
    with monkeypatch.context() as patch:
        patch.setattr(run_module, "check_file", _refuse)
        assert _build(root) == cold  # documents kept in this process
        parsed.forget()
        assert _build(root) == cold  # documents parsed from the files


def test_the_build_documents_cold_and_warm(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_cold_and_warm(repo, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES.glob("*.md")), ids=lambda p: p.stem)
def test_the_build_documents_of_a_negative_case_cold_and_warm(
    repo: Path, case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert case.stem in CASE_EXPECTED
    place(repo, case)
    _same_cold_and_warm(repo, monkeypatch)


def test_a_warm_build_writes_the_tree_of_a_cold_one(tmp_path: Path) -> None:
    repo = tmp_path / "valid"
    _synth().generate(repo, 30, seed=SEARCH_SEED)  # the seed of tests/search_corpus.py: its templates are reused
    parsed.forget()
    cold_out, warm_out = tmp_path / "cold", tmp_path / "warm"
    generate.prepare(repo, today=TODAY, out=cold_out)
    generate._MEMO.clear()
    parsed.forget()
    generate.prepare(repo, today=TODAY, out=warm_out)  # problems from the cache, documents parsed
    generate._MEMO.clear()
    generate.prepare(repo, today=TODAY, out=warm_out)  # documents kept in this process

    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert tree(cold_out) == tree(warm_out)
    assert len(tree(cold_out)) > 30


def test_an_edit_of_the_same_size_and_time_reaches_the_build(repo: Path) -> None:
    name = incident_paths(repo)[7]
    path = repo / name
    validate_documents(repo)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    title = str(_split(path)[0]["title"])
    edited = text.replace(f"title: {title}", "title: " + "Q" * len(title), 1)
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    _report, docs = validate_documents(repo)
    assert [d.meta["title"] for d in docs if d.display == name and d.meta] == ["Q" * len(title)]


def test_a_changed_document_does_not_reach_the_next_run(repo: Path) -> None:
    parsed.forget()
    _report, first = validate_documents(repo)
    expected = _docs(validate_documents(repo)[1])
    for doc in first:
        assert doc.meta is not None
        doc.meta["title"] = "changed by a caller"
        doc.body = ""
    assert _docs(validate_documents(repo)[1]) == expected
