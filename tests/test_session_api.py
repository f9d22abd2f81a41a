"""The session is the one door for every display: views out, commands in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gluteterm.core.display import ROLL_SECONDS, STRIDE_SECONDS, SessionView
from gluteterm.store.drills import default_library
from gluteterm.ui.session import LiveSession, start_session
from tests.support import FakeClock, RecordingPlayer, live_session, make_store

PLAN = """
title = "API"
prepare = 5

[[step]]
drill = "glute-bridge"
reps = 4
tempo = [1, 2, 2]
sets = 2
rest = 10

[[step]]
drill = "clamshell"
reps = 6
"""


class Display:
    """A second display, as a phone page would be: it keeps what it is given."""

    def __init__(self) -> None:
        self.views: list[SessionView] = []
        self.notices: list[str] = []

    def session_changed(self, view: SessionView) -> None:
        self.views.append(view)

    def session_notice(self, text: str, severity: Any, timeout: float) -> None:
        del severity, timeout
        self.notices.append(text)


def session(clock: FakeClock) -> LiveSession:
    return live_session(PLAN, clock, "api")


def forward(live: LiveSession, clock: FakeClock, seconds: float) -> SessionView:
    view = live.tick()
    for _ in range(round(seconds / 0.5)):
        clock.advance(0.5)
        view = live.tick()
    return view


def until(live: LiveSession, clock: FakeClock, wanted: str, then: float = 0.0) -> SessionView:
    """Tick until the view's state is `wanted`, then `then` seconds more."""
    view = live.tick()
    for _ in range(400):
        if view.state == wanted:
            break
        clock.advance(0.5)
        view = live.tick()
    assert view.state == wanted
    return forward(live, clock, then)


def test_every_display_is_given_each_view_whoever_sent_the_command(clock: FakeClock) -> None:
    live = session(clock)
    terminal, phone = Display(), Display()
    live.subscribe(terminal)
    live.subscribe(phone)
    forward(live, clock, 6)
    live.toggle_pause()  # from either display: both see it
    assert terminal.views[-1].paused and phone.views[-1].paused
    assert terminal.views[-1] == phone.views[-1]
    live.toggle_pause()
    assert not phone.views[-1].paused
    live.unsubscribe(phone)
    live.next()
    assert terminal.views[-1].step_index == 1 and phone.views[-1].step_index == 0


def test_a_paced_rep_with_phases_holds_the_top_pose(clock: FakeClock) -> None:
    live = session(clock)
    view = until(live, clock, "work", 2)  # 2 s into the first rep: in its 2 s hold
    assert view.motion.phases == (1.0, 2.0, 2.0) and view.motion.period == 5.0
    view = live.pause()
    assert view.motion.period is None and view.motion.phase == 0.5  # still, at the top


def test_rest_between_sets_shows_the_drill_being_repeated(clock: FakeClock) -> None:
    live = session(clock)
    view = until(live, clock, "rest", 2)  # after the first set
    assert view.motion.drill == "glute-bridge" and view.card_step == 0
    assert view.deadline is not None and view.deadline > view.at


def test_pain_from_any_display_at_any_step_is_kept(clock: FakeClock) -> None:
    live = session(clock)
    phone = Display()
    live.subscribe(phone)
    until(live, clock, "work", 1)
    view = live.flag("x")
    assert view.question is not None and "pain" in view.question.flags
    view = live.skip_drill()
    assert view.step_index == 1  # that step stops at once
    assert any("skipped for the rest of today" in n for n in phone.notices)


def test_pain_in_the_self_assessment_stops_that_test_and_decides_nothing(
    clock: FakeClock,
) -> None:
    from gluteterm.core.assessment import assessment_plan
    from gluteterm.core.loader import LoadedPlan

    store = make_store()
    plan = assessment_plan(default_library())
    wall = lambda: datetime(2026, 12, 1, 8, tzinfo=UTC)  # noqa: E731
    live = start_session(LoadedPlan(plan), store, RecordingPlayer(), now=clock, wall=wall)
    live.start()
    display = Display()
    live.subscribe(display)
    for _ in range(2):  # the stance test's two sides, answered
        view = live.tick()
        for _ in range(400):
            if view.question is not None:
                break
            clock.advance(0.5)
            view = live.tick()
        live.answer(False)
    view = until(live, clock, "work", 1)  # the next test under way
    first = view.step_index
    assert first >= 1
    view = live.flag("x")
    assert view.step_index == first + 1  # that test stops at once; the next one comes
    assert any("Pain" in n and "ask a professional" in n for n in display.notices)
    live.stop()
    outcome = live.conclude()
    assert outcome.assessment is not None and outcome.assessment.partial


TIMED = """
title = "Timed"
prepare = 5

[[step]]
drill = "side-plank"
hold = 20

[[step]]
drill = "skip-and-jog"
hold = 60

[[step]]
drill = "foam-roll-glutes"
hold = 30
"""


def test_a_plank_holds_its_pose_while_a_jog_and_a_roll_keep_moving(clock: FakeClock) -> None:
    """A timed step is not always a held one: skips and a jog move, as a roll does."""
    live = live_session(TIMED, clock, "timed")
    periods = []
    for index in range(3):
        view = until(live, clock, "work", 2)
        assert view.step_index == index
        periods.append(view.motion.period)
        if index == 0:
            assert view.motion.phase == 0.5  # the plank, still at its top pose
        live.next()
    assert periods == [None, STRIDE_SECONDS, ROLL_SECONDS]
