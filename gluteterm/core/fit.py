"""Fit a plan to the minutes someone has today, keeping every step.

A step that does a library drill stays inside the drill's dose range (seconds
or reps per set, and sets; `Drill.dose_range`): past its top a warm-up turns
into a workout. Shortening drops optional length first, in this order: rests,
then extra sets, then holds and reps, scaled together down to the bottom of
each range (a step of its own: to sensible minimums, 15 s for a foam-roll
hold, 3 reps). Lengthening scales holds, reps and rests up to the top of each
range, then adds sets one at a time within it; a plan that is still short
cannot be stretched (the builder adds drills instead). A step of its own (no
drill, or dosed another way than its drill) grows by half at most. A stretch never grows
past 30 s a hold or 60 s per side per step. The rest between sets of jumps
(drills with a landing) is never cut below `JUMP_REST` (30 s).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from gluteterm.core.drill import DoseRange
from gluteterm.core.errors import GlutetermError
from gluteterm.core.landing import JUMP_REST
from gluteterm.core.limits import STEP_FIELDS, STRETCH_HOLD_WARN, STRETCH_STEP_MAX
from gluteterm.core.plan import Kind, Plan, Step
from gluteterm.core.text import duration
from gluteterm.core.timeline import plan_seconds

TOLERANCE = 0.05
MIN_HOLD = {Kind.RELEASE: 15, Kind.STRETCH: 10}
MIN_HOLD_OTHER = 10
MIN_REPS = 3
MIN_PREPARE = 3
#: A step with no drill range (a step of its own) grows at most this much when lengthened.
OWN_GROWTH = 1.5
#: Lengthening never makes a rest longer than this (or the rest as written, if longer).
MAX_GROWN_REST = 60


class FitError(GlutetermError):
    """The plan cannot fit the minutes asked for; says what the shortest fit is."""


def window(plan: Plan, step: Step) -> DoseRange | None:
    """The dose range `step` keeps to: its drill's, when it is dosed the drill's way
    (a hold for a timed drill, reps for a counted one); None for a step of its own."""
    drills = plan.drills or {}
    if step.drill is None or step.drill not in drills:
        return None
    drill = drills[step.drill]
    if (step.hold is None) != (drill.default.hold is None):
        return None
    return drill.dose_range


def is_jump(plan: Plan, step: Step) -> bool:
    """True when `step` does a drill that lands from a jump."""
    drills = plan.drills or {}
    return (
        step.drill is not None and step.drill in drills and drills[step.drill].landing is not None
    )


def most_sets(plan: Plan, step: Step) -> int:
    """The most sets `step` may have: its range's top, less the weaker side's extra set."""
    span = window(plan, step)
    if span is None:
        return int(STEP_FIELDS["sets"].high)
    return max(1, span.sets_high - (1 if step.extra_side is not None else 0))


def _min_hold(step: Step) -> int:
    return min(step.hold or 0, MIN_HOLD.get(step.kind, MIN_HOLD_OTHER))


def _scale_in(step: Step, factor: float, span: DoseRange) -> Step:
    """Holds or reps times `factor`, inside the drill's range (a stretch: never longer)."""
    value = step.hold if step.hold is not None else step.reps
    assert value is not None
    high = span.high
    if step.kind is Kind.STRETCH:
        high = min(high, max(value, STRETCH_HOLD_WARN), STRETCH_STEP_MAX // step.sets)
    scaled = max(span.low, min(high, round(value * factor)))
    if step.hold is not None:
        return dataclasses.replace(step, hold=scaled)
    return dataclasses.replace(step, reps=scaled)


def _scale_step(step: Step, factor: float, span: DoseRange | None = None) -> Step:
    """Holds and reps times `factor`, kept within their range, or minimums and caps."""
    if span is not None:
        return _scale_in(step, factor, span)
    if step.hold is not None:
        hold = round(step.hold * factor)
        top = min(int(STEP_FIELDS["hold"].high), round(step.hold * OWN_GROWTH))
        if step.kind is Kind.STRETCH:
            top = min(max(step.hold, STRETCH_HOLD_WARN), STRETCH_STEP_MAX // step.sets)
            top = max(top, step.hold) if factor <= 1 else top
        hold = max(_min_hold(step), min(top, hold))
        return dataclasses.replace(step, hold=hold)
    assert step.reps is not None
    top = min(int(STEP_FIELDS["reps"].high), round(step.reps * OWN_GROWTH))
    reps = max(min(step.reps, MIN_REPS), min(top, round(step.reps * factor)))
    return dataclasses.replace(step, reps=reps)


def _rest(rest: int, factor: float) -> int:
    grown = round(rest * factor)
    return grown if factor <= 1 else min(grown, max(rest, MAX_GROWN_REST))


def _with_rests(plan: Plan, factor: float) -> Plan:
    def one(step: Step) -> Step:
        if is_jump(plan, step) and step.most_sets > 1:
            # Jumps keep their rest: quality landings need it (never under JUMP_REST).
            rest = plan.rest_for(step)
            return dataclasses.replace(step, rest=max(JUMP_REST, _rest(rest, max(factor, 1))))
        if step.rest is None:
            return step
        return dataclasses.replace(step, rest=_rest(step.rest, factor))

    steps = tuple(one(s) for s in plan.steps)
    return dataclasses.replace(plan, rest=_rest(plan.rest, factor), steps=steps)


def _one_set(plan: Plan) -> Plan:
    def least(step: Step) -> int:
        span = window(plan, step)
        return 1 if span is None else span.sets_low

    return dataclasses.replace(
        plan, steps=tuple(dataclasses.replace(s, sets=least(s)) for s in plan.steps)
    )


def _scaled(plan: Plan, factor: float) -> Plan:
    return dataclasses.replace(
        plan, steps=tuple(_scale_step(s, factor, window(plan, s)) for s in plan.steps)
    )


def _search(
    make: Callable[[float], Plan], target: float, low: float, high: float
) -> tuple[Plan, float]:
    """The plan from `make(factor)` whose length is nearest `target`, factor in [low, high]."""
    best: tuple[float, Plan] | None = None
    for _ in range(40):
        mid = (low + high) / 2
        candidate = make(mid)
        length = plan_seconds(candidate)
        if best is None or abs(length - target) < abs(best[0] - target):
            best = (length, candidate)
        if length > target:
            high = mid
        else:
            low = mid
    assert best is not None
    return best[1], best[0]


def shortest(plan: Plan) -> Plan:
    """Every step kept, each at its minimum: the shortest this plan can be."""
    quick = dataclasses.replace(
        _with_rests(_one_set(plan), 0), prepare=min(plan.prepare, MIN_PREPARE)
    )
    return _scaled(quick, 0.0)


def longest(plan: Plan) -> Plan:
    """Every step at the top of its range, with as many sets as it may have: the longest
    this plan can be (steps of their own scaled as far as their caps allow)."""
    steps = tuple(
        dataclasses.replace(s, sets=most_sets(plan, s)) if window(plan, s) is not None else s
        for s in plan.steps
    )
    return _with_rests(_scaled(dataclasses.replace(plan, steps=steps), 4.0), 4.0)


def fit(plan: Plan, minutes: float) -> Plan:
    """`plan` changed to last `minutes` (within 5 %), or `FitError` if it cannot."""
    target = minutes * 60
    if target <= 0:
        raise FitError(f"a session needs some time; {minutes:g} minutes is not enough")
    now = plan_seconds(plan)
    if abs(now - target) <= TOLERANCE * target:
        return plan
    if now < target:
        return _lengthen(plan, target)
    # Shorter: rests first, then extra sets one at a time, then holds and reps.
    candidate = plan
    while True:
        fitted, length = _search(_rests_of(candidate), target, 0.0, 1.0)
        if length <= target * (1 + TOLERANCE):
            return fitted
        fewer = _drop_a_set(candidate)
        if fewer is None:
            break
        candidate = fewer
    base = dataclasses.replace(_with_rests(candidate, 0), prepare=min(plan.prepare, MIN_PREPARE))
    fitted, length = _search(lambda f: _scaled(base, f), target, 0.0, 1.0)
    if length > target * (1 + TOLERANCE):
        least = plan_seconds(shortest(plan))
        raise FitError(
            f"'{plan.title}' cannot fit in {minutes:g} min with every step kept: the "
            f"shortest it can be is about {duration(least)}; give it at least "
            f"{math.ceil(least / 60)} minutes, or pick a shorter session"
        )
    return fitted


def _lengthen(plan: Plan, target: float) -> Plan:
    """Holds, reps and rests up to the top of their ranges, then a set more at a time."""
    candidate = plan
    while True:

        def longer(f: float, base: Plan = candidate) -> Plan:
            return _with_rests(_scaled(base, f), f)

        # From below 1: a set just added may make the plan too long at the old dose.
        fitted, length = _search(longer, target, 0.0, 4.0)
        if abs(length - target) <= TOLERANCE * target:
            return fitted
        more = _add_a_set(candidate) if length < target else None
        if more is None:
            if length > target:
                return fitted
            raise FitError(
                f"'{plan.title}' can stretch only to about {duration(length)} with every "
                f"drill inside its dose range (past it a warm-up turns into a workout); "
                f"run it as it is, or pick a longer session"
            )
        candidate = more


def _add_a_set(plan: Plan) -> Plan | None:
    """`plan` with one set more on the step with the fewest that may take one, or None.

    Only steps whose drill has a range grow sets (a step of its own keeps its own)."""
    candidates = [
        i
        for i, s in enumerate(plan.steps)
        if window(plan, s) is not None and s.sets < most_sets(plan, s)
    ]
    if not candidates:
        return None
    index = min(candidates, key=lambda i: (plan.steps[i].sets, i))
    steps = list(plan.steps)
    steps[index] = dataclasses.replace(steps[index], sets=steps[index].sets + 1)
    return dataclasses.replace(plan, steps=tuple(steps))


def _rests_of(plan: Plan) -> Callable[[float], Plan]:
    return lambda factor: _with_rests(plan, factor)


def _drop_a_set(plan: Plan) -> Plan | None:
    """`plan` with one set fewer on the step that has the most, or None if all have one."""

    def least(step: Step) -> int:
        span = window(plan, step)
        return 1 if span is None else span.sets_low

    candidates = [i for i, s in enumerate(plan.steps) if s.sets > least(s)]
    if not candidates:
        return None
    index = max(candidates, key=lambda i: (plan.steps[i].sets, i))
    steps = list(plan.steps)
    steps[index] = dataclasses.replace(steps[index], sets=steps[index].sets - 1)
    return dataclasses.replace(plan, steps=tuple(steps))
