"""Every record has a fallback and tells the truth (issue 22, classes 3 and 6).

A self-assessment and accepted levels go to the pending folder when their own
place cannot be written, as sessions do, and move in at the next start; exit
messages say what was kept and where. An unfinished self-assessment is kept,
marked partial, and decides nothing; assessment dates are bounded like
session dates; files left unread over a limit are counted and said.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from gluteterm.cli.main import main
from gluteterm.core.assessment import AssessmentResult, Sides, weaker_side
from gluteterm.core.progression import Suggestion
from gluteterm.store import assessments as assessment_store
from gluteterm.store import paths
from gluteterm.store.api import Store
from gluteterm.ui.leaving import farewell
from gluteterm.ui.screens.assessment import AssessmentResultScreen
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.session.assessment import AssessmentSession
from tests.support import REPO, FakeClock, build_app, wait_for_workers
from tests.test_assessment_app import forward, start_assessment, walls

CET = timezone(timedelta(hours=1))
TAKEN = datetime(2026, 11, 2, 8, tzinfo=CET)
#: Left weaker on every counted test: a finished assessment names the left side.
LEFT_WEAKER = AssessmentResult(
    TAKEN, Sides(True, False), Sides(True, False), Sides(10, 25), Sides(20.0, 60.0)
)


def store(**folders: Path) -> Store:
    return Store.default(shipped_sessions=REPO / "sessions", **folders)


def blocked(tmp_path: Path) -> Path:
    """A folder path that cannot be made: a regular file is in its way."""
    wall = tmp_path / "not-a-folder"
    wall.write_text("")
    return wall / "log"


# -- the pending fallback (class 3) ---------------------------------------------------


def test_an_assessment_the_log_cannot_take_waits_in_pending_and_moves_in(tmp_path: Path) -> None:
    log = paths.log_dir()
    stuck = store(log_dir=blocked(tmp_path))
    saved = stuck.save_assessment(LEFT_WEAKER)
    assert saved.pending and saved.path is not None
    assert saved.path.parent == stuck.pending_dir and str(stuck.log_dir) in saved.problem
    # The next start (the log can be written again) moves it in, once.
    moved, problems = store(log_dir=log).flush_pending()
    assert (moved, problems) == (1, [])
    assert not saved.path.exists()
    assert [r.taken for r in store().assessments().results] == [LEFT_WEAKER.taken]
    assert store().flush_pending() == (0, [])


def test_an_assessment_saved_nowhere_says_so(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setattr("gluteterm.store.pending.fallback_pending_dir", lambda _create=False: None)
    saved = store(log_dir=blocked(tmp_path), pending_dir=tmp_path / "not-a-folder" / "p")
    result = saved.save_assessment(LEFT_WEAKER)
    assert result.path is None and "nowhere else was writable" in result.problem


def bridge_up() -> list[Suggestion]:
    return [Suggestion("quick", "Glute bridge", 0, 1, "Glute bridge", "Single-leg bridge", "x",
                       ladder="glute-bridge", to_drill="single-leg-bridge")]  # fmt: skip


def test_levels_that_cannot_be_written_wait_in_pending_then_go_in(tmp_path: Path) -> None:
    stuck = store(levels_file=blocked(tmp_path) / "levels.toml")
    said = stuck.accept(bridge_up())
    assert f"kept in {stuck.pending_dir}" in said and str(stuck.levels_file) in said
    # They count at once, and on the next start, before levels.toml can be written.
    assert store(levels_file=stuck.levels_file).drill_levels()["glute-bridge"] == (
        "single-leg-bridge"
    )
    moved, problems = store().flush_pending()
    assert moved == 1 and problems == []
    assert 'glute-bridge = "single-leg-bridge"' in paths.levels_file().read_text()
    assert list(stuck.pending_dir.glob("levels_*.toml")) == []


# -- truthful records (class 6) -------------------------------------------------------


async def answer_one(pilot: Any, screen: RunnerScreen, clock: FakeClock) -> None:
    """On to the self-assessment's first question, and answer it yes."""
    for _ in range(200):
        view = screen.session.view()
        if view.question is not None:
            await pilot.press("y")
            await pilot.pause()
            return
        remaining = view.remaining
        forward(screen, clock, (remaining if remaining is not None else 1.0) + 0.01)
        await pilot.pause()
    raise AssertionError("no question was asked")


async def test_a_self_assessment_quit_after_one_answer_is_partial_and_decides_nothing() -> None:
    first = store()
    first.save_assessment(LEFT_WEAKER)  # an earlier finished one: it stays the last
    clock = FakeClock()
    app = build_app(clock, wall=walls(20))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_assessment(pilot)
        await answer_one(pilot, screen, clock)
        assert isinstance(screen.session, AssessmentSession) and screen.session.values
        session = app.session
        app._end_session()  # a signal, or the terminal closed
        said = " ".join(app.farewell)
    assert session is not None and session.saved_to is not None
    assert "nothing to save" not in said
    assert f"saved in {session.saved_to}, marked partial" in said
    text = session.saved_to.read_text()
    assert "partial = true" in text and "version = 3" in text
    found = store().assessments()
    assert len(found.results) == 2 and found.results[0].partial
    last = store().last_assessment()
    assert last is not None and last.taken == TAKEN and weaker_side(found.results[0]) is None


