"""Progression: where the user is on each ladder, and when a drill is ready to move.

A drill from the library sits on a ladder (its easier/harder links); the
user's level is kept per ladder, named by its easiest drill, so progress on
bridges in one session carries to every session that uses bridges. Plans
with their own `levels = [...]` list keep a level number per session and
step name, as before.

The rule (docs/method.md, "Progression"): two sessions in a row, on different
days, at the current level with the drill done at close to its planned dose,
the check-in answered, no compensation flagged and the drill felt more than
barely (a felt score above LOW_FELT) suggest the next level; two flagged
sessions suggest the previous one; pain steps back at once. An unanswered
check-in is unknown, never clean, and a low felt score holds the level:
neither moves up.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from gluteterm.core.drill import Drill, at_level
from gluteterm.core.errors import GlutetermError
from gluteterm.core.landing import Gate

# The check-in keys, the compensations' keys and the pain flag are core.pain's; they are
# re-exported here for the screens that import them from progression.
from gluteterm.core.pain import CHECK_IN_KEYS as CHECK_IN_KEYS
from gluteterm.core.pain import FAULT_FLAG_KEYS as FAULT_FLAG_KEYS
from gluteterm.core.pain import LOW_FELT, Swap, swap_stopped
from gluteterm.core.pain import PAIN as PAIN
from gluteterm.core.plan import ACTIVATE_KINDS, UNPACED_REP_SECONDS, Kind, Plan, Step

#: Jumps (acceleration) are checked in too: knees caving in or pain on landing step them down.
CHECK_IN_KINDS = (Kind.ANALYTIC, Kind.STABILITY, Kind.ACCELERATION)
assert all(kind in ACTIVATE_KINDS for kind in CHECK_IN_KINDS)
#: A session counts as evidence for moving up only at this share of the drill's dose or more.
FULL_DOSE = 0.75

if TYPE_CHECKING:
    from gluteterm.core.record import SessionRecord, StepLog


@dataclass(frozen=True)
class Levels:
    """Where the user is: a drill per ladder, and level numbers for plans' own ladders."""

    #: ladder id (its easiest drill) -> the drill the user is at
    ladders: dict[str, str] = field(default_factory=dict)
    #: session id -> step name -> level number (plans with `levels = [...]`)
    steps: dict[str, dict[str, int]] = field(default_factory=dict)
    #: What the file held that could not be used (each a `Problem`'s text), left out.
    ignored: tuple[str, ...] = field(default=(), compare=False)
    #: The hardest landing allowed today (core/landing.py); by default, any.
    #: (Worked out from the self-test and the log each time: not part of what is saved.)
    landing: Gate = field(default_factory=Gate, compare=False)


@dataclass(frozen=True)
class Suggestion:
    """Move a drill from one level to another, and why."""

    session: str
    step_name: str
    from_level: int
    to_level: int
    from_name: str
    to_name: str
    reason: str
    felt: tuple[int, ...] = ()
    #: For a library ladder: its id and the drill to move to (else None: a plan's own ladder).
    ladder: str | None = None
    to_drill: str | None = None

    @property
    def up(self) -> bool:
        return self.to_level > self.from_level

    def __str__(self) -> str:
        arrow = "try" if self.up else "step back to"
        felt = f" (felt {', '.join(map(str, self.felt))}/9)" if self.felt else ""
        return f"{self.from_name}: {self.reason}{felt}; {arrow} '{self.to_name}'"


def level_name(step: Step, level: int) -> str:
    """The name to show for a plan-ladder `step` at `level` (its own name if it has none)."""
    if not step.levels:
        return step.name
    return step.levels[max(0, min(level, len(step.levels) - 1))]


def rungs(plan: Plan, levels: Levels) -> dict[int, str]:
    """The drill each library-ladder step of `plan` is done as today, by step index.

    The user's level moves the plan's easiest step on a ladder to that rung;
    a later step on the same ladder (a bridge, then a single-leg bridge)
    moves as far, so the session never repeats a drill it meant to progress.
    A level at or below the plan's easiest step is also a ceiling: someone
    placed on "bridges on both feet first" gets no single-leg bridge.
    """
    by_ladder: dict[str, list[int]] = {}
    for i, step in enumerate(plan.steps):
        if step.drill is not None and len(step.ladder) >= 2 and step.drill in step.ladder:
            by_ladder.setdefault(step.ladder[0], []).append(i)
    out: dict[int, str] = {}
    for ladder_id, indexes in by_ladder.items():
        ladder = plan.steps[indexes[0]].ladder
        written = [ladder.index(plan.steps[i].drill or "") for i in indexes]
        base = min(written)
        wanted = levels.ladders.get(ladder_id)
        shift = ladder.index(wanted) - base if wanted in ladder else 0
        top = len(ladder) - 1
        order = sorted(range(len(indexes)), key=lambda k: written[k])
        ceiling = ladder.index(wanted) if wanted in ladder and shift <= 0 else top
        for rank, k in enumerate(order):
            room = top - (len(order) - 1 - rank)  # leave a rung for each later step
            rung = max(0, min(written[k] + shift, max(written[k], room)))
            out[indexes[k]] = ladder[min(rung, ceiling)]
    return out


