"""The live session, the store and the app's ways out: the fixes that came with the new layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from gluteterm.core.fit import fit
from gluteterm.core.progression import Levels, Suggestion
from gluteterm.store import paths
from gluteterm.store.log import read_record
from gluteterm.ui.screens.confirm import ConfirmScreen
from gluteterm.ui.screens.editor import EditorScreen
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.screens.summary import SummaryScreen
from gluteterm.ui.screens.too_small import TooSmallScreen
from gluteterm.ui.widgets.big_digits import BigDigits
from tests.support import (
    REPO,
    FakeClock,
    advance,
    build_app,
    digest,
    make_store,
    told,
    wait_for_workers,
)

SHIPPED = REPO / "sessions"
TWO_HOLDS = """
title = "Two holds"
prepare = 0
[[step]]
name = "Roll"
kind = "release"
hold = 30
[[step]]
name = "Roll"
kind = "release"
hold = 20
[[step]]
name = "Bridge"
kind = "stability"
reps = 6
tempo = 2
"""


def logs() -> list[Path]:
    return sorted(paths.log_dir().glob("*.toml")) if paths.log_dir().exists() else []


# -- #10 bug 1: save-as never shadows a shipped session by accident -------------------


async def test_save_as_a_shipped_name_says_it_is_taken_and_offers_another() -> None:
    before = digest(SHIPPED)
    user = paths.user_sessions_dir()
    user.mkdir(parents=True)
    (user / "mine.toml").write_text(
        'title = "Mine"\n[[step]]\nname = "Roll"\nkind = "release"\nhold = 30\n'
    )
    app = build_app(FakeClock(), user_sessions=user)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("end", "e")  # "mine" is the last session
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen) and editor.plan.id == "mine"
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "Quick"
        await pilot.press("enter")
        await pilot.pause()
        # asked again, with a free name offered
        ask = app.screen
        assert "exists already" in str(ask.query_one(Static).content)
        assert ask.query_one(Input).value == "Quick 2"
        await pilot.press("enter")
        await pilot.pause()
    assert not (user / "quick.toml").exists(), "the shipped Quick was shadowed"
    assert (user / "quick-2.toml").exists()
    assert digest(SHIPPED) == before


# -- #10 bug 2 and #11 class 4: files the user wrote are never thrown away -------------


async def test_m_with_a_broken_config_keeps_the_file_and_says_why() -> None:
    config = paths.settings_file()
    config.parent.mkdir(parents=True)
    broken = b"# my settings\nmute = false\nvoice = tru\n"
    config.write_bytes(broken)
    app = build_app(FakeClock(), TWO_HOLDS)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert app.player.muted  # the toggle works for this run
        said = [text for text, _ in told(app)]
        assert any("not saved" in s and "config.toml" in s and "line" in s for s in said), said
    assert config.read_bytes() == broken


async def test_settings_keep_comments_and_a_symlink_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "gluteterm.toml"
    real.parent.mkdir()
    real.write_text("# synced from my dotfiles\nvoice = false  # no talking\ntheme = 'x'\n")
    config = paths.settings_file()
    config.parent.mkdir(parents=True)
    config.symlink_to(real)
    app = build_app(FakeClock(), TWO_HOLDS)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await pilot.pause()
    assert config.is_symlink()
    text = real.read_text()
    assert text.startswith("# synced from my dotfiles\nvoice = false  # no talking\ntheme = 'x'")
    assert "mute = true" in text


def bridge_up() -> list[Suggestion]:
    return [Suggestion("quick", "Glute bridge", 0, 1, "Glute bridge", "Single-leg bridge", "x",
                       ladder="glute-bridge", to_drill="single-leg-bridge")]  # fmt: skip


def test_levels_newer_or_broken_are_never_rewritten() -> None:
    store = make_store()
    store.levels_file.parent.mkdir(parents=True)
    for text in ("version = 3\n[ladders]\nx = 'y'\n", "version = 2\nladders = [\n"):
        store.levels_file.write_text(text)
        problem = store.accept(bridge_up())
        assert str(store.levels_file) in problem and f"kept in {store.pending_dir}" in problem
        assert store.levels_file.read_text() == text
        # the change waits in the pending folder: it counts, on this run and the next
        assert store.levels()[0].ladders["glute-bridge"] == "single-leg-bridge"
        assert make_store().levels()[0].ladders["glute-bridge"] == "single-leg-bridge"
        # and is never written into a file that could not be read
        assert make_store().flush_pending()[0] == 0
        assert store.levels_file.read_text() == text


def test_levels_update_keeps_comments() -> None:
    store = make_store()
    store.levels_file.parent.mkdir(parents=True)
    store.levels_file.write_text(
        "# my ladders\nversion = 2\n\n[ladders]\nmonster-walk = 'lateral-band-walk'\n"
    )
    assert store.accept(bridge_up()) == ""
    text = store.levels_file.read_text()
    assert text.startswith("# my ladders\nversion = 2\n")
    assert store.levels()[0] == Levels(
        {"monster-walk": "lateral-band-walk", "glute-bridge": "single-leg-bridge"}
    )


# -- #11 class 1: every way out keeps the session ---------------------------------------


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c", "q"])
async def test_quit_keys_in_the_runner_ask_and_keep_the_step_in_progress(key: str) -> None:
    clock = FakeClock()
    app = build_app(clock, TWO_HOLDS)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, clock, 12)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    [log] = logs()
    record = read_record(log)
    assert record.status == "partial"
    assert record.steps[0].status == "partial" and record.steps[0].actual_seconds >= 11


async def test_ctrl_q_twice_saves_and_leaves() -> None:
    clock = FakeClock()
    app = build_app(clock, TWO_HOLDS)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, clock, 12)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    [log] = logs()
    assert read_record(log).steps[0].actual_seconds >= 11
    assert app.farewell == [f"gluteterm: what you did is saved in {log}"]  # said at the exit


async def test_ctrl_q_twice_at_once_says_nothing_was_saved() -> None:
    app = build_app(FakeClock(), TWO_HOLDS)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert logs() == []
    assert app.farewell == [
        "gluteterm: nothing to save: the session ended before a step was done or 10 s had passed"
    ]


async def test_after_a_run_home_and_a_new_session_the_quit_keys_still_ask() -> None:
    from gluteterm.ui.screens.home import HomeScreen

    clock = FakeClock()
    app = build_app(clock, TWO_HOLDS)  # as `gluteterm run`: the runner is the first screen
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(app, clock, 200)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("h")
        await wait_for_workers(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        for key in ("ctrl+q", "ctrl+c"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen), key
            await pilot.press("escape")
            await pilot.pause()


async def test_space_and_q_work_on_the_too_small_cover() -> None:
    clock = FakeClock()
    app = build_app(clock, TWO_HOLDS)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        runner = next(s for s in app.screen_stack if isinstance(s, RunnerScreen))
        await pilot.press("space")
        assert runner.session.view().state == "paused"
        await pilot.press("space")
        assert runner.session.view().state not in ("paused", "finished")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


# -- #11 class 12 and 13: keep what was shown, per step ----------------------------------


async def test_plus_on_two_steps_of_one_name_keeps_each_its_own(tmp_path: Path) -> None:
    plan_file = tmp_path / "shared" / "two.toml"
    plan_file.parent.mkdir()
    plan_file.write_text("# from a friend\n" + TWO_HOLDS)
    store = make_store()
    clock = FakeClock()
    app = build_app(clock)
    app.start_with = store.plan(str(plan_file))
    app.store = store
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        app.push_screen(app._runner_screen(app.start_with))
        await pilot.pause()
        await advance(app, clock, 2)
        await pilot.press("plus")  # first Roll: 30 -> 40
        await pilot.press("n")
        await advance(app, clock, 1)
        await pilot.press("minus")  # second Roll: 20 -> 10
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.changes == {0: 40, 1: 10}
        await pilot.press("k")
        await pilot.pause()
    # the plan's own file is updated, comments kept; nothing lands in the user's sessions
    text = plan_file.read_text()
    assert text.startswith("# from a friend\n")
    kept = store.plan(str(plan_file)).plan
    assert [s.hold for s in kept.steps[:2]] == [40, 10]
    assert not store.user_file("two").exists()


async def test_k_after_a_fitted_run_keeps_the_number_it_showed() -> None:
    store = make_store()
    loaded = store.plan("quick")
    fitted = fit(loaded.plan, 7)
    clock = FakeClock()
    app = build_app(clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        app.push_screen(app._runner_screen(type(loaded)(fitted, loaded.warnings)))
        await pilot.pause()
        await advance(app, clock, 16)  # past the 15 s get-ready: down to the roller
        await pilot.press("plus")
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        shown = fitted.steps[0].hold
        assert shown is not None
        assert summary.changes == {0: shown + 10}
        assert f"{shown} s -> {shown + 10} s" in str(summary.query_one("#summary-keep").content)  # type: ignore[attr-defined]
        await pilot.press("k")
        await pilot.pause()
    assert store.plan("quick").plan.steps[0].hold == shown + 10


async def test_plus_on_a_paced_rep_set_adds_reps() -> None:
    clock = FakeClock()
    app = build_app(clock, TWO_HOLDS)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "n")
        await pilot.pause()
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        await advance(app, clock, 3)
        assert runner.session.view().reps == 6
        await pilot.press("plus")  # 10 s at a 2 s tempo: five more reps
        assert runner.session.view().reps == 11
        await advance(app, clock, 14)
        assert runner.session.view().rep == 9
        assert "rep 9 of 11" in str(runner.query_one("#clock-small", Static).content)
        assert runner.query_one("#countdown", BigDigits).text == "9"  # the rep to count along with


async def test_each_change_of_segment_flashes_once_unless_turned_off() -> None:
    for flash in (True, False):
        clock = FakeClock()
        app = build_app(clock, TWO_HOLDS, flash=flash)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            await advance(app, clock, 30.5)  # into the second step
            assert screen.has_class("-flash") is flash
            await pilot.pause(0.5)
            assert not screen.has_class("-flash")  # once, then back: not a strobe
