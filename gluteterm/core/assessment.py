"""The self-assessment: four tests as a plan the runner can run, their results, and readings.

The tests (single-leg stance, single-leg squat, single-leg bridge on a 60 cm
box, side plank), each as its source publishes it where one person alone can
do it, and saying where it cannot (`Test.adapted`; docs/method.md gives every
protocol with its source), are ordinary steps of an ordinary `Plan`. A step with
`until_enter` ends when the user presses Enter (its hold, or reps x tempo, is
only a cap) and measures seconds or reps at the tempo (`measured`); a step
with a `question` asks it, yes or no, after each side. `result_from` turns
what the runner collected into an `AssessmentResult`, which is saved as its
own versioned TOML log (`kind = "assessment"`). Every threshold lives in
`THRESHOLDS`, with its source. These are self-checks, not a diagnosis
(`NOT_A_DIAGNOSIS`): the UI says so wherever results are shown.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Generic, NamedTuple, TypeVar

from gluteterm.core.checks import bad_problem
from gluteterm.core.drill import Drill
from gluteterm.core.errors import PlanError, Problem
from gluteterm.core.limits import RECORD_YEARS
from gluteterm.core.plan import Plan, Step
from gluteterm.core.record import LogError, sane_moment
from gluteterm.core.timeline import plan_seconds

#: Version 2 added `partial`; version 3 `pain` (the tests pain stopped, by drill id) and
#: the squat's other Crossley criteria (`<side>_faults_seen`). Versions 1 and 2 still read.
ASSESSMENT_VERSION = 3
#: The most drill ids a `pain` list may hold (there are four tests).
MAX_PAIN_ENTRIES = 16
ASSESSMENT_KIND = "assessment"
ASSESSMENT_PLAN_ID = "assessment"

#: Shown wherever results are: what these numbers are, and what they are not.
NOT_A_DIAGNOSIS = (
    "These are self-checks to choose where to start, not a diagnosis; "
    "for pain or an injury, see a health professional."
)


@dataclass(frozen=True)
class Thresholds:
    """Every number the assessment decides with, in one place."""

    # Single-leg bridge (Freckleton, Cook & Pizzari, Br J Sports Med 2014: heel on a
    # box, knee slightly bent, reps to failure; fewer reps on a leg preceded hamstring
    # strains). One rep each 2 s makes the count a time under load: 15 reps = 30 s,
    # the 30 s single-leg bridge hold bar (docs/method.md, "Single-leg bridge").
    bridge_pace: float = 2.0
    #: Below this many reps on the weaker leg: bridges start on both feet.
    bridge_two_feet_below: int = 15
    #: From this many reps on the weaker leg (60 s, twice the bar; above the group
    #: means Freckleton et al. report, which sit in the 20s): start on the ball.
    bridge_ball_from: int = 30
    #: The cap of one side: two minutes at the pace, far past the group means.
    bridge_cap: int = 60
    # Single-leg stance (Trendelenburg test, Hardcastle & Nade, J Bone Joint Surg Br
    # 1985): stand on one leg for 30 s; the free side of the pelvis should stay level
    # or rise. A drop points to the standing side's hip abductors (gluteus medius).
    stance_seconds: int = 30
    #: The lifted leg's hip: between neutral and this many degrees of flexion.
    stance_hip_degrees: int = 30
    # Single-leg squat (Crossley et al., Am J Sports Med 2011): five squats in a row,
    # about one every 2 s, arms crossed, as deep as able; rated on five criteria
    # (overall, trunk, pelvis, hip, knee); a poor rating went with weaker hip abductors.
    squat_reps: int = 5
    squat_pace: float = 2.0
    # Single-leg bridge set-up (Freckleton et al. 2014): heel on a box this high, the
    # knee bent about this much; a rep counts while the hip reaches full extension.
    bridge_box_cm: int = 60
    bridge_knee_degrees: int = 20
    #: Rest between the sides of a test, and between a side plank's sides: at least
    #: a minute, so the second side is not tested tired.
    rest_between_sides: int = 20
    side_plank_between_sides: int = 60
    # Side plank (McGill, Childs & Liebenson, Arch Phys Med Rehabil 1999): held to
    # failure; healthy young adults' means were about 75 to 100 s, left and right
    # within a few per cent (a right/left ratio about 0.96). Cap: three minutes.
    side_plank_cap: int = 180
    #: Left and right hold times further apart than this (per cent of the longer):
    #: one side is weaker. McGill's criterion for side-bridge balance is 0.05.
    side_plank_tolerance: float = 5.0
    #: Bridge reps further apart than this (per cent of the higher): one side is
    #: weaker. A 90 % limb symmetry index is the usual bar for leg tests
    #: (e.g. Grindem et al., Br J Sports Med 2016).
    bridge_tolerance: float = 10.0
    #: Re-test after this many days (the issue: four weeks; about the time a
    #: strength change shows).
    retest_days: int = 28


THRESHOLDS = Thresholds()


class Measure(StrEnum):
    """What the runner collects for each side of a test step."""

    REPS = "reps"  # counted at the step's tempo until the user presses Enter
    SECONDS = "seconds"  # held until the user presses Enter
    YES_NO = "yes-no"  # the step's question, answered after the side's work


#: Crossley et al. 2011 rate the single-leg squat on five criteria, in this order. The
#: first four are asked here, each yes (a fault seen in the mirror) or no; the fifth, the
#: knee, is the squat step's own question, whose answer (`knee_inside`) the landing
#: gate and the proposals read.
SQUAT_CRITERIA: tuple[tuple[str, str], ...] = (
    ("overall", "Overall: did you lose balance, wobble, or stop short of a controlled depth?"),
    ("trunk", "Trunk: did it lean, bend or twist to one side?"),
    ("pelvis", "Pelvis: did it drop, hike or rotate?"),
    ("hip", "Hip: did the thigh swing in or twist inwards?"),
)
CRITERIA_NAMES = tuple(key for key, _ in SQUAT_CRITERIA)


@dataclass(frozen=True)
class Test:
    """One of the four tests: its drill, its table in the log, and what it measures."""

    key: str  # the table in the log file
    drill: str
    measure: Measure
    what: str  # in plain words, for readings: "bridge reps"
    value_key: str  # the per-side key: left_<value_key>, right_<value_key>
    question: str = ""
    cue: str = ""
    #: What each side is, in capitals: "STAND ON THE {SIDE} LEG".
    side_words: str = "{SIDE} SIDE"
    #: The essential words of it, in the big block font read from the floor: "{SIDE} LEG".
    big_words: str = "{SIDE} SIDE"
    #: Yes/no questions asked after each side before `question` (key, question).
    criteria: tuple[tuple[str, str], ...] = ()
    #: Where this differs from the published protocol (one person, no examiner).
    adapted: str = ""
    #: The published source, short.
    source: str = ""


STANCE = Test(
    "single_leg_stance", "single-leg-stance", Measure.YES_NO, "pelvis drop", "pelvis_drop",
    question="Did the free side of the pelvis drop?",
    cue="Facing the mirror: lifted thigh at most 30 degrees; free hip up for 30 s",
    side_words="STAND ON THE {SIDE} LEG",
    big_words="{SIDE} LEG",
    adapted="Adapted: you watch the mirror instead of an examiner behind you",
    source="Hardcastle & Nade 1985",
)  # fmt: skip
SQUAT = Test(
    "single_leg_squat", "single-leg-squat", Measure.YES_NO, "knee drift", "knee_inside",
    question="Did the knee drift inside the foot?",
    cue="Arms crossed, facing the mirror: 5 squats, about 2 s each, as deep as you control",
    side_words="SQUAT ON THE {SIDE} LEG",
    big_words="{SIDE} LEG",
    criteria=SQUAT_CRITERIA,
    adapted="Adapted: you rate yourself in the mirror, each of the five criteria yes or no",
    source="Crossley et al. 2011",
)  # fmt: skip
BRIDGE = Test(
    "single_leg_bridge", "single-leg-bridge-box", Measure.REPS, "bridge reps", "reps",
    cue="Heel on a 60 cm box, knee bent 20 degrees; Enter when the hip cannot fully straighten",
    side_words="{SIDE} HEEL ON THE BOX",
    big_words="{SIDE} HEEL",
    adapted="Adapted: reps counted at one each 2 s, not one by one",
    source="Freckleton et al. 2014",
)  # fmt: skip
SIDE_PLANK = Test(
    "side_plank", "side-plank", Measure.SECONDS, "side plank time", "seconds",
    cue="Body in one straight line, hips high; press Enter when they sag",
    side_words="ON THE {SIDE} ELBOW",
    big_words="{SIDE} ELBOW",
    adapted="Adapted: you end it with Enter when you feel the hips sag",
    source="McGill et al. 1999",
)  # fmt: skip
#: In the order they are run: quality checks first, tests to failure last, so fatigue
#: from a bridge to failure cannot make the pelvis drop in the stance test.
TESTS = (STANCE, SQUAT, BRIDGE, SIDE_PLANK)
SIDES = ("left", "right")


class AssessmentError(LogError):
    """An assessment file that cannot be read; it is reported and left untouched."""


# -- the plan ------------------------------------------------------------------------


def assessment_plan(library: Mapping[str, Drill], first_side: str = "left") -> Plan:
    """The four tests as a plan, from the library's drills; raises `PlanError` if one is
    missing or broken. The side plank starts on `first_side` (it alternates between
    assessments: `next_first_side`), with a minute between its sides."""
    t = THRESHOLDS
    doses: dict[str, dict[str, Any]] = {
        STANCE.key: {"hold": t.stance_seconds},
        SQUAT.key: {"reps": t.squat_reps, "tempo": t.squat_pace},
        BRIDGE.key: {"reps": t.bridge_cap, "tempo": t.bridge_pace, "until_enter": True},
        SIDE_PLANK.key: {"hold": t.side_plank_cap, "until_enter": True},
    }
    steps = []
    for test in TESTS:
        if test.drill not in library:
            raise PlanError([Problem(f"{test.drill}.toml", "the assessment needs this drill")])
        drill = library[test.drill]
        between = t.side_plank_between_sides if test is SIDE_PLANK else t.rest_between_sides
        steps.append(
            Step(
                name=drill.name,
                kind=drill.kind,
                per_side=True,
                cue=test.cue,
                equipment=drill.equipment,
                position=drill.position,
                drill=drill.id,
                ladder=(drill.id,),  # a test stays the test: never moved along a ladder
                rest=between,
                question=test.question,
                first_side=first_side if test is SIDE_PLANK else "left",
                **doses[test.key],
            )
        )
    plan = Plan(
        id=ASSESSMENT_PLAN_ID,
        title="Self-assessment",
        prepare=10,
        steps=tuple(steps),
        drills=library,
    )
    low, high = _minutes(plan)
    about = f"Four self-checks, each side: about {low} to {high} minutes. "
    return dataclasses.replace(plan, description=about + NOT_A_DIAGNOSIS)


def _minutes(plan: Plan) -> tuple[int, int]:
    """The assessment's length in whole minutes, tests to failure short and at their cap."""
    from gluteterm.core.timeline import expand

    short = plan_seconds(plan)
    long = sum(s.duration or 0.0 for s in expand(plan))
    return max(1, round(short / 60)), max(1, round(long / 60))


