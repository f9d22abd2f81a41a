"""Coaching rules a coach would sign (issue 20): doses inside each drill's range, jumps
gated and rested, a raise before them, and the method's order, over a grid of builds."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gluteterm.core.builder import EQUIPMENT_WORDS, build, equipment_names
from gluteterm.core.drill import LANDINGS, MOST_JUMPS, DrillError, ladder, parse_drill
from gluteterm.core.landing import JUMP_REST, UNTESTED, Gate, landing_gate
from gluteterm.core.plan import Kind, Plan
from gluteterm.core.progression import Levels, at_levels
from gluteterm.core.record import SessionRecord, StepLog
from gluteterm.core.timeline import plan_seconds
from gluteterm.store.drills import DrillLibrary
from gluteterm.store.plans import discover
from tests.support import REPO, make_store

LIBRARY = DrillLibrary(REPO / "gluteterm" / "drills", None)
DRILLS = {drill_id: LIBRARY[drill_id] for drill_id in LIBRARY}
DAY = date(2026, 5, 1)
ALL_KIT = frozenset(EQUIPMENT_WORDS.values())
KITS = {"none": frozenset(), "band": frozenset({"mini band"}), "all": ALL_KIT}


def _top_levels() -> dict[str, str]:
    """Every ladder at its hardest rung."""
    out = {}
    for drill_id in DRILLS:
        rungs = ladder(drill_id, DRILLS)
        out[rungs[0]] = rungs[-1]
    return out


TOP = _top_levels()
#: (levels, gate): a newcomer; someone at the top of every ladder, cleared to land on one
#: leg; the same person after a painful landing on the easiest jump (no jumps today).
PEOPLE = {
    "new": ({}, UNTESTED),
    "top-cleared": (TOP, Gate("single-leg")),
    "top-knees-in": (TOP, Gate("two-foot", "knee drifted")),
    "top-pain": (TOP, Gate(None, "pain")),
}


def assert_coached(plan: Plan, minutes: float, kit: frozenset[str], gate: Gate) -> None:
    """Every rule of issue 20's "Done when" that a built plan must keep."""
    assert abs(plan_seconds(plan) - minutes * 60) <= 0.05 * minutes * 60
    kinds = list(Kind)
    order = [kinds.index(s.kind) for s in plan.steps]
    assert order == sorted(order), [s.kind.value for s in plan.steps]
    raised = False
    for step in plan.steps:
        assert step.drill is not None
        drill = DRILLS[step.drill]
        span = drill.dose_range
        value = step.hold if step.hold is not None else step.reps
        assert value is not None and span.low <= value <= span.high, (step.drill, value, span)
        assert span.sets_low <= step.sets <= span.sets_high, (step.drill, step.sets, span)
        assert step.most_sets <= max(span.sets_high, 1 + (step.extra_side is not None))
        assert set(drill.equipment) <= kit
        if step.kind is Kind.STRETCH:
            assert (step.hold or 0) * step.sets <= 60
        if drill.landing is None:
            raised = raised or step.kind is Kind.ACCELERATION
            continue
        # a jump
        assert gate.allows(drill), (step.drill, gate)
        assert raised, "a raise comes before the first jump"
        assert step.reps is not None and step.reps <= MOST_JUMPS
        if step.most_sets > 1:
            assert plan.rest_for(step) >= JUMP_REST
    if "mini band" in kit:
        assert any("mini band" in s.equipment for s in plan.steps)


GRID = list(itertools.product((5, 12, 20, 30), KITS, ("balanced", "medius", "maximus"), PEOPLE))


