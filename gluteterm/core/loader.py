"""Reading and validating plan files: TOML in, a `Plan` or a list of problems out.

Every plan the app touches goes through `load_plan`, so `gluteterm check`,
the home screen and the runner all apply the same rules, including the
"keep elongation brief" limits on static stretching.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluteterm.core import toml_guard
from gluteterm.core.checks import Checker as _Checker
from gluteterm.core.drill import Drill, ladder, no_such_drill
from gluteterm.core.errors import PlanError, Problem
from gluteterm.core.landing import JUMP_REST
from gluteterm.core.limits import (
    MAX_CUE,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_STEPS,
    PLAN_REST,
    PREPARE,
    STEP_FIELDS,
    STRETCH_HOLD_WARN,
    STRETCH_SESSION_WARN,
    STRETCH_STEP_MAX,
)
from gluteterm.core.plan import (
    ACTIVATE_KINDS,
    POSITIONS,
    Kind,
    Plan,
    Step,
    missing_placeholders,
)

PLAN_KEYS = ("title", "description", "prepare", "rest", "step")
STEP_KEYS = (
    "name", "kind", "hold", "reps", "tempo", "sets", "rest",
    "per_side", "cue", "equipment", "levels", "off", "drill",
    "until_enter", "question", "extra_side", "position", "first_side",
)  # fmt: skip
SIDES = ("left", "right")


@dataclass(frozen=True)
class LoadedPlan:
    """A valid plan and the warnings it raised."""

    plan: Plan
    warnings: tuple[Problem, ...] = ()


def parse_plan(
    text: str,
    file: str,
    plan_id: str,
    source: Path | None = None,
    drills: Mapping[str, Drill] | None = None,
) -> LoadedPlan:
    """Validate plan TOML `text`; `file` names it in messages.

    `drills` is the library that steps with `drill = "id"` are resolved against.
    """
    check = _Checker(file)
    try:
        data = toml_guard.loads(text)
    except tomllib.TOMLDecodeError as exc:  # toml_guard.TomlRefused: says what is wrong
        raise PlanError([Problem(file, str(exc))]) from None
    misplaced = [k for k in data if k not in PLAN_KEYS and k in STEP_KEYS]
    for key in misplaced:
        check.add("is a step's key: put it under a [[step]] line, one table per exercise", key)
    check.unknown_keys(
        {k: v for k, v in data.items() if k not in misplaced}, PLAN_KEYS, "at the top of the plan"
    )
    title = check.text(data, "title", MAX_NAME, required=True)
    description = check.text(data, "description", MAX_DESCRIPTION) or ""
    prepare = check.bounded_whole(data, "prepare", PREPARE)
    rest = check.bounded_whole(data, "rest", PLAN_REST)

    missing = "the plan has no steps; add at least one [[step]] table"
    raw_steps = check.tables(data, "step", MAX_STEPS, missing, "[[step]] tables, one per exercise")
    parsed = [(n, _parse_step(check, n, raw, drills or {})) for n, raw in enumerate(raw_steps, 1)]
    numbered = [(n, step) for n, step in parsed if step is not None]  # with its number in the file
    steps = [step for _, step in numbered]
    check.step = check.step_name = None

    if steps and all(step.off for step in steps):
        check.add("every step is turned off ('off = true'); turn at least one back on", "step")
    # Every problem at once: the stretching rule too, even when other keys are wrong.
    _check_stretching(check, [(n, s) for n, s in numbered if not s.off])
    _check_method(check, [(n, s) for n, s in numbered if not s.off], drills or {}, rest)
    errors = [p for p in check.problems if p.severity == "error"]
    if errors or title is None:
        raise PlanError(check.problems or [Problem(file, "is missing a title", key="title")])
    plan = Plan(
        id=plan_id,
        title=title,
        description=description,
        prepare=5 if prepare is None else prepare,
        rest=0 if rest is None else rest,
        steps=tuple(s for s in steps if not s.off),
        source=source,
        with_off=tuple(steps) if any(s.off for s in steps) else (),
        drills=drills,
    )
    return LoadedPlan(plan, tuple(check.problems))


def _parse_step(
    check: _Checker, number: int, raw: dict[str, Any], drills: Mapping[str, Drill]
) -> Step | None:
    check.step = number
    name_value = raw.get("name")
    check.step_name = name_value if isinstance(name_value, str) and name_value.strip() else None
    before = len(check.problems)
    check.unknown_keys(raw, STEP_KEYS, "in this step")
    uses_drill = "drill" in raw
    drill = _step_drill(check, raw, drills) if uses_drill else None
    if drill is not None and check.step_name is None:
        check.step_name = drill.name
    name = check.text(raw, "name", MAX_NAME, required=not uses_drill)
    kind = check.kind(raw) if "kind" in raw or not uses_drill else None
    hold = check.bounded_whole(raw, "hold", STEP_FIELDS["hold"])
    reps = check.bounded_whole(raw, "reps", STEP_FIELDS["reps"])
    tempo, phases = check.tempo(raw, "tempo", STEP_FIELDS["tempo"].low, STEP_FIELDS["tempo"].high)
    sets = check.bounded_whole(raw, "sets", STEP_FIELDS["sets"])
    rest = check.bounded_whole(raw, "rest", STEP_FIELDS["rest"])
    per_side, off = check.flag(raw, "per_side"), check.flag(raw, "off")
    cue = check.text(raw, "cue", MAX_CUE) or ""
    equipment = check.texts(raw, "equipment")
    levels = check.texts(raw, "levels")
    has_hold, has_reps = "hold" in raw, "reps" in raw
    if has_hold and has_reps:
        check.add("has both 'hold' and 'reps'; a step is either timed (hold) or counted (reps)")
    elif not has_hold and not has_reps and not uses_drill:
        check.add("needs 'hold' (seconds) or 'reps' (a count)")
    if "tempo" in raw and has_hold and not has_reps:
        check.add("'tempo' paces reps; a timed step (hold) has no reps to pace", "tempo")
    if uses_drill and "levels" in raw:
        check.add(
            "a step with 'drill' takes its ladder from the drill's easier/harder links; "
            "remove 'levels'",
            "levels",
        )
    tests = _test_keys(check, raw)
    position = _position(check, raw)
    if len(check.problems) > before and any(p.severity == "error" for p in check.problems[before:]):
        return None
    if drill is not None:
        step = _drill_step(check, raw, drill, drills, phases)
        if position is not None:
            step = dataclasses.replace(step, position=position)
        step = dataclasses.replace(step, **tests)
        if step.until_enter or step.question:
            # A self-test stays the drill its protocol names: never moved along a ladder.
            step = dataclasses.replace(step, ladder=(drill.id,))
        return _checked_test_keys(check, step)
    assert name is not None and kind is not None
    step = Step(
        name=name,
        kind=kind,
        hold=hold,
        reps=reps,
        tempo=tempo,
        sets=1 if sets is None else sets,
        rest=rest,
        per_side=per_side,
        cue=cue,
        equipment=equipment,
        levels=levels,
        off=off,
        phases=phases,
        position=position,
        **tests,
    )
    return _checked_test_keys(check, step)


def _position(check: _Checker, raw: dict[str, Any]) -> str | None:
    return check.choice(raw, "position", POSITIONS, f"one of {', '.join(POSITIONS)}")


def _test_keys(check: _Checker, raw: dict[str, Any]) -> dict[str, Any]:
    """`until_enter`, `question` and `extra_side`, as far as they can be read alone."""
    found = {
        "until_enter": check.flag(raw, "until_enter"),
        "question": check.text(raw, "question", MAX_CUE),
        "extra_side": check.choice(raw, "extra_side", SIDES, "left or right"),
        "first_side": check.choice(raw, "first_side", SIDES, "left or right"),
    }
    return {key: value for key, value in found.items() if value}


def _checked_test_keys(check: _Checker, step: Step) -> Step | None:
    """`step`, or None when its `until_enter` or `extra_side` cannot work with the rest."""
    before = len(check.problems)
    if step.until_enter and step.hold is None and step.tempo is None:
        check.add(
            "'until_enter' counts reps at a steady pace; add 'tempo' (seconds per rep)",
            "until_enter",
        )
    if step.extra_side is not None and not step.per_side:
        check.add("'extra_side' needs a step done on each side ('per_side = true')", "extra_side")
    return None if len(check.problems) > before else step


def _step_drill(check: _Checker, raw: dict[str, Any], drills: Mapping[str, Drill]) -> Drill | None:
    """The library drill a step names, or None (with an error) if it cannot be had."""
    value = raw["drill"]
    if not isinstance(value, str) or not value.strip():
        check.bad("drill", "a drill id (like monster-walk)", value)
        return None
    if value not in drills:
        check.add(no_such_drill(value, drills), "drill")
        return None
    try:
        return drills[value]
    except PlanError as exc:
        # Name the drill's file: it may be the user's own copy, not this plan, to fix.
        files = ", ".join(sorted({p.file for p in exc.errors}))
        reasons = "; ".join(f"'{p.key}': {p.message}" if p.key else p.message for p in exc.errors)
        check.add(f"the drill '{value}' in {files} cannot be used: {reasons}", "drill")
        return None


def _drill_step(
    check: _Checker,
    raw: dict[str, Any],
    drill: Drill,
    drills: Mapping[str, Drill],
    phases: tuple[float, ...] | None,
) -> Step:
    """A step that names `drill`: the drill supplies every key the step leaves out.

    The dose is the step's own when it sets `hold` or `reps` (sets 1 and the
    plan's rest unless it says otherwise, as for any step); with neither, it is
    the drill's default dose, with any `tempo`, `sets` or `rest` the step sets.
    """
    kind = Kind(raw["kind"]) if "kind" in raw else drill.kind
    if kind is not drill.kind:
        check.add(
            f"this step's kind is {kind.value} but the drill '{drill.id}' is {drill.kind.value}; "
            "the step's kind is used",
            "kind",
            "warning",
        )
    own_dose = "hold" in raw or "reps" in raw
    default = drill.default
    hold = raw.get("hold") if own_dose else default.hold
    reps = raw.get("reps") if own_dose else default.reps
    if "tempo" in raw:
        tempo = sum(phases) if phases else raw["tempo"]
        # A plain number keeps the drill's up, hold and down, scaled to it.
        phases = phases or default.phases
    else:
        tempo = None if own_dose else default.tempo
        phases = None if own_dose else default.phases
    sets = raw.get("sets", 1 if own_dose else default.sets)
    rest = raw.get("rest", None if own_dose else default.rest)
    if "tempo" in raw and reps is None:
        check.add(f"'tempo' paces reps; the drill '{drill.id}' is timed (hold)", "tempo")
    try:
        rungs = ladder(drill.id, drills)
    except PlanError as exc:
        reasons = "; ".join(str(p) for p in exc.errors)
        check.add(
            f"the drill's ladder is broken, so this step stays at '{drill.id}': {reasons}",
            "drill",
            "warning",
        )
        rungs = (drill.id,)
    step = Step(
        name=raw.get("name", drill.name),
        kind=kind,
        hold=None if hold is None else int(hold),
        reps=None if reps is None else int(reps),
        tempo=None if tempo is None else float(tempo),
        sets=int(sets),
        rest=None if rest is None else int(rest),
        per_side=raw.get("per_side", drill.per_side),
        cue=raw.get("cue", drill.cue),
        equipment=tuple(raw.get("equipment", drill.equipment)),
        off=raw.get("off", False),
        drill=drill.id,
        ladder=rungs,
        phases=phases,
        position=drill.position,
    )
    missing = missing_placeholders(step.cue, step)
    if missing:
        check.add(
            f"the cue uses {', '.join(missing)} but this step's dose has no such number",
            "cue",
            "warning",
        )
    return step


def _check_method(
    check: _Checker,
    numbered: list[tuple[int, Step]],
    drills: Mapping[str, Drill],
    plan_rest: int | None,
) -> None:
    """Warn where the steps leave the method: its order, a raise before the first jump,
    the rest between sets of jumps, and each drill's dose range."""
    # Mobility and a brief stretch may come in either order (a stretch is best
    # followed by mobility); the rest keep the method's order.
    rank = {kind: i for i, kind in enumerate(Kind)} | {
        Kind.STRETCH: list(Kind).index(Kind.MOBILITY)
    }
    latest: Step | None = None
    raised = False
    for number, step in numbered:
        check.step, check.step_name = number, step.name
        if latest is not None and rank[step.kind] < rank[latest.kind]:
            check.add(
                f"a {step.kind.value} step after '{latest.name}' ({latest.kind.value}): the "
                "method goes release, mobility, stretch, analytic, stability, acceleration",
                "kind",
                "warning",
            )
        if latest is None or rank[step.kind] >= rank[latest.kind]:
            latest = step
        drill = drills.get(step.drill) if step.drill is not None else None
        if drill is None:
            continue
        try:
            landing, span, timed = drill.landing, drill.dose_range, drill.default.hold is not None
        except PlanError:  # pragma: no cover - the step would not have loaded
            continue
        if step.kind is Kind.ACCELERATION and landing is None:
            raised = True
        if landing is not None:
            if not raised:
                check.add(
                    "a jump with no raise before it: put easy skips or a jog on the spot "
                    "(skip-and-jog) first",
                    "drill",
                    "warning",
                )
                raised = True
            rest = step.rest if step.rest is not None else (plan_rest or 0)
            if step.most_sets > 1 and rest < JUMP_REST:
                check.add(
                    f"{rest} s between sets of jumps; landings need at least {JUMP_REST} s",
                    "rest",
                    "warning",
                )
        if step.until_enter or step.question:
            continue  # a self-test: its dose is the protocol's, not a warm-up's
        value = step.hold if timed else step.reps
        outside = value not in span or not span.sets_low <= step.sets <= span.sets_high
        if (step.hold is None) == (not timed) and value is not None and outside:
            check.add(
                f"{value} {'s' if timed else 'reps'} a set, {step.sets} set(s): outside "
                f"the drill's range ({span.describe(timed)})",
                "hold" if timed else "reps",
                "warning",
            )
    check.step = check.step_name = None


