"""Pain and the check-in: what is asked after a step, what an answer means, and what
pain stops for the rest of the day.

Pain can be reported at any step, whatever its kind. A step with the pain flag
stops that drill (or, for a step with no library drill, that step by name) for
the rest of the day everywhere: the day's other runs, the builder and home all
derive it from the day's logs (`stopped_today`), and swap in the drill below it
on its ladder, or its named pain-free `alternative` when it has no easier rung
(`stand_in`), or leave it out. The advice says when to see a professional.

Where a drill was felt is asked too (glute, front of hip or thigh, lower back,
hamstring); on a drill with a "thigh" fault (side-lying abduction, where the
front of the thigh takes over), "front of hip or thigh" counts as that fault.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from gluteterm.core.check_in import FELT_WHERE, CheckIn
from gluteterm.core.drill import Drill, at_level, ladder
from gluteterm.core.errors import GlutetermError
from gluteterm.core.plan import Kind, Step

if TYPE_CHECKING:
    from gluteterm.core.record import SessionRecord

#: The flag every pain answer is logged as.
PAIN = "pain"
#: Check-in keys for flags, and the name each is logged as.
CHECK_IN_KEYS = {"h": "hip drop", "k": "knees caving in", "b": "low back or hamstrings", "x": PAIN}
#: A drill file's fault flag -> the check-in key that reports it.
FAULT_FLAG_KEYS = {"hip": "h", "knees": "k", "back": "b"}
#: The flag logged when "front of hip or thigh" is answered on a drill with a thigh fault.
THIGH_FLAG = "front of thigh"
#: Check-in keys for where it was felt (keys free on the session screen).
WHERE_KEYS = dict(zip(("u", "t", "l", "a"), FELT_WHERE, strict=True))
#: Where-felt answers, as a line for the check-in ("u glute  t front of hip or thigh ...").
FRONT = FELT_WHERE[1]
#: A felt score at or below this holds the level: the drill was barely felt.
LOW_FELT = 3
#: Kinds whose check-in asks how clearly and where it was felt.
FELT_KINDS = (Kind.ANALYTIC, Kind.STABILITY)
#: When pain means a professional should look, said wherever pain advice is shown.
SEE_A_PROFESSIONAL = (
    "See a physiotherapist or doctor if it is sharp, stays after you stop, "
    "comes back next time, or comes with swelling, numbness or tingling."
)


@dataclass(frozen=True)
class CheckInOptions:
    """What the check-in after a step asks: every step can report pain."""

    #: Ask how clearly it was felt (0 none, 5 clearly, 9 burning).
    felt: bool
    #: (key, where) answers for where it was felt; empty when not asked.
    where: tuple[tuple[str, str], ...]
    #: (key, flag name) compensations to report; pain (x) is always last.
    flags: tuple[tuple[str, str], ...]


def check_in_options(step: Step, drill: Drill | None) -> CheckInOptions:
    """The check-in for `step` (done as `drill`, if from the library).

    Analytic and stability drills ask how clearly and where it was felt, and
    offer the compensations their faults name (all three when the step has no
    drill); jumps offer knees caving in; every kind offers pain.
    """
    flags: list[str] = []
    if step.kind in FELT_KINDS:
        if drill is None:
            flags = ["h", "k", "b"]
        else:
            named = {f.flag for f in drill.faults}
            flags = [key for flag, key in FAULT_FLAG_KEYS.items() if flag in named]
    elif step.kind is Kind.ACCELERATION:
        flags = ["k"]
    flags.append("x")
    asks = step.kind in FELT_KINDS
    return CheckInOptions(
        felt=asks,
        where=tuple(WHERE_KEYS.items()) if asks else (),
        flags=tuple((key, CHECK_IN_KEYS[key]) for key in flags),
    )


def has_thigh_fault(drill: Drill | None) -> bool:
    """True for drills where the front of the thigh doing the work is a fault."""
    return drill is not None and any(f.flag == "thigh" for f in drill.faults)


def answer(
    check_in: CheckIn,
    drill: Drill | None,
    *,
    felt: int | None = None,
    flag_key: str | None = None,
    where_key: str | None = None,
) -> CheckIn:
    """`check_in` with one more answer: a felt score, a flag toggled, or where it was felt.

    Answering "front of hip or thigh" on a drill with a thigh fault adds that
    fault's flag (THIGH_FLAG), so it holds the level like any compensation;
    another answer takes it away again. Unknown keys change nothing.
    """
    if felt is not None:
        check_in = dataclasses.replace(check_in, felt=felt)
    if flag_key in CHECK_IN_KEYS:
        name = CHECK_IN_KEYS[flag_key]
        flags = check_in.flags
        toggled = tuple(f for f in flags if f != name) if name in flags else (*flags, name)
        check_in = dataclasses.replace(check_in, flags=toggled)
    if where_key in WHERE_KEYS:
        where = WHERE_KEYS[where_key]
        flags = tuple(f for f in check_in.flags if f != THIGH_FLAG)
        if where == FRONT and has_thigh_fault(drill):
            flags = (*flags, THIGH_FLAG)
        check_in = dataclasses.replace(check_in, where=where, flags=flags)
    return check_in


def advice_for(
    step: Step,
    drill: Drill | None,
    check_in: CheckIn,
    library: Mapping[str, Drill] | None = None,
    *,
    name: str | None = None,
) -> str:
    """What to do after this check-in, safety first: "" when nothing calls for advice.

    Pain: stop the drill for today, what to do instead, and when to see a
    professional. A compensation: the drill's own fix for it (the front of the
    thigh on an abduction drill too).
    """
    name = name or step.name
    if PAIN in check_in.flags:
        instead = ""
        if drill is not None and library is not None:
            other = stand_in(drill.id, library, frozenset({drill.id}))
            if other is not None:
                rung = "the step down" if other == drill.easier else "a pain-free stand-in"
                instead = f" Next time, try {_name(other, library)} ({rung})."
        return f"Pain: {name} is stopped for today. {SEE_A_PROFESSIONAL}{instead}"
    fixes: list[str] = []
    flagged = {key for key, flag in CHECK_IN_KEYS.items() if flag in check_in.flags}
    faults = drill.faults if drill is not None else ()
    for fault in faults:
        key = FAULT_FLAG_KEYS.get(fault.flag or "")
        thigh = fault.flag == "thigh" and THIGH_FLAG in check_in.flags
        if (key is not None and key in flagged) or thigh:
            fixes.append(f"{fault.fault}: {fault.fix}.")
    for key in sorted(flagged - {"x"}):
        if not any(FAULT_FLAG_KEYS.get(f.flag or "") == key for f in faults):
            fixes.append(f"{CHECK_IN_KEYS[key].capitalize()}: go easier next time.")
    return "  ".join(fixes)


def _name(drill_id: str, library: Mapping[str, Drill]) -> str:
    try:
        return library[drill_id].name
    except (KeyError, GlutetermError):
        return drill_id


# -- stopped for the day --------------------------------------------------------------


def stopped_key(step_drill: str | None, step_name: str) -> str:
    """What pain stops: the library drill, or a step that names none, by its name."""
    return step_drill or step_name


def stopped_today(records: Iterable[SessionRecord], day: date) -> frozenset[str]:
    """Drills (and steps with no drill, by name) with pain logged on `day`.

    `day` is the local date; a record counts on the day it started, as its
    own clock showed it. Pain in any session or self-assessment step counts.
    """
    found: set[str] = set()
    for record in records:
        if record.started.date() != day:
            continue
        for log in record.steps:
            if PAIN in log.flags:
                found.add(stopped_key(log.drill, log.name))
    return frozenset(found)


def stand_in(drill_id: str, library: Mapping[str, Drill], stopped: frozenset[str]) -> str | None:
    """What to do instead of a drill pain stopped: the rung below it (or below that,
    past any also stopped), or at the bottom its `alternative`; None when there is
    nothing (then the drill is left out today)."""
    seen = {drill_id}
    current = _drill(drill_id, library)
    while current is not None:
        following = current.easier or current.alternative
        if following is None or following in seen or following not in library:
            return None
        seen.add(following)
        if following not in stopped and _drill(following, library) is not None:
            return following
        current = _drill(following, library)
    return None


def stopped_notes(stopped: frozenset[str], library: Mapping[str, Drill]) -> list[str]:
    """For a plan built today: each library drill pain stopped, and what stands in for it."""
    notes = []
    for drill_id in sorted(stopped):
        drill = _drill(drill_id, library)
        if drill is None:
            continue
        instead = stand_in(drill_id, library, stopped)
        other = _drill(instead, library) if instead is not None else None
        offer = f"{other.name} can stand in for it" if other else "nothing stands in for it"
        notes.append(f"{drill.name}: pain earlier today, left out of today's builds; {offer}")
    return notes


def not_today(title: str, swaps: Iterable[Swap], library: Mapping[str, Drill] | None) -> str:
    """What to do when pain earlier today stopped every drill of the plan `title`: it
    does not run; rest, the step down next time, and when to see a professional."""
    lower = []
    for swap in swaps:
        drill = _drill(swap.stopped, library or {})
        easier = (drill.easier or drill.alternative) if drill is not None else None
        other = _drill(easier, library or {}) if easier is not None else None
        if other is not None and other.name not in lower:
            lower.append(other.name)
    next_time = (
        f"Next time, start with the step down: {', '.join(lower)}. "
        if lower
        else "Next time, start gently, at a smaller range or dose. "
    )
    return (
        f"Pain earlier today stopped every drill of '{title}', so it does not run today. "
        "Rest those muscles today: walk, or move gently where nothing hurts. "
        f"{next_time}{SEE_A_PROFESSIONAL}"
    )


def _drill(drill_id: str, library: Mapping[str, Drill]) -> Drill | None:
    try:
        return library.get(drill_id)
    except GlutetermError:  # a broken drill file: not something to offer
        return None


@dataclass(frozen=True)
class Swap:
    """A step that pain earlier today changed: its drill, and what is done instead."""

    stopped: str  # the drill id, or the step's name
    name: str  # the stopped drill's name, for the screen
    instead: str | None  # the drill done instead, or None: left out today
    instead_name: str | None = None

    def __str__(self) -> str:
        if self.instead_name is None:
            return f"{self.name}: left out today (pain earlier)"
        return f"{self.name}: pain earlier today, {self.instead_name} instead"


def swap_stopped(
    steps: list[Step], library: Mapping[str, Drill] | None, stopped: frozenset[str]
) -> tuple[list[Step | None], list[Swap]]:
    """`steps` with each stopped one swapped for its stand-in, or None (left out)."""
    out: list[Step | None] = []
    swaps: list[Swap] = []
    for step in steps:
        key = stopped_key(step.drill, step.name)
        if key not in stopped:
            out.append(step)
            continue
        other = stand_in(step.drill, library, stopped) if step.drill and library else None
        if other is None or library is None:
            out.append(None)
            swaps.append(Swap(key, step.name, None))
            continue
        drill = library[other]
        swapped = at_level(step, drill)
        if other not in step.ladder:
            try:
                swapped = dataclasses.replace(swapped, ladder=ladder(other, library))
            except GlutetermError:
                swapped = dataclasses.replace(swapped, ladder=(other,))
        out.append(swapped)
        swaps.append(Swap(key, step.name, other, drill.name))
    return out, swaps
