"""The timeline a plan expands into: get-ready, work, switch sides and rest segments.

Every change of side needs a moment to change position: the step's rest when
it has one, otherwise the plan's get-ready time. A step with `extra_side` ends
with one more set on that side alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gluteterm.core.plan import Plan, Step


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


def step_segments(plan: Plan, index: int, step: Step) -> list[Segment]:
    """The segments of one step: get-ready, then each set side by side, rests between."""
    out: list[Segment] = []
    rest = plan.rest_for(step)
    switch = rest if rest > 0 else plan.prepare
    if plan.prepare > 0:
        out.append(Segment(SegmentKind.PREPARE, index, float(plan.prepare), 1, step.sets))
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
