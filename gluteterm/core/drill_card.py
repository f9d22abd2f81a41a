"""A drill's card as lines of plain text: what it is, how to do it, where to feel it,
what goes wrong and how to fix it, and its ladder. The CLI prints it; the app shows it."""

from __future__ import annotations

from collections.abc import Mapping

from gluteterm.core.drill import Dose, Drill, fill_dose, ladder
from gluteterm.core.errors import PlanError
from gluteterm.core.plan import Step, phase_split


def dose_text(dose: Dose | Step, per_side: bool) -> str:
    """`10 reps per side, 2 s each, 2 sets, 30 s rest` style."""
    side = " per side" if per_side else ""
    parts = [f"{dose.hold} s{side}" if dose.hold is not None else f"{dose.reps} reps{side}"]
    if dose.tempo is not None:
        each = f"{dose.tempo:g} s each"
        if dose.phases:
            up, hold, down = phase_split(dose.tempo, dose.phases)
            each += f" ({up:.3g} up, {hold:.3g} hold, {down:.3g} down)"
        parts.append(each)
    if dose.sets > 1:
        parts.append(f"{dose.sets} sets")
    if dose.rest:
        parts.append(f"{dose.rest} s rest")
    return ", ".join(parts)


def card_lines(drill: Drill, library: Mapping[str, Drill], step: Step | None = None) -> list[str]:
    """The drill's card: what, how, feel, faults and its ladder (user text unescaped).

    With `step` (in a session), the dose and the numbers in the how lines are that
    step's, not the drill's default.
    """
    dose: Dose | Step = drill.default if step is None else step
    per_side = drill.per_side if step is None else step.per_side
    lines = [f"{drill.name}  ({drill.id})"]
    facts = [drill.kind.value, ", ".join(drill.equipment) or "no equipment"]
    if drill.per_side:
        facts.append("each side")
    lines.append(" · ".join(facts))
    if drill.muscles:
        lines.append(f"Muscles: {', '.join(drill.muscles)}")
    if drill.setup:
        lines.append(f"Set-up: {drill.setup}")
    today = " (this session)" if step is not None else ""
    lines.append(f"Dose{today}: {dose_text(dose, per_side)}")
    lines += ["", f"Cue: {fill_dose(drill.how[0], dose)}", "", "How"]
    rest = drill.how[1:] or drill.how
    lines += [f"  {n}. {fill_dose(line, dose)}" for n, line in enumerate(rest, 1)]
    lines += ["", f"Feel: {drill.feel}"]
    if drill.unilateral_note:
        lines.append(f"Side: {drill.unilateral_note}")
    lines += ["", "If this happens"]
    for fault in drill.faults:
        flag = f"  [{fault.flag}]" if fault.flag else ""
        lines += [f"  - {fault.fault}{flag}", f"    fix: {fault.fix}"]
    lines += ["", *ladder_line(drill, library).splitlines()]
    return lines


def ladder_line(drill: Drill, library: Mapping[str, Drill]) -> str:
    """`Ladder: easier <- this -> harder`."""
    try:
        rungs = ladder(drill.id, library)
    except PlanError as exc:
        return f"Ladder: broken ({'; '.join(str(p) for p in exc.errors)})"
    if len(rungs) == 1:
        return "Ladder: none (no easier or harder drill)"
    easier = f"{drill.easier} <- " if drill.easier else "(easiest) "
    harder = f" -> {drill.harder}" if drill.harder else " (hardest)"
    line = f"Ladder: {easier}{drill.id}{harder}"
    if len(rungs) > 3:
        line += f"\n  the whole ladder: {' > '.join(rungs)}"
    return line
