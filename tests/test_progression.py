"""Progression: the rule, the check-in, the stored levels, the summary's suggestion."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from gluteterm.core.progression import Levels, Suggestion, level_name, suggestions
from gluteterm.core.record import SessionRecord, StepLog
from gluteterm.store import paths
from gluteterm.store.levels import load_levels, save_levels
from gluteterm.store.log import read_record
from gluteterm.ui.app import GlutetermApp
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.screens.summary import SummaryScreen
from gluteterm.ui.widgets.question_bar import QuestionBar
from tests.support import FakeClock, advance, build_app, make_plan, wait_for_workers

BRIDGE = make_plan(
    'title="T"\n[[step]]\nname="Glute bridge"\nkind="stability"\nreps=10\n'
    'levels=["Both feet", "One foot", "On a ball"]'
).steps[0]


def log(
    status: str = "done",
    flags: tuple[str, ...] = (),
    level: str = "Both feet",
    felt: int | None = None,
) -> StepLog:
    return StepLog(
        1, "Glute bridge", "stability", status, 40, 40, level=level, felt=felt, flags=flags
    )


def suggest(session: str, step: object, level: int, logs: list[StepLog]) -> Suggestion | None:
    """The rule for one plan-ladder step, each log from its own day, newest first."""
    plan = make_plan(
        'title="T"\n[[step]]\nname="Glute bridge"\nkind="stability"\nreps=10\n'
        + ('levels=["Both feet", "One foot", "On a ball"]' if getattr(step, "levels", ()) else ""),
        plan_id=session,
    )
    start = datetime(2026, 11, 24, 8, tzinfo=UTC)
    records = [
        SessionRecord(session, "T", start - timedelta(days=n), start - timedelta(days=n),
                      "completed", 1, 40, steps=(one,))
        for n, one in enumerate(logs)
    ]  # fmt: skip
    found = suggestions(plan, Levels(steps={session: {"Glute bridge": level}}), records)
    return found[0] if found else None


def test_two_clean_sessions_suggest_the_next_level() -> None:
    found = suggest("s", BRIDGE, 0, [log(felt=8), log(felt=4)])
    assert found is not None and found.up and found.to_name == "One foot"
    assert "two clean sessions" in str(found) and "felt 8, 4/9" in str(found)


def test_one_clean_session_is_not_enough() -> None:
    assert suggest("s", BRIDGE, 0, [log()]) is None
    assert suggest("s", BRIDGE, 0, [log(), log(flags=("hip drop",))]) is None
    assert suggest("s", BRIDGE, 0, [log(), log(status="partial")]) is None


def test_only_sessions_at_the_current_level_count() -> None:
    one_foot = log(level="One foot", felt=6)
    assert suggest("s", BRIDGE, 1, [one_foot, log(level="Both feet", felt=6)]) is None
    found = suggest("s", BRIDGE, 1, [one_foot, one_foot])
    assert found is not None and found.to_name == "On a ball"


def test_two_flagged_sessions_step_back_and_pain_at_once() -> None:
    found = suggest("s", BRIDGE, 1, [log(flags=("knees caving in",), level="One foot")] * 2)
    assert found is not None and not found.up and found.to_name == "Both feet"
    found = suggest("s", BRIDGE, 1, [log(flags=("pain",), level="One foot")])
    assert found is not None and not found.up and "pain" in found.reason


def test_a_later_session_the_same_day_does_not_hide_a_flag_or_pain() -> None:
    plan = make_plan(
        'title="T"\n[[step]]\nname="Glute bridge"\nkind="stability"\nreps=10\n'
        'levels=["Both feet", "One foot", "On a ball"]',
        plan_id="s",
    )
    start = datetime(2026, 11, 24, 18, tzinfo=UTC)

    def on(hours_ago: float, one: StepLog) -> SessionRecord:
        moment = start - timedelta(hours=hours_ago)
        return SessionRecord("s", "T", moment, moment, "completed", 1, 40, steps=(one,))

    def found(*records: SessionRecord) -> Suggestion | None:
        got = suggestions(plan, Levels(steps={"s": {"Glute bridge": 1}}), list(records))
        return got[0] if got else None

    clean = log(level="One foot", felt=6)
    # today: pain at 8:00, then a clean session at 18:00; yesterday clean
    pain_today = found(on(0, clean), on(10, log(flags=("pain",), level="One foot")), on(24, clean))
    assert pain_today is not None and not pain_today.up and "pain" in pain_today.reason
    # a hip drop earlier today: today is not clean, so no move up
    assert (
        found(on(0, clean), on(10, log(flags=("hip drop",), level="One foot")), on(24, clean))
        is None
    )
    # a set cut short earlier today: not clean either
    assert (
        found(on(0, clean), on(10, log(status="partial", level="One foot")), on(24, clean)) is None
    )
    up = found(on(0, clean), on(10, clean), on(24, clean))
    assert up is not None and up.up
    # a check-in left unanswered earlier today: that day is unknown, so no move up
    unanswered = log(level="One foot")
    assert found(on(0, clean), on(10, unanswered), on(24, clean)) is None
    # a low felt score earlier today holds the level too
    assert found(on(0, clean), on(10, log(level="One foot", felt=2)), on(24, clean)) is None


def test_unanswered_check_ins_and_low_felt_scores_hold_the_level() -> None:
    # unanswered: unknown, never clean, but not a reason to step back either
    assert suggest("s", BRIDGE, 0, [log(), log()]) is None
    assert suggest("s", BRIDGE, 1, [log(level="One foot")] * 2) is None
    assert suggest("s", BRIDGE, 0, [log(felt=7), log()]) is None
    # a low felt score (3 of 9 or less) holds; 4 is enough
    assert suggest("s", BRIDGE, 0, [log(felt=3), log(felt=9)]) is None
    assert suggest("s", BRIDGE, 0, [log(felt=0), log(felt=0)]) is None
    found = suggest("s", BRIDGE, 0, [log(felt=4), log(felt=4)])
    assert found is not None and found.up
    # a high score never outweighs a flag
    assert suggest("s", BRIDGE, 0, [log(felt=9, flags=("hip drop",))] * 2) is None


def test_no_ladder_or_top_or_bottom_means_no_suggestion() -> None:
    plain = make_plan('title="T"\n[[step]]\nname="A"\nkind="stability"\nreps=3').steps[0]
    assert suggest("s", plain, 0, [log(felt=6), log(felt=6)]) is None
    assert suggest("s", BRIDGE, 2, [log(level="On a ball", felt=6)] * 2) is None
    assert suggest("s", BRIDGE, 0, [log(flags=("pain",))]) is None
    assert level_name(BRIDGE, 7) == "On a ball"


def test_levels_file_round_trip_and_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "levels.toml"
    levels = Levels({"glute-bridge": "single-leg-bridge"}, {"mine": {"Walk": 1}})
    assert save_levels(path, levels) == ""
    assert load_levels(path) == (levels, "", None)
    path.write_text("version = 2\nladders = [")
    found, warning, old = load_levels(path)
    assert found == Levels() and "could not be read" in warning and old is None
    assert path.read_text() == "version = 2\nladders = ["


PLAN = """
title = "Ladder"
prepare = 0
[[step]]
name = "Glute bridge"
kind = "stability"
hold = 2
levels = ["Both feet", "One foot", "On a ball"]
[[step]]
name = "Bound"
kind = "acceleration"
hold = 2
"""


def ladder_app(clock: FakeClock, wall: Iterator[datetime] | None = None) -> GlutetermApp:
    """The app straight into PLAN on `clock`, its wall clock from `wall` when given."""
    if wall is None:
        return build_app(clock, PLAN, plan_id="ladder")
    times = wall
    return build_app(clock, PLAN, plan_id="ladder", wall=lambda: next(times))


async def run_once(clock: FakeClock, answer: str | None) -> SummaryScreen:
    day = datetime(2026, 11, 24, 8, tzinfo=UTC) + timedelta(days=clock.now)
    wall = iter(day + timedelta(seconds=i) for i in range(100))
    app = ladder_app(clock, wall)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        current = load_levels(paths.levels_file())[0].steps.get("ladder", {}).get("Glute bridge", 0)
        assert (
            str(screen.query_one("#step-name", Static).content)
            == ["Both feet", "One foot", "On a ball"][current]
        )
        for _ in range(5):
            clock.advance(0.5)
            screen.catch_up()
        await pilot.pause()
        check_in = screen.query_one(QuestionBar)
        assert check_in.has_class("-open")
        if answer:
            await pilot.press(*answer)
        await pilot.press("escape")
        assert not check_in.has_class("-open")
        for _ in range(6):
            clock.advance(0.5)
            screen.catch_up()
        await pilot.pause()
        assert check_in.has_class("-open")  # the last step's (the jump's) check-in
        await pilot.press("escape")
        await wait_for_workers(pilot)  # the summary opens once the session is saved
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        found = list(summary.suggestions)
        if found:
            await pilot.press("l")
            await pilot.pause()
        return_value = summary
    return return_value


async def test_a_level_up_after_two_clean_sessions_and_not_after_one(clock: FakeClock) -> None:
    first = await run_once(clock, "7")
    assert first.suggestions == []
    [record_path] = sorted(paths.log_dir().glob("*.toml"))
    logged = read_record(record_path).steps[0]
    assert (logged.level, logged.felt, logged.flags) == ("Both feet", 7, ())
    clock.advance(86400)
    await run_once(clock, "8")  # second clean session: suggestion shown and accepted with l
    assert load_levels(paths.levels_file())[0].steps == {"ladder": {"Glute bridge": 1}}
    clock.advance(86400)
    third = await run_once(clock, "5h")  # now at 'One foot'; flagged hip drop
    assert third.suggestions == []
    logged = read_record(sorted(paths.log_dir().glob("*.toml"))[-1]).steps[0]
    assert (logged.level, logged.felt, logged.flags) == ("One foot", 5, ("hip drop",))
    clock.advance(86400)
    fourth = await run_once(clock, "k")  # flagged again: step back suggested
    assert load_levels(paths.levels_file())[0].steps == {"ladder": {"Glute bridge": 0}}
    assert [(x.step_name, x.up, x.to_name) for x in fourth.outcome.suggestions] == [
        ("Glute bridge", False, "Both feet")
    ]


async def test_home_offers_the_suggestion_and_history_shows_levels_over_time(
    clock: FakeClock,
) -> None:
    from gluteterm.ui.screens.history import HistoryScreen
    from gluteterm.ui.screens.home import HomeScreen
    from gluteterm.ui.screens.level_history import LevelHistoryScreen

    user = paths.user_sessions_dir()
    user.mkdir(parents=True)
    (user / "ladder.toml").write_text(PLAN)
    for _ in range(2):  # two clean sessions, suggestion not taken at the summary
        day = datetime(2026, 11, 20, 8, tzinfo=UTC) + timedelta(days=clock.now / 86400)
        wall = iter(day + timedelta(seconds=i) for i in range(100))
        app = ladder_app(clock, wall)
        async with app.run_test() as pilot:
            screen = app.screen
            assert isinstance(screen, RunnerScreen)
            for _ in range(4):
                clock.advance(0.5)
                screen.catch_up()
            await pilot.pause()
            await pilot.press("6")  # answered: an unanswered check-in is never clean
            for _ in range(6):
                clock.advance(0.5)
                screen.catch_up()
            await pilot.pause()
        clock.advance(86400)
    app = build_app(clock)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        details = str(home.query_one("#details-text", Static).content)
        assert "Ready to change level" in details and "try 'One foot'" in details
        await pilot.press("l")
        await pilot.pause()
        assert load_levels(paths.levels_file())[0].steps == {"ladder": {"Glute bridge": 1}}
        await pilot.press("h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, LevelHistoryScreen)
        assert [(s.step, s.level, s.sessions) for s in app.screen.spans] == [
            ("Glute bridge", "Both feet", 2)
        ]


async def test_the_pain_advice_shows_whole_at_80x24(clock: FakeClock) -> None:
    app = ladder_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        await advance(app, clock, 2.5)  # the bridge's hold done: its check-in opens
        await pilot.press("x")
        await pilot.pause()
        bar = screen.query_one(QuestionBar)
        shown = "\n".join(line.text for line in bar.render_lines(bar.region.reset_offset))
        words = " ".join(shown.split())
        assert "is stopped for today" in words and "See a physiotherapist or doctor" in words
        assert words.rstrip().endswith("numbness or tingling."), shown  # whole, to the end


async def test_pain_during_any_step_opens_a_check_in_and_s_stops_that_step_now() -> None:
    """x is heard during a roll (no check-in was open): the check-in opens for the step
    under way with pain flagged, the advice says to stop, and s moves on at once."""
    from gluteterm.ui.screens.runner import RunnerScreen

    clock = FakeClock()
    plan = (
        'title="T"\nprepare=2\n[[step]]\nname="Roll"\nkind="release"\nhold=60\n'
        '[[step]]\nname="Bridge"\nkind="stability"\nhold=20\n'
    )
    app = build_app(clock, plan)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        await advance(app, clock, 5)  # into the roll's work
        await pilot.press("x")
        await pilot.pause()
        question = screen.session.view().question
        assert question is not None and question.step_index == 0
        assert "pain" in question.flags and question.can_skip
        assert "See a physiotherapist or doctor" in question.advice
        assert question.advice.endswith("s stops it now.")
        await pilot.press("s")
        await pilot.pause()
        view = screen.session.view()
        assert view.step_index == 1 and view.question is None
