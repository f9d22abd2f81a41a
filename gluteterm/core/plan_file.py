"""Plans back to TOML: the document a plan is saved as (same keys as the format)."""

from __future__ import annotations

from typing import Any

from gluteterm.core.plan import Plan, Step


def step_document(step: Step) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": step.name, "kind": step.kind.value}
    if step.hold is not None:
        doc["hold"] = step.hold
    if step.reps is not None:
        doc["reps"] = step.reps
    if step.tempo is not None:
        doc["tempo"] = int(step.tempo) if float(step.tempo).is_integer() else step.tempo
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
    return doc


def plan_document(plan: Plan) -> dict[str, Any]:
    """The TOML document for `plan`, ready for tomli-w."""
    doc: dict[str, Any] = {"title": plan.title}
    if plan.description:
        doc["description"] = plan.description
    doc["prepare"] = plan.prepare
    doc["rest"] = plan.rest
    doc["step"] = [step_document(s) for s in plan.every_step]
    return doc
