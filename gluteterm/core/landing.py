"""The landing gate: which jumps someone may do today.

Jumps are drills with a `landing` (core/drill.py LANDINGS): a drop to a stick,
then landings on both feet, then on one foot. Landing on one leg asks the hip
to hold the knee over the foot at several times body weight, so:

- single-leg landings need a single-leg squat self-test in which the knee
  stayed over the foot on both legs (Crossley et al. 2011: a knee that drifts
  inside the foot goes with weaker hip abductors); a knee that drifted, or no
  completed squat test, keeps landings on two feet;
- a jump flagged in its check-in (knees caving in, or pain) steps the gate
  down below that jump until a session with jumps is clean again; pain on the
  easiest landing means no jumps at all that day.

`core.builder` and `core.progression.at_levels` keep every jump at or below
the gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gluteterm.core.drill import LANDINGS, Drill
from gluteterm.core.errors import PlanError

if TYPE_CHECKING:
    from gluteterm.core.record import SessionRecord

#: Check-in flags (as logged) that step a jump down: knees caving in, and pain.
STEP_DOWN_FLAGS = ("knees caving in", "pain")
#: The least rest between sets of jumps that fitting keeps (full recovery for
#: quality landings; plyometric guidance asks 30 s or more between sets).
JUMP_REST = 30


@dataclass(frozen=True)
class Gate:
    """The hardest landing allowed today (None: no jumps), and why, in plain words."""

    highest: str | None = "single-leg"
    reason: str = ""

    def allows(self, drill: Drill) -> bool:
        """True when `drill` is no jump, or a jump at or below the gate."""
        if drill.landing is None:
            return True
        if self.highest is None:
            return False
        return LANDINGS.index(drill.landing) <= LANDINGS.index(self.highest)


#: No self-test and no flags: landings on two feet at most.
UNTESTED = Gate("two-foot", "no single-leg squat test yet: landings stay on two feet")


def _drill(library: Mapping[str, Drill], drill_id: str | None) -> Drill | None:
    """The drill a log names, or None when there is none or its file cannot be used."""
    if drill_id is None or drill_id not in library:
        return None
    try:
        return library[drill_id]
    except PlanError:  # a broken drill file: `gluteterm check` names it
        return None


def _below(landing: str) -> str | None:
    index = LANDINGS.index(landing)
    return LANDINGS[index - 1] if index > 0 else None


def _lower(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return None
    return a if LANDINGS.index(a) <= LANDINGS.index(b) else b


def landing_gate(
    knee_inside: tuple[bool | None, bool | None] | None,
    records: Iterable[SessionRecord],
    library: Mapping[str, Drill],
) -> Gate:
    """The gate from the last squat test (`knee_inside`: left, right; None untested)
    and `records` (newest first): the newest session that did a jump decides the flags."""
    if knee_inside is None or None in knee_inside:
        gate = UNTESTED
    elif any(knee_inside):
        gate = Gate(
            "two-foot",
            "the knee drifted inside the foot in the single-leg squat: landings on two feet",
        )
    else:
        gate = Gate("single-leg", "")
    for record in records:
        done = [
            (_drill(library, log.drill), log) for log in record.steps if log.status != "skipped"
        ]
        jumps = [(d, log) for d, log in done if d is not None and d.landing is not None]
        if not jumps:
            continue
        for drill, log in jumps:
            flagged = [f for f in STEP_DOWN_FLAGS if f in log.flags]
            if not flagged or drill.landing is None:
                continue
            below = _below(drill.landing)
            if _lower(below, gate.highest) == below and below != gate.highest:
                what = " and ".join(flagged)
                name = drill.name
                gate = Gate(
                    below,
                    f"{what} in '{name}' last time: "
                    + (f"landings stay at {below} today" if below else "no jumps today"),
                )
        break
    return gate