def at_levels(
    plan: Plan, levels: Levels, stopped: frozenset[str] = frozenset()
) -> tuple[Plan, dict[int, str]]:
    """`plan` as the user does it today, and the level name of every step on a ladder.

    A library-ladder step becomes its current rung's drill (name, sides,
    cue) at that drill's own dose. A jump above the landing gate steps down
    its ladder to the hardest rung the gate allows, and is left out when none
    is. A plan-ladder step keeps its name, and its level's name is returned.
    A drill pain `stopped` today is swapped for the rung below or its
    alternative, or left out (`today`).
    """
    today_plan, names, _ = today(plan, levels, stopped)
    return today_plan, names


def has_jumps(plan: Plan) -> bool:
    """True when a step of `plan` does, or may do at some level, a jump (a drill with a
    landing): only then does the landing gate change the plan."""
    drills = plan.drills or {}
    for step in plan.steps:
        for drill_id in (step.drill, *step.ladder):
            if drill_id is None or drill_id not in drills:
                continue
            try:
                if drills[drill_id].landing is not None:
                    return True
            except GlutetermError:  # a broken drill file: named where it is used
                continue
    return False


def today(
    plan: Plan, levels: Levels, stopped: frozenset[str] = frozenset()
) -> tuple[Plan, dict[int, str], list[Swap]]:
    """Like `at_levels`, with the steps pain earlier today swapped or left out."""
    at, names = _at_levels(plan, levels)
    if not stopped:
        return at, names, []
    swapped, swaps = swap_stopped(list(at.steps), plan.drills, stopped)
    if not swaps:
        return at, names, []
    kept = [(i, s) for i, s in enumerate(swapped) if s is not None]
    new_names = {}
    for new, (old, step) in enumerate(kept):
        if old in names:
            new_names[new] = step.name if step is not at.steps[old] else names[old]
    steps = tuple(s for _, s in kept)
    return dataclasses.replace(at, steps=steps), new_names, swaps


def _at_levels(plan: Plan, levels: Levels) -> tuple[Plan, dict[int, str]]:
    steps = list(plan.steps)
    names: dict[int, str] = {}
    mine = levels.steps.get(plan.id, {})
    today = rungs(plan, levels)
    drills = plan.drills or {}
    gone: set[int] = set()
    for i, step in enumerate(steps):
        current = today.get(i, step.drill)
        if current is not None and current in drills and not levels.landing.allows(drills[current]):
            rung = step.ladder.index(current) if current in step.ladder else 0
            lower = [
                d for d in step.ladder[:rung] if d in drills and levels.landing.allows(drills[d])
            ]
            if not lower:
                gone.add(i)
                continue
            if i in today:
                today[i] = lower[-1]
            else:
                steps[i] = at_level(step, drills[lower[-1]])
                names[i] = steps[i].name
                continue
        current = today.get(i)
        if current is not None:
            if current != step.drill and plan.drills is not None and current in plan.drills:
                steps[i] = at_level(step, plan.drills[current])
            names[i] = steps[i].name
        elif step.levels:
            names[i] = level_name(step, mine.get(step.name, 0))
    if gone:
        kept = [i for i in range(len(steps)) if i not in gone]
        names = {new: names[old] for new, old in enumerate(kept) if old in names}
        steps = [steps[i] for i in kept]
    if steps == list(plan.steps):
        return plan, names
    return dataclasses.replace(plan, steps=tuple(steps)), names


def dose_share(step: Step, drill: Drill | None) -> float:
    """How much of the drill's own dose `step` asks for (1.0 = all of it)."""
    if drill is None:
        return 1.0
    dose = drill.default
    per_set = (
        float(dose.hold)
        if dose.hold is not None
        else (dose.reps or 0) * (dose.tempo or UNPACED_REP_SECONDS)
    )
    reference = per_set * dose.sets
    if reference <= 0:
        return 1.0
    return round(step.estimated_work_seconds() * step.sets / reference, 2)