def next_first_side(last: AssessmentResult | None) -> str:
    """The side the side plank starts on this time: the other one than last time."""
    if last is None or last.side_plank_first is None:
        return "right" if last is not None else "left"
    return "right" if last.side_plank_first == "left" else "left"


def side_words(step: Step, side: str | None) -> str:
    """Which leg or side a test's side is, for large type: "STAND ON THE LEFT LEG"."""
    test = test_of(step)
    if test is None or side is None:
        return ""
    return test.side_words.replace("{SIDE}", side.upper())


def big_side_words(step: Step, side: str | None) -> str:
    """A test side's essential words for the big block font: "LEFT LEG"."""
    test = test_of(step)
    if test is None or side is None:
        return ""
    return test.big_words.replace("{SIDE}", side.upper())


def test_of(step: Step) -> Test | None:
    """The test a step runs (by its drill), or None for an ordinary step."""
    return next((t for t in TESTS if t.drill == step.drill), None)


def measure_of(step: Step) -> Measure | None:
    """What the runner must collect for each side of `step` (None: nothing)."""
    if step.question:
        return Measure.YES_NO
    if step.until_enter:
        return Measure.SECONDS if step.hold is not None else Measure.REPS
    return None


def measured(step: Step, elapsed: float) -> float:
    """What an `until_enter` side measured when Enter came `elapsed` s into its work.

    Seconds to one decimal, or whole reps at the step's tempo, never past the cap.
    """
    elapsed = max(0.0, elapsed) if math.isfinite(elapsed) else 0.0
    if step.hold is not None:
        return round(min(elapsed, float(step.hold)), 1)
    if step.reps is None or not step.tempo:
        raise ValueError(f"'{step.name}' counts no paced reps")
    return float(min(step.reps, math.floor(elapsed / step.tempo + 1e-9)))


