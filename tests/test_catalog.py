"""Finding sessions: shipped, the user's own, shadowing and broken plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from gluteterm.core.errors import GlutetermError, PlanError
from gluteterm.store import paths
from gluteterm.store.plans import discover, resolve
from tests.support import REPO

SHIPPED = REPO / "sessions"
MINI = 'title = "Mine"\n[[step]]\nname = "A"\nkind = "release"\nhold = 20\n'


def test_paths_follow_xdg(isolated_home: Path) -> None:
    assert paths.user_sessions_dir() == isolated_home / ".config" / "gluteterm" / "sessions"
    assert paths.log_dir() == isolated_home / ".local" / "share" / "gluteterm" / "log"
    assert paths.shipped_sessions_dir().joinpath("quick.toml").is_file()


def test_default_comes_first_then_shipped_then_users(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "zzz.toml").write_text(MINI)
    ids = [e.id for e in discover(SHIPPED, user)]
    assert ids == [
        "unlock-and-activate", "before-a-run", "before-a-sport", "before-lifting",
        "glute-medius", "quick", "zzz",
    ]  # fmt: skip


def test_user_plan_shadows_shipped(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "quick.toml").write_text(MINI)
    entry = next(e for e in discover(SHIPPED, user) if e.id == "quick")
    assert entry.is_user_plan and entry.shadows_shipped and entry.plan is not None
    assert entry.plan.title == "Mine"
    assert resolve("quick", SHIPPED, user).plan.title == "Mine"


def test_broken_plan_is_listed_with_its_error(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "bad.toml").write_text('title = "Bad"\n[[step]]\nname = "A"\nkind = "nap"\nhold = 5\n')
    entry = next(e for e in discover(SHIPPED, user) if e.id == "bad")
    assert entry.plan is None and entry.error is not None
    assert "expected one of release" in str(entry.error)


def test_missing_user_folder_is_fine(tmp_path: Path) -> None:
    assert len(discover(SHIPPED, tmp_path / "nothing-here")) == 6


def test_resolve_by_path_and_default(tmp_path: Path) -> None:
    plan_file = tmp_path / "x.toml"
    plan_file.write_text(MINI)
    assert resolve(str(plan_file), SHIPPED, None).plan.id == "x"
    assert resolve(None, SHIPPED, None).plan.id == "unlock-and-activate"


def test_resolve_unknown_suggests() -> None:
    with pytest.raises(GlutetermError, match="did you mean 'quick'"):
        resolve("quikc", SHIPPED, None)


def test_resolve_missing_path(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such file"):
        resolve(str(tmp_path / "gone.toml"), SHIPPED, None)


def test_each_shipped_sessions_header_and_readme_row_give_its_computed_length() -> None:
    import re

    from gluteterm.core.loader import parse_plan
    from gluteterm.core.timeline import plan_seconds
    from gluteterm.store.drills import default_library

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    files = sorted((REPO / "sessions").glob("*.toml"))
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        plan = parse_plan(text, path.name, path.stem, drills=default_library()).plan
        minutes = int(plan_seconds(plan) // 60)  # as written (home shows it at your levels)
        header = " ".join(line for line in text.splitlines()[:3] if line.startswith("#"))
        said = re.search(r"(\d+) minutes", header)
        assert said is not None, f"{path.name}: no length in its header comment"
        assert int(said.group(1)) == minutes, (path.name, said.group(0), minutes)
        row = re.search(rf"\| `{path.stem}` \| about (\d+) min \|", readme)
        assert row is not None and int(row.group(1)) == minutes, path.name
