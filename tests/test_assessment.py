"""The self-assessment: its plan, the step keys it needs, results on disk, readings, proposals."""

from __future__ import annotations

import dataclasses
import math
import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from gluteterm.core.assessment import (
    BRIDGE,
    NOT_A_DIAGNOSIS,
    SIDE_PLANK,
    SQUAT,
    STANCE,
    THRESHOLDS,
    AssessmentError,
    AssessmentResult,
    Measure,
    Proposal,
    Sides,
    assessment_plan,
    difference,
    measure_of,
    measured,
    next_first_side,
    proposals,
    readings,
    result_from,
    retest_due,
    side_words,
    weaker_side,
)
from gluteterm.core.assessment import test_of as which_test
from gluteterm.core.drill import ladder
from gluteterm.core.errors import PlanError
from gluteterm.core.loader import parse_plan
from gluteterm.core.plan_file import plan_document
from gluteterm.core.timeline import SegmentKind, expand
from gluteterm.store.api import Store
from gluteterm.store.drills import DrillLibrary
from gluteterm.store.log import SessionWriter
from tests.support import REPO
from tests.test_log import record as session_record

LIBRARY = DrillLibrary(REPO / "gluteterm" / "drills", None)
TAKEN = datetime(2026, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))


def result(**figures: Any) -> AssessmentResult:
    return AssessmentResult(TAKEN, **figures)


# --- the plan -------------------------------------------------------------------------


def test_the_plan_runs_each_test_per_side_and_says_what_to_collect() -> None:
    plan = assessment_plan(LIBRARY)
    assert [s.drill for s in plan.steps] == [
        "single-leg-stance", "single-leg-squat", "single-leg-bridge-box", "side-plank",
    ]  # fmt: skip
    assert all(s.per_side for s in plan.steps)
    assert [measure_of(s) for s in plan.steps] == [
        Measure.YES_NO, Measure.YES_NO, Measure.REPS, Measure.SECONDS,
    ]  # fmt: skip
    stance, squat, bridge, plank = plan.steps
    assert stance.hold == 30 and stance.question == "Did the free side of the pelvis drop?"
    assert squat.reps == 5 and squat.question == "Did the knee drift inside the foot?"
    assert bridge.until_enter and bridge.tempo == 2 and bridge.reps == THRESHOLDS.bridge_cap
    assert plank.until_enter and plank.hold == THRESHOLDS.side_plank_cap
    # A test stays its drill: never moved along a ladder (the side plank is on one).
    assert all(s.ladder == (s.drill,) for s in plan.steps)


def test_the_plan_follows_the_published_protocols() -> None:
    """Hardcastle & Nade 1985, Crossley et al. 2011, Freckleton et al. 2014, McGill 1999."""
    plan = assessment_plan(LIBRARY)
    stance, squat, bridge, plank = plan.steps
    # stance: the lifted hip at 30 degrees or less, facing a mirror, 30 s
    how = " ".join(LIBRARY["single-leg-stance"].how).lower()
    assert "30 degrees" in how and "mirror" in how and "knee to hip height" not in how
    assert "mirror" in LIBRARY["single-leg-stance"].setup.lower()
    assert stance.hold == 30 and "30 degrees" in stance.cue
    # squat: 5 reps, about 2 s each, arms crossed, facing a mirror, as deep as able, no chair
    assert squat.reps == 5 and squat.tempo == 2 and squat.equipment == ()
    text = " ".join([squat.cue, *LIBRARY["single-leg-squat"].how]).lower()
    assert "arms crossed" in text and "mirror" in text and "as deep as" in text
    assert "chair" not in text
    # bridge: a 60 cm box, knee about 20 degrees, failure when the hip cannot straighten
    text = " ".join([bridge.cue, LIBRARY["single-leg-bridge-box"].setup]).lower()
    assert "60 cm" in text and "20 degrees" in text and "cannot fully straighten" in text
    assert "knee height" not in text
    # side plank: a minute between sides; the other sides rest less
    assert (plank.rest or 0) >= 60 and all((s.rest or 0) < 60 for s in (stance, squat, bridge))
    # every test says where it is adapted, and its source
    for step in plan.steps:
        test = which_test(step)
        assert test is not None and test.adapted.startswith("Adapted: ") and test.source
    # the description's minutes come from the plan, not a fixed text
    assert "minutes" in plan.description and NOT_A_DIAGNOSIS in plan.description


