"""Plans and steps: what a warm-up session is made of, in the method's terms."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gluteterm.core.drill import Drill


class Kind(StrEnum):
    """What a step does, in the order the method takes them."""

    RELEASE = "release"
    MOBILITY = "mobility"
    STRETCH = "stretch"
    ANALYTIC = "analytic"
    STABILITY = "stability"
    ACCELERATION = "acceleration"

    @property
    def phase(self) -> Phase:
        return Phase.UNLOCK if self in UNLOCK_KINDS else Phase.ACTIVATE


class Phase(StrEnum):
    """The method's two phases."""

    UNLOCK = "Unlock"
    ACTIVATE = "Activate"


UNLOCK_KINDS = (Kind.RELEASE, Kind.MOBILITY, Kind.STRETCH)
ACTIVATE_KINDS = (Kind.ANALYTIC, Kind.STABILITY, Kind.ACCELERATION)
PHASE_KINDS: dict[Phase, tuple[Kind, ...]] = {
    Phase.UNLOCK: UNLOCK_KINDS,
    Phase.ACTIVATE: ACTIVATE_KINDS,
}

#: Seconds per rep assumed for estimates when a rep step has no tempo.
UNPACED_REP_SECONDS = 3.0

#: The phases of a paced rep, in order: a tempo written `[up, hold, down]`.
REP_PHASES = ("up", "hold", "down")
#: Where a step is done from; a change of position gets a longer get-ready.
POSITIONS = ("lying", "side-lying", "sitting", "kneeling", "standing")


def phase_split(tempo: float, phases: tuple[float, ...] | None) -> tuple[float, float, float]:
    """Seconds of up, hold and down in one rep of `tempo` s.

    `phases` is the split a file wrote (`tempo = [1, 2, 2]`); it is scaled to
    `tempo`, so a tempo changed in the editor or by fitting keeps its shape. A
    plain number (no phases) is half up, half down, with no hold.
    """
    if phases and len(phases) == len(REP_PHASES) and sum(phases) > 0:
        scale = tempo / sum(phases)
        up, hold, down = (p * scale for p in phases)
        return (up, hold, down)
    return (tempo / 2, 0.0, tempo / 2)


@dataclass(frozen=True)
class Step:
    """One exercise: a timed hold or a number of reps, maybe per side, in sets."""

    name: str
    kind: Kind
    hold: int | None = None
    reps: int | None = None
    tempo: float | None = None
    sets: int = 1
    rest: int | None = None
    per_side: bool = False
    cue: str = ""
    #: How the tempo splits into up, hold and down (as written; `phase_split` scales it).
    phases: tuple[float, ...] | None = None
    #: Where the step is done from (one of POSITIONS), or None when it does not say.
    position: str | None = None
    equipment: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    off: bool = False  # turned off in the editor: kept in the file, left out of the session
    #: The library drill this step does (None: a step that says everything itself).
    drill: str | None = None
    #: The drill ids of its ladder, easiest first (empty without a drill).
    ladder: tuple[str, ...] = ()
    #: The user ends each work segment with Enter (a test to failure): the hold, or the
    #: reps at the tempo, is only a cap; what counts is how long they lasted.
    until_enter: bool = False
    #: A yes/no question asked after each side's work (a self-check), or "".
    question: str = ""
    #: "left" or "right": that side does one set more than the other (a weaker side).
    extra_side: str | None = None
    #: The side done first in each set ("left" unless the file says "right").
    first_side: str = "left"

    @property
    def top(self) -> float | None:
        """Seconds held at the top of each paced rep (`{top}` in a cue), or None."""
        if self.tempo is None or not self.phases:
            return None
        return round(phase_split(self.tempo, self.phases)[1], 1)

    def rep_phases(self) -> tuple[float, float, float] | None:
        """Up, hold and down seconds of one paced rep; None when reps are not paced."""
        if self.tempo is None or self.reps is None:
            return None
        return phase_split(self.tempo, self.phases)

    @property
    def cue_text(self) -> str:
        """The cue to show, its `{reps}`/`{hold}`/`{sets}` filled from this step's dose."""
        return fill_dose(self.cue, self)

    @property
    def sides(self) -> tuple[str | None, ...]:
        if not self.per_side:
            return (None,)
        return ("right", "left") if self.first_side == "right" else ("left", "right")

    @property
    def most_sets(self) -> int:
        """Sets done by the side that does the most (one more with `extra_side`)."""
        return self.sets + (1 if self.extra_side is not None else 0)

    def work_seconds(self) -> float | None:
        """Length of one set on one side, or None for reps the user ends."""
        if self.hold is not None:
            return float(self.hold)
        if self.tempo is not None and self.reps is not None:
            return self.reps * self.tempo
        return None

    def estimated_work_seconds(self) -> float:
        """Like `work_seconds`, with an estimate for unpaced reps."""
        exact = self.work_seconds()
        return exact if exact is not None else (self.reps or 0) * UNPACED_REP_SECONDS

    def short_dose(self) -> str:
        """The dose in a narrow column: `45s/side`, `10 x2`, `6/side`."""
        side = "/side" if self.per_side else ""
        text = f"{self.hold}s{side}" if self.hold is not None else f"{self.reps}{side or ' reps'}"
        return text + (f" x{self.sets}" if self.sets > 1 else "")


class Dosed(Protocol):
    """Anything with a dose: a step, or a drill's default."""

    @property
    def hold(self) -> int | None: ...
    @property
    def reps(self) -> int | None: ...
    @property
    def sets(self) -> int: ...
    @property
    def top(self) -> float | None: ...


PLACEHOLDER = re.compile(r"\{(reps|hold|sets|top)\}")


def fill_dose(line: str, dose: Dosed) -> str:
    """`line` with `{reps}`, `{hold}`, `{sets}` and `{top}` (the hold at the top of a
    phased rep) replaced by `dose`'s numbers.

    Any other braces are left as written; a placeholder the dose has no number
    for (`{hold}` on a counted step) shows as `?` (the loader warns about it).
    """

    def number(match: re.Match[str]) -> str:
        value = getattr(dose, match.group(1))
        return "?" if value is None else f"{value:g}"

    return PLACEHOLDER.sub(number, line)


def missing_placeholders(line: str, dose: Dosed) -> list[str]:
    """The placeholders in `line` that `dose` has no number for."""
    return [m.group(0) for m in PLACEHOLDER.finditer(line) if getattr(dose, m.group(1)) is None]


@dataclass(frozen=True)
class Plan:
    """A whole session: a title, get-ready and rest defaults, and its steps."""

    id: str
    title: str
    steps: tuple[Step, ...]
    description: str = ""
    prepare: int = 5
    rest: int = 0
    source: Path | None = field(default=None, compare=False)
    #: Every step in the file, with those turned off; empty when none is off (then
    #: `every_step` is `steps`). Read `every_step`, not this.
    with_off: tuple[Step, ...] = field(default=(), compare=False)
    #: The drill library its steps were resolved against (kept so edits can re-validate).
    drills: Mapping[str, Drill] | None = field(default=None, compare=False, repr=False)

    @property
    def every_step(self) -> tuple[Step, ...]:
        return self.with_off or self.steps

    def rest_for(self, step: Step) -> int:
        return self.rest if step.rest is None else step.rest

    @property
    def equipment(self) -> tuple[str, ...]:
        """Every piece of equipment the steps name, once, in order of use."""
        seen: dict[str, None] = {}
        for step in self.steps:
            for item in step.equipment:
                seen.setdefault(item, None)
        return tuple(seen)