@pytest.mark.parametrize(("minutes", "kit", "focus", "who"), GRID)
def test_built_plans_keep_every_coaching_rule(minutes: int, kit: str, focus: str, who: str) -> None:
    levels, gate = PEOPLE[who]
    plan = build(DRILLS, minutes, KITS[kit], focus, levels, DAY, None, gate)
    assert_coached(plan, minutes, KITS[kit], gate)
    if gate.highest is None:
        assert not any(DRILLS[s.drill or ""].landing for s in plan.steps)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    minutes=st.floats(5, 30).map(lambda m: round(m, 1)),
    kit=st.sets(st.sampled_from(sorted(ALL_KIT))).map(frozenset),
    focus=st.sampled_from(("balanced", "medius", "maximus")),
    who=st.sampled_from(sorted(PEOPLE)),
    weaker=st.sampled_from((None, "left", "right")),
    day=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
)
def test_any_build_keeps_every_coaching_rule(
    minutes: float, kit: frozenset[str], focus: str, who: str, weaker: str | None, day: date
) -> None:
    levels, gate = PEOPLE[who]
    plan = build(DRILLS, minutes, kit, focus, levels, day, weaker, gate)
    assert_coached(plan, minutes, kit, gate)


def test_the_30_minute_medius_build_no_longer_asks_84_single_leg_landings() -> None:
    plan = build(DRILLS, 30, frozenset(), "medius", TOP, DAY, None, Gate("single-leg"))
    landings = sum(
        (s.reps or 0) * s.sets * (2 if s.per_side else 1)
        for s in plan.steps
        if DRILLS[s.drill or ""].landing == "single-leg"
    )
    assert landings <= 2 * 3 * 8  # two jump drills at most, 3 sets of 8 at most
    plank = [s for s in plan.steps if s.drill and "side-plank" in s.drill]
    assert all((s.hold or 0) <= 30 for s in plank)


# -- the landing gate ------------------------------------------------------------------


def record(*logs: tuple[str, tuple[str, ...]], day: int = 1) -> SessionRecord:
    started = datetime(2026, 5, day, 8, tzinfo=UTC)
    steps = tuple(
        StepLog(i, drill, "acceleration", "done", 30, 30, flags=flags, drill=drill)
        for i, (drill, flags) in enumerate(logs, start=1)
    )
    return SessionRecord("s", "S", started, started, "done", len(steps), 60, steps=steps)


def test_the_squat_test_gates_single_leg_landings() -> None:
    assert landing_gate(None, [], DRILLS).highest == "two-foot"  # not tested yet
    assert landing_gate((False, None), [], DRILLS).highest == "two-foot"  # half a test
    drifted = landing_gate((False, True), [], DRILLS)
    assert drifted.highest == "two-foot" and "knee drifted inside the foot" in drifted.reason
    assert landing_gate((False, False), [], DRILLS) == Gate("single-leg", "")


def test_a_flagged_jump_steps_the_gate_down_until_a_clean_session() -> None:
    clear = (False, False)
    pain = landing_gate(clear, [record(("lateral-hop", ("pain",)))], DRILLS)
    assert pain.highest == "two-foot" and "pain in 'Single-leg lateral hop" in pain.reason
    knees = landing_gate(clear, [record(("lateral-hop-two-feet", ("knees caving in",)))], DRILLS)
    assert knees.highest == "stick"
    gone = landing_gate(clear, [record(("snap-down", ("pain",)))], DRILLS)
    assert gone.highest is None and "no jumps today" in gone.reason
    # the newest session with jumps decides: a clean one after the flagged one lifts it
    newest_first = [record(("lateral-hop", ())), record(("lateral-hop", ("pain",)))]
    assert landing_gate(clear, newest_first, DRILLS).highest == "single-leg"
    # a session with no jump in it says nothing about landings
    other = record(("glute-bridge", ("pain",)))
    assert landing_gate(clear, [other, record(("snap-down", ("pain",)))], DRILLS).highest is None
    # a flag of another kind (hip drop) does not step a jump down
    assert landing_gate(clear, [record(("lateral-hop", ("hip drop",)))], DRILLS).highest == (
        "single-leg"
    )


