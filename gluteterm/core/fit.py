"""Fit a plan to the minutes someone has today, keeping every step.

Shortening drops optional length first, in this order: rests, then extra
sets, then holds and reps, scaled together down to sensible minimums (15 s
for a foam-roll hold, 3 reps). Lengthening scales holds, reps and rests up,
never past a cap (stretch holds stay at 30 s or less, 60 s per side per step).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from gluteterm.core.errors import GlutetermError
from gluteterm.core.limits import STEP_FIELDS, STRETCH_HOLD_WARN, STRETCH_STEP_MAX
from gluteterm.core.plan import Kind, Plan, Step
from gluteterm.core.text import duration
from gluteterm.core.timeline import plan_seconds

TOLERANCE = 0.05
MIN_HOLD = {Kind.RELEASE: 15, Kind.STRETCH: 10}
MIN_HOLD_OTHER = 10
MIN_REPS = 3
MIN_PREPARE = 3


class FitError(GlutetermError):
    """The plan cannot fit the minutes asked for; says what the shortest fit is."""


def _min_hold(step: Step) -> int:
    return min(step.hold or 0, MIN_HOLD.get(step.kind, MIN_HOLD_OTHER))


def _scale_step(step: Step, factor: float) -> Step:
    """Holds and reps times `factor`, kept within their minimums and caps."""
    if step.hold is not None:
        hold = round(step.hold * factor)
        top = int(STEP_FIELDS["hold"].high)
        if step.kind is Kind.STRETCH:
            top = min(max(step.hold, STRETCH_HOLD_WARN), STRETCH_STEP_MAX // step.sets)
            top = max(top, step.hold) if factor <= 1 else top
        hold = max(_min_hold(step), min(top, hold))
        return dataclasses.replace(step, hold=hold)
    assert step.reps is not None
    reps = max(
        min(step.reps, MIN_REPS), min(int(STEP_FIELDS["reps"].high), round(step.reps * factor))
    )
    return dataclasses.replace(step, reps=reps)


def _with_rests(plan: Plan, factor: float) -> Plan:
    steps = tuple(
        dataclasses.replace(s, rest=round(s.rest * factor)) if s.rest is not None else s
        for s in plan.steps
    )
    return dataclasses.replace(plan, rest=round(plan.rest * factor), steps=steps)


def _one_set(plan: Plan) -> Plan:
    return dataclasses.replace(
        plan, steps=tuple(dataclasses.replace(s, sets=1) for s in plan.steps)
    )


def _scaled(plan: Plan, factor: float) -> Plan:
    return dataclasses.replace(plan, steps=tuple(_scale_step(s, factor) for s in plan.steps))


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
        _one_set(_with_rests(plan, 0)), prepare=min(plan.prepare, MIN_PREPARE)
    )
    return _scaled(quick, 0.0)


def fit(plan: Plan, minutes: float) -> Plan:
    """`plan` changed to last `minutes` (within 5 %), or `FitError` if it cannot."""
    target = minutes * 60
    if target <= 0:
        raise FitError(f"a session needs some time; {minutes:g} minutes is not enough")
    now = plan_seconds(plan)
    if abs(now - target) <= TOLERANCE * target:
        return plan
    if now < target:

        def longer(f: float) -> Plan:
            return _with_rests(_scaled(plan, f), f)

        fitted, length = _search(longer, target, 1.0, 4.0)
        if length < target * (1 - TOLERANCE):
            raise FitError(
                f"'{plan.title}' can stretch only to about {duration(length)} without "
                f"breaking a limit; run it as it is, or pick a longer session"
            )
        return fitted
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


def _rests_of(plan: Plan) -> Callable[[float], Plan]:
    return lambda factor: _with_rests(plan, factor)


def _drop_a_set(plan: Plan) -> Plan | None:
    """`plan` with one set fewer on the step that has the most, or None if all have one."""
    candidates = [i for i, s in enumerate(plan.steps) if s.sets > 1]
    if not candidates:
        return None
    index = max(candidates, key=lambda i: (plan.steps[i].sets, i))
    steps = list(plan.steps)
    steps[index] = dataclasses.replace(steps[index], sets=steps[index].sets - 1)
    return dataclasses.replace(plan, steps=tuple(steps))