# -- results -------------------------------------------------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class Sides(Generic[T]):
    """A figure for each side; None where that side was not tested."""

    left: T | None = None
    right: T | None = None

    def get(self, side: str) -> T | None:
        return self.left if side == "left" else self.right

    @property
    def complete(self) -> bool:
        return self.left is not None and self.right is not None


@dataclass(frozen=True)
class AssessmentResult:
    """One assessment as it went: every figure per side."""

    taken: datetime
    pelvis_drop: Sides[bool] = Sides()
    knee_inside: Sides[bool] = Sides()
    bridge_reps: Sides[int] = Sides()
    side_plank_seconds: Sides[float] = Sides()
    #: The squat's other Crossley criteria (SQUAT_CRITERIA) with a fault seen, per side;
    #: None where they were not asked (a file from before, or a skipped side).
    squat_faults: Sides[tuple[str, ...]] = Sides()
    #: The side the side plank started on (None: not tested, or a file from before).
    side_plank_first: str | None = None
    #: Ended before its last test (quit, a signal, a closed terminal): kept as a record,
    #: but it never decides anything (last assessment, weaker side, starting levels).
    partial: bool = False
    #: The drills of the tests pain stopped (the user pressed x): stopped for the day
    #: everywhere, like pain in a session (core.pain).
    pain: tuple[str, ...] = ()
    #: The log file it was read from ("" before it is saved).
    file: str = field(default="", compare=False)

    def figures(self, test: Test) -> Sides[Any]:
        """The per-side figures of `test`."""
        by_test: dict[str, Sides[Any]] = {
            STANCE.key: self.pelvis_drop,
            SQUAT.key: self.knee_inside,
            BRIDGE.key: self.bridge_reps,
            SIDE_PLANK.key: self.side_plank_seconds,
        }
        return by_test[test.key]

    def to_toml(self) -> dict[str, Any]:
        """The TOML document for this result (keys are part of the product)."""
        doc: dict[str, Any] = {
            "version": ASSESSMENT_VERSION,
            "kind": ASSESSMENT_KIND,
            "taken": self.taken.replace(microsecond=0),
        }
        if self.partial:
            doc["partial"] = True
        if self.pain:
            doc["pain"] = list(self.pain)
        for test in TESTS:
            figures = self.figures(test)
            table = {
                f"{side}_{test.value_key}": figures.get(side)
                for side in SIDES
                if figures.get(side) is not None
            }
            if test is SQUAT:
                for side in SIDES:
                    seen = self.squat_faults.get(side)
                    if seen is not None:
                        table[f"{side}_faults_seen"] = list(seen)
            if table and test is SIDE_PLANK and self.side_plank_first is not None:
                table["first"] = self.side_plank_first  # the next test starts on the other
            if table:
                doc[test.key] = table
        return doc

    @classmethod
    def from_toml(cls, data: dict[str, Any], file: str) -> AssessmentResult:
        """Read a parsed assessment document; raise `AssessmentError` naming what is wrong."""
        version = data.get("version")
        if version not in (1, 2, ASSESSMENT_VERSION) or isinstance(version, bool):
            if isinstance(version, int) and not isinstance(version, bool) and version > 1:
                raise AssessmentError(
                    f"{file}: written by a newer gluteterm (assessment version {version}); "
                    "upgrade gluteterm to read it"
                )
            raise AssessmentError(_bad(file, "version", f"1 to {ASSESSMENT_VERSION}", version))
        if data.get("kind") != ASSESSMENT_KIND:
            raise AssessmentError(_bad(file, "kind", f'"{ASSESSMENT_KIND}"', data.get("kind")))
        taken = sane_moment(data.get("taken"))
        if taken is None:
            expected = (
                "a date and time with its UTC offset (2026-11-24T18:03:12+01:00) "
                f"in the years {RECORD_YEARS[0]} to {RECORD_YEARS[1]}"
            )
            raise AssessmentError(_bad(file, "taken", expected, data.get("taken")))
        partial = data.get("partial", False) if version >= 2 else False
        if not isinstance(partial, bool):
            raise AssessmentError(_bad(file, "partial", "true or false", partial))
        pain = _pain(data, file) if version >= 3 else ()
        t = THRESHOLDS
        read = _TableReader(data, file)
        result = cls(
            taken=taken,
            pelvis_drop=read.sides(STANCE, bool),
            knee_inside=read.sides(SQUAT, bool),
            bridge_reps=read.sides(BRIDGE, int, 0, max(t.bridge_cap, 100)),
            side_plank_seconds=read.sides(SIDE_PLANK, float, 0, max(t.side_plank_cap, 600)),
            side_plank_first=_first_side(data, file),
            squat_faults=_faults_seen(data, file) if version >= 3 else Sides(),
            partial=partial,
            pain=pain,
            file=file,
        )
        figures = any(result.figures(test).get(s) is not None for test in TESTS for s in SIDES)
        if not figures and not pain:
            raise AssessmentError(f"{file}: holds no results (no test has a figure)")
        return result


