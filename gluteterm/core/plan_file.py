"""Plans back to TOML: the document a plan is saved as (same keys as the format).

A step that names a library drill is written as `drill = "id"`, its dose, and
only what else differs from the drill, so the user's file keeps following the
drill's text (name, cue, equipment) but never changes length by itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from gluteterm.core.drill import Drill
from gluteterm.core.errors import PlanError
from gluteterm.core.plan import Plan, Step, phase_split


def step_document(step: Step, drills: Mapping[str, Drill] | None = None) -> dict[str, Any]:
    """The `[[step]]` table for `step`; `drills` is the library its drill comes from."""
    drill = _drill_of(step, drills)
    if drill is not None:
        return _drill_step_document(step, drill)
    doc: dict[str, Any] = {"name": step.name, "kind": step.kind.value}
    if step.drill is not None:  # its library is not at hand: write it out in full
        doc = {"drill": step.drill, **doc}
    if step.hold is not None:
        doc["hold"] = step.hold
    if step.reps is not None:
        doc["reps"] = step.reps
    if step.tempo is not None:
        doc["tempo"] = tempo_value(step)
    if step.sets != 1:
        doc["sets"] = step.sets
    if step.rest is not None:
        doc["rest"] = step.rest
    if step.per_side:
        doc["per_side"] = True
    if step.cue:
        doc["cue"] = step.cue
    if step.equipment:
        doc["equipment"] = list(step.equipment)
    if step.levels:
        doc["levels"] = list(step.levels)
    if step.off:
        doc["off"] = True
    if step.position is not None:
        doc["position"] = step.position
    doc.update(_test_document(step))
    return doc


def _test_document(step: Step) -> dict[str, Any]:
    """The keys of a test or a weaker side's extra set, when the step has them."""
    doc: dict[str, Any] = {}
    if step.until_enter:
        doc["until_enter"] = True
    if step.question:
        doc["question"] = step.question
    if step.extra_side is not None:
        doc["extra_side"] = step.extra_side
    if step.first_side != "left":
        doc["first_side"] = step.first_side
    return doc


def tempo_value(step: Step) -> float | int | list[float | int]:
    """The tempo as written: a number, or up, hold and down scaled to the step's tempo."""
    assert step.tempo is not None
    if step.phases:
        return [_number(p) for p in phase_split(step.tempo, step.phases)]
    return _number(step.tempo)


def _number(value: float) -> float | int:
    value = round(value, 2)
    return int(value) if float(value).is_integer() else value


def _drill_of(step: Step, drills: Mapping[str, Drill] | None) -> Drill | None:
    if step.drill is None or drills is None or step.drill not in drills:
        return None
    try:
        return drills[step.drill]
    except PlanError:  # a drill file broken since the plan was read: write the step in full
        return None


def _drill_step_document(step: Step, drill: Drill) -> dict[str, Any]:
    doc: dict[str, Any] = {"drill": drill.id}
    if step.name != drill.name:
        doc["name"] = step.name
    if step.kind is not drill.kind:
        doc["kind"] = step.kind.value
    # The dose is always written: a session's length must not change when a drill's default does.
    dose = step_document(dataclasses.replace(step, drill=None, cue="", equipment=(), levels=()))
    doc.update({k: dose[k] for k in ("hold", "reps", "tempo", "sets", "rest") if k in dose})
    if step.tempo is not None and step.phases and step.phases == drill.default.phases:
        doc["tempo"] = _number(step.tempo)  # the drill's own shape: a number keeps it
    if step.per_side != drill.per_side:
        doc["per_side"] = step.per_side
    if step.cue != drill.cue:
        doc["cue"] = step.cue
    if step.equipment != drill.equipment:
        doc["equipment"] = list(step.equipment)
    if step.position != drill.position and step.position is not None:
        doc["position"] = step.position
    if step.off:
        doc["off"] = True
    doc.update(_test_document(step))
    return doc


def plan_document(plan: Plan) -> dict[str, Any]:
    """The TOML document for `plan`, ready for tomli-w."""
    doc: dict[str, Any] = {"title": plan.title}
    if plan.description:
        doc["description"] = plan.description
    doc["prepare"] = plan.prepare
    doc["rest"] = plan.rest
    doc["step"] = [step_document(s, plan.drills) for s in plan.every_step]
    return doc
