"""Shared fixtures: a throw-away failurelog repository built from this one's schema and templates."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from failurelog.core.repository import load_all
from failurelog.core.schema import Schema, load_schema
from failurelog.model.incident import Model, build_model

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The paper form (the seed template), as the package ships it: the one copy in the repository.
SEED = ROOT / "src" / "failurelog" / "seedform" / "form.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden/ from the current output (review the diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite golden files (``--update-golden``)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty incident repository: this project's schema/ and templates/, no incidents."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(ROOT / "schema", root / "schema")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "incidents").mkdir()
    return root


@pytest.fixture(autouse=True)
def _compiled_quick_check() -> None:
    """The project schema's compiled check, as a long-lived process has it (``validate.run.use_quick_check``).

    Most tests validate a few dozen files many times over in one process; with the check compiled, a valid
    file skips the full validator there as in ``serve``. Compiled once per schema object (a test that clears
    the schema cache gets a fresh one, and the full validator, as a new process would).
    """
    load_schema(ROOT).quick_check  # noqa: B018


@pytest.fixture(scope="session")
def schema() -> Schema:
    """The project's incident schema."""
    return load_schema(ROOT)


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/search_corpus.build_corpus, built once per run: copy it (:func:`corpus_copy`) before changing it."""
    from tests.search_corpus import build_corpus

    return build_corpus(tmp_path_factory.mktemp("corpus"))


def corpus_copy(built: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A fresh copy of the built corpus for one test module."""
    target = tmp_path_factory.mktemp(name) / "repo"
    shutil.copytree(built, target)
    return target


#: How many incidents :func:`planted_model` holds, and how many stacks are planted among them.
PLANTED_COUNT = 300
PLANTED_STACKS = 8


@pytest.fixture(scope="session")
def planted_model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    """PLANTED_COUNT synthetic incidents, one in five given a backtrace from a pool of PLANTED_STACKS stacks
    (other addresses and lines each time), so that clusters form; loaded once per run for the reference tests
    of the analyses and the signatures, which only read it."""
    from tests.search_corpus import SEED, _synth

    folder = tmp_path_factory.mktemp("planted")
    synth = _synth()
    # tests/search_corpus.py's seed: bench/synth.py's checked templates are reused (most of a corpus' cost)
    synth.plant_stacks(sorted(synth.generate(folder, PLANTED_COUNT, seed=SEED)), PLANTED_STACKS, seed=11)
    return build_model(load_all(folder), load_schema(folder), date(2026, 12, 1))