def suggestions(plan: Plan, levels: Levels, records: Iterable[SessionRecord]) -> list[Suggestion]:
    """Suggestions for every ladder drill of `plan` (as written, not at levels), from
    `records` (newest first: this plan's for plan ladders, any session's for library ones)."""
    records = list(records)
    out: list[Suggestion] = []
    seen: set[str] = set()
    today = rungs(plan, levels)
    for i, step in enumerate(plan.steps):
        current = today.get(i)
        if current is not None:
            if step.ladder[0] in seen:
                continue
            seen.add(step.ladder[0])
            found = _suggest_ladder(plan, step, current, records)
        elif len(step.levels) >= 2:
            level = levels.steps.get(plan.id, {}).get(step.name, 0)
            mine = [r for r in records if r.session == plan.id]
            recent = [_dated(r, log) for r in mine for log in r.steps if log.name == step.name]
            found = _suggest(
                plan.id, step.name, level, list(step.levels), step.levels[0], recent, None
            )
        else:
            continue
        if found is not None:
            out.append(found)
    return out


def _dated(record: SessionRecord, log: StepLog) -> tuple[date, StepLog]:
    return record.started.date(), log


def _suggest_ladder(
    plan: Plan, step: Step, current: str, records: list[SessionRecord]
) -> Suggestion | None:
    drills = plan.drills or {}
    names = [drills[d].name if d in drills else d for d in step.ladder]
    recent = [
        _dated(r, log)
        for r in records
        for log in r.steps
        if log.drill == current and (log.flags or log.dose is None or log.dose >= FULL_DOSE)
    ]
    level = step.ladder.index(current)
    return _suggest(plan.id, names[level], level, names, None, recent, step.ladder)


def _suggest(
    session: str,
    step_name: str,
    level: int,
    names: list[str],
    default_name: str | None,
    recent: list[tuple[date, StepLog]],
    ladder: tuple[str, ...] | None,
) -> Suggestion | None:
    """The rule, on `recent` (day, log) pairs, newest first: of this drill at any level
    (filtered here by level name, `default_name` for logs without one), or, with
    `default_name` None, already only those at the current level."""
    current = names[level]
    at_level = [
        log
        for _, log in _one_per_day(recent)
        if default_name is None or (log.level or default_name) == current
    ]
    at_level = at_level[:2]
    if not at_level:
        return None
    felt = tuple(s.felt for s in at_level if s.felt is not None)
    #: Moving up needs every session answered, unflagged, and the drill clearly felt.
    clean = all(
        s.status == "done" and not s.flags and s.felt is not None and s.felt > LOW_FELT
        for s in at_level
    )

    def move(to: int, reason: str) -> Suggestion:
        return Suggestion(
            session, step_name, level, to, current, names[to], reason, felt,
            ladder=ladder[0] if ladder else None, to_drill=ladder[to] if ladder else None,
        )  # fmt: skip

    if PAIN in at_level[0].flags and level > 0:
        return move(level - 1, "pain last time")
    if len(at_level) < 2:
        return None
    if clean and level < len(names) - 1:
        return move(level + 1, "two clean sessions in a row")
    if all(s.flags for s in at_level) and level > 0:
        return move(level - 1, "two sessions with compensation")
    return None


def _one_per_day(recent: list[tuple[date, StepLog]]) -> list[tuple[date, StepLog]]:
    """One entry for each day, newest first: two sessions on one day are one piece of
    evidence, and it is only as clean as the worst of them. The day's newest entry,
    with every flag of that day (pain earlier that day still counts), `done` only
    if every entry that day was done, and the lowest felt score (unknown if any
    check-in that day went unanswered)."""
    days: dict[date, list[StepLog]] = {}
    for day, log in recent:
        days.setdefault(day, []).append(log)
    out: list[tuple[date, StepLog]] = []
    for day, logs in days.items():  # insertion order: newest day first
        newest = logs[0]
        flags = tuple(dict.fromkeys(flag for log in logs for flag in log.flags))
        status = newest.status if all(log.status == "done" for log in logs) else "partial"
        scores = [log.felt for log in logs]
        felt = None if None in scores else min(s for s in scores if s is not None)
        out.append((day, replace(newest, flags=flags, status=status, felt=felt)))
    return out


def apply(levels: Levels, accepted: Iterable[Suggestion]) -> Levels:
    """`levels` with each accepted suggestion applied."""
    ladders = dict(levels.ladders)
    steps = {k: dict(v) for k, v in levels.steps.items()}
    for s in accepted:
        if s.ladder is not None and s.to_drill is not None:
            ladders[s.ladder] = s.to_drill
        else:
            steps.setdefault(s.session, {})[s.step_name] = s.to_level
    return Levels(ladders, steps, levels.ignored, levels.landing)


def dose_shares(plan: Plan) -> dict[int, float]:
    """For each library-drill step of `plan`, the share of its drill's dose it asks for."""
    drills = plan.drills or {}
    return {
        i: dose_share(step, drills.get(step.drill))
        for i, step in enumerate(plan.steps)
        if step.drill is not None and step.drill in drills
    }
