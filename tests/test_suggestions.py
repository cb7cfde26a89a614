"""Incidents like this one: labelled pairs, the signature channel, rejected suggestions.

The labelled pairs (tests/fixtures/labelled_pairs.yaml) are measured over
what an incident page shows: its explicit links and its top three computed
suggestions. On main before the signature channel: examples precision 0.67,
recall 0.67 (4 of 6 together pairs, 2 of 9 apart pairs shown); corpus recall
0 (neither repeated crash suggested). The figures asserted here are the after.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from failurelog.analysis.related import related
from failurelog.analysis.similar import describe
from failurelog.model.incident import Model
from failurelog.site.generate import load_model
from tests.signature_corpus import build_corpus, figures, labelled
from tests.site_helpers import ROOT, make_repo

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def examples() -> Model:
    """The shipped example incidents."""
    return load_model(ROOT, TODAY)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, dict[str, str]]:
    """The signature corpus (examples, synthetic incidents, plants) and the plants' ids."""
    repo, ids = build_corpus(tmp_path_factory.mktemp("signature-corpus"))
    return load_model(repo, TODAY), ids


def test_labelled_pairs_of_the_examples(examples: Model) -> None:
    found = figures(examples, labelled("examples"))
    assert (found.found, found.together, found.wrong, found.apart) == (6, 6, 0, 9)
    assert (found.precision, found.recall) == (1.0, 1.0)


@pytest.mark.slow  # builds the corpus: 66 synthetic incidents, validated
def test_labelled_pairs_of_the_corpus(corpus: tuple[Model, dict[str, str]]) -> None:
    model, ids = corpus
    found = figures(model, labelled("corpus", ids))
    assert (found.found, found.together, found.wrong, found.apart) == (3, 3, 0, 2)


@pytest.mark.slow  # builds the corpus: 66 synthetic incidents, validated
def test_a_repeated_stack_is_linked_to_the_first_by_its_signature(corpus: tuple[Model, dict[str, str]]) -> None:
    model, ids = corpus
    result = related(model)
    first, repeat = model.by_id[ids["stack-first"]], model.by_id[ids["stack-repeat"]]
    assert first.value("system.hostname") != repeat.value("system.hostname")
    assert (repeat.occurred_at - first.occurred_at).days >= 21
    top = result.suggestions[repeat.id][0]
    assert top.incident.id == first.id
    stack = "OrderContextPool::acquire <- OrderStateMachine::on_new_order <- Router::route"
    assert describe(top.shared)[0] == f"same signature: {stack}"
    assert result.suggestions[first.id][0].incident.id == repeat.id
    kernel = result.suggestions[ids["kernel-repeat"]][0]
    assert kernel.incident.id == ids["kernel-first"]
    assert any("mlx5e_poll_tx_cq [mlx5_core] <- mlx5e_napi_poll [mlx5_core]" in r for r in describe(kernel.shared))


@pytest.mark.slow  # builds the corpus: 66 synthetic incidents, validated
def test_the_decoy_and_the_abort_only_stack_share_no_signature(corpus: tuple[Model, dict[str, str]]) -> None:
    model, ids = corpus
    result = related(model)
    decoy = {s.text for s in result.signatures[ids["decoy"]]}
    assert decoy == {"RiskGate::check <- RiskGate::on_order <- Session::dispatch"}
    assert ids["noise"] not in result.signatures
    for found in result.suggestions[ids["decoy"]]:
        assert not any(r.startswith("same signature") for r in describe(found.shared))


def test_the_corrected_errors_pair_names_its_shared_signature(examples: Model) -> None:
    result = related(examples, top_k=3)
    pcie = {s.incident.id: s for s in result.suggestions["SYS-20260623-001"]}
    reasons = describe(pcie["SYS-20250422-001"].shared)
    assert "same signature: corrected hardware errors, then uncorrectable" in reasons
    trace = {s.incident.id: s for s in result.suggestions["SYS-20260113-001"]}
    assert "same signature: ENOSPC (no space left on device)" in describe(trace["SYS-20260728-001"].shared)
    assert "SYS-20260915-001" not in trace  # the NFS hang is no longer the root-FS-full incident's match


def _reject(path: Path, other: str) -> None:
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(r"^related:\n", f"related:\n  not_related:\n  - {other}\n", text, count=1, flags=re.M)
    assert n == 1, path
    path.write_text(text, encoding="utf-8")


def test_a_rejected_suggestion_is_not_made_from_either_side(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", ROOT / "incidents")
    before = related(load_model(repo, TODAY))
    assert "SYS-20260728-001" in {s.incident.id for s in before.suggestions["SYS-20260113-001"]}
    _reject(repo / "incidents" / "2026" / "SYS-20260728-001.md", "SYS-20260113-001")
    after = related(load_model(repo, TODAY))
    assert "SYS-20260728-001" not in {s.incident.id for s in after.suggestions["SYS-20260113-001"]}
    assert "SYS-20260113-001" not in {s.incident.id for s in after.suggestions["SYS-20260728-001"]}
    assert after.rejected["SYS-20260113-001"] == {"SYS-20260728-001"}
    shutil.rmtree(repo)