def _pain(data: dict[str, Any], file: str) -> tuple[str, ...]:
    """`pain`: the drill ids of the tests pain stopped (short names, a few at most)."""
    found = data.get("pain", [])
    expected = f"a list of at most {MAX_PAIN_ENTRIES} drill ids"
    if not isinstance(found, list) or len(found) > MAX_PAIN_ENTRIES:
        raise AssessmentError(_bad(file, "pain", expected, found))
    for item in found:
        if not isinstance(item, str) or not 0 < len(item) <= 80 or not item.isprintable():
            raise AssessmentError(_bad(file, "pain", expected, item))
    return tuple(found)


def _faults_seen(data: dict[str, Any], file: str) -> Sides[tuple[str, ...]]:
    """`single_leg_squat.<side>_faults_seen`: the Crossley criteria with a fault seen."""
    table = data.get(SQUAT.key)
    if not isinstance(table, dict):
        return Sides()
    found: list[tuple[str, ...] | None] = []
    for side in SIDES:
        key = f"{side}_faults_seen"
        seen = table.get(key)
        if seen is None:
            found.append(None)
            continue
        expected = f"a list of criteria from {', '.join(CRITERIA_NAMES)}"
        ok = isinstance(seen, list) and all(
            isinstance(c, str) and c in CRITERIA_NAMES for c in seen
        )
        if not ok or len(seen) > len(CRITERIA_NAMES):
            raise AssessmentError(_bad(file, f"{SQUAT.key}.{key}", expected, seen))
        found.append(tuple(c for c in CRITERIA_NAMES if c in seen))
    return Sides(found[0], found[1])


