"""Pain at any step: the check-in's questions, what an answer means, the advice, and
the day a pain stops a drill for (runs, the builder, home)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from gluteterm.core.builder import build
from gluteterm.core.pain import (
    CHECK_IN_KEYS,
    PAIN,
    SEE_A_PROFESSIONAL,
    THIGH_FLAG,
    WHERE_KEYS,
    advice_for,
    answer,
    check_in_options,
    stand_in,
    stopped_today,
)
from gluteterm.core.plan import Kind
from gluteterm.core.progression import Levels, at_levels, today
from gluteterm.core.record import FELT_WHERE, CheckIn, SessionRecord, StepLog
from gluteterm.store.drills import DrillLibrary
from gluteterm.store.log import SessionWriter
from tests.support import REPO, make_plan, make_store

LIBRARY = DrillLibrary(REPO / "gluteterm" / "drills", None)
DAY = date(2026, 11, 24)
CET = timezone(timedelta(hours=1))


def step_of(drill_id: str, kind: str | None = None) -> object:
    kind_line = f'kind="{kind}"\n' if kind else ""
    plan = make_plan(f'title="T"\n[[step]]\ndrill="{drill_id}"\n{kind_line}')
    return plan.steps[0]


def plan_with(drill_id: str) -> object:
    from gluteterm.core.loader import parse_plan

    text = f'title="T"\n[[step]]\ndrill="{drill_id}"\n'
    return parse_plan(text, "t.toml", "t", drills=LIBRARY).plan


def test_every_kind_of_step_can_report_pain_and_only_drills_ask_where() -> None:
    seen = set()
    for drill_id in sorted(LIBRARY):
        drill = LIBRARY[drill_id]
        step = plan_with(drill_id).steps[0]  # type: ignore[attr-defined]
        options = check_in_options(step, drill)
        seen.add(drill.kind)
        assert options.flags[-1] == ("x", PAIN), drill_id
        asks = drill.kind in (Kind.ANALYTIC, Kind.STABILITY)
        assert options.felt is asks and bool(options.where) is asks, drill_id
        if asks:
            assert [w for _, w in options.where] == list(FELT_WHERE)
        # only the compensations the drill's faults name are offered
        offered = {key for key, _ in options.flags} - {"x"}
        named = {f.flag for f in drill.faults}
        allowed = {k for f, k in {"hip": "h", "knees": "k", "back": "b"}.items() if f in named}
        if drill.kind is Kind.ACCELERATION:
            allowed.add("k")  # every landing is checked for knees caving in
        assert offered <= allowed, drill_id
    assert seen == set(Kind)  # release, mobility, stretch and jumps too


def test_a_step_with_no_drill_offers_every_flag() -> None:
    step = make_plan('title="T"\n[[step]]\nname="Bridge"\nkind="stability"\nreps=5').steps[0]
    assert [k for k, _ in check_in_options(step, None).flags] == ["h", "k", "b", "x"]
    roll = make_plan('title="T"\n[[step]]\nname="Roll"\nkind="release"\nhold=30').steps[0]
    options = check_in_options(roll, None)
    assert options.flags == (("x", PAIN),) and not options.felt and not options.where


def test_front_of_the_thigh_on_an_abduction_drill_is_a_fault_with_its_fix() -> None:
    abduction = LIBRARY["side-lying-abduction"]
    step = plan_with("side-lying-abduction").steps[0]  # type: ignore[attr-defined]
    front = next(k for k, w in WHERE_KEYS.items() if w == "front of hip or thigh")
    glute = next(k for k, w in WHERE_KEYS.items() if w == "glute")
    got = answer(CheckIn(), abduction, where_key=front)
    assert got.where == "front of hip or thigh" and got.flags == (THIGH_FLAG,)
    advice = advice_for(step, abduction, got)
    assert "Front of the thigh does the work" in advice and "leg further back" in advice
    # changed to "glute": the fault goes again
    again = answer(got, abduction, where_key=glute)
    assert again.where == "glute" and again.flags == () and advice_for(step, abduction, again) == ""
    # on a bridge the front of the thigh is only an answer, not a fault
    bridge = LIBRARY["glute-bridge"]
    assert answer(CheckIn(), bridge, where_key=front).flags == ()


def test_answers_toggle_flags_keep_the_score_and_ignore_unknown_keys() -> None:
    drill = LIBRARY["clamshell"]
    got = answer(CheckIn(), drill, felt=6)
    got = answer(got, drill, flag_key="h")
    assert (got.felt, got.flags) == (6, ("hip drop",)) and got.answered
    assert answer(got, drill, flag_key="h").flags == ()
    assert answer(got, drill, flag_key="?", where_key="?") == got
    assert not CheckIn().answered


def test_pain_advice_offers_the_step_down_or_the_stand_in_and_a_professional() -> None:
    pain = CheckIn(flags=(CHECK_IN_KEYS["x"],))
    on_rung = LIBRARY["banded-side-lying-abduction"]
    step = plan_with(on_rung.id).steps[0]  # type: ignore[attr-defined]
    advice = advice_for(step, on_rung, pain, LIBRARY)
    assert advice.startswith("Pain: ") and "stopped for today" in advice
    assert advice.endswith("try Side-lying hip abduction (the step down).")
    assert SEE_A_PROFESSIONAL in advice  # before the alternative: safety first
    bottom = LIBRARY["side-lying-abduction"]  # the easiest rung: its alternative
    advice = advice_for(plan_with(bottom.id).steps[0], bottom, pain, LIBRARY)  # type: ignore[attr-defined]
    assert f"{LIBRARY['clamshell'].name} (a pain-free stand-in)" in advice
    roll = LIBRARY["foam-roll-glutes"]  # nothing instead: stop, and when to see someone
    advice = advice_for(plan_with(roll.id).steps[0], roll, pain, LIBRARY)  # type: ignore[attr-defined]
    assert "Next time" not in advice and SEE_A_PROFESSIONAL in advice


def test_every_shipped_alternative_is_a_drill_and_a_stand_in_never_loops() -> None:
    for drill_id in LIBRARY:
        drill = LIBRARY[drill_id]
        if drill.alternative is not None:
            assert drill.alternative in LIBRARY, drill_id
            assert drill.easier is None, f"{drill_id}: an alternative is for the easiest rung"
    assert stand_in("banded-side-lying-abduction", LIBRARY, frozenset()) == "side-lying-abduction"
    both = frozenset({"banded-side-lying-abduction", "side-lying-abduction"})
    assert stand_in("banded-side-lying-abduction", LIBRARY, both) == "clamshell"
    assert stand_in("clamshell", LIBRARY, frozenset()) is None
    assert stand_in("no-such-drill", LIBRARY, frozenset()) is None


def log_of(name: str, drill: str | None, flags: tuple[str, ...] = ()) -> StepLog:
    return StepLog(1, name, "analytic", "partial", 40, 20, drill=drill, flags=flags)


def session(at: datetime, *steps: StepLog) -> SessionRecord:
    return SessionRecord("quick", "Quick", at, at, "partial", len(steps), 20, steps=steps)


def test_pain_stops_a_drill_for_the_day_it_was_logged_on_only() -> None:
    morning = datetime(2026, 11, 24, 7, tzinfo=CET)
    records = [
        session(morning, log_of("Clams", "clamshell", (PAIN,)), log_of("Bridge", "glute-bridge")),
        session(morning, log_of("My own step", None, (PAIN,))),
        session(morning - timedelta(days=1), log_of("Roll", "foam-roll-glutes", (PAIN,))),
        session(morning, log_of("Walk", "monster-walk", ("hip drop",))),
    ]
    assert stopped_today(records, DAY) == {"clamshell", "My own step"}
    assert stopped_today(records, DAY + timedelta(days=1)) == frozenset()
    assert stopped_today(records, DAY - timedelta(days=1)) == {"foam-roll-glutes"}


def test_at_levels_swaps_a_stopped_drill_for_the_rung_below_or_leaves_it_out() -> None:
    plan = make_store().plan("quick").plan
    assert any(s.drill == "side-lying-abduction" for s in plan.steps)
    swapped, names = at_levels(plan, Levels(), frozenset({"side-lying-abduction"}))
    drills = [s.drill for s in swapped.steps]
    assert "side-lying-abduction" not in drills and "clamshell" in drills
    assert len(swapped.steps) == len(plan.steps)
    at = drills.index("clamshell")
    assert swapped.steps[at].name == LIBRARY["clamshell"].name
    # a level change (a stand-in too) runs at the new drill's own dose
    assert swapped.steps[at].reps == LIBRARY["clamshell"].default.reps
    # the stand-in stopped too: the step is left out, the others keep their names
    both = frozenset({"side-lying-abduction", "clamshell"})
    shorter, names, swaps = today(plan, Levels(), both)
    assert len(shorter.steps) == len(plan.steps) - 1
    assert [str(s) for s in swaps] == [f"{plan.steps[at].name}: left out today (pain earlier)"]
    assert all(0 <= i < len(shorter.steps) for i in names)
    for i, name in names.items():
        assert name == shorter.steps[i].name
    # nothing stopped: the plan as before
    assert at_levels(plan, Levels()) == at_levels(plan, Levels(), frozenset())


def test_a_step_with_no_drill_is_stopped_by_its_name() -> None:
    plan = make_plan(
        'title="T"\n[[step]]\nname="Roll"\nkind="release"\nhold=30\n'
        '[[step]]\nname="Bridge"\nkind="stability"\nreps=5'
    )
    left, _ = at_levels(plan, Levels(), frozenset({"Roll"}))
    assert [s.name for s in left.steps] == ["Bridge"]


def test_the_builder_never_builds_a_drill_pain_stopped_today() -> None:
    kit = frozenset({"mini band"})
    day = date(2026, 11, 24)
    before = build(LIBRARY, 15, kit, "medius", {}, day)
    drills = {s.drill for s in before.steps}
    for stopped_drill in sorted(d for d in drills if d):
        after = build(LIBRARY, 15, kit, "medius", {}, day, stopped=frozenset({stopped_drill}))
        assert stopped_drill not in {s.drill for s in after.steps}, stopped_drill
        assert len({s.drill for s in after.steps}) == len(after.steps)  # no drill twice
    # at a level up a ladder, the rung below is built instead
    levels = {"side-lying-abduction": "banded-side-lying-abduction"}
    stopped = frozenset({"banded-side-lying-abduction"})
    up = build(LIBRARY, 20, kit, "medius", levels, day)
    assert "banded-side-lying-abduction" in {s.drill for s in up.steps}
    down = build(LIBRARY, 20, kit, "medius", levels, day, stopped=stopped)
    assert "banded-side-lying-abduction" not in {s.drill for s in down.steps}
    assert len(down.steps) == len(up.steps)  # another drill takes its place


def test_the_store_reads_what_pain_stopped_today_from_the_log() -> None:
    store = make_store()
    at = datetime(2026, 11, 24, 9, tzinfo=UTC)
    writer = SessionWriter(store.log_dir, store.pending_dir)
    writer.save(session(at, log_of("Clams", "clamshell", (PAIN,))))
    assert store.stopped_today(DAY) == {"clamshell"}
    assert store.stopped_today(DAY + timedelta(days=1)) == frozenset()
    built = store.build_plan(15, ["none"], "medius", DAY).plan
    assert "clamshell" not in {s.drill for s in built.steps}


@pytest.mark.parametrize("felt", [None, 2, 3])
def test_a_check_in_left_unanswered_or_barely_felt_is_not_clean(felt: int | None) -> None:
    from gluteterm.core.progression import suggestions

    plan = make_store().plan("quick").plan
    start = datetime(2026, 11, 24, 8, tzinfo=UTC)
    records = [
        SessionRecord("quick", "Q", start - timedelta(days=n), start - timedelta(days=n),
                      "completed", 1, 40, steps=(StepLog(1, "Bridge", "stability", "done", 40, 40,
                      drill="glute-bridge", dose=1.0, felt=felt),))
        for n in range(2)
    ]  # fmt: skip
    assert [s for s in suggestions(plan, Levels(), records) if s.ladder == "glute-bridge"] == []
    records = [
        SessionRecord(r.session, r.title, r.started, r.ended, r.status, 1, 40,
                      steps=(StepLog(1, "Bridge", "stability", "done", 40, 40,
                                     drill="glute-bridge", dose=1.0, felt=4),))
        for r in records
    ]  # fmt: skip
    assert [s.to_drill for s in suggestions(plan, Levels(), records)] == ["single-leg-bridge"]


async def test_where_it_was_felt_is_asked_and_the_front_of_the_thigh_is_a_fault() -> None:
    """After side-lying abduction: t (front of hip or thigh) logs the fault and its fix."""
    from gluteterm.core.display import Question
    from gluteterm.store.log import read_record
    from gluteterm.ui.screens.runner import RunnerScreen
    from tests.support import FakeClock, advance, build_app

    clock = FakeClock()
    plan = (
        'title="T"\nprepare=2\n[[step]]\ndrill="side-lying-abduction"\nreps=2\ntempo=2\n'
        'per_side=false\n[[step]]\nname="Walk"\nkind="stability"\nhold=20\n'
    )
    app = build_app(clock, plan)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        await advance(app, clock, 12 + 4.5)  # its 12 s get-ready (side-lying), 2 reps
        question = screen.session.view().question
        assert isinstance(question, Question) and question.kind == "check-in"
        assert [w for _, w in question.where_keys] == list(FELT_WHERE)
        await pilot.press("7", "t")
        await pilot.pause()
        question = screen.session.view().question
        assert question is not None and question.where == "front of hip or thigh"
        assert THIGH_FLAG in question.flags and "leg further back" in question.advice
        saved = screen.session.saved_to
    assert saved is not None
    logged = read_record(saved).steps[0]
    assert logged.felt == 7 and logged.felt_where == "front of hip or thigh"
    assert THIGH_FLAG in logged.flags


async def test_a_drill_pain_stopped_earlier_today_is_swapped_in_a_later_session() -> None:
    from datetime import datetime as dt

    from gluteterm.ui.screens.runner import RunnerScreen
    from tests.support import FakeClock, build_app

    store = make_store()
    morning = dt.now().astimezone().replace(hour=0, minute=1, second=0, microsecond=0)
    SessionWriter(store.log_dir, store.pending_dir).save(
        session(morning, log_of("Abduction", "side-lying-abduction", (PAIN,)))
    )
    plan = (
        'title="T"\nprepare=2\n[[step]]\ndrill="side-lying-abduction"\n'
        '[[step]]\ndrill="foam-roll-glutes"\n'
    )
    app = build_app(FakeClock(), plan)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        await pilot.pause()
        steps = screen.session.plan.steps
        assert [s.drill for s in steps] == ["clamshell", "foam-roll-glutes"]
        assert any("pain earlier today" in w for w in screen.session.warnings)


async def test_a_session_whose_every_drill_pain_stopped_today_does_not_run() -> None:
    from datetime import datetime as dt

    from textual.widgets import Static

    from gluteterm.ui.screens.not_today import NotTodayScreen
    from gluteterm.ui.screens.runner import RunnerScreen
    from tests.support import FakeClock, build_app

    store = make_store()
    morning = dt.now().astimezone().replace(hour=0, minute=1, second=0, microsecond=0)
    writer = SessionWriter(store.log_dir, store.pending_dir)
    writer.save(
        session(
            morning,
            log_of("Bridge", "single-leg-bridge", (PAIN,)),
            log_of("Bridge", "glute-bridge", (PAIN,)),
            log_of("Hold", "glute-bridge-hold", (PAIN,)),
        )
    )
    logs = sorted(store.log_dir.iterdir())
    plan = 'title="Bridges"\nprepare=2\n[[step]]\ndrill="single-leg-bridge"\n'
    app = build_app(FakeClock(), plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NotTodayScreen)
        assert not app.screen_stack or not any(
            isinstance(s, RunnerScreen) for s in app.screen_stack
        )
        advice = str(screen.query_one("#not-today-advice", Static).content)
        assert "does not run today" in advice and "Rest" in advice
        assert "step down: Glute bridge" in advice  # the rung below the stopped drill
        assert SEE_A_PROFESSIONAL in advice
        await pilot.press("h")  # home, where other sessions can be started
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
    assert sorted(store.log_dir.iterdir()) == logs  # nothing was run, nothing logged