def test_the_side_plank_starts_on_the_other_side_each_time() -> None:
    first = assessment_plan(LIBRARY)
    assert first.steps[3].sides == ("left", "right") and first.steps[0].sides == ("left", "right")
    other = assessment_plan(LIBRARY, first_side="right")
    assert other.steps[3].sides == ("right", "left")
    assert [s.sides for s in other.steps[:3]] == [("left", "right")] * 3
    works = [s.side for s in expand(other) if s.step_index == 3 and s.kind is SegmentKind.WORK]
    assert works == ["right", "left"]
    # the result says which side went first, and the next assessment starts on the other
    done = result_from(TAKEN, other, {(3, "right"): 80.0, (3, "left"): 82.0})
    assert done.side_plank_first == "right"
    assert next_first_side(done) == "left"
    assert next_first_side(None) == "left"
    assert next_first_side(result(side_plank_seconds=Sides(80.0, 82.0))) == "right"  # before: left
    doc = done.to_toml()
    assert doc["side_plank"]["first"] == "right"
    assert AssessmentResult.from_toml(doc, "a.toml").side_plank_first == "right"
    doc["side_plank"]["first"] = "middle"
    with pytest.raises(AssessmentError, match="first"):
        AssessmentResult.from_toml(doc, "a.toml")


def test_the_large_type_names_the_standing_leg() -> None:
    stance, squat, bridge, plank = assessment_plan(LIBRARY).steps
    assert side_words(stance, "left") == "STAND ON THE LEFT LEG"
    assert side_words(squat, "right") == "SQUAT ON THE RIGHT LEG"
    assert side_words(bridge, "left") == "LEFT HEEL ON THE BOX"
    assert side_words(plank, "right") == "ON THE RIGHT ELBOW"
    assert side_words(stance, None) == ""


def test_the_plan_round_trips_through_the_loader_without_a_warning() -> None:
    plan = assessment_plan(LIBRARY)
    text = tomli_w.dumps(plan_document(plan))
    assert "until_enter = true" in text and 'question = "Did the knee' in text
    loaded = parse_plan(text, "assessment.toml", "assessment", drills=LIBRARY)
    assert loaded.warnings == ()
    assert loaded.plan.steps == plan.steps


def test_a_missing_drill_is_named() -> None:
    library = {k: LIBRARY[k] for k in LIBRARY if k != "side-plank"}
    with pytest.raises(PlanError, match=r"side-plank\.toml: the assessment needs this drill"):
        assessment_plan(library)


@pytest.mark.parametrize(
    ("elapsed", "reps"), [(0.0, 0), (1.99, 0), (2.0, 1), (47.3, 23), (500.0, 60), (-3.0, 0)]
)
def test_reps_are_counted_at_the_pace_and_capped(elapsed: float, reps: int) -> None:
    bridge = assessment_plan(LIBRARY).steps[2]
    assert measured(bridge, elapsed) == reps


def test_seconds_are_held_time_to_a_tenth_and_capped() -> None:
    plank = assessment_plan(LIBRARY).steps[3]
    assert measured(plank, 61.26) == 61.3
    assert measured(plank, 999.0) == 180.0
    assert measured(plank, math.nan) == 0.0


def test_result_from_collected_values_skips_what_is_not_a_test() -> None:
    plan = assessment_plan(LIBRARY)
    values: dict[tuple[int, str], float | bool] = {
        (0, "left"): False, (0, "right"): True, (2, "left"): 23.0, (2, "right"): 18.0,
        (3, "left"): 61.26, (9, "left"): 5.0, (1, "middle"): True,
    }  # fmt: skip
    got = result_from(TAKEN, plan, values)
    assert got.pelvis_drop == Sides(False, True)
    assert got.knee_inside == Sides()
    assert got.bridge_reps == Sides(23, 18)
    assert got.side_plank_seconds == Sides(61.3, None)