def _first_side(data: dict[str, Any], file: str) -> str | None:
    """`side_plank.first`: the side the side plank started on (None when not said)."""
    table = data.get(SIDE_PLANK.key)
    if not isinstance(table, dict) or "first" not in table:
        return None
    if table["first"] not in SIDES:
        raise AssessmentError(
            _bad(file, f"{SIDE_PLANK.key}.first", "left or right", table["first"])
        )
    return str(table["first"])


def _bad(file: str, key: str, expected: str, found: object) -> str:
    return str(bad_problem(file, key, expected, found))


class _TableReader:
    """The per-side figures of each test's table, checked for type, finiteness and range."""

    def __init__(self, data: dict[str, Any], file: str) -> None:
        self.data, self.file = data, file

    def sides(self, test: Test, kind: type[Any], low: float = 0.0, high: float = 0.0) -> Sides[Any]:
        table = self.data.get(test.key)
        if table is None:
            return Sides()
        if not isinstance(table, dict):
            expected = "a table of left and right figures"
            raise AssessmentError(_bad(self.file, test.key, expected, table))
        values = [self._value(table, test, side, kind, low, high) for side in SIDES]
        return Sides(values[0], values[1])

    def _value(
        self, table: dict[str, Any], test: Test, side: str, kind: type[Any], low: float, high: float
    ) -> Any:
        key = f"{side}_{test.value_key}"
        value = table.get(key)
        where = f"{test.key}.{key}"
        if value is None:
            return None
        if kind is bool:
            if not isinstance(value, bool):
                raise AssessmentError(_bad(self.file, where, "true or false", value))
            return value
        whole = kind is int
        number_ok = isinstance(value, int) or (not whole and isinstance(value, float))
        if isinstance(value, bool) or not number_ok:
            expected = "a whole number" if whole else "a number of seconds"
            raise AssessmentError(_bad(self.file, where, expected, value))
        if not low <= value <= high or not math.isfinite(value):  # a huge int: no float()
            raise AssessmentError(_bad(self.file, where, f"from {low:g} to {high:g}", value))
        return int(value) if whole else float(value)


