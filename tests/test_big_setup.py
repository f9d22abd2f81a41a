"""Large type from the floor: a get-ready that changes position or equipment, and a
self-test's leg, show their essential words in the big block font."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gluteterm.core.display import big_setup_words
from gluteterm.core.timeline import SetupChange
from gluteterm.ui.session import LiveSession, start_session
from tests.support import FakeClock, RecordingPlayer, live_session, make_store


@pytest.mark.parametrize(
    ("change", "setup", "words"),
    [
        (SetupChange(put_on=("mini band",)), "Mini band just above the knees", "BAND AT KNEES"),
        (SetupChange(put_on=("mini band",)), "Mini band around both ankles", "BAND AT ANKLES"),
        (
            SetupChange(put_on=("mini band",)),
            "Mini band around the front of both feet",
            "BAND AT FEET",
        ),
        (SetupChange(("standing", "side-lying")), "On one side, knees bent", "ON YOUR SIDE"),
        (SetupChange(("standing", "lying")), "Face down, forehead on your hands", "FACE DOWN"),
        (SetupChange(("side-lying", "lying")), "", "ON YOUR BACK"),
        (SetupChange(("lying", "kneeling")), "On hands and knees, hands under", "ON ALL FOURS"),
        (SetupChange(("lying", "standing"), put_on=("foam roller",)), "", "ROLLER"),
        (SetupChange(take_off=("mini band",)), "", "BAND AWAY"),
        (SetupChange(), "Mini band just above the knees", ""),  # no change: no big words
        (SetupChange(put_on=("resistance loop of doom",)), "", ""),  # too long for big type
        (SetupChange(put_on=("rings & straps",)), "", ""),  # a sign the big font cannot draw
    ],
)
def test_the_essential_words_of_a_change(change: SetupChange, setup: str, words: str) -> None:
    assert big_setup_words(change, setup) == words


def live(text: str, clock: FakeClock) -> LiveSession:
    return live_session(text, clock)


PLAN = """
title = "Floor"
prepare = 5
[[step]]
drill = "monster-walk"
reps = 4
tempo = 1
[[step]]
drill = "lateral-band-walk"
reps = 4
tempo = 1
[[step]]
drill = "side-lying-abduction"
reps = 4
tempo = 1
"""


def test_a_workout_shows_big_words_only_at_a_get_ready_that_changes_the_set_up(
    clock: FakeClock,
) -> None:
    session = live(PLAN, clock)
    seen: list[tuple[str, str, str]] = []
    for _ in range(400):
        view = session.tick()
        if view.finished:
            break
        seen.append((view.step_name, view.state, view.big_setup))
        clock.advance(0.5)
    shown = {(name, state, big) for name, state, big in seen if big}
    assert {big for _, _, big in shown} == {"BAND AT KNEES", "ON YOUR SIDE"}
    assert all(state == "prepare" for _, state, _ in shown)
    # The band walk keeps the band and the standing: its get-ready changes nothing.
    assert not any(big for name, _, big in seen if name.startswith("Lateral band walk"))


def test_the_self_test_names_the_leg_in_big_words_at_get_ready_and_the_switch(
    clock: FakeClock,
) -> None:
    session = start_session(
        make_store().assessment_plan(), make_store(), RecordingPlayer(), now=clock,
        wall=lambda: datetime(2026, 12, 1, 8, tzinfo=UTC),
    )  # fmt: skip
    session.start()
    view = session.tick()
    assert view.state == "prepare" and view.big_setup == "LEFT LEG"
    words = []
    for _ in range(200):
        clock.advance(0.5)
        view = session.tick()
        if view.step_number > 1:
            break
        words.append((view.state, view.big_setup))
    assert ("switch", "RIGHT LEG") in words or ("prepare", "RIGHT LEG") in words
    assert all(big == "" for state, big in words if state == "work")