def test_a_self_assessment_with_a_test_skipped_is_partial_and_decides_nothing() -> None:
    """Skipping three tests with n and holding the side plank 5 s a side decided the
    weaker side; a test with no value for a side makes the result partial."""
    plan = assessment_plan(LIBRARY)
    plank_only = result_from(TAKEN, plan, {(3, "left"): 5.5, (3, "right"): 4.0})
    assert plank_only.partial
    one_side = {(0, "left"): False, (0, "right"): False, (1, "left"): False, (1, "right"): False,
                (2, "left"): 20, (2, "right"): 20, (3, "left"): 60.0}  # fmt: skip
    assert result_from(TAKEN, plan, one_side).partial
    whole = one_side | {(3, "right"): 55.0}
    assert not result_from(TAKEN, plan, whole).partial


# --- the step keys the tests need ------------------------------------------------------


def plan_text(step: str) -> str:
    return f'title = "T"\n[[step]]\nname = "S"\nkind = "stability"\n{step}\n'


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("reps = 10\nuntil_enter = true", "'until_enter': 'until_enter' counts reps at a steady"),
        ("hold = 10\nuntil_enter = 1", "'until_enter': expected true or false"),
        ('hold = 10\nextra_side = "left"', "'extra_side': 'extra_side' needs a step done on"),
        ('hold = 10\nper_side = true\nextra_side = "up"', "'extra_side': expected left or"),
        ("hold = 10\nquestion = 3", "'question'"),
    ],
)
def test_bad_test_keys_are_refused_naming_the_key(step: str, message: str) -> None:
    with pytest.raises(PlanError) as info:
        parse_plan(plan_text(step), "t.toml", "t")
    assert message in str(info.value)


def test_an_extra_set_on_the_weaker_side_only() -> None:
    text = plan_text(
        'reps = 6\ntempo = 2\nsets = 2\nrest = 10\nper_side = true\nextra_side = "left"'
    )
    plan = parse_plan(text, "t.toml", "t").plan
    work = [(s.set_no, s.sets, s.side) for s in expand(plan) if s.kind is SegmentKind.WORK]
    assert work == [
        (1, 3, "left"),
        (1, 3, "right"),
        (2, 3, "left"),
        (2, 3, "right"),
        (3, 3, "left"),
    ]
    assert 'extra_side = "left"' in tomli_w.dumps(plan_document(plan))


def test_an_extra_right_set_without_rest_gets_a_breather_not_a_switch() -> None:
    text = plan_text('reps = 6\ntempo = 2\nper_side = true\nextra_side = "right"')
    plan = parse_plan(text, "t.toml", "t").plan
    kinds = [(s.kind.value, s.side) for s in expand(plan)]
    assert kinds == [
        ("prepare", None), ("work", "left"), ("switch", "right"), ("work", "right"),
        ("rest", None), ("work", "right"),
    ]  # fmt: skip


def test_a_stretch_extra_set_counts_toward_the_stretch_limit() -> None:
    text = 'title = "T"\n[[step]]\nname = "S"\nkind = "stretch"\nhold = 30\nsets = 2\n'
    text += (
        'per_side = true\nextra_side = "left"\n[[step]]\nname = "B"\nkind = "stability"\nreps = 3\n'
    )
    with pytest.raises(PlanError, match="90 s per side"):
        parse_plan(text, "t.toml", "t")


# --- results on disk -------------------------------------------------------------------

FULL = result(
    pelvis_drop=Sides(False, True),
    knee_inside=Sides(True, False),
    bridge_reps=Sides(23, 18),
    side_plank_seconds=Sides(62.0, 48.5),
)