def result_from(
    taken: datetime,
    plan: Plan,
    values: Mapping[tuple[int, str], float | bool],
    partial: bool = False,
    pain: tuple[str, ...] = (),
    faults: Mapping[tuple[int, str], tuple[str, ...]] | None = None,
) -> AssessmentResult:
    """The result of a run of `plan`: `values` maps (step index, side) to what was
    collected (reps or seconds from `measured`, or the yes/no answer). `partial`:
    the run ended before its last test.

    Steps that are not tests, and sides with no value (a skipped test), are left out;
    a test left without a value for either side makes the result partial, as a run
    ended early does: a self-assessment missing a test decides nothing.
    """
    missing = any(
        test_of(step) is not None and any((index, side) not in values for side in SIDES)
        for index, step in enumerate(plan.steps)
    )
    collected: dict[str, dict[str, Any]] = {test.key: {} for test in TESTS}
    for (index, side), value in values.items():
        if not 0 <= index < len(plan.steps) or side not in SIDES:
            continue
        test = test_of(plan.steps[index])
        if test is None:
            continue
        if test.measure is Measure.YES_NO:
            collected[test.key][side] = bool(value)
        elif test.measure is Measure.REPS:
            collected[test.key][side] = int(value)
        else:
            collected[test.key][side] = round(float(value), 1)
    return AssessmentResult(
        taken=taken,
        pelvis_drop=Sides(**collected[STANCE.key]),
        knee_inside=Sides(**collected[SQUAT.key]),
        bridge_reps=Sides(**collected[BRIDGE.key]),
        side_plank_seconds=Sides(**collected[SIDE_PLANK.key]),
        side_plank_first=next(
            (s.first_side for s in plan.steps if test_of(s) is SIDE_PLANK and s.per_side), None
        )
        if collected[SIDE_PLANK.key]
        else None,
        partial=partial or bool(pain) or missing,
        pain=pain,
        squat_faults=_squat_faults(plan, faults or {}),
    )