def test_shipped_sessions_step_their_jumps_down_to_the_gate() -> None:
    plans = {e.id: e.plan for e in discover(REPO / "sessions", None) if e.plan}
    quick = plans["quick"]
    cleared, _ = at_levels(quick, Levels(landing=Gate("single-leg")))
    assert cleared.steps[-1].drill == "skater-bound"
    two_feet, _ = at_levels(quick, Levels(landing=Gate("two-foot")))
    hop = two_feet.steps[-1]
    assert hop.drill == "lateral-hop-two-feet" and hop.reps == 6 and hop.sets == 2
    assert two_feet.steps[-2].drill == "skip-and-jog"  # the raise stays before it
    none, names = at_levels(quick, Levels(landing=Gate(None)))
    assert len(none.steps) == len(quick.steps) - 1
    assert not any(DRILLS[s.drill or ""].landing for s in none.steps)
    assert all(i < len(none.steps) for i in names)
    # a standalone jump (broad jump, two feet) goes when no jump is allowed
    lifting = plans["before-lifting"]
    assert at_levels(lifting, Levels(landing=Gate("two-foot")))[0] is lifting
    assert "broad-jump" not in {
        s.drill for s in at_levels(lifting, Levels(landing=Gate(None)))[0].steps
    }


def test_the_store_gates_a_newcomer_to_two_feet() -> None:
    levels, _ = make_store().levels()
    assert levels.landing.highest == "two-foot"


# -- the library and the drill format -------------------------------------------------


def test_every_shipped_drill_declares_a_range_around_its_dose() -> None:
    for drill in DRILLS.values():
        assert drill.range is not None, drill.id
        value = drill.default.hold if drill.default.hold is not None else drill.default.reps
        assert value is not None and drill.range.low <= value <= drill.range.high, drill.id
        assert drill.range.sets_low <= drill.default.sets <= drill.range.sets_high, drill.id
        if drill.landing is not None:
            assert drill.range.high <= MOST_JUMPS and (drill.default.rest or 0) >= JUMP_REST
        assert drill.figure is not None and drill.how and drill.feel and drill.faults, drill.id


def test_the_library_has_what_a_coach_expects() -> None:
    expected = {
        "quadruped-hip-extension", "fire-hydrant", "single-leg-rdl", "lateral-step-down",
        "leg-swings", "a-skip", "knee-side-plank", "side-plank-leg-lift", "skip-and-jog",
        "snap-down", "lateral-hop-two-feet",
    }  # fmt: skip
    assert expected <= set(DRILLS)
    assert ladder("snap-down", DRILLS) == (
        "snap-down", "lateral-hop-two-feet", "lateral-hop", "skater-bound",
    )  # fmt: skip
    assert [DRILLS[d].landing for d in ladder("snap-down", DRILLS)] == [
        "stick", "two-foot", "single-leg", "single-leg",
    ]  # fmt: skip
    assert ladder("side-plank", DRILLS) == ("knee-side-plank", "side-plank", "side-plank-leg-lift")
    assert "70 %" in " ".join(DRILLS["broad-jump"].how)  # a stated effort
    assert set(LANDINGS) == {d.landing for d in DRILLS.values() if d.landing}


def test_the_rolling_cues_keep_off_the_bone_and_the_crease() -> None:
    lateral = " ".join(
        (*DRILLS["foam-roll-lateral-hip"].how, DRILLS["foam-roll-lateral-hip"].setup)
    )
    assert "just below the hip bone" not in lateral and "above the" in lateral
    flexors = DRILLS["foam-roll-hip-flexors"].how
    assert "roller at the hip crease" not in flexors[0] and "below the hip crease" in flexors[0]


V1 = """\
version = 1
name = "Wall sit"
kind = "stability"
how = ["Back flat on the wall", "Slide down", "Hold {hold} s"]
feel = "Thighs and glutes"

[default]
hold = 40

[[faults]]
fault = "Knees in"
fix = "Knees out"
flag = "knees"
"""