def test_a_result_round_trips_through_toml() -> None:
    doc = FULL.to_toml()
    assert doc["version"] == 3 and doc["kind"] == "assessment" and "partial" not in doc
    assert "pain" not in doc
    assert doc["single_leg_bridge"] == {"left_reps": 23, "right_reps": 18}
    assert doc["single_leg_stance"] == {"left_pelvis_drop": False, "right_pelvis_drop": True}
    back = AssessmentResult.from_toml(tomllib.loads(tomli_w.dumps(doc)), "a.toml")
    assert back == FULL and back.taken.utcoffset() == timedelta(hours=2)
    partial = result(bridge_reps=Sides(left=12))
    assert "single_leg_stance" not in partial.to_toml()
    assert AssessmentResult.from_toml(partial.to_toml(), "p.toml") == partial


def test_pain_in_a_self_test_round_trips_and_alone_is_a_result() -> None:
    stopped = result(pain=("side-plank",), partial=True)
    doc = stopped.to_toml()
    assert doc["pain"] == ["side-plank"] and doc["partial"] is True
    assert AssessmentResult.from_toml(tomllib.loads(tomli_w.dumps(doc)), "a.toml") == stopped


def test_a_version_2_file_still_reads_and_its_pain_key_is_not_looked_at() -> None:
    doc = FULL.to_toml()
    doc["version"] = 2
    doc["pain"] = "not even a list"  # unknown to version 2: never read
    doc["single_leg_squat"]["left_faults_seen"] = 7
    back = AssessmentResult.from_toml(doc, "old.toml")
    assert back.pain == () and back.bridge_reps == FULL.bridge_reps
    assert back.squat_faults == Sides() and back.knee_inside == FULL.knee_inside


def test_the_squats_other_criteria_round_trip_in_crossleys_order() -> None:
    rated = dataclasses.replace(FULL, squat_faults=Sides(("trunk", "hip"), ()))
    doc = rated.to_toml()
    assert doc["single_leg_squat"]["left_faults_seen"] == ["trunk", "hip"]
    assert doc["single_leg_squat"]["right_faults_seen"] == []
    assert AssessmentResult.from_toml(tomllib.loads(tomli_w.dumps(doc)), "a.toml") == rated
    assert "faults_seen" not in str(FULL.to_toml())  # not asked: not written


def hostile(path: str, value: object) -> dict[str, Any]:
    doc = FULL.to_toml()
    table, _, key = path.rpartition(".")
    (doc[table] if table else doc)[key] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            "single_leg_bridge.left_reps",
            -1,
            "'single_leg_bridge.left_reps': expected from 0 to 100",
        ),
        ("single_leg_bridge.left_reps", 1000, "expected from 0 to 100, found 1000"),
        ("single_leg_bridge.left_reps", 12.5, "expected a whole number, found 12.5"),
        ("single_leg_bridge.left_reps", True, "expected a whole number, found true/false (true)"),
        ("single_leg_bridge.right_reps", "12", "expected a whole number, found text '12'"),
        ("side_plank.left_seconds", math.nan, "'side_plank.left_seconds': expected from 0"),
        ("side_plank.left_seconds", math.inf, "expected from 0 to 600, found infinity"),
        ("side_plank.right_seconds", -0.5, "expected from 0 to 600"),
        ("single_leg_stance.left_pelvis_drop", 1, "expected true or false, found 1"),
        ("single_leg_squat", [1, 2], "'single_leg_squat': expected a table"),
        ("version", 4, "newer gluteterm (assessment version 4)"),
        ("version", "1", "'version': expected 1 to 3, found text '1'"),
        ("version", True, "'version': expected 1 to 3, found true/false (true)"),
        ("pain", "side-plank", "'pain': expected a list of at most 16 drill ids"),
        ("single_leg_squat.left_faults_seen", ["knee"], "'single_leg_squat.left_faults_seen'"),
        ("single_leg_squat.left_faults_seen", "trunk", "expected a list of criteria from"),
        ("single_leg_squat.right_faults_seen", ["hip"] * 9, "expected a list of criteria"),
        ("pain", ["x"] * 17, "'pain': expected a list of at most 16 drill ids"),
        ("pain", [3], "'pain': expected a list of at most 16 drill ids, found 3"),
        ("pain", ["a\x1b[2J"], "'pain': expected a list of at most 16 drill ids"),
        ("partial", "yes", "'partial': expected true or false, found text 'yes'"),
        ("taken", datetime(9999, 5, 1, 9, 0, tzinfo=UTC), "in the years 1970 to 9998"),
        ("kind", "session", "'kind': expected \"assessment\""),
        ("taken", "2026-05-01", "'taken': expected a date and time with its UTC offset"),
        ("taken", datetime(2026, 5, 1, 9, 0), "'taken': expected a date and time"),
    ],
)
def test_hostile_values_are_refused_naming_file_and_key(
    path: str, value: object, message: str
) -> None:
    with pytest.raises(AssessmentError) as info:
        AssessmentResult.from_toml(hostile(path, value), "log/a.toml")
    assert str(info.value).startswith("log/a.toml: ") and message in str(info.value)


