"""Build a warm-up from the drill library for the minutes, equipment and focus of the day.

`build` takes one drill per ladder (at the user's level, stepped down to a
rung their equipment and the landing gate allow), puts every step of the
method in once (release when there is a roller), adds more drills while they
fit, makes sure each piece of equipment asked for is used, puts a raise (easy
skips or a jog) before the first jump, orders them as the method does
(release, mobility, at most one brief stretch, analytic, stability,
acceleration), gives a weaker side an extra set, and fits the minutes with
`core.fit` (within 5 %), every drill inside its dose range: when that is not
enough, it adds drills rather than scale past a range. It builds warm-ups of
`MAX_BUILD_MINUTES` (30) at most. Choices are weighted by focus and shuffled by a seed
made of the date and the options, so a day's plan is the same every time it is
asked for and the next day's differs.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from gluteterm.core.drill import Drill, ladder
from gluteterm.core.errors import GlutetermError, PlanError
from gluteterm.core.fit import TOLERANCE, FitError, fit
from gluteterm.core.landing import UNTESTED, Gate
from gluteterm.core.limits import MAX_BUILD_MINUTES
from gluteterm.core.plan import Kind, Plan, Step
from gluteterm.core.suggest import did_you_mean
from gluteterm.core.text import cut, seconds_exact
from gluteterm.core.timeline import plan_seconds

#: The words a user types for equipment, and the names drill files use.
EQUIPMENT_WORDS = {
    "band": "mini band",
    "roller": "foam roller",
    "ball": "exercise ball",
    "box": "box or bench",
    "bench": "box or bench",
    "chair": "chair",
}
#: Other ways of writing them: the names the app shows ("mini band"), and hyphens.
EQUIPMENT_ALIASES = {name: name for name in EQUIPMENT_WORDS.values()} | {
    "mini-band": "mini band",
    "miniband": "mini band",
    "foam-roller": "foam roller",
    "foam": "foam roller",
    "ball": "exercise ball",
    "exercise-ball": "exercise ball",
    "step": "box or bench",
}
#: The id of a built plan until it is saved under a name of the user's.
BUILT_ID = "built"
#: Words that mean "nothing but the body" (bodyweight drills always count).
NO_EQUIPMENT = ("none", "bodyweight")
FOCUSES = ("balanced", "medius", "maximus")
FOCUS_MUSCLE = {"medius": "gluteus medius", "maximus": "gluteus maximus"}
#: Every step of the method, once: a plan shorter than these at their usual dose is refused.
REQUIRED = (Kind.MOBILITY, Kind.ANALYTIC, Kind.STABILITY, Kind.ACCELERATION)
#: What to add next while time allows (release first: the method opens with it).
MORE = (
    Kind.RELEASE, Kind.STABILITY, Kind.STRETCH, Kind.ANALYTIC, Kind.MOBILITY, Kind.RELEASE,
    Kind.STABILITY, Kind.ANALYTIC, Kind.ACCELERATION, Kind.MOBILITY, Kind.RELEASE,
    Kind.STABILITY, Kind.ANALYTIC, Kind.MOBILITY,
)  # fmt: skip
#: At most this many of a kind; one stretch only ("keep elongation brief").
MOST = {Kind.RELEASE: 3, Kind.MOBILITY: 3, Kind.STRETCH: 1, Kind.ANALYTIC: 3,
        Kind.STABILITY: 4, Kind.ACCELERATION: 3}  # fmt: skip
#: When every drill is at the top of its range and the plan is still short: more drills
#: (rather than more of each), of these kinds, up to these counts.
LONG_MORE = (Kind.ANALYTIC, Kind.STABILITY, Kind.MOBILITY) * 2
MOST_LONG = MOST | {Kind.MOBILITY: 4, Kind.ANALYTIC: 5, Kind.STABILITY: 6}
#: Kinds whose per-side steps give a weaker side its extra set.
EXTRA_SET_KINDS = (Kind.ANALYTIC, Kind.STABILITY)
#: Optional drills are added while the plan at their usual dose is under this share of
#: the minutes; fit then trims rests and sets, which keeps more variety than scaling.
FILL = 1.10


def equipment_names(words: Iterable[str]) -> frozenset[str]:
    """The drill files' equipment names for what a user typed (`band,roller`).

    Raises `GlutetermError` naming an unknown word and the words known.
    """
    names = set()
    for raw in words:
        word = " ".join(raw.strip().lower().split())
        if not word or word in NO_EQUIPMENT:
            continue
        if word.endswith("s") and (word[:-1] in EQUIPMENT_WORDS or word[:-1] in EQUIPMENT_ALIASES):
            word = word[:-1]
        if word in EQUIPMENT_ALIASES:
            names.add(EQUIPMENT_ALIASES[word])
            continue
        if word not in EQUIPMENT_WORDS:
            hint = did_you_mean(word, EQUIPMENT_WORDS)
            known = ", ".join(EQUIPMENT_WORDS)
            raise GlutetermError(f"unknown equipment '{cut(raw.strip())}'{hint} (known: {known})")
        names.add(EQUIPMENT_WORDS[word])
    return frozenset(names)


def build(  # noqa: C901 (the steps of building, in order; each is named)
    library: Mapping[str, Drill],
    minutes: float,
    equipment: frozenset[str],
    focus: str,
    levels: Mapping[str, str],
    day: date,
    weaker_side: str | None = None,
    gate: Gate = UNTESTED,
    *,
    stopped: frozenset[str] = frozenset(),
) -> Plan:
    """A warm-up of `minutes` (within 5 %) from `library`; see the module docstring.

    `equipment` holds drill-file names (`equipment_names`); `levels` maps a ladder
    (its easiest drill id) to the user's current drill on it; `gate` is the hardest
    landing allowed (core/landing.py). Raises `FitError` saying what the shortest
    (or longest) possible is, `GlutetermError` for a focus or side it does not
    know, or minutes over `MAX_BUILD_MINUTES`. A drill in `stopped` (pain earlier
    today) is swapped for the rung below it or its alternative, or left out.
    """
    if minutes > MAX_BUILD_MINUTES:
        raise GlutetermError(
            f"the builder's longest warm-up is {MAX_BUILD_MINUTES} minutes: past that it "
            f"turns into a workout and tires the muscles the session needs; ask for "
            f"{MAX_BUILD_MINUTES} minutes or less"
        )
    if focus not in FOCUSES:
        raise GlutetermError(f"unknown focus '{focus}'; expected one of {', '.join(FOCUSES)}")
    if weaker_side not in (None, "left", "right"):
        raise GlutetermError(f"a weaker side is left or right, not '{weaker_side}'")
    seed = f"{day.isoformat()}|{minutes:g}|{','.join(sorted(equipment))}|{focus}|{weaker_side}"
    rng = random.Random(seed)
    pools = _pools(library, equipment, levels, focus, rng, gate, stopped)
    target = minutes * 60

    def order(step: Step) -> tuple[int, int]:
        # The method's order; within acceleration, the raise before any jump.
        jump = step.drill is not None and library[step.drill].landing is not None
        return list(Kind).index(step.kind), 1 if jump else 0

    def plan_of(chosen: list[Step]) -> Plan:
        steps = sorted(chosen, key=order)  # stable: pick order kept
        return Plan(
            id=BUILT_ID,
            title=f"Built warm-up, {minutes:g} min",
            description=_description(day, minutes, equipment, focus, weaker_side),
            steps=tuple(steps),
            drills=library,
        )

    def step(drill: Drill, rungs: tuple[str, ...]) -> Step:
        return _step(drill, rungs, weaker_side)

    chosen = [step(*pools[kind][0]) for kind in REQUIRED if pools[kind]]
    if not chosen:
        raise GlutetermError("no drill in the library can be used with this equipment")
    if _floor(plan_of(chosen)) > target * (1 + TOLERANCE):
        # Today's picks are too long: try the shortest drill of each kind instead.
        chosen = [
            min((step(*c) for c in pools[kind]), key=lambda s: _floor(plan_of([s])))
            for kind in REQUIRED
            if pools[kind]
        ]
        least = _floor(plan_of(chosen))
        if least > target * (1 + TOLERANCE):
            raise FitError(
                f"{minutes:g} min is too short: the shortest warm-up gluteterm builds with "
                f"this equipment (every step of the method once, at its usual dose, no "
                f"rests) is about {seconds_exact(least)} min; ask for at least "
                f"{_whole_minutes(least)} minutes"
            )
    used = {s.drill for s in chosen}
    optional: list[Step] = []  # drills added beyond one of each step, newest last

    def more(limit: float | None) -> bool:
        """Add the next drill the method's order asks for (that fits `limit`); False if none.

        Without a limit (every drill already at the top of its range), one drill more
        of the activation kinds or mobility, up to `MOST_LONG`."""
        kinds, most = (MORE, MOST) if limit is not None else (MORE + LONG_MORE, MOST_LONG)
        for kind in kinds:
            taken = sum(1 for s in chosen if s.kind is kind)
            fresh = [c for c in pools[kind] if c[0].id not in used]
            if taken >= most[kind] or not fresh:
                continue
            candidate = step(*fresh[0])
            if limit is None or plan_seconds(plan_of([*chosen, candidate])) <= limit:
                chosen.append(candidate)
                optional.append(candidate)
                used.add(candidate.drill)
                if limit is None:
                    return True
        return False

    more(target * FILL)
    added = _use_equipment(chosen, pools, equipment, used, step)
    _add_raise(chosen, pools, used, library, step)
    while True:
        plan = plan_of(chosen)
        try:
            return _fitted(plan, minutes)
        except FitError:
            if plan_seconds(plan) > target:
                # Too long even at the bottom of every range (a raise came in after the
                # fill): the last drill added for the equipment goes, then optional ones.
                spare = added or [s for s in optional if s in chosen]
                jumps = [s for s in chosen if s.drill and library[s.drill].landing]
                if (
                    not spare
                    and jumps
                    and len(jumps) < len([s for s in chosen if s.kind is Kind.ACCELERATION])
                ):
                    # No time for jumps after their raise: the raise is the acceleration.
                    spare = jumps
                if not spare:
                    raise
                extra = spare.pop()
                if extra in added:
                    added.remove(extra)
                chosen.remove(extra)
                used.discard(extra.drill)
                continue
            # Every drill at the top of its range is still too short: one drill more.
            if not more(None):
                raise
            _add_raise(chosen, pools, used, library, step)


def _use_equipment(
    chosen: list[Step],
    pools: dict[Kind, list[Candidate]],
    equipment: frozenset[str],
    used: set[str | None],
    step: Callable[[Drill, tuple[str, ...]], Step],
) -> list[Step]:
    """Swap a drill in for one of its kind so each piece of equipment asked for is used
    (someone who says they have a band expects a band drill), or add one where the plan
    has none of its kind (a roll); returns the steps added (they go if time is short)."""
    added: list[Step] = []
    # The band first (the drills it makes harder are the method's), then the roller.
    for item in sorted(equipment, key=lambda i: (i != "mini band", i != "foam roller", i)):
        if any(item in s.equipment for s in chosen):
            continue
        for kind in (*EXTRA_SET_KINDS, Kind.RELEASE, *Kind):
            fresh = [c for c in pools[kind] if item in c[0].equipment and c[0].id not in used]
            # Swap out a bodyweight drill, never one that uses other equipment asked for.
            same = [i for i, s in enumerate(chosen) if s.kind is kind and not s.equipment]
            if not same and item == "mini band":  # the band first: it may take another's place
                same = [i for i, s in enumerate(chosen) if s.kind is kind]
            if not fresh:
                continue
            if same:
                out = chosen[same[-1]]
                chosen[same[-1]] = step(*fresh[0])
                used.discard(out.drill)
            else:
                added.append(step(*fresh[0]))
                chosen.append(added[-1])
            used.add(fresh[0][0].id)
            break
    return added


def _add_raise(
    chosen: list[Step],
    pools: dict[Kind, list[Candidate]],
    used: set[str | None],
    library: Mapping[str, Drill],
    step: Callable[[Drill, tuple[str, ...]], Step],
) -> None:
    """Put a raise (an acceleration drill that is no jump: easy skips, a jog) in when
    there is a jump and none yet; the timed one (a jog on the spot) first."""

    def landing(s: Step) -> str | None:
        return None if s.drill is None else library[s.drill].landing

    accelerations = [s for s in chosen if s.kind is Kind.ACCELERATION]
    if not any(landing(s) for s in accelerations):
        return
    if any(landing(s) is None for s in accelerations):
        return
    raises = [c for c in pools[Kind.ACCELERATION] if c[0].landing is None and c[0].id not in used]
    if raises:
        best = min(raises, key=lambda c: 0 if c[0].default.hold is not None else 1)
        chosen.append(step(*best))
        used.add(best[0].id)


def _fitted(plan: Plan, minutes: float) -> Plan:
    """`plan` fitted to `minutes` within 5 %, or `FitError` saying the longest there is."""
    target = minutes * 60
    try:
        fitted = fit(plan, minutes)
        if plan_seconds(fitted) < target * (1 - TOLERANCE):
            fitted = fit(fitted, minutes)  # shortening overshot: lengthen what is left
    except FitError:
        fitted = None
    if fitted is not None and abs(plan_seconds(fitted) - target) <= TOLERANCE * target:
        return fitted
    most = next((m for m in range(int(minutes), 0, -1) if _fits(plan, m)), None)
    hint = f"; ask for at most {most} minutes" if most else ""
    raise FitError(
        f"cannot build a {minutes:g} min warm-up with this equipment without "
        f"breaking a limit (hold lengths, the stretching rule){hint}"
    )


def _fits(plan: Plan, minutes: int) -> bool:
    try:
        return abs(plan_seconds(fit(plan, minutes)) - minutes * 60) <= TOLERANCE * minutes * 60
    except FitError:
        return False


def _floor(plan: Plan) -> float:
    """The plan at each drill's usual dose (sets too), with no rests: the least a build may be."""
    steps = tuple(dataclasses.replace(s, rest=0) for s in plan.steps)
    return plan_seconds(dataclasses.replace(plan, steps=steps))


