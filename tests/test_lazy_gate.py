"""The landing gate is read after the first frame: a plan with jumps starts at once, and
its jumps are put at the gate before any is reached, exactly as if read first."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from gluteterm.core.loader import parse_plan
from gluteterm.core.runner import Runner
from gluteterm.store.drills import default_library
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.session import LiveSession
from tests.support import FakeClock, build_app, live_session, wait_for_workers

PLAN = """
title = "Ends with a hop"
prepare = 2
[[step]]
drill = "glute-bridge"
hold = 10
[[step]]
drill = "lateral-hop"
reps = 6
tempo = 2
"""


def session(clock: FakeClock) -> LiveSession:
    return live_session(PLAN, clock, "hop", start=False)


def drills(live: LiveSession) -> list[str | None]:
    return [step.drill for step in live.plan.steps]


def test_read_at_start_when_no_display_defers_it(clock: FakeClock) -> None:
    live = session(clock)
    live.start()  # no self-test yet: landings stay on two feet
    assert drills(live) == ["glute-bridge", "lateral-hop-two-feet"]


def test_deferred_it_comes_after_the_start_and_gives_the_same_plan(clock: FakeClock) -> None:
    first = session(clock)
    first.start()
    live = session(clock)
    live.defer_gate()
    live.start()
    assert drills(live) == ["glute-bridge", "lateral-hop"]  # not read yet
    clock.advance(1)
    live.tick()
    waiting: list[Callable[[], None]] = []
    live.read_gate(waiting.append)
    for _ in range(200):  # the thread hands its work back to "the UI thread" (here)
        if waiting:
            break
        time.sleep(0.01)
    assert len(waiting) == 1
    waiting[0]()
    assert live.plan == first.plan and live.level_names == first.level_names
    assert live.view().step_count == 2 and live.view().step_name == "Glute bridge"


async def test_in_the_app_the_runner_applies_it_after_its_first_frame(clock: FakeClock) -> None:
    app = build_app(clock, PLAN, plan_id="hop")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        assert drills(screen.session) == ["glute-bridge", "lateral-hop-two-feet"]
        assert screen.session.view().step_count == 2


def test_a_runner_replans_only_the_steps_after_the_one_under_way(clock: FakeClock) -> None:
    library = default_library()
    plan = parse_plan(PLAN, "hop.toml", "hop", drills=library).plan
    other = parse_plan(PLAN.replace('"lateral-hop"', '"snap-down"'), "h.toml", "h", drills=library)
    runner = Runner(plan, clock)
    assert runner.replan(other.plan)  # still on the bridge: the hop may change
    assert runner.plan == other.plan and runner.segments[-1].step_index == 1
    runner.next_step()  # on the last step now: it may not change under the user
    assert not runner.replan(plan) and runner.plan == other.plan
    fresh = Runner(plan, clock)
    assert not fresh.replan(dataclasses.replace(plan, steps=()))  # the step under way went
    assert fresh.plan == plan