def squat_faults_text(result: AssessmentResult) -> str:
    """The squat's other criteria, per side, in a sentence ("" if they were not asked)."""
    faults = result.squat_faults
    parts = []
    for side in SIDES:
        seen = faults.get(side)
        if seen is not None:
            parts.append(f"{side} {', '.join(seen) if seen else 'none'}")
    if not parts:
        return ""
    return (
        "Single-leg squat, faults you saw besides the knee (overall, trunk, pelvis, hip): "
        + "; ".join(parts)
        + "."
    )


def _squat_faults(
    plan: Plan, faults: Mapping[tuple[int, str], tuple[str, ...]]
) -> Sides[tuple[str, ...]]:
    """The squat's criteria with a fault seen, per side, from (step index, side) answers."""
    by_side: dict[str, tuple[str, ...]] = {}
    for (index, side), seen in faults.items():
        if 0 <= index < len(plan.steps) and side in SIDES and test_of(plan.steps[index]) is SQUAT:
            by_side[side] = tuple(c for c in CRITERIA_NAMES if c in seen)
    return Sides(by_side.get("left"), by_side.get("right"))


# -- readings ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One test's result in plain words, and the side it found weaker (if any)."""

    test: Test
    text: str
    #: Left/right difference in per cent of the better side (None for yes/no tests).
    difference: float | None = None
    weaker: str | None = None


def difference(left: float, right: float) -> float:
    """How far apart two figures are, in per cent of the higher one (0 when both are 0)."""
    high = max(left, right)
    return 0.0 if high <= 0 else (high - min(left, right)) / high * 100


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _counted_reading(test: Test, figures: Sides[Any], tolerance: float, unit: str) -> Reading:
    left, right = figures.left, figures.right
    assert left is not None and right is not None
    shown = f"left {left:g}{unit}, right {right:g}{unit}"
    apart = difference(left, right)
    if apart <= tolerance:
        return Reading(test, f"{test.what}: even, {shown} (within {tolerance:g} %)", apart, None)
    weaker = "left" if left < right else "right"
    less = "fewer" if test.measure is Measure.REPS else "less"
    text = f"{weaker} side {apart:.0f} % {less} {test.what} than {_other(weaker)} ({shown})"
    return Reading(test, text, apart, weaker)


def _yes_no_reading(test: Test, figures: Sides[Any]) -> Reading:
    yes = [side for side in SIDES if figures.get(side)]
    if test is STANCE:
        what = ("the pelvis dropped standing on the {} leg", "the pelvis stayed level")
    else:
        what = ("the knee drifted inside the foot on the {} leg", "the knee stayed over the foot")
    tested = [side for side in SIDES if figures.get(side) is not None]
    if not yes:
        on = "on both legs" if len(tested) == 2 else f"on the {tested[0]} leg"
        return Reading(test, f"{what[1]} {on}")
    if len(yes) == 2:
        return Reading(test, what[0].format("left and the right"))
    return Reading(test, what[0].format(yes[0]), weaker=yes[0])


