"""The self-assessment in the app: run by the runner, Enter counts, y/n answers, results,
a second one compared with the first, history's Assessments view, home's reminder."""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, timedelta, timezone
from typing import Any

from textual.widgets import DataTable, Static

from gluteterm.core.assessment import SQUAT_CRITERIA, Sides
from gluteterm.core.landing import landing_gate
from gluteterm.store import paths
from gluteterm.ui.screens.assessment import AssessmentResultScreen, AssessmentsScreen
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.widgets.question_bar import QuestionBar
from tests.support import FakeClock, build_app, wait_for_workers

CET = timezone(timedelta(hours=1))


def walls(day: int) -> Any:
    moments = iter(
        datetime(2026, 11, 1 + day, 8, tzinfo=CET) + timedelta(seconds=i) for i in range(9999)
    )
    return lambda: next(moments)


def forward(screen: RunnerScreen, clock: FakeClock, seconds: float) -> None:
    """Move the clock on in small steps (a jump of 30 s reads as a sleeping laptop)."""
    while seconds > 0:
        step = min(2.0, seconds)
        clock.advance(step)
        seconds -= step
        screen.catch_up()


async def start_assessment(pilot: Any) -> RunnerScreen:
    """t on home, once home has read the plans and the log: the assessment's runner."""
    await wait_for_workers(pilot)
    await pilot.press("t")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RunnerScreen)
    return screen


async def run_assessment(
    day: int,
    *,
    bridge: tuple[float, float],
    plank: tuple[float, float],
    drop: tuple[bool, bool],
    seen: tuple[set[str], set[str]] = (set(), set()),
) -> AssessmentResultScreen:
    """Run the whole self-assessment from home (t), answering as told: `seen` holds the
    squat's criteria (overall, trunk, pelvis, hip, knee) answered yes, left and right."""
    clock = FakeClock()
    app = build_app(clock, wall=walls(day))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_assessment(pilot)
        plan = screen.session.plan
        sides = {"left": 0, "right": 1}
        for _ in range(400):
            if not isinstance(app.screen, RunnerScreen):
                break
            # A test asks its own questions; the workout's check-in never opens.
            view = screen.session.view()
            bar = screen.query_one(QuestionBar)
            assert view.question is None or view.question.kind == "yes-no"
            if view.question is not None:
                assert bar.has_class("-open")
                index, side = view.question.step_index, view.question.side or "left"
                prompt = view.question.prompt
                if "pelvis" in plan.steps[index].question:
                    yes = drop[sides[side]]
                else:  # the squat: "(2 of 5) Trunk: ...", the knee last
                    assert re.match(r"\(\d of 5\) ", prompt), prompt
                    asked = next((k for k, text in SQUAT_CRITERIA if text in prompt), "knee")
                    yes = asked in seen[sides[side]]
                await pilot.press("y" if yes else "n")
                continue
            step = plan.steps[view.step_index]
            if step.until_enter:  # its cap is not shown as a target
                counters = str(screen.query_one("#counters", Static).content)
                assert "as you can" in counters and "180" not in counters, counters
            if view.state == "work" and step.until_enter:
                wanted = (bridge if step.reps else plank)[sides[view.side or "left"]]
                seconds = wanted * (step.tempo or 1.0) if step.reps else wanted
                forward(screen, clock, seconds + 0.05 - view.elapsed)
                await pilot.press("enter")
                continue
            remaining = view.remaining
            forward(screen, clock, (remaining if remaining is not None else 1.0) + 0.01)
            await pilot.pause()
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        result = app.screen
        assert isinstance(result, AssessmentResultScreen)
        text = str(result.query_one("#assessment-reading", Static).content)
        assert "self-check" in str(result.query_one("#results-facts", Static).content).lower()
        result.reading_text = text  # type: ignore[attr-defined]
        columns = [str(c.label) for c in result.query_one(DataTable).ordered_columns]
        result.column_names = columns  # type: ignore[attr-defined]
        await pilot.press("l")
        await pilot.pause()
        return result


async def test_two_assessments_show_figures_change_and_history() -> None:
    first = await run_assessment(0, bridge=(23, 18), plank=(60, 40), drop=(False, True))
    result = first.result
    assert result is not None
    assert (result.bridge_reps.left, result.bridge_reps.right) == (23, 18)
    assert (result.pelvis_drop.left, result.pelvis_drop.right) == (False, True)
    assert result.side_plank_seconds.left == 60.0
    assert "right side 22 % fewer bridge reps than left" in first.reading_text  # type: ignore[attr-defined]
    logs = sorted(paths.log_dir().glob("*_assessment.toml"))
    assert len(logs) == 1 and 'kind = "assessment"' in logs[0].read_text()
    # the proposal was accepted with l: a pelvis drop keeps abduction at side-lying
    levels = (paths.data_dir() / "levels.toml").read_text()
    assert "side-lying-abduction" in levels

    second = await run_assessment(20, bridge=(25, 24), plank=(62, 58), drop=(False, False))
    assert second.previous is not None and second.previous.bridge_reps.right == 18
    assert "Last time" in second.column_names[-1]  # type: ignore[attr-defined]
    assert len(sorted(paths.log_dir().glob("*_assessment.toml"))) == 2

    clock = FakeClock()
    app = build_app(clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("h")
        await wait_for_workers(pilot)
        await pilot.press("t")
        await wait_for_workers(pilot)
        view = app.screen
        assert isinstance(view, AssessmentsScreen)
        rows = view.query_one(DataTable).row_count
        assert rows == 2


async def test_home_says_to_test_when_there_is_no_assessment() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        assert "t: test where you stand" in str(
            app.screen.query_one("#home-streak", Static).content
        )


async def test_quitting_an_assessment_keeps_what_was_measured() -> None:
    clock = FakeClock()
    app = build_app(clock, wall=walls(3))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_assessment(pilot)
        forward(screen, clock, 10 + 30 + 0.1)  # get ready, then the stance test's left side
        await pilot.pause()
        assert screen.session.view().question is not None
        await pilot.press("y")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    [log] = sorted(paths.log_dir().glob("*_assessment.toml"))
    assert "left_pelvis_drop = true" in log.read_text()
    assert not [
        p for p in paths.log_dir().glob("*.toml") if not p.name.endswith("_assessment.toml")
    ]


async def test_the_squat_records_crossleys_five_criteria_and_the_gate_still_reads_the_knee() -> (
    None
):
    screen = await run_assessment(
        0, bridge=(20, 20), plank=(60, 60), drop=(False, False),
        seen=({"trunk", "hip"}, {"knee"}),
    )  # fmt: skip
    result = screen.result
    assert result is not None
    assert result.squat_faults == Sides(("trunk", "hip"), ())
    assert (result.knee_inside.left, result.knee_inside.right) == (False, True)
    [log] = sorted(paths.log_dir().glob("*_assessment.toml"))
    squat = tomllib.loads(log.read_text())["single_leg_squat"]
    assert squat["left_faults_seen"] == ["trunk", "hip"] and squat["right_faults_seen"] == []
    assert squat["right_knee_inside"] is True
    reading = screen.reading_text  # type: ignore[attr-defined]
    assert "left trunk, hip; right none" in reading
    # The landing gate reads the knee only: a trunk and hip fault on the left, with the
    # knee over the foot, is no reason to keep landings on two feet; the right knee is.
    gate = landing_gate((result.knee_inside.left, result.knee_inside.right), [], {})
    assert gate.highest == "two-foot" and "knee drifted" in gate.reason
