"""Progression: when a drill is ready for its next level, or should step back.

The rule (WARMUP.md): two sessions in a row at the current level with the
step done and no compensation flagged suggest the next level; two flagged
sessions suggest the previous one; pain steps back at once. How strongly the
glutes were felt is shown but never decides: felt scores do not track
measured muscle activity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gluteterm.core.plan import ACTIVATE_KINDS, Kind, Plan, Step
from gluteterm.core.record import SessionRecord, StepLog

#: Check-in keys and the compensation each stands for.
FLAGS = {"h": "hip drop", "k": "knees caving in", "b": "low back or hamstrings", "x": "pain"}
PAIN = "pain"
CHECK_IN_KINDS = (Kind.ANALYTIC, Kind.STABILITY)
assert all(kind in ACTIVATE_KINDS for kind in CHECK_IN_KINDS)


@dataclass(frozen=True)
class Suggestion:
    """Move `step_name` of `session` from one level to another, and why."""

    session: str
    step_name: str
    from_level: int
    to_level: int
    from_name: str
    to_name: str
    reason: str
    felt: tuple[int, ...] = ()

    @property
    def up(self) -> bool:
        return self.to_level > self.from_level

    def __str__(self) -> str:
        arrow = "try" if self.up else "step back to"
        felt = f" (felt {', '.join(map(str, self.felt))}/9)" if self.felt else ""
        return f"{self.step_name}: {self.reason}{felt}; {arrow} '{self.to_name}'"


def level_name(step: Step, level: int) -> str:
    """The name to show for `step` at `level` (its own name if it has no ladder)."""
    if not step.levels:
        return step.name
    return step.levels[max(0, min(level, len(step.levels) - 1))]


def suggest(session: str, step: Step, level: int, recent: Iterable[StepLog]) -> Suggestion | None:
    """A suggestion from this drill's `recent` log entries (newest first), if any."""
    if len(step.levels) < 2:
        return None
    current = level_name(step, level)
    at_level = [s for s in recent if (s.level or step.levels[0]) == current][:2]
    if not at_level:
        return None
    felt = tuple(s.felt for s in at_level if s.felt is not None)

    def move(to: int, reason: str) -> Suggestion:
        return Suggestion(session, step.name, level, to, current, step.levels[to], reason, felt)

    if PAIN in at_level[0].flags and level > 0:
        return move(level - 1, "pain last time")
    if len(at_level) < 2:
        return None
    if all(s.status == "done" and not s.flags for s in at_level) and level < len(step.levels) - 1:
        return move(level + 1, "two clean sessions in a row")
    if all(s.flags for s in at_level) and level > 0:
        return move(level - 1, "two sessions with compensation")
    return None


def suggestions(
    plan: Plan, levels: dict[str, int], records: Iterable[SessionRecord]
) -> list[Suggestion]:
    """Suggestions for every drill of `plan`, from its `records` (newest first)."""
    records = [r for r in records if r.session == plan.id]
    out = []
    for step in plan.steps:
        recent = [log for r in records for log in r.steps if log.name == step.name]
        found = suggest(plan.id, step, levels.get(step.name, 0), recent)
        if found is not None:
            out.append(found)
    return out