async def test_a_quit_self_assessment_shows_partial_and_offers_no_levels() -> None:
    clock = FakeClock()
    app = build_app(clock, wall=walls(20))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_assessment(pilot)
        await answer_one(pilot, screen, clock)
        for _ in range(3):
            if not isinstance(app.screen, RunnerScreen):
                break
            await pilot.press("q", "y")
            await wait_for_workers(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        result_screen = app.screen
        assert isinstance(result_screen, AssessmentResultScreen)
        assert result_screen.result is not None and result_screen.result.partial
        assert result_screen.proposed == []
    assert store().last_assessment() is None
    built = store().build_plan(10, [], "balanced", date(2026, 12, 3)).plan
    assert all(step.extra_side is None for step in built.steps)


def test_a_partial_assessment_adds_no_builder_set_and_a_finished_one_does() -> None:
    shared = store()
    later = AssessmentResult(TAKEN + timedelta(days=1), Sides(False, True), partial=True,
                             bridge_reps=Sides(25, 5))  # fmt: skip
    shared.save_assessment(later)
    day = date(2026, 12, 3)
    assert all(s.extra_side is None for s in shared.build_plan(10, [], "balanced", day).plan.steps)
    shared.save_assessment(LEFT_WEAKER)
    built = shared.build_plan(10, [], "balanced", day).plan
    assert any(s.extra_side == "left" for s in built.steps)


def write_assessment(name: str, doc: dict[str, Any]) -> Path:
    log = paths.log_dir()
    log.mkdir(parents=True, exist_ok=True)
    path = log / name
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def test_a_version_1_assessment_is_still_read_as_finished() -> None:
    doc = LEFT_WEAKER.to_toml() | {"version": 1}
    write_assessment("2026-11-02T08-00-00_assessment.toml", doc)
    last = store().last_assessment()
    assert last is not None and not last.partial and weaker_side(last) == "left"


def test_an_assessment_dated_9999_is_refused_and_never_last() -> None:
    write_assessment("2026-11-02T08-00-00_assessment.toml", LEFT_WEAKER.to_toml())
    far = LEFT_WEAKER.to_toml() | {"taken": datetime(9999, 1, 1, tzinfo=UTC)}
    path = write_assessment("2026-11-03T08-00-00_assessment.toml", far)
    found = store().assessments()
    assert [r.taken for r in found.results] == [TAKEN]
    assert any(str(path) in p and "9998" in p for p in found.problems)
    last = store().last_assessment()
    assert last is not None and last.taken == TAKEN


def test_an_assessment_dated_next_year_is_named_and_never_last() -> None:
    """A clock set wrong (here, or on a machine the log syncs from) must not decide for a year."""
    write_assessment("2026-11-02T08-00-00_assessment.toml", LEFT_WEAKER.to_toml())
    ahead = datetime.now(UTC) + timedelta(days=365)
    future = LEFT_WEAKER.to_toml() | {"taken": ahead.replace(microsecond=0)}
    path = write_assessment("2026-11-03T08-00-00_assessment.toml", future)
    found = store().assessments()
    assert [r.taken for r in found.results] == [TAKEN]
    assert any(str(path) in p and "after today" in p for p in found.problems)
    last = store().last_assessment()
    assert last is not None and last.taken == TAKEN


def test_an_assessment_a_few_hours_ahead_still_counts() -> None:
    """Another time zone's clock is not a wrong clock."""
    soon = (datetime.now(UTC) + timedelta(hours=5)).replace(microsecond=0)
    write_assessment("2026-11-03T08-00-00_assessment.toml", LEFT_WEAKER.to_toml() | {"taken": soon})
    last = store().last_assessment()
    assert last is not None and last.taken == soon


def test_assessments_left_unread_over_the_limit_are_counted_and_said(
    monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setattr(assessment_store, "MAX_ASSESSMENTS", 3)
    for day in range(1, 6):
        taken = TAKEN.replace(day=day)
        write_assessment(f"2026-11-0{day}T08-00-00_assessment.toml",
                         (LEFT_WEAKER.to_toml() | {"taken": taken}))  # fmt: skip
    found = store().assessments()
    assert len(found.results) == 3 and found.not_read == 2
    assert (
        found.problems[0].startswith("2 older assessment files")
        and "newest 3" in (found.problems[0])
    )
    assert main(["assessments"]) == 0
    assert "2 older assessment files" in capsys.readouterr().err


@pytest.mark.parametrize("partial", [True, False])
def test_partial_round_trips(partial: bool) -> None:
    result = AssessmentResult(TAKEN, bridge_reps=Sides(3, 4), partial=partial)
    assert AssessmentResult.from_toml(result.to_toml(), "a.toml") == result
    assert ("partial" in result.to_toml()) is partial


def test_the_farewell_of_a_pending_record_says_where_it_waits() -> None:
    class Session:
        KIND = "assessment"
        unsaved: list[str] = []

        def __init__(self, where: Path, log: Path) -> None:
            self.saved_to = where
            self.store = store(log_dir=log)

    waiting = paths.pending_dir() / "2026-11-02T08-00-00_assessment.toml"
    said = farewell(Session(waiting, paths.log_dir()))  # type: ignore[arg-type]
    assert said == [
        f"gluteterm: the unfinished self-assessment could not be saved in the log; it waits "
        f"in {waiting} and moves into the log the next time gluteterm starts"
    ]


def test_the_shell_marks_a_partial_assessment_and_decides_nothing(capsys: Any) -> None:
    store().save_assessment(AssessmentResult(TAKEN, Sides(True, None), partial=True))
    assert main(["assessments"]) == 0
    out = capsys.readouterr().out
    assert "partial: not finished, it decides nothing" in out
    assert "weaker side: not decided (not finished)" in out and "start:" not in out
