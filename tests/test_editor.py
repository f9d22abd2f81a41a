"""Tweaking sessions: edits through validation, the user's copy, reset and save-as."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, OptionList, Static

from gluteterm.cli.main import main
from gluteterm.core.edit import change, change_prepare, move, toggle
from gluteterm.core.errors import PlanError
from gluteterm.core.plan import Plan
from gluteterm.core.timeline import expand
from gluteterm.store import paths
from gluteterm.store.plans import load_plan, resolve
from gluteterm.ui.app import GlutetermApp
from gluteterm.ui.screens.editor import EditorScreen
from gluteterm.ui.screens.home import HomeScreen
from tests.support import REPO, FakeClock, build_app, digest, wait_for_workers

SHIPPED = REPO / "sessions"


def home_app(user: Path) -> GlutetermApp:
    """The app on its home screen, with the shipped sessions and the user's folder."""
    return build_app(FakeClock(), user_sessions=user)


def quick() -> Plan:
    return load_plan(SHIPPED / "quick.toml").plan


def test_change_keeps_values_in_range_and_stretches_brief() -> None:
    plan = quick()
    stretch = [s.kind.value for s in plan.steps].index("stretch")
    for _ in range(9):
        plan = change(plan, stretch, "hold", 1).plan
    assert plan.steps[stretch].hold == 60
    with pytest.raises(PlanError, match="60 s limit"):
        change(plan, stretch, "hold", 1)
    with pytest.raises(PlanError, match="this step has no hold"):
        change(plan, 1, "hold", 1)
    with pytest.raises(PlanError, match="between 1 and 10"):
        change(plan, 0, "sets", -1)


def test_the_get_ready_is_changed_within_its_bounds() -> None:
    plan = quick()
    assert plan.prepare == 5
    longer = change_prepare(plan, 1).plan
    assert longer.prepare == 6 and longer.steps == plan.steps
    shorter = plan
    for _ in range(5):
        shorter = change_prepare(shorter, -1).plan
    assert shorter.prepare == 0
    with pytest.raises(PlanError, match="between 0 and 30"):
        change_prepare(shorter, -1)
    top = plan
    for _ in range(25):
        top = change_prepare(top, 1).plan
    with pytest.raises(PlanError, match="between 0 and 30"):
        change_prepare(top, 1)


async def test_the_editor_changes_the_get_ready_and_saves_it() -> None:
    user = paths.user_sessions_dir()
    app = home_app(user)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("end", "e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert editor.plan.prepare == 8
        assert "get-ready 8 s" in str(editor.query_one("#editor-title", Static).content)
        await pilot.press("less_than_sign")
        assert editor.plan.prepare == 7
        await pilot.press("s")
        await pilot.pause()
    assert resolve("quick", SHIPPED, user).plan.prepare == 7


def test_turning_a_step_off_keeps_it_in_the_file_but_not_the_session() -> None:
    loaded = toggle(quick(), 1, "off")
    plan = loaded.plan
    assert len(plan.steps) == 8 and len(plan.every_step) == 9
    assert all(seg.step_index < 8 for seg in expand(plan))
    again = toggle(plan, 1, "off").plan
    assert len(again.steps) == 9


def test_every_step_off_is_refused() -> None:
    plan = quick()
    last = len(plan.every_step) - 1
    for i in range(last):
        plan = toggle(plan, i, "off").plan
    with pytest.raises(PlanError, match="every step is turned off"):
        toggle(plan, last, "off")


def test_move_swaps_and_stops_at_the_ends() -> None:
    plan = move(quick(), 0, 1).plan
    assert [s.name for s in plan.steps[:2]] == [
        "Spiderman lunge with rotation",
        "Foam roll glutes (figure-4)",
    ]
    with pytest.raises(PlanError, match="already at the end"):
        move(plan, 0, -1)


async def test_a_tweak_is_saved_shown_as_tweaked_used_by_run_and_reset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = digest(SHIPPED)
    user = paths.user_sessions_dir()
    app = home_app(user)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("end", "e")  # quick is last
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen) and editor.plan.id == "quick"
        table = editor.query_one(DataTable)
        table.cursor_coordinate = Coordinate(0, 4)  # foam roll, Hold
        await pilot.press("plus", "plus")
        assert editor.plan.steps[0].hold == 55
        assert "(unsaved)" in str(editor.query_one("#editor-title", Static).content)
        table.cursor_coordinate = Coordinate(1, 1)  # spiderman lunge, On
        await pilot.press("space")
        await pilot.press("s")
        await pilot.pause()
        assert "Saved to" in str(editor.query_one("#editor-status", Static).content)
        await pilot.press("escape")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        options = home.query_one(OptionList)
        prompt = str(options.get_option_at_index(options.option_count - 1).prompt)
        assert "(tweaked)" in prompt and "8 steps" in prompt  # of 9, one turned off
    # a restart sees it, and run uses it
    assert resolve("quick", SHIPPED, user).plan.steps[0].hold == 55
    assert main(["list"]) == 0
    assert "quick *" in capsys.readouterr().out
    app = home_app(user)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("end", "e")
        await pilot.pause()
        await pilot.press("r", "y")
        await pilot.pause()
        assert app.screen.plan.steps[0].hold == 45  # type: ignore[attr-defined]
    assert not (user / "quick.toml").exists()
    assert digest(SHIPPED) == before, "a shipped file was modified"


async def test_r_resets_straight_after_saving() -> None:
    user = paths.user_sessions_dir()
    app = home_app(user)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("end", "e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.query_one(DataTable).cursor_coordinate = Coordinate(0, 4)  # foam roll, Hold
        await pilot.press("plus", "s")
        await pilot.pause()
        assert (user / "quick.toml").exists()
        await pilot.press("r", "y")  # in the same editor, without leaving it
        await pilot.pause()
        assert not (user / "quick.toml").exists() and editor.plan.steps[0].hold == 45


async def test_save_as_makes_a_new_session_and_escape_asks_first() -> None:
    user = paths.user_sessions_dir()
    app = home_app(user)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "Morning"
        await pilot.press("enter")
        await pilot.pause()
        saved = user / "morning.toml"
        assert saved.exists()
        assert load_plan(saved).plan.title == "Morning"
        editor.query_one(DataTable).cursor_coordinate = Coordinate(0, 4)
        await pilot.press("minus")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is editor
        await pilot.press("r")
        await pilot.pause()
        assert "Nothing to reset" in str(editor.query_one("#editor-status", Static).content)


async def test_plus_during_a_session_can_be_kept_for_next_time(clock) -> None:  # type: ignore[no-untyped-def]
    from gluteterm.ui.screens.runner import RunnerScreen
    from gluteterm.ui.screens.summary import SummaryScreen

    user = paths.user_sessions_dir()
    before = digest(SHIPPED)
    loaded = resolve("quick", SHIPPED, user)
    app = build_app(clock, loaded, user_sessions=user)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        clock.advance(16)  # past the 15 s get-ready (down to the roller): the left side
        screen.catch_up()
        await pilot.press("plus")
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.changes == {0: 55}
        assert "45 s -> 55 s" in str(summary.query_one("#summary-keep", Static).content)
        await pilot.press("k")
        await pilot.pause()
    assert resolve("quick", SHIPPED, user).plan.steps[0].hold == 55
    assert digest(SHIPPED) == before