def test_an_assessment_with_no_figures_is_refused() -> None:
    with pytest.raises(AssessmentError, match="holds no results"):
        AssessmentResult.from_toml(result().to_toml(), "a.toml")


def test_the_store_saves_claims_names_and_reads_newest_first(tmp_path: Path) -> None:
    store = Store.default(log_dir=tmp_path / "log")
    assert store.last_assessment() is None and store.assessments().results == []
    first = store.save_assessment(FULL)
    again = store.save_assessment(FULL)  # same second: a new name, nothing clobbered
    assert first.path is not None and first.path.name == "2026-05-01T09-30-00_assessment.toml"
    assert again.path is not None and again.path.name == "2026-05-01T09-30-00_assessment-2.toml"
    assert not first.pending and not again.pending
    later = AssessmentResult(TAKEN + timedelta(days=28), bridge_reps=Sides(30, 29))
    store.save_assessment(later)
    (tmp_path / "log" / "2026-01-01T00-00-00_assessment.toml").write_text("version = 1\n")
    found = store.assessments()
    assert [r.taken for r in found.results] == [later.taken, TAKEN, TAKEN]
    assert found.results[1] == FULL and found.results[1].file.endswith(".toml")
    assert len(found.problems) == 1 and "2026-01-01T00-00-00_assessment.toml" in found.problems[0]
    last = store.last_assessment()
    assert last is not None and last.bridge_reps == Sides(30, 29)


def test_session_history_ignores_assessment_files(tmp_path: Path) -> None:
    store = Store.default(log_dir=tmp_path / "log", index_file=tmp_path / "index.json")
    SessionWriter(store.log_dir, tmp_path / "pending").save(session_record(TAKEN))
    store.save_assessment(FULL)
    history = store.history()
    assert len(history.sessions) == 1 and history.problems == []


def test_a_broken_session_log_is_still_reported(tmp_path: Path) -> None:
    store = Store.default(log_dir=tmp_path / "log", index_file=tmp_path / "index.json")
    store.save_assessment(FULL)
    (store.log_dir / "2026-05-01T10-00-00_quick.toml").write_text("version = 1\n")
    assert len(store.history().problems) == 1


# --- readings -------------------------------------------------------------------------


def test_difference_is_in_per_cent_of_the_better_side() -> None:
    assert difference(23, 18) == pytest.approx(21.74, abs=0.01)
    assert difference(18, 23) == difference(23, 18)
    assert difference(0, 0) == 0.0


def test_the_bridge_reading_in_plain_words() -> None:
    (reading,) = readings(result(bridge_reps=Sides(23, 18)))
    assert reading.text == "right side 22 % fewer bridge reps than left (left 23, right 18)"
    assert reading.weaker == "right"


@pytest.mark.parametrize(
    ("left", "right", "weaker"), [(20, 18, None), (20, 17, "right"), (17, 20, "left"), (0, 0, None)]
)
def test_the_bridge_tolerance_edge(left: int, right: int, weaker: str | None) -> None:
    # 20 against 18 is exactly 10 %: within the tolerance.
    (reading,) = readings(result(bridge_reps=Sides(left, right)))
    assert reading.weaker == weaker
    if weaker is None:
        assert reading.text.startswith("bridge reps: even")


