"""Editing a plan: change a value, turn a step off, move it; always through validation.

Every edit returns a new plan that has passed the same checks as a plan file
(the stretch limits included), or raises `PlanError` saying why not.
"""

from __future__ import annotations

import dataclasses

import tomli_w

from gluteterm.core.errors import PlanError, Problem
from gluteterm.core.limits import PREPARE, STEP_FIELDS
from gluteterm.core.loader import LoadedPlan, parse_plan
from gluteterm.core.plan import Plan, Step
from gluteterm.core.plan_file import plan_document


def rebuild(plan: Plan, every: list[Step]) -> Plan:
    """`plan` with `every` as its steps (those turned off kept aside)."""
    on = tuple(s for s in every if not s.off)
    return dataclasses.replace(
        plan, steps=on, with_off=tuple(every) if len(on) < len(every) else ()
    )


def validate(plan: Plan) -> LoadedPlan:
    """`plan` through the loader; raises `PlanError` (warnings come back with it)."""
    text = tomli_w.dumps(plan_document(plan))
    return parse_plan(text, f"{plan.id}.toml", plan.id, source=plan.source, drills=plan.drills)


def change(plan: Plan, index: int, field: str, direction: int) -> LoadedPlan:
    """One step up (+1) or down (-1) of `field` on step `index` (of every step)."""
    every = list(plan.every_step)
    step = every[index]
    bound = STEP_FIELDS[field]
    size, low, high = bound.step, bound.low, bound.high
    current = getattr(step, field)
    if current is None:
        if field == "rest":
            current = plan.rest
        elif field == "tempo":
            if direction < 0:
                raise _refuse(plan, step, index, field, "no tempo to lower: the set ends on Enter")
            current = 2.5
        else:
            raise _refuse(plan, step, index, field, f"this step has no {field}")
    value = min(high, max(low, current + direction * size))
    if value == current:
        raise _refuse(plan, step, index, field, f"{field} stays between {low:g} and {high:g}")
    if field != "tempo":
        value = int(value)
    every[index] = dataclasses.replace(step, **{field: value})
    return validate(rebuild(plan, every))


def change_prepare(plan: Plan, direction: int) -> LoadedPlan:
    """The plan's get-ready one step longer (+1) or shorter (-1); a change of position or
    equipment still gets its longer get-ready (core.timeline), unless it is 0."""
    low, high = int(PREPARE.low), int(PREPARE.high)
    value = min(high, max(low, plan.prepare + direction * int(PREPARE.step)))
    if value == plan.prepare:
        raise PlanError(
            [
                Problem(
                    f"{plan.id}.toml", f"get-ready stays between {low} and {high} s", key="prepare"
                )
            ]
        )
    return validate(dataclasses.replace(plan, prepare=value))


def toggle(plan: Plan, index: int, field: str) -> LoadedPlan:
    """Flip per_side or off on step `index`."""
    every = list(plan.every_step)
    step = every[index]
    if field == "per_side":
        every[index] = dataclasses.replace(step, per_side=not step.per_side)
    else:
        every[index] = dataclasses.replace(step, off=not step.off)
    return validate(rebuild(plan, every))


def move(plan: Plan, index: int, delta: int) -> LoadedPlan:
    """Move step `index` up (-1) or down (+1)."""
    every = list(plan.every_step)
    target = index + delta
    if not 0 <= target < len(every):
        raise _refuse(plan, every[index], index, "step", "it is already at the end")
    every[index], every[target] = every[target], every[index]
    return validate(rebuild(plan, every))


def _refuse(plan: Plan, step: Step, index: int, key: str, why: str) -> PlanError:
    return PlanError([Problem(f"{plan.id}.toml", why, "error", index + 1, step.name, key)])


def set_holds(plan: Plan, holds: dict[int, int]) -> LoadedPlan:
    """`plan` with new hold seconds: `holds` maps an index in `plan.every_step` to seconds."""
    every = list(plan.every_step)
    bound = STEP_FIELDS["hold"]
    for index, seconds in holds.items():
        step = every[index]
        if step.hold is not None:
            every[index] = dataclasses.replace(
                step, hold=max(int(bound.low), min(int(bound.high), seconds))
            )
    return validate(rebuild(plan, every))
