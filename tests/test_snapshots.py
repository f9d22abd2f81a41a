"""Screenshots of every screen and runner state, at 80x24 and 160x45, on a fake clock.

A change to what a screen shows fails here until the snapshots are updated
(`pytest tests/test_snapshots.py --snapshot-update`) and the new pictures are
looked at (the report's HTML shows both).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from gluteterm.core.loader import parse_plan
from gluteterm.core.timeline import expand
from gluteterm.store import paths
from gluteterm.ui.screens.editor import EditorScreen
from gluteterm.ui.screens.history import HistoryScreen
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.screens.session_detail import SessionDetailScreen
from tests.bench.fake_log import write_log
from tests.support import FakeClock, build_app, wait_for_workers

SIZES = [(80, 24), (160, 45)]
PLAN = """
title = "Snapshot session"
prepare = 5
[[step]]
name = "Foam roll glutes"
kind = "release"
hold = 45
per_side = true
cue = "Slow passes, pause on tender spots"
equipment = ["foam roller"]
[[step]]
name = "Glute bridge"
kind = "stability"
reps = 10
tempo = 3
sets = 2
rest = 30
cue = "Ribs down, drive through the heels"
[[step]]
name = "Skater bound"
kind = "acceleration"
reps = 5
per_side = true
"""
CARD_PLAN = """
title = "Card session"
prepare = 5
[[step]]
drill = "glute-bridge"
reps = 10
tempo = 3
"""
#: each runner state: (step index, segment kind, side, set) and seconds into that segment
RUNNER_STATES = {
    "get-ready": ((0, "prepare", None, 1), 2.0),
    "work-left": ((0, "work", "left", 1), 15.0),
    "work-right": ((0, "work", "right", 1), 3.0),
    "paced-rep": ((1, "work", None, 2), 7.5),
    "rest": ((1, "rest", None, 1), 12.0),
}
FIXED_DAY = date(2026, 11, 24)


def seconds_to(where: tuple[int, str, str | None, int], into: float) -> float:
    """Seconds from the start of PLAN to `into` seconds inside the segment `where`."""
    plan = parse_plan(PLAN, "snapshot.toml", "snapshot").plan
    total = 0.0
    for seg in expand(plan):
        if (seg.step_index, seg.kind.value, seg.side, seg.set_no) == where:
            return total + into
        total += seg.duration or 0.0
    raise AssertionError(f"no segment {where}")


def runner_at(
    seconds: float, keys: tuple[str, ...] = ()
) -> tuple[Any, Callable[[Any], Awaitable[None]]]:
    clock = FakeClock()
    app = build_app(clock, PLAN, plan_id="snapshot")

    async def before(pilot: Any) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        done = 0.0
        while done < seconds:
            clock.advance(min(1.0, seconds - done))
            done += 1.0
            screen.catch_up()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        await app.workers.wait_for_complete()  # a session's end is saved in a worker
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    return app, before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("state", RUNNER_STATES)
def test_runner_states(snap_compare: Any, state: str, size: tuple[int, int]) -> None:
    app, before = runner_at(seconds_to(*RUNNER_STATES[state]))
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_runner_paused(snap_compare: Any, size: tuple[int, int]) -> None:
    app, before = runner_at(20.0, ("space",))
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_runner_check_in_open(snap_compare: Any, size: tuple[int, int]) -> None:
    # just after the bridge, the check-in asks about it
    app, before = runner_at(seconds_to((2, "prepare", None, 1), 1.0), ("7", "k"))
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_summary(snap_compare: Any, size: tuple[int, int]) -> None:
    app, before = runner_at(30.0, ("plus", "n", "q", "y"))
    assert snap_compare(app, terminal_size=size, run_before=before)


def test_too_small_cover_keeps_notices_off_its_message(snap_compare: Any) -> None:
    """At 50x15 only the message shows; a notice waits for the runner to show again."""
    app, before = runner_at(20.0)

    async def smaller(pilot: Any) -> None:
        await before(pilot)
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        app.notify("No sound device: gluteterm rings the terminal bell instead.")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=smaller)


@pytest.mark.parametrize("size", [(70, 22), (100, 20)], ids=["narrow-70x22", "short-100x20"])
def test_runner_narrow_and_short_layouts(snap_compare: Any, size: tuple[int, int]) -> None:
    app, before = runner_at(seconds_to(*RUNNER_STATES["paced-rep"]))
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_runner_with_a_notice(snap_compare: Any, size: tuple[int, int]) -> None:
    """A notice has the top line: it covers neither the figure nor the digits."""
    app, before = runner_at(seconds_to(*RUNNER_STATES["paced-rep"]))

    async def told(pilot: Any) -> None:
        await before(pilot)
        app.notify("No sound device: gluteterm rings the terminal bell instead.", timeout=60)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=told)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_runner_drill_card_open(snap_compare: Any, size: tuple[int, int]) -> None:
    clock = FakeClock()
    app = build_app(clock, CARD_PLAN, plan_id="card")

    async def card(pilot: Any) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        for _ in range(8):  # into the bridges' work
            clock.advance(1.0)
            screen.catch_up()
        await pilot.press("i")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=card)


def assessment_at(moment: str) -> tuple[Any, Callable[[Any], Awaitable[None]]]:
    """The self-assessment's runner during its first test's work, or at its question."""
    clock = FakeClock()
    app = build_app(clock)

    async def before(pilot: Any) -> None:
        await wait_for_workers(pilot)
        app.start_session(app.store.assessment_plan())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        for _ in range(200):
            view = screen.session.view()
            if moment == "question" and view.question is not None:
                break
            if moment == "test" and view.state == "work" and view.elapsed >= 5:
                break
            clock.advance(1.0)
            screen.catch_up()
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    return app, before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("moment", ["test", "question"])
def test_assessment_runner(snap_compare: Any, moment: str, size: tuple[int, int]) -> None:
    app, before = assessment_at(moment)
    assert snap_compare(app, terminal_size=size, run_before=before)


def home_app() -> tuple[Any, Callable[[Any], Awaitable[None]]]:
    app = build_app(FakeClock())

    async def before(pilot: Any) -> None:
        await wait_for_workers(pilot)
        app.clear_notifications()
        await pilot.pause()

    return app, before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare: Any, size: tuple[int, int]) -> None:
    app, before = home_app()
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_editor(snap_compare: Any, size: tuple[int, int]) -> None:
    app, before = home_app()

    async def edit(pilot: Any) -> None:
        await before(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)

    assert snap_compare(app, terminal_size=size, run_before=edit)


def with_log(_pilot: Any) -> None:
    end = datetime(2026, 11, 24, 18, 0, tzinfo=timezone(timedelta(hours=1)))
    write_log(paths.log_dir(), 40, end)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_history(snap_compare: Any, size: tuple[int, int]) -> None:
    app, before = home_app()
    with_log(app)

    async def history(pilot: Any) -> None:
        await before(pilot)
        app.push_screen(HistoryScreen(app.store, today=lambda: FIXED_DAY))
        await wait_for_workers(pilot)
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=history)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_session_detail(snap_compare: Any, size: tuple[int, int]) -> None:
    app, before = home_app()
    with_log(app)

    async def detail(pilot: Any) -> None:
        await before(pilot)
        newest = sorted(paths.log_dir().glob("*.toml"))[-1]
        app.push_screen(SessionDetailScreen(app.store, newest.name))
        await wait_for_workers(pilot)

    assert snap_compare(app, terminal_size=size, run_before=detail)


def fixed_results() -> tuple[Any, Any]:
    from gluteterm.core.assessment import AssessmentResult, Sides

    taken = datetime(2026, 11, 24, 8, tzinfo=timezone(timedelta(hours=1)))
    before = AssessmentResult(
        taken - timedelta(days=29), Sides(False, True), Sides(True, False), Sides(20, 14),
        Sides(55.0, 41.5),
    )  # fmt: skip
    now = AssessmentResult(
        taken, Sides(False, True), Sides(False, False), Sides(23, 18), Sides(60.0, 48.0)
    )
    return now, before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_assessment_results(snap_compare: Any, size: tuple[int, int]) -> None:
    from gluteterm.ui.screens.assessment import AssessmentResultScreen

    app, before = home_app()
    now, earlier = fixed_results()

    async def results(pilot: Any) -> None:
        await before(pilot)
        app.push_screen(AssessmentResultScreen(now, earlier, app.store))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=results)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("state", ["list", "card"])
def test_drill_browser(snap_compare: Any, state: str, size: tuple[int, int]) -> None:
    levels = paths.levels_file()
    levels.parent.mkdir(parents=True, exist_ok=True)
    levels.write_text('version = 2\n[ladders]\nglute-bridge = "single-leg-bridge"\n')
    app, before = home_app()

    async def browse(pilot: Any) -> None:
        await before(pilot)
        await pilot.press("d")
        await wait_for_workers(pilot)
        # The filter has the focus: a blinking cursor is caught on or off.
        pilot.app.screen.query_one("#drill-filter").cursor_blink = False
        await pilot.pause()
        if state == "card":
            await pilot.press(*"glute-bridge", "enter")
            await wait_for_workers(pilot)

    assert snap_compare(app, terminal_size=size, run_before=browse)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_build_dialog_with_a_plan(snap_compare: Any, size: tuple[int, int]) -> None:
    from gluteterm.ui.screens.build import BuildScreen

    app, before = home_app()

    async def build(pilot: Any) -> None:
        await before(pilot)
        app.push_screen(BuildScreen(app.store, ["band", "chair"], today=lambda: FIXED_DAY))
        await pilot.pause()
        minutes = app.screen.query_one("#build-minutes")
        minutes.cursor_blink = False  # a blinking cursor is caught on or off
        minutes.value = "8"
        await pilot.press("enter")
        await wait_for_workers(pilot)
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=build)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_level_history(snap_compare: Any, size: tuple[int, int]) -> None:
    from gluteterm.core.history import LevelSpan
    from gluteterm.ui.screens.level_history import LevelHistoryScreen

    spans = [
        LevelSpan(
            "Glute bridge",
            "Glute bridge",
            FIXED_DAY - timedelta(days=40),
            FIXED_DAY - timedelta(days=20),
            6,
        ),
        LevelSpan(
            "Glute bridge", "Single-leg bridge", FIXED_DAY - timedelta(days=18), FIXED_DAY, 5
        ),
        LevelSpan(
            "Clamshell",
            "Banded clamshell",
            FIXED_DAY - timedelta(days=30),
            FIXED_DAY - timedelta(days=2),
            9,
        ),
    ]
    app, before = home_app()

    async def levels(pilot: Any) -> None:
        await before(pilot)
        app.push_screen(LevelHistoryScreen(spans))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=levels)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_assessments_over_time(snap_compare: Any, size: tuple[int, int]) -> None:
    from gluteterm.store.assessments import save_assessment
    from gluteterm.ui.screens.assessment import AssessmentsScreen

    now, earlier = fixed_results()
    for result in (earlier, now):
        save_assessment(paths.log_dir(), paths.pending_dir(), result)
    app, before = home_app()

    async def over_time(pilot: Any) -> None:
        await before(pilot)
        app.push_screen(AssessmentsScreen(app.store))
        await wait_for_workers(pilot)

    assert snap_compare(app, terminal_size=size, run_before=over_time)