def _whole_minutes(seconds: float) -> int:
    return int(-(-seconds // 60))


Candidate = tuple[Drill, tuple[str, ...]]


def _pools(
    library: Mapping[str, Drill],
    equipment: frozenset[str],
    levels: Mapping[str, str],
    focus: str,
    rng: random.Random,
    gate: Gate = UNTESTED,
    stopped: frozenset[str] = frozenset(),
) -> dict[Kind, list[Candidate]]:
    """For each kind, one drill per ladder (at the user's level, below any drill pain
    stopped today, or its alternative), in today's order."""
    ladders: dict[str, tuple[str, ...]] = {}
    for drill_id in sorted(library):
        try:
            rungs = ladder(drill_id, library)
            for rung in rungs:
                library[rung]
        except PlanError:  # a broken drill or ladder: left out, `gluteterm check` names it
            continue
        ladders.setdefault(rungs[0], rungs)
    pools: dict[Kind, list[tuple[float, Candidate]]] = {kind: [] for kind in Kind}
    taken: set[str] = set()
    for root, rungs in sorted(ladders.items()):
        level = levels.get(root, root)
        top = rungs.index(level) if level in rungs else 0
        usable = [
            library[r]
            for r in rungs[: top + 1]
            if set(library[r].equipment) <= equipment and gate.allows(library[r])
        ]
        if usable and usable[-1].id in stopped:
            drill = _instead(usable[-1], library, equipment, stopped, taken)
            if drill is None:
                continue
            rungs = _rungs_of(drill.id, library, rungs)
        elif not usable:
            continue
        else:
            drill = usable[-1]  # the user's level, or the nearest easier rung they can do
        if drill.id in taken or not gate.allows(drill):
            continue
        taken.add(drill.id)
        # Weighted shuffle (Efraimidis-Spirakis): a heavier drill tends to come first.
        key = rng.random() ** (1 / _weight(drill, focus))
        pools[drill.kind].append((key, (drill, rungs)))
    return {
        kind: [c for _, c in sorted(items, key=lambda i: -i[0])] for kind, items in pools.items()
    }


def _instead(
    drill: Drill,
    library: Mapping[str, Drill],
    equipment: frozenset[str],
    stopped: frozenset[str],
    taken: set[str],
) -> Drill | None:
    """What to build in place of `drill`, which pain stopped today: the nearest rung
    below (or its alternative) the equipment allows and nothing has taken, or None."""
    from gluteterm.core.pain import stand_in

    current: str | None = drill.id
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        current = stand_in(current, library, stopped)
        if current is None:
            return None
        other = library[current]
        if set(other.equipment) <= equipment and current not in taken:
            return other
    return None


def _rungs_of(
    drill_id: str, library: Mapping[str, Drill], fallback: tuple[str, ...]
) -> tuple[str, ...]:
    if drill_id in fallback:
        return fallback
    try:
        return ladder(drill_id, library)
    except PlanError:
        return (drill_id,)


def _weight(drill: Drill, focus: str) -> float:
    """How much `focus` favours `drill`, by the muscles its file names (first = main)."""
    # The user said they have it: a drill that uses their equipment is favoured.
    kit = 2.0 if drill.equipment else 1.0
    target = FOCUS_MUSCLE.get(focus)
    if target is None:
        return kit * (2.0 if any(m.startswith("gluteus") for m in drill.muscles) else 1.0)
    if drill.muscles[:1] == (target,):
        return kit * 8.0
    return kit * (2.0 if target in drill.muscles else 0.5)


def _step(drill: Drill, rungs: tuple[str, ...], weaker_side: str | None) -> Step:
    dose = drill.default
    extra = weaker_side if drill.per_side and drill.kind in EXTRA_SET_KINDS else None
    return Step(
        name=drill.name,
        kind=drill.kind,
        hold=dose.hold,
        reps=dose.reps,
        tempo=None if dose.tempo is None else float(dose.tempo),
        phases=dose.phases,
        position=drill.position,
        sets=dose.sets,
        rest=dose.rest,
        per_side=drill.per_side,
        cue=drill.cue,
        equipment=drill.equipment,
        drill=drill.id,
        ladder=rungs,
        extra_side=extra,
    )


def _description(
    day: date, minutes: float, equipment: frozenset[str], focus: str, weaker: str | None
) -> str:
    kit = ", ".join(sorted(equipment)) or "none"
    extra = f"; an extra set for the {weaker} side" if weaker else ""
    return (
        f"Built on {day.isoformat()} for {minutes:g} min; equipment: {kit}; focus: {focus}{extra}."
    )
