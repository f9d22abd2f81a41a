"""The timeline a plan expands into: get-ready, work, switch sides and rest segments.

Every change of side needs a moment to change position: the step's rest when
it has one, otherwise the plan's get-ready time. A step with `extra_side` ends
with one more set on that side alone.

A step's get-ready is the plan's `prepare`, longer when the step changes the
set-up (`setup_change`): CHANGE_PREPARE seconds for a new position (lying,
side-lying, sitting, kneeling, standing) or new equipment, BIG_CHANGE_PREPARE
for both. The session starts from standing with nothing in hand. A plan with
`prepare = 0` has no get-ready at all.

A paced rep is split into up, hold and down (`rep_timing`, `phase_at`), so the
screen, the count and the figure can follow a tempo like `[1, 2, 2]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gluteterm.core.plan import REP_PHASES, Plan, Step

#: Seconds of get-ready before a step that changes position or equipment ...
CHANGE_PREPARE = 12
#: ... and before one that changes both (down to the floor and a band on).
BIG_CHANGE_PREPARE = 15
#: Where a session starts from: standing at the screen, nothing in hand.
START_POSITION = "standing"


class SegmentKind(StrEnum):
    PREPARE = "prepare"
    WORK = "work"
    SWITCH = "switch"
    REST = "rest"


@dataclass(frozen=True)
class Segment:
    """One stretch of time with one thing to do.

    `duration` is None for reps without a tempo: the user ends the set.
    """

    kind: SegmentKind
    step_index: int
    duration: float | None
    set_no: int = 1
    sets: int = 1
    side: str | None = None


def expand(plan: Plan) -> tuple[Segment, ...]:
    """Every segment of `plan`, in order."""
    segments: list[Segment] = []
    for index, step in enumerate(plan.steps):
        segments.extend(step_segments(plan, index, step))
    return tuple(segments)


@dataclass(frozen=True)
class SetupChange:
    """What changes before a step: the position (from, to) and the equipment."""

    position: tuple[str, str] | None = None
    put_on: tuple[str, ...] = ()
    take_off: tuple[str, ...] = ()

    @property
    def position_changes(self) -> bool:
        return self.position is not None

    @property
    def equipment_changes(self) -> bool:
        return bool(self.put_on or self.take_off)

    def __bool__(self) -> bool:
        return self.position_changes or self.equipment_changes

    def __str__(self) -> str:
        """`Get into position: side-lying · put on: mini band`, or ""."""
        parts = []
        if self.position is not None:
            parts.append(f"{self.position[0]} to {self.position[1]}")
        if self.take_off:
            parts.append(f"put away: {', '.join(self.take_off)}")
        if self.put_on:
            parts.append(f"get: {', '.join(self.put_on)}")
        return " · ".join(parts)


def setup_change(plan: Plan, index: int) -> SetupChange:
    """How step `index`'s set-up differs from the step before it (or from standing
    with nothing, for the first). A step that does not say its position changes none."""
    step = plan.steps[index]
    before = plan.steps[index - 1] if index > 0 else None
    was = before.position if before is not None else START_POSITION
    had = set(before.equipment) if before is not None else set()
    now = set(step.equipment)
    moved = (was, step.position) if was and step.position and was != step.position else None
    return SetupChange(
        position=moved,
        put_on=tuple(e for e in step.equipment if e not in had),
        take_off=tuple(e for e in (before.equipment if before else ()) if e not in now),
    )


def prepare_seconds(plan: Plan, index: int) -> float:
    """Step `index`'s get-ready: the plan's, longer for a change of set-up; 0 keeps 0."""
    if plan.prepare <= 0:
        return 0.0
    change = setup_change(plan, index)
    if change.position_changes and change.equipment_changes:
        return float(max(plan.prepare, BIG_CHANGE_PREPARE))
    if change:
        return float(max(plan.prepare, CHANGE_PREPARE))
    return float(plan.prepare)


def step_segments(plan: Plan, index: int, step: Step) -> list[Segment]:
    """The segments of one step: get-ready, then each set side by side, rests between."""
    out: list[Segment] = []
    rest = plan.rest_for(step)
    switch = rest if rest > 0 else plan.prepare
    prepare = prepare_seconds(plan, index)
    if prepare > 0:
        out.append(Segment(SegmentKind.PREPARE, index, float(prepare), 1, step.sets))
    sets = step.most_sets
    for set_no in range(1, sets + 1):
        # The extra set (a weaker side's) is done on that side only.
        sides = step.sides if set_no <= step.sets else (step.extra_side,)
        for side_no, side in enumerate(sides):
            if side_no > 0 and switch > 0:
                out.append(Segment(SegmentKind.SWITCH, index, float(switch), set_no, sets, side))
            out.append(Segment(SegmentKind.WORK, index, step.work_seconds(), set_no, sets, side))
        if set_no < sets:
            if rest > 0:
                out.append(Segment(SegmentKind.REST, index, float(rest), set_no, sets))
            elif step.per_side and switch > 0:
                # Back to the first side of the next set (or the extra set's side); an
                # extra set on the side just done gets a breather instead.
                following = step.sides[0] if set_no < step.sets else step.extra_side
                if following == step.sides[-1]:
                    out.append(Segment(SegmentKind.REST, index, float(switch), set_no, sets))
                else:
                    out.append(
                        Segment(
                            SegmentKind.SWITCH, index, float(switch), set_no + 1, sets, following
                        )
                    )
    return out


#: A test to failure (ended with Enter) usually stops well before its cap.
UNTIL_ENTER_TYPICAL = 45.0


def estimated(segment: Segment, plan: Plan) -> float:
    """A segment's length, estimating unpaced reps and tests that end on Enter."""
    step = plan.steps[segment.step_index]
    if step.until_enter and segment.kind is SegmentKind.WORK and segment.duration is not None:
        return min(segment.duration, UNTIL_ENTER_TYPICAL)
    if segment.duration is not None:
        return segment.duration
    return plan.steps[segment.step_index].estimated_work_seconds()


def plan_seconds(plan: Plan) -> float:
    """The whole session's planned length (unpaced reps estimated)."""
    return sum(estimated(s, plan) for s in expand(plan))


# -- the phases of a paced rep -------------------------------------------------------


@dataclass(frozen=True)
class RepPhase:
    """One phase of a paced rep: "up", "hold" or "down", when it starts in the rep, how long."""

    name: str
    start: float
    length: float


def rep_timing(step: Step) -> tuple[RepPhase, ...]:
    """Up, hold and down of one of `step`'s paced reps (a hold may last 0 s); () when
    its reps are not paced. A plain tempo is half up, half down."""
    phases = step.rep_phases()
    if phases is None:
        return ()
    out, start = [], 0.0
    for name, length in zip(REP_PHASES, phases, strict=True):
        out.append(RepPhase(name, start, length))
        start += length
    return tuple(out)


def phase_at(step: Step, elapsed: float) -> tuple[RepPhase, float] | None:
    """The phase `elapsed` seconds into a paced set falls in, and the seconds into it."""
    timing = rep_timing(step)
    if not timing or not step.tempo:
        return None
    into = max(0.0, elapsed) % step.tempo
    lasting = [p for p in timing if p.length > 0]
    for phase in lasting:
        if into < phase.start + phase.length:
            return phase, into - phase.start
    last = lasting[-1]
    return last, min(last.length, into - last.start)