def _stretch_seconds(step: Step) -> float:
    """Static stretching in one step, per side: hold (or paced reps) times sets."""
    return step.estimated_work_seconds() * step.most_sets


def _check_stretching(check: _Checker, numbered: list[tuple[int, Step]]) -> None:
    """Apply the keep-elongation-brief rule to the steps that will run; add what it finds.

    `numbered` holds each valid step that is on, with its number in the file.
    """
    total = 0.0
    steps = [step for _, step in numbered]
    for index, (number, step) in enumerate(numbered):
        if step.kind is not Kind.STRETCH:
            continue
        check.step, check.step_name = number, step.name
        seconds = _stretch_seconds(step)
        total += seconds
        if seconds > STRETCH_STEP_MAX:
            check.add(
                f"static stretching of {seconds:g} s per side (hold x sets) is over the "
                f"{STRETCH_STEP_MAX} s limit: long holds before exercise cost strength; "
                f"keep it to {STRETCH_STEP_MAX} s or less",
                "hold" if step.hold is not None else "reps",
            )
        elif step.hold is not None and step.hold > STRETCH_HOLD_WARN:
            check.add(
                f"a {step.hold} s hold is over {STRETCH_HOLD_WARN} s; holds under "
                f"{STRETCH_HOLD_WARN} s cost no measurable strength",
                "hold",
                "warning",
            )
        later = steps[index + 1 :]
        if not any(s.kind is Kind.MOBILITY or s.kind in ACTIVATE_KINDS for s in later):
            check.add(
                "no mobility or activation step follows this stretch; a static stretch "
                "should never be the last thing before the main effort",
                severity="warning",
            )
    check.step = check.step_name = None
    if total > STRETCH_SESSION_WARN:
        check.add(
            f"the session holds {total:g} s of static stretching per side, over "
            f"{STRETCH_SESSION_WARN} s; beyond that, stretching starts to cost strength",
            severity="warning",
        )
