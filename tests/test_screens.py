"""Home, runner, summary and the quit dialog, driven with the Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from gluteterm.store.plans import resolve
from gluteterm.ui.app import GlutetermApp
from gluteterm.ui.screens.home import HomeScreen
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.screens.summary import SummaryScreen
from gluteterm.ui.widgets.big_digits import BigDigits
from gluteterm.ui.widgets.question_bar import QuestionBar
from tests.support import REPO, FakeClock, RecordingPlayer, advance, build_app, wait_for_workers

SHORT = """
title = "Short [bold]test[/"
prepare = 2
[[step]]
name = "Roll [red]it[/red] \\u001b[31m"
kind = "release"
hold = 3
per_side = true
cue = "[link=http://example.com]click[/link] and [/"
[[step]]
name = "Bridge"
kind = "stability"
reps = 4
"""


def text_of(screen: object, widget_id: str) -> str:
    widget = screen.query_one(f"#{widget_id}", Static)  # type: ignore[attr-defined]
    return str(widget.content)


def make_app(
    clock: FakeClock,
    player: RecordingPlayer,
    toml: str | None = SHORT,
    user_dir: Path | None = None,
) -> GlutetermApp:
    app: GlutetermApp = build_app(
        clock, toml, player=player, user_sessions=user_dir, plan_id="short"
    )
    return app


async def test_home_shows_each_ladders_drill_at_your_level(
    clock: FakeClock, player: RecordingPlayer
) -> None:
    from gluteterm.core.progression import Levels
    from gluteterm.store import paths
    from gluteterm.store.levels import save_levels

    paths.levels_file().parent.mkdir(parents=True)
    assert save_levels(paths.levels_file(), Levels({"glute-bridge": "single-leg-bridge"})) == ""
    app = make_app(clock, player, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        await pilot.press("end")  # Quick
        await pilot.pause()
        details = text_of(screen, "details-text")
        assert "Single-leg bridge" in details  # as the runner will run it
        assert "Glute bridge\n" not in details + "\n"


async def test_home_lists_sessions_with_the_default_highlighted(
    clock: FakeClock, player: RecordingPlayer, tmp_path: Path
) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "broken.toml").write_text('title = "B"\n[[step]]\nname = "A"\nkind = "nap"\nhold = 5\n')
    app = make_app(clock, player, None, user)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        options = screen.query_one(OptionList)
        assert options.option_count == 7
        assert options.highlighted == 0
        prompt = str(options.get_option_at_index(0).prompt)
        assert "Unlock & Activate" in prompt and "18 min" in prompt and "13 steps" in prompt
        assert "foam roller" in prompt
        assert "BROKEN" in str(options.get_option_at_index(6).prompt)
        assert "Foam roll glutes (figure-4)" in text_of(screen, "details-text")
        await pilot.press("end", "enter")  # the broken one: a message, no crash
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("home", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert app.screen.session.plan.id == "unlock-and-activate"


async def test_runner_shows_the_step_literally_and_counts_down(
    clock: FakeClock, player: RecordingPlayer
) -> None:
    app = make_app(clock, player)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        assert text_of(screen, "plan-title") == "Short [bold]test[/"
        assert text_of(screen, "step-name") == "Roll [red]it[/red] \\x1b[31m"
        assert text_of(screen, "cue") == "[link=http://example.com]click[/link] and [/"
        assert "  GET READY  " in text_of(screen, "band")
        assert screen.query_one(BigDigits).text == "0:02"
        clock.advance(2.5)
        screen.catch_up()
        await pilot.pause()
        assert "  WORK  " in text_of(screen, "band")
        assert text_of(screen, "counters") == "Left side  ·  Hold 3 s"
        assert screen.query_one(BigDigits).text == "0:03"
        assert text_of(screen, "up-next") == "Then: switch to the right side"
        assert screen.has_class("-work")


async def test_pause_freezes_and_resume_continues(
    clock: FakeClock, player: RecordingPlayer
) -> None:
    app = make_app(clock, player)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        await pilot.press("space")
        assert "PAUSED" in text_of(screen, "band")
        assert screen.has_class("-paused")
        clock.advance(60)
        screen.catch_up()
        assert screen.query_one(BigDigits).text == "0:02"
        await pilot.press("space")
        clock.advance(1)
        screen.catch_up()
        assert screen.query_one(BigDigits).text == "0:01"


async def test_keys_next_back_plus_minus_done(clock: FakeClock, player: RecordingPlayer) -> None:
    app = make_app(clock, player)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        await pilot.press("plus")
        assert screen.query_one(BigDigits).text == "0:12"
        await pilot.press("minus")
        assert screen.query_one(BigDigits).text == "0:02"
        await pilot.press("n")
        assert text_of(screen, "step-name") == "Bridge"
        await pilot.press("p")  # just started: back to the first step
        assert text_of(screen, "step-name").startswith("Roll")
        await pilot.press("right", "enter")  # skip get-ready of Bridge
        assert text_of(screen, "counters") == "4 reps: Enter when done"
        clock.advance(7)
        screen.catch_up()
        assert screen.query_one(BigDigits).text == "0:07"  # counting up
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(QuestionBar).has_class("-open")  # the last step's check-in
        await pilot.press("escape")  # left unanswered
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Session complete" in text_of(app.screen, "summary-title")


@pytest.mark.parametrize(
    ("seconds_in", "headline"),
    [(0, "Nothing done, every step skipped"), (3, "Session over, no step done in full")],
)
async def test_the_headline_says_what_was_done(
    clock: FakeClock, player: RecordingPlayer, seconds_in: float, headline: str
) -> None:
    app = make_app(clock, player, SHORT.replace("prepare = 2", "prepare = 0"))
    async with app.run_test(size=(80, 24)) as pilot:
        if seconds_in:
            await advance(app, clock, seconds_in)  # part of the first side of the roll
        for _ in range(4):
            if isinstance(app.screen, SummaryScreen):
                break
            await pilot.press("n")
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert text_of(app.screen, "summary-title").startswith(headline)


async def test_quit_asks_and_keeps_the_partial_session(
    clock: FakeClock, player: RecordingPlayer
) -> None:
    app = make_app(clock, player)
    async with app.run_test(size=(80, 24)) as pilot:
        runner_screen = app.screen
        assert isinstance(runner_screen, RunnerScreen)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("n")  # changed my mind: carries on
        await pilot.pause()
        assert runner_screen.is_current
        assert runner_screen.session.view().state not in ("paused", "finished")
        clock.advance(6)
        runner_screen.catch_up()
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert "Session ended early" in text_of(summary, "summary-title")
        assert "0 of 2 steps done" in text_of(summary, "summary-facts")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_run_to_the_end_plays_cues(clock: FakeClock, player: RecordingPlayer) -> None:
    app = make_app(clock, player)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        for _ in range(12):
            clock.advance(1)
            screen.catch_up()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(QuestionBar).has_class("-open")  # the last step's check-in
        await pilot.press("escape")  # left unanswered
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    played = [name for kind, name in player.calls if kind == "play"]
    assert played[:2] == ["next", "countdown"]
    assert played.count("switch") == 1 and played.count("go") == 3
    assert played[-1] == "complete"
    assert ("speak", "Switch sides") in player.calls


async def test_summary_home_returns_to_home(clock: FakeClock, player: RecordingPlayer) -> None:
    app = make_app(clock, player, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("end", "enter")  # quick
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunnerScreen) and screen.session.plan.id == "quick"
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


def test_resolve_used_by_run_finds_the_default() -> None:
    assert resolve(None, REPO / "sessions", None).plan.title == "Unlock & Activate"


async def test_a_too_small_terminal_gets_a_message_and_the_session_goes_on(
    clock: FakeClock, player: RecordingPlayer
) -> None:
    from gluteterm.ui.screens.too_small import TooSmallScreen

    app = make_app(clock, player)
    async with app.run_test(size=(80, 24)) as pilot:
        runner_screen = app.screen
        assert isinstance(runner_screen, RunnerScreen)
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "Make the terminal larger" in str(app.screen.query_one(Static).content)
        assert "50x15" in str(app.screen.query_one(Static).content)
        clock.advance(3)
        runner_screen.catch_up()
        view = runner_screen.session.view()
        assert view.step_index == 0 and view.elapsed > 0
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert runner_screen.is_current
        assert "  WORK  " in text_of(runner_screen, "band")


async def test_fit_takes_a_comma_as_the_decimal_mark(
    clock: FakeClock, player: RecordingPlayer
) -> None:
    from gluteterm.core.timeline import plan_seconds
    from gluteterm.ui.screens.ask import AskScreen, parse_minutes

    assert parse_minutes("1,5") == 1.5 and parse_minutes("nan") is None
    app = make_app(clock, player, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("end", "f")  # Quick
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        await pilot.press(*"7,5x", "enter")  # the x is not let in
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert abs(plan_seconds(app.screen.session.plan) - 450) <= 0.05 * 450  # 7.5 min, not 75


def test_home_says_why_the_jumps_stepped_down_today() -> None:
    """After knees caved in on a jump, the sessions lose or step down their jumps; home's
    details say why, as `gluteterm build` does, instead of a jump quietly gone."""
    from gluteterm.core.landing import Gate
    from gluteterm.core.progression import Levels
    from gluteterm.store.plans import discover
    from gluteterm.ui.screens.home import _entry_details

    entries = {e.id: e for e in discover(REPO / "sessions", None)}
    reason = "knees caving in in 'Snap-down to stick' last time: no jumps today"
    levels = Levels(landing=Gate(None, reason))
    details = _entry_details(entries["quick"], levels)
    assert "Knees caving in in 'Snap-down to stick' last time: no jumps today." in details
    assert "no jumps today" not in _entry_details(entries["quick"], Levels())


async def test_a_toast_from_home_moves_to_the_runners_notice_line(
    clock: FakeClock, player: RecordingPlayer, tmp_path: Path
) -> None:
    """A notice shown on home (no sound device, a setting) must not sit over the
    runner's cue when a session starts: it moves to the notice line, still said."""
    from gluteterm.ui.widgets.notice_line import NoticeLine

    app = make_app(clock, player, None, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        app.notify("No sound: no audio program found", title="Sound", markup=False, timeout=30)
        await pilot.pause()
        assert list(app._notifications)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert not list(app._notifications)
        told = [n.text for n in app.screen.query_one(NoticeLine).history]
        assert "Sound: No sound: no audio program found" in told
