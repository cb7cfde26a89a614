"""`validate` finds an incident file another branch also added with other content (a git add/add conflict to come).

Real git repositories of synthetic incidents (bench/synth.py): the same path
added on two branches with different content is reported on the file's id
line, naming the other branch; added identically, or edited on both sides of a
file both had, it is not. Local and remote-tracking branches, a detached
``HEAD`` and a folder outside git; a warm run (merge bases and listings read
from ``.failurelog-cache/``) reports what a cold one does, also after the other
branch moved.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from failurelog.validate.cache import CACHE_DIR
from failurelog.validate.collisions import CACHE_FILE, added_elsewhere, blob_id
from failurelog.validate.run import Report, validate
from tests.history_helpers import BOB, GitRepo
from tests.search_corpus import SEED as SEARCH_SEED
from tests.search_corpus import _synth

#: Enough for what the tests take (four new incidents, four on main): a collision is a matter of one path on
#: two branches, and the rules are the same over ten files as over many; each test validates the corpus cold
#: several times, so its size is most of their cost.
COUNT = 10
#: The first this many incidents are on main before anyone branches; the rest are new work.
ON_MAIN = 6
WHEN = "2026-12-01T10:00:00+00:00"


def outcome(report: Report) -> list[tuple[str, int, str, str, str]]:
    return [(p.file, p.line, p.field, p.message, p.rule) for p in report.problems]


def collisions(report: Report) -> list[tuple[str, int, str, str, str]]:
    return [p for p in outcome(report) if "add/add" in p[3]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth")
    _synth().generate(root, COUNT, seed=SEARCH_SEED)  # the seed of tests/search_corpus.py: its templates are reused
    return root


@pytest.fixture
def git_repo(corpus: Path, tmp_path: Path) -> GitRepo:
    """The corpus under git: ON_MAIN incidents committed on main, the others moved aside to ``tmp/new``."""
    root = tmp_path / "repo"
    shutil.copytree(corpus, root)
    new = tmp_path / "new"
    for path in sorted((root / "incidents").rglob("*.md"))[ON_MAIN:]:
        target = new / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
    repo = GitRepo(root).init()
    repo.write(".gitignore", f"{CACHE_DIR}/\n")
    repo.commit("the first incidents", WHEN)
    return repo


def new_incidents(repo: GitRepo) -> list[str]:
    """The incidents not yet in any branch (paths relative to the repository)."""
    new = repo.root.parent / "new"
    return sorted(p.relative_to(new).as_posix() for p in new.rglob("*.md"))


def add(repo: GitRepo, name: str, note: str = "") -> Path:
    """Write the new incident ``name``, its body followed by ``note``."""
    text = (repo.root.parent / "new" / name).read_text(encoding="utf-8")
    return repo.write(name, text + note)


def taken_on(repo: GitRepo, branch: str, name: str, note: str = "", start: str = "main") -> None:
    """On a new ``branch`` off ``start``: add ``name`` and commit; then back to ``start``."""
    repo.git("switch", "-q", "-c", branch, start)
    add(repo, name, note)
    repo.commit(f"{name} on {branch}", WHEN, BOB)
    repo.git("switch", "-q", start)


def id_line(path: Path) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("id:"))


def assert_cold_and_warm_agree(root: Path, name: str) -> list[tuple[str, int, str, str, str]]:
    """Without the cache, cold and warm, whole and the one file: the same problems; those of the file."""
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    cold = outcome(validate(root, cache=False))
    one = outcome(validate(root, [root / name], cache=False))
    assert outcome(validate(root)) == cold
    assert outcome(validate(root)) == cold
    assert outcome(validate(root, [root / name])) == one
    assert [p for p in cold if p[0] == name] == one
    return one


def test_the_same_new_path_with_other_content_on_another_branch_is_reported(git_repo: GitRepo) -> None:
    name = new_incidents(git_repo)[0]
    taken_on(git_repo, "incident/alice", name, "\nAlice's notes.\n")
    git_repo.git("switch", "-q", "-c", "incident/bob")
    mine = add(git_repo, name, "\nBob's notes.\n")  # not even committed: what pre-commit sees
    found = collisions(validate(git_repo.root, [mine]))
    stem = Path(name).stem
    assert len(found) == 1
    file, line, field, message, rule = found[0]
    assert (file, line, field, rule) == (name, id_line(mine), "id", "id")
    assert "incident/alice" in message and f"failurelog renumber {stem} NEW-ID" in message
    assert collisions(validate(git_repo.root)) == found  # the whole run too
    git_repo.commit("bob's", WHEN)
    assert collisions(validate(git_repo.root, [mine])) == found
    assert found == [p for p in assert_cold_and_warm_agree(git_repo.root, name) if "add/add" in p[3]]
    assert (git_repo.root / CACHE_DIR / CACHE_FILE).is_file()
    for other in new_incidents(git_repo)[1:4]:  # new incidents on other paths are no one's business
        add(git_repo, other)
    assert collisions(validate(git_repo.root)) == found


def test_the_same_new_file_with_the_same_content_is_not_a_collision(git_repo: GitRepo) -> None:
    name = new_incidents(git_repo)[1]
    taken_on(git_repo, "incident/alice", name)
    git_repo.git("switch", "-q", "-c", "incident/bob")
    add(git_repo, name)
    assert collisions(validate(git_repo.root)) == []
    assert collisions(validate(git_repo.root, [git_repo.root / name])) == []
    assert_cold_and_warm_agree(git_repo.root, name)


def test_a_file_edited_on_both_sides_is_not_a_collision(git_repo: GitRepo) -> None:
    name = sorted(p.relative_to(git_repo.root).as_posix() for p in (git_repo.root / "incidents").rglob("*.md"))[3]
    git_repo.git("switch", "-q", "-c", "incident/alice")
    git_repo.write(name, (git_repo.root / name).read_text(encoding="utf-8") + "\nAlice edited.\n")
    git_repo.commit("alice edits", WHEN, BOB)
    git_repo.git("switch", "-q", "-c", "incident/bob", "main")
    git_repo.write(name, (git_repo.root / name).read_text(encoding="utf-8") + "\nBob edited.\n")
    git_repo.commit("bob edits", WHEN)
    assert added_elsewhere(git_repo.root) == {}
    assert collisions(validate(git_repo.root)) == []
    assert assert_cold_and_warm_agree(git_repo.root, name) == []


def test_a_branch_behind_this_one_or_merged_into_it_is_not_a_collision(git_repo: GitRepo) -> None:
    name = new_incidents(git_repo)[2]
    taken_on(git_repo, "incident/alice", name, "\nAlice's notes.\n")
    git_repo.git("merge", "-q", "--no-edit", "incident/alice")  # main now holds alice's file
    add(git_repo, name, "\nEdited after the merge.\n")
    assert collisions(validate(git_repo.root, [git_repo.root / name])) == []


def test_a_remote_tracking_branch_is_looked_at(git_repo: GitRepo, tmp_path: Path) -> None:
    name = new_incidents(git_repo)[0]
    taken_on(git_repo, "incident/alice", name, "\nAlice's notes.\n")
    clone = GitRepo(tmp_path / "clone")
    git_repo.git("clone", "-q", str(git_repo.root), str(clone.root))
    assert clone.git("branch", "--list").split() == ["*", "main"]  # alice's branch is only origin/incident/alice
    clone.git("switch", "-q", "-c", "incident/bob")
    mine = add(clone, name, "\nBob's notes.\n")
    found = collisions(validate(clone.root, [mine]))
    assert len(found) == 1 and "origin/incident/alice" in found[0][3]
    assert found == [p for p in assert_cold_and_warm_agree(clone.root, name) if "add/add" in p[3]]


def test_the_own_branch_pushed_then_amended_is_not_a_collision(git_repo: GitRepo, tmp_path: Path) -> None:
    name = new_incidents(git_repo)[0]
    remote = tmp_path / "remote.git"
    git_repo.git("init", "-q", "--bare", str(remote))
    git_repo.git("remote", "add", "origin", str(remote))
    git_repo.git("switch", "-q", "-c", "incident/bob")
    add(git_repo, name, "\nFirst draft.\n")
    git_repo.commit("draft", WHEN)
    git_repo.git("push", "-q", "-u", "origin", "incident/bob")
    add(git_repo, name, "\nSecond draft.\n")
    git_repo.git("add", "-A")
    git_repo.git("commit", "-q", "--amend", "--no-edit")  # origin/incident/bob now diverges from this branch
    assert collisions(validate(git_repo.root, [git_repo.root / name])) == []


def test_a_detached_head_compares_with_every_branch(git_repo: GitRepo) -> None:
    name = new_incidents(git_repo)[0]
    taken_on(git_repo, "incident/alice", name, "\nAlice's notes.\n")
    git_repo.git("switch", "-q", "--detach", "main")
    mine = add(git_repo, name, "\nDetached notes.\n")
    found = collisions(validate(git_repo.root, [mine]))
    assert len(found) == 1 and "incident/alice" in found[0][3]


def test_the_warm_cache_follows_the_other_branch(git_repo: GitRepo) -> None:
    name = new_incidents(git_repo)[0]
    taken_on(git_repo, "incident/alice", name, "\nAlice's notes.\n")
    git_repo.git("switch", "-q", "-c", "incident/bob")
    mine = add(git_repo, name, "\nBob's notes.\n")
    assert len(collisions(validate(git_repo.root, [mine]))) == 1
    git_repo.commit("bob's", WHEN)
    bob = mine.read_text(encoding="utf-8")
    git_repo.git("switch", "-q", "incident/alice")  # alice takes bob's text: the same blob on both sides
    git_repo.write(name, bob)
    git_repo.commit("alice takes bob's text", WHEN, BOB)
    git_repo.git("switch", "-q", "incident/bob")
    assert mine.read_text(encoding="utf-8").endswith("Bob's notes.\n")
    assert collisions(validate(git_repo.root, [mine])) == []
    assert collisions(validate(git_repo.root, [mine], cache=False)) == []


def test_a_corrupt_branch_cache_is_rebuilt(git_repo: GitRepo) -> None:
    name = new_incidents(git_repo)[0]
    taken_on(git_repo, "incident/alice", name, "\nAlice's notes.\n")
    git_repo.git("switch", "-q", "-c", "incident/bob")
    mine = add(git_repo, name, "\nBob's notes.\n")
    expected = collisions(validate(git_repo.root, [mine], cache=False))
    assert len(expected) == 1
    stored = git_repo.root / CACHE_DIR / CACHE_FILE
    for text in ("", "{not json", '{"format": 1, "bases": [], "added": 3}', '{"format": 99}'):
        stored.parent.mkdir(exist_ok=True)
        stored.write_text(text, encoding="utf-8")
        assert collisions(validate(git_repo.root, [mine])) == expected, text
    stored.write_text('{"format": 1, "bases": {}, "added": {"x": {"y": 5}}}', encoding="utf-8")
    assert collisions(validate(git_repo.root, [mine])) == expected


def test_outside_git_there_is_nothing_to_compare(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(corpus, root)
    assert added_elsewhere(root) == {}
    assert collisions(validate(root)) == []
    assert not (root / CACHE_DIR / CACHE_FILE).exists()


def test_blob_id_is_gits(git_repo: GitRepo) -> None:
    path = git_repo.write("incidents/x.txt", "some bytes\n")
    assert blob_id(path.read_bytes()) == git_repo.git("hash-object", "incidents/x.txt").strip()
