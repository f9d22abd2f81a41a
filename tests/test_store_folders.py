"""`Store` works on the folders it is handed, never on the XDG folders it could look up.

Every test here points the XDG variables and HOME at a folder that must stay
empty, and hands the store three other roots.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gluteterm.core.assessment import AssessmentResult, Sides
from gluteterm.store.api import Folders, Store
from tests.support import REPO

SIDE_PLANK = (REPO / "gluteterm" / "drills" / "side-plank.toml").read_text(encoding="utf-8")


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the XDG variables point: nothing may appear under it."""
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    monkeypatch.setenv("HOME", str(xdg / "home"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(xdg / name.lower()))
    return xdg


@pytest.fixture
def store(tmp_path: Path) -> Store:
    roots = tmp_path / "roots"
    return Store(Folders.under(roots / "config", roots / "data", roots / "cache"))


def _everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


def test_folders_lay_out_the_three_roots(tmp_path: Path) -> None:
    folders = Folders.under(tmp_path / "c", tmp_path / "d", tmp_path / "k")
    assert folders.user_sessions == tmp_path / "c" / "sessions"
    assert folders.user_drills == tmp_path / "c" / "drills"
    assert folders.settings_file == tmp_path / "c" / "config.toml"
    assert folders.log_dir == tmp_path / "d" / "log"
    assert folders.levels_file == tmp_path / "d" / "levels.toml"
    assert folders.index_file == tmp_path / "k" / "history-index.json"
    assert (folders.shipped_drills / "clamshell.toml").is_file()
    assert (folders.shipped_sessions / "quick.toml").is_file()


def test_the_store_reads_drills_and_sessions_from_its_own_folders(
    store: Store, elsewhere: Path
) -> None:
    mine = store.folders.user_drills
    mine.mkdir(parents=True)
    (mine / "side-plank.toml").write_text(
        SIDE_PLANK.replace('name = "Side plank"', 'name = "My side plank"'), encoding="utf-8"
    )
    store.folders.user_sessions.mkdir(parents=True)
    (store.folders.user_sessions / "mine.toml").write_text(
        'title = "Mine"\n[[step]]\ndrill = "side-plank"\n', encoding="utf-8"
    )
    assert store.drills().is_user("side-plank")
    assert store.drills()["side-plank"].name == "My side plank"
    entries = {entry.id: entry for entry in store.sessions()}
    assert entries["mine"].is_user_plan and entries["mine"].plan is not None
    assert entries["mine"].plan.steps[0].name == "My side plank"
    assert store.plan("mine").plan.title == "Mine"
    assessment = store.assessment_plan().plan
    assert "My side plank" in {step.name for step in assessment.steps}
    assert _everything_under(elsewhere) == []


def test_build_plan_uses_the_stores_levels_and_assessments(store: Store, elsewhere: Path) -> None:
    store.folders.levels_file.parent.mkdir(parents=True)
    store.folders.levels_file.write_text(
        'version = 2\n[ladders]\nglute-bridge = "single-leg-bridge"\n', encoding="utf-8"
    )
    taken = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    store.save_assessment(AssessmentResult(taken, bridge_reps=Sides(12, 25)))
    drills: set[str | None] = set()
    sides: set[str | None] = set()
    for day in range(1, 15):
        plan = store.build_plan(20, [], "maximus", date(2026, 5, day)).plan
        drills |= {step.drill for step in plan.steps}
        sides |= {step.extra_side for step in plan.steps}
    assert "single-leg-bridge" in drills and "glute-bridge" not in drills
    assert "left" in sides
    assert _everything_under(elsewhere) == []


def test_the_log_history_and_settings_stay_in_the_stores_folders(
    store: Store, elsewhere: Path
) -> None:
    assert store.save_setting("mute", True) == ""
    assert store.settings()[0].mute is True
    assert store.history().sessions == []
    assert store.flush_pending() == (0, [])
    assert store.settings_file.is_file()
    assert _everything_under(elsewhere) == []