def test_an_old_drill_file_is_read_with_a_range_made_from_its_dose() -> None:
    drill = parse_drill(V1, "wall-sit.toml", "wall-sit")
    assert drill.range is None
    assert (drill.dose_range.low, drill.dose_range.high) == (20, 50)
    assert (drill.dose_range.sets_low, drill.dose_range.sets_high) == (1, 3)


def errors(text: str) -> list[str]:
    with pytest.raises(DrillError) as info:
        parse_drill(text, "wall-sit.toml", "wall-sit")
    return [str(p) for p in info.value.errors]


V2 = V1.replace("version = 1", "version = 2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (V2, "'range': is missing; expected a [range] table"),
        (V2 + "[range]\nhold = [10, 30]\nsets = [1, 2]\n", "outside the range"),
        (V2 + "[range]\nreps = [5, 8]\nsets = [1, 2]\n", "the range gives hold, not reps"),
        (V2 + "[range]\nhold = [30, 20]\nsets = [1, 2]\n", "lowest <= highest"),
        (V2 + "[range]\nhold = [30, 60]\n", "needs 'sets' as [low, high]"),
        (V2 + "[range]\nhold = 40\nsets = [1, 2]\n", "expected two whole numbers"),
        (V2 + "[range]\nhold = [30, 60]\nsets = [1, 2]\nrpes = 1\n", "did you mean 'reps'"),
        (V2.replace("feel =", 'landing = "two-foot"\nfeel ='), "only an acceleration drill"),
        (V2.replace("feel =", 'landing = "one-foot"\nfeel ='), "expected one of stick"),
    ],
)
def test_a_bad_range_or_landing_names_the_key(text: str, message: str) -> None:
    assert any(message in e for e in errors(text)), errors(text)


def test_a_jump_range_stops_at_8_a_set() -> None:
    jump = (
        V2.replace('kind = "stability"', 'kind = "acceleration"\nlanding = "two-foot"')
        .replace("hold = 40", "reps = 6")
        .replace("{hold} s", "{reps}")
    )
    assert any(
        "at most 8 a set" in e for e in errors(jump + "[range]\nreps = [4, 10]\nsets = [1, 2]\n")
    )
    assert parse_drill(
        jump + "[range]\nreps = [4, 8]\nsets = [1, 3]\n", "w.toml", "wall-sit"
    ).landing == ("two-foot")


# -- equipment words ------------------------------------------------------------------


def test_the_names_the_app_shows_are_accepted() -> None:
    assert equipment_names(["mini band", "Foam Roller", "box or bench", "mini-band"]) == {
        "mini band", "foam roller", "box or bench",
    }  # fmt: skip


@pytest.mark.parametrize("day", [date(2026, 5, d) for d in range(1, 8)])
def test_asking_for_a_band_gives_a_band_drill(day: date) -> None:
    for minutes in (5, 10):
        plan = build(DRILLS, minutes, frozenset({"mini band"}), "maximus", {}, day)
        assert any("mini band" in s.equipment for s in plan.steps)


def test_a_level_below_the_plan_is_a_ceiling_for_every_step_on_its_ladder() -> None:
    # The self-test said "bridges on both feet first": Unlock & Activate, written with a
    # bridge and then a single-leg bridge, keeps both on both feet, each at its own dose.
    plan = {e.id: e.plan for e in discover(REPO / "sessions", None) if e.plan}[
        "unlock-and-activate"
    ]
    assert "single-leg-bridge" in {s.drill for s in plan.steps}
    today, _ = at_levels(plan, Levels({"glute-bridge": "glute-bridge"}))
    bridges = [s for s in today.steps if s.ladder and s.ladder[0] == "glute-bridge"]
    assert [s.drill for s in bridges] == ["glute-bridge", "glute-bridge"]
    assert bridges[1].reps == DRILLS["glute-bridge"].default.reps
    # no level saved: the plan as written
    assert at_levels(plan, Levels(landing=Gate("single-leg")))[0] is plan