@pytest.mark.parametrize(
    ("left", "right", "weaker"), [(100.0, 95.0, None), (100.0, 94.9, "right"), (60.0, 63.5, "left")]
)
def test_the_side_plank_tolerance_edge(left: float, right: float, weaker: str | None) -> None:
    (reading,) = readings(result(side_plank_seconds=Sides(left, right)))
    assert reading.weaker == weaker


def test_yes_no_readings() -> None:
    got = readings(result(pelvis_drop=Sides(False, True), knee_inside=Sides(True, True)))
    assert [(r.text, r.weaker) for r in got] == [
        ("the pelvis dropped standing on the right leg", "right"),
        ("the knee drifted inside the foot on the left and the right leg", None),
    ]
    (level,) = readings(result(pelvis_drop=Sides(False, False)))
    assert level.text == "the pelvis stayed level on both legs" and level.weaker is None


def test_one_side_only_is_read_without_a_comparison() -> None:
    (reading,) = readings(result(side_plank_seconds=Sides(None, 40.0)))
    assert reading.text == "side plank time: right 40 s (one side only)"
    assert reading.weaker is None


def test_the_weaker_side_is_the_majority_of_the_tests() -> None:
    assert weaker_side(FULL) == "right"  # stance right, squat left, bridge right, plank right
    tie = result(pelvis_drop=Sides(True, False), bridge_reps=Sides(30, 10))
    assert weaker_side(tie) is None
    assert weaker_side(result(bridge_reps=Sides(20, 19))) is None


# --- proposals ------------------------------------------------------------------------


def bridge_start(reps: tuple[int, int]) -> list[str]:
    return [p.drill for p in proposals(result(bridge_reps=Sides(*reps)))]


def test_bridge_proposals_at_the_edges() -> None:
    assert bridge_start((14, 40)) == ["glute-bridge", "glute-bridge-hold"]
    assert bridge_start((15, 15)) == ["single-leg-bridge", "single-leg-bridge-hold"]
    assert bridge_start((29, 35)) == ["single-leg-bridge", "single-leg-bridge-hold"]
    assert bridge_start((30, 31)) == ["bridge-on-ball", "single-leg-bridge-hold-ball"]


def test_stance_and_squat_proposals() -> None:
    dropped = proposals(result(pelvis_drop=Sides(False, True)))
    assert dropped[0] == Proposal(
        "side-lying-abduction",
        "side-lying-abduction",
        "the pelvis dropped in single-leg stance: keep abduction side-lying",
    )
    assert [p.drill for p in proposals(result(pelvis_drop=Sides(False, False)))] == [
        "banded-side-lying-abduction", "banded-clamshell",
    ]  # fmt: skip
    assert [p.drill for p in proposals(result(knee_inside=Sides(True, False)))] == ["monster-walk"]
    assert [p.drill for p in proposals(result(knee_inside=Sides(False, False)))] == [
        "lateral-band-walk"
    ]
    assert proposals(result(bridge_reps=Sides(left=10))) == []  # one side is not a result


def test_every_proposal_names_a_rung_of_its_ladder() -> None:
    everything = [
        result(bridge_reps=Sides(r, r), pelvis_drop=Sides(d, False), knee_inside=Sides(d, False))
        for r in (5, 20, 40)
        for d in (True, False)
    ]
    for one in everything:
        for proposal in proposals(one):
            assert ladder(proposal.drill, LIBRARY)[0] == proposal.ladder


def test_retest_after_four_weeks() -> None:
    assert retest_due(None, date(2026, 5, 1))
    assert not retest_due(TAKEN, date(2026, 5, 28))
    assert retest_due(TAKEN, date(2026, 5, 29))
    assert retest_due(date(2026, 1, 1), date(2026, 5, 1))


def test_the_disclaimer_says_it_is_not_a_diagnosis() -> None:
    assert "not a diagnosis" in NOT_A_DIAGNOSIS and "\n" not in NOT_A_DIAGNOSIS
    assert {t.key for t in (STANCE, SQUAT, BRIDGE, SIDE_PLANK)} == {
        "single_leg_stance", "single_leg_squat", "single_leg_bridge", "side_plank",
    }  # fmt: skip