def readings(result: AssessmentResult) -> list[Reading]:
    """A reading for each test that has a figure; counted tests need both sides."""
    t = THRESHOLDS
    out = []
    for test in TESTS:
        figures = result.figures(test)
        if figures.left is None and figures.right is None:
            continue
        if test.measure is Measure.YES_NO:
            out.append(_yes_no_reading(test, figures))
        elif not figures.complete:
            side = "left" if figures.left is not None else "right"
            unit = "" if test.measure is Measure.REPS else " s"
            out.append(
                Reading(test, f"{test.what}: {side} {figures.get(side):g}{unit} (one side only)")
            )
        elif test is BRIDGE:
            out.append(_counted_reading(test, figures, t.bridge_tolerance, ""))
        else:
            out.append(_counted_reading(test, figures, t.side_plank_tolerance, " s"))
    return out


def weaker_side(result: AssessmentResult) -> str | None:
    """The side more tests found weaker; None when they found none, or as many each way,
    or the assessment was not finished (`partial`)."""
    if result.partial:
        return None
    votes = [r.weaker for r in readings(result) if r.weaker is not None]
    left, right = votes.count("left"), votes.count("right")
    if left == right:
        return None
    return "left" if left > right else "right"


ABDUCTION = "side-lying-abduction"


class Proposal(NamedTuple):
    """Where to start a ladder: its id (its easiest drill), the drill, and why."""

    ladder: str
    drill: str
    reason: str


def proposals(result: AssessmentResult) -> list[Proposal]:
    """Starting levels on the ladders the results speak to (none for a skipped test, and
    none at all for an assessment that was not finished)."""
    if result.partial:
        return []
    t = THRESHOLDS
    out = []
    reps = result.bridge_reps
    if reps.complete:
        assert reps.left is not None and reps.right is not None
        low = min(reps.left, reps.right)
        if low < t.bridge_two_feet_below:
            why = f"fewer than {t.bridge_two_feet_below} single-leg bridge reps ({low})"
            out += [
                Proposal("glute-bridge", "glute-bridge", f"{why}: bridges on both feet first"),
                Proposal("glute-bridge-hold", "glute-bridge-hold", f"{why}: hold on both feet"),
            ]
        elif low < t.bridge_ball_from:
            why = f"{low} single-leg bridge reps on the weaker side"
            out += [
                Proposal("glute-bridge", "single-leg-bridge", f"{why}: single-leg bridges"),
                Proposal("glute-bridge-hold", "single-leg-bridge-hold", f"{why}: hold on one leg"),
            ]
        else:
            why = f"{low} or more single-leg bridge reps each side"
            out += [
                Proposal("glute-bridge", "bridge-on-ball", f"{why}: bridges on a ball"),
                Proposal(
                    "glute-bridge-hold", "single-leg-bridge-hold-ball", f"{why}: hold on a ball"
                ),
            ]
    drop = result.pelvis_drop
    if drop.complete:
        if drop.left or drop.right:
            why = "the pelvis dropped in single-leg stance"
            out += [
                Proposal(ABDUCTION, ABDUCTION, f"{why}: keep abduction side-lying"),
                Proposal("clamshell", "clamshell", f"{why}: clamshells without a band"),
            ]
        else:
            why = "the pelvis stayed level on both legs"
            out += [
                Proposal(
                    ABDUCTION,
                    "banded-side-lying-abduction",
                    f"{why}: side-lying abduction with a band",
                ),
                Proposal("clamshell", "banded-clamshell", f"{why}: clamshells with a band"),
            ]
    knee = result.knee_inside
    if knee.complete:
        if knee.left or knee.right:
            why = "the knee drifted inside the foot in the single-leg squat"
            out.append(Proposal("monster-walk", "monster-walk", f"{why}: band at the knees"))
        else:
            why = "the knee stayed over the foot"
            out.append(Proposal("monster-walk", "lateral-band-walk", f"{why}: band at the ankles"))
    return out


def retest_due(last: datetime | date | None, today: date) -> bool:
    """True when it is time to test again: never tested, or four weeks since the last."""
    if last is None:
        return True
    day = last.date() if isinstance(last, datetime) else last
    return (today - day).days >= THRESHOLDS.retest_days
