"""The last step's check-in: asked when a session runs to its end, before the summary.

Shipped sessions end with a jump, whose check-in would otherwise come during a
get-ready or rest that never follows.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.widgets import Static

from gluteterm.core.display import LAST_CHECK_IN_WORDS
from gluteterm.store import paths
from gluteterm.store.log import read_record
from gluteterm.ui.screens.confirm import ConfirmScreen
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.screens.summary import SummaryScreen
from gluteterm.ui.session import LiveSession
from gluteterm.ui.session.workout import FINAL_CHECK_IN_SECONDS, WorkoutSession
from gluteterm.ui.widgets.question_bar import QuestionBar
from tests.support import FakeClock, advance, build_app, live_session, make_store

PLAN = """
title = "Ends with a bridge"
prepare = 0
[[step]]
name = "Roll"
kind = "release"
hold = 2
[[step]]
drill = "glute-bridge"
hold = 3
"""


def session(clock: FakeClock) -> WorkoutSession:
    live = live_session(PLAN, clock, "last")
    assert isinstance(live, WorkoutSession)
    return live


def to_the_end(live: LiveSession, clock: FakeClock) -> None:
    """Tick until the session has run to its end (and no further)."""
    for _ in range(40):
        clock.advance(0.25)
        if live.tick().state == "finished":
            return
    raise AssertionError("the session never ended")


def only_log() -> dict[str, object]:
    [path] = sorted(paths.log_dir().glob("*.toml"))
    record = read_record(path)
    last = record.steps[-1]
    return {
        "status": record.status,
        "name": last.name,
        "felt": last.felt,
        "flags": last.flags,
        "where": last.felt_where,
    }


def test_running_to_the_end_asks_the_last_steps_check_in_before_finishing(
    clock: FakeClock,
) -> None:
    live = session(clock)
    to_the_end(live, clock)
    view = live.view()
    assert view.state == "finished" and not view.finished  # over, but one question waits
    assert view.band == LAST_CHECK_IN_WORDS
    assert view.question is not None and view.question.kind == "check-in"
    assert view.question.subject == "Glute bridge"
    # Saved already, as completed: whatever happens next, the session is kept.
    assert only_log()["status"] == "completed" and only_log()["felt"] is None


def test_the_last_answer_is_logged_like_any_check_in_and_then_the_summary_comes(
    clock: FakeClock,
) -> None:
    live = session(clock)
    to_the_end(live, clock)
    live.felt(7)  # as the phone sends it
    live.where("u")
    question = live.view().question
    assert question is not None
    fault, name = next((k, n) for k, n in question.flag_keys if k != "x")
    live.flag(fault)
    assert only_log() == {
        "status": "completed",
        "name": "Glute bridge",
        "felt": 7,
        "flags": (name,),
        "where": "glute",
    }
    assert not live.view().finished  # still open a few seconds after the last key
    clock.advance(7)
    assert live.tick().finished
    outcome = live.conclude()
    assert outcome.check_ins[1].felt == 7
    assert only_log()["felt"] == 7


def test_an_unanswered_last_check_in_closes_and_stays_unknown(clock: FakeClock) -> None:
    live = session(clock)
    to_the_end(live, clock)
    clock.advance(FINAL_CHECK_IN_SECONDS - 1)
    assert not live.tick().finished
    clock.advance(2)
    assert live.tick().finished
    live.conclude()
    assert only_log()["felt"] is None and only_log()["flags"] == ()


def test_enter_or_stop_closes_it_unanswered(clock: FakeClock) -> None:
    for command in ("done", "stop", "close_question"):
        live = session(clock)
        to_the_end(live, clock)
        assert getattr(live, command)().finished, command
        assert live.conclude().completed, command  # stop after the end is not "ended early"


def test_pain_on_the_last_step_is_logged_and_stops_the_drill_for_today(clock: FakeClock) -> None:
    live = session(clock)
    to_the_end(live, clock)
    view = live.flag("x")
    assert view.question is not None and "pain" in view.question.flags
    assert "physiotherapist" in view.question.advice
    assert only_log()["flags"] == ("pain",)
    live.close_question()
    live.conclude()
    assert "glute-bridge" in make_store().stopped_today(datetime(2026, 12, 1, tzinfo=UTC).date())


def test_abandoning_during_the_last_check_in_keeps_the_session(clock: FakeClock) -> None:
    live = session(clock)
    to_the_end(live, clock)
    live.felt(3)
    live.abandon()  # a signal, a closed terminal
    assert only_log()["status"] == "completed" and only_log()["felt"] == 3


def test_ending_early_asks_nothing(clock: FakeClock) -> None:
    live = session(clock)
    clock.advance(3)
    live.tick()
    assert live.stop().finished


def test_a_session_ending_in_a_roll_asks_nothing(clock: FakeClock) -> None:
    roll = 'title = "Roll"\nprepare = 0\n[[step]]\nname = "Roll"\nkind = "release"\nhold = 2\n'
    live = live_session(roll, clock, "roll")
    to_the_end(live, clock)
    assert live.view().finished


async def test_in_the_app_the_keys_answer_it_and_q_goes_to_the_summary(clock: FakeClock) -> None:
    app = build_app(clock, PLAN, plan_id="last")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        await advance(app, clock, 7)
        await pilot.pause()
        bar = screen.query_one(QuestionBar)
        assert bar.has_class("-open")
        assert LAST_CHECK_IN_WORDS in str(screen.query_one("#band", Static).content)
        await pilot.press("8", "t")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)  # still asking: no summary yet
        await pilot.press("q")  # leaves it, without the "end this session?" question
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    log = only_log()
    assert log["felt"] == 8 and log["where"] == "front of hip or thigh"


async def test_a_failing_conclude_still_shows_a_summary_that_says_so(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session: LiveSession) -> object:
        raise RuntimeError(f"a bug in conclude of {type(session).__name__}")

    monkeypatch.setattr(WorkoutSession, "conclude", broken)
    app = build_app(clock, PLAN, plan_id="last")
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(app, clock, 7)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        notice = str(app.screen.query_one("#summary-notice", Static).content)
        assert "a bug in conclude" in notice and "kept in" in notice
    assert only_log()["status"] == "completed"  # saved when the end came


def test_pain_during_the_last_step_then_q_goes_straight_to_the_summary(clock: FakeClock) -> None:
    live = session(clock)
    for _ in range(12):  # into the bridge's work
        clock.advance(0.25)
        live.tick()
    assert live.view().step_name == "Glute bridge" and live.view().state == "work"
    live.flag("x")  # pain during the step: its check-in opens with the advice
    live.skip_drill()  # s stops it now: the end, and the pain was told already
    assert live.view().finished
    live.conclude()
    assert only_log()["flags"] == ("pain",)


def test_q_after_pain_and_skip_is_not_held_by_the_old_check_in(clock: FakeClock) -> None:
    text = PLAN.replace("prepare = 0", "prepare = 1")
    text += '[[step]]\nname = "Walk"\nkind = "release"\nhold = 30\n'
    live = live_session(text, clock, "last")
    for _ in range(200):
        clock.advance(0.25)
        view = live.tick()
        if view.step_name == "Glute bridge" and view.state == "work" and view.elapsed >= 1:
            break
    assert live.view().state == "work"
    live.flag("x")
    live.skip_drill()
    assert live.view().step_name == "Walk"
    assert live.view().question is None  # the pain was told: not asked again
    assert live.stop().finished  # q: the summary, with nothing left open
