"""Reading and validating plan files: TOML in, a `Plan` or a list of problems out.

Every plan the app touches goes through `load_plan`, so `gluteterm check`,
the home screen and the runner all apply the same rules, including the
"keep elongation brief" limits on static stretching.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluteterm.core import toml_guard
from gluteterm.core.errors import PlanError, Problem, Severity
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
    Bound,
)
from gluteterm.core.plan import ACTIVATE_KINDS, Kind, Plan, Step
from gluteterm.core.suggest import closest

PLAN_KEYS = ("title", "description", "prepare", "rest", "step")
STEP_KEYS = (
    "name", "kind", "hold", "reps", "tempo", "sets", "rest",
    "per_side", "cue", "equipment", "levels", "off",
)  # fmt: skip


@dataclass(frozen=True)
class LoadedPlan:
    """A valid plan and the warnings it raised."""

    plan: Plan
    warnings: tuple[Problem, ...] = ()


class _Checker:
    """Collects problems for one file while its keys are read."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.step: int | None = None
        self.step_name: str | None = None

    def add(self, message: str, key: str | None = None, severity: Severity = "error") -> None:
        self.problems.append(Problem(self.file, message, severity, self.step, self.step_name, key))

    def unknown_keys(self, table: dict[str, Any], known: tuple[str, ...], where: str) -> None:
        for key in table:
            if key in known:
                continue
            close = closest(key, known)
            hint = f"; did you mean '{close}'?" if close else f"; known keys: {', '.join(known)}"
            self.add(f"unknown key {where}{hint}", key)

    def whole(
        self, table: dict[str, Any], key: str, low: int, high: int, unit: str = ""
    ) -> int | None:
        if key not in table:
            return None
        value = table[key]
        what = f"a whole number{unit} from {low} to {high}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(f"expected {what}, found {_describe(value)}", key)
            return None
        if isinstance(value, float) and not value.is_integer():
            self.add(f"expected {what}, found the fraction {value:g}", key)
            return None
        if not low <= value <= high:
            self.add(f"expected {what}, found {value:g}", key)
            return None
        return int(value)

    def bounded_whole(self, table: dict[str, Any], key: str, bound: Bound) -> int | None:
        return self.whole(table, key, int(bound.low), int(bound.high), bound.unit)

    def number(self, table: dict[str, Any], key: str, low: float, high: float) -> float | None:
        if key not in table:
            return None
        value = table[key]
        what = f"a number of seconds from {low:g} to {high:g}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(f"expected {what}, found {_describe(value)}", key)
            return None
        if not low <= value <= high:
            self.add(f"expected {what}, found {value:g}", key)
            return None
        return float(value)

    def text(
        self, table: dict[str, Any], key: str, limit: int, required: bool = False
    ) -> str | None:
        if key not in table:
            if required:
                self.add("is missing; expected some text", key)
            return None
        value = table[key]
        if not isinstance(value, str):
            self.add(f"expected text, found {_describe(value)}", key)
            return None
        if required and not value.strip():
            self.add("is empty; expected some text", key)
            return None
        if "\n" in value or "\r" in value:
            self.add("expected one line of text, found a line break", key)
            return None
        if len(value) > limit:
            self.add(f"expected at most {limit} characters, found {len(value)}", key)
            return None
        return value

    def texts(self, table: dict[str, Any], key: str) -> tuple[str, ...]:
        if key not in table:
            return ()
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f'expected a list of text, like ["a", "b"], found {_describe(value)}', key)
            return ()
        if any(not v.strip() or len(v) > MAX_NAME or "\n" in v for v in value):
            self.add(f"each entry must be one non-empty line of at most {MAX_NAME} characters", key)
            return ()
        return tuple(value)


def _describe(value: object) -> str:
    """Name a TOML value's type for a person, with the value when short."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"text {shown!r}"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def parse_plan(text: str, file: str, plan_id: str, source: Path | None = None) -> LoadedPlan:
    """Validate plan TOML `text`; `file` names it in messages."""
    check = _Checker(file)
    try:
        data = toml_guard.loads(text)
    except tomllib.TOMLDecodeError as exc:  # toml_guard.TomlRefused: says what is wrong
        raise PlanError([Problem(file, str(exc))]) from None
    check.unknown_keys(data, PLAN_KEYS, "at the top of the plan")
    title = check.text(data, "title", MAX_NAME, required=True)
    description = check.text(data, "description", MAX_DESCRIPTION) or ""
    prepare = check.bounded_whole(data, "prepare", PREPARE)
    rest = check.bounded_whole(data, "rest", PLAN_REST)

    raw_steps = data.get("step")
    steps: list[Step] = []
    numbered: list[tuple[int, Step]] = []  # each valid step with its number in the file
    if raw_steps is None:
        check.add("the plan has no steps; add at least one [[step]] table", "step")
    elif not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        check.add("expected [[step]] tables, one per exercise", "step")
    elif not raw_steps:
        check.add("the plan has no steps; add at least one [[step]] table", "step")
    elif len(raw_steps) > MAX_STEPS:
        check.add(f"expected at most {MAX_STEPS} steps, found {len(raw_steps)}", "step")
    else:
        for number, raw in enumerate(raw_steps, start=1):
            step = _parse_step(check, number, raw)
            if step is not None:
                steps.append(step)
                numbered.append((number, step))
    check.step = check.step_name = None

    if steps and all(step.off for step in steps):
        check.add("every step is turned off ('off = true'); turn at least one back on", "step")
    # Every problem at once: the stretching rule too, even when other keys are wrong.
    _check_stretching(check, [(n, s) for n, s in numbered if not s.off])
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
        all_steps=tuple(steps) if any(s.off for s in steps) else (),
    )
    return LoadedPlan(plan, tuple(check.problems))


def _parse_step(check: _Checker, number: int, raw: dict[str, Any]) -> Step | None:
    check.step = number
    name_value = raw.get("name")
    check.step_name = name_value if isinstance(name_value, str) and name_value.strip() else None
    before = len(check.problems)
    check.unknown_keys(raw, STEP_KEYS, "in this step")
    name = check.text(raw, "name", MAX_NAME, required=True)
    kind = _parse_kind(check, raw)
    hold = check.bounded_whole(raw, "hold", STEP_FIELDS["hold"])
    reps = check.bounded_whole(raw, "reps", STEP_FIELDS["reps"])
    tempo = check.number(raw, "tempo", STEP_FIELDS["tempo"].low, STEP_FIELDS["tempo"].high)
    sets = check.bounded_whole(raw, "sets", STEP_FIELDS["sets"])
    rest = check.bounded_whole(raw, "rest", STEP_FIELDS["rest"])
    per_side = raw.get("per_side", False)
    if not isinstance(per_side, bool):
        check.add(f"expected true or false, found {_describe(per_side)}", "per_side")
    off = raw.get("off", False)
    if not isinstance(off, bool):
        check.add(f"expected true or false, found {_describe(off)}", "off")
    cue = check.text(raw, "cue", MAX_CUE) or ""
    equipment = check.texts(raw, "equipment")
    levels = check.texts(raw, "levels")
    has_hold, has_reps = "hold" in raw, "reps" in raw
    if has_hold and has_reps:
        check.add("has both 'hold' and 'reps'; a step is either timed (hold) or counted (reps)")
    elif not has_hold and not has_reps:
        check.add("needs 'hold' (seconds) or 'reps' (a count)")
    if "tempo" in raw and has_hold and not has_reps:
        check.add("'tempo' paces reps; a timed step (hold) has no reps to pace", "tempo")
    if len(check.problems) > before and any(p.severity == "error" for p in check.problems[before:]):
        return None
    assert name is not None and kind is not None
    return Step(
        name=name,
        kind=kind,
        hold=hold,
        reps=reps,
        tempo=tempo,
        sets=1 if sets is None else sets,
        rest=rest,
        per_side=bool(per_side),
        cue=cue,
        equipment=equipment,
        levels=levels,
        off=bool(off),
    )


def _parse_kind(check: _Checker, raw: dict[str, Any]) -> Kind | None:
    if "kind" not in raw:
        check.add(f"is missing; expected one of {', '.join(Kind)}", "kind")
        return None
    value = raw["kind"]
    if isinstance(value, str) and value in Kind.__members__.values():
        return Kind(value)
    found = _describe(value)
    close = closest(value, list(Kind)) if isinstance(value, str) else None
    hint = f"; did you mean '{close}'?" if close else ""
    check.add(f"expected one of {', '.join(Kind)}, found {found}{hint}", "kind")
    return None


def _stretch_seconds(step: Step) -> float:
    """Static stretching in one step, per side: hold (or paced reps) times sets."""
    return step.estimated_work_seconds() * step.sets


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
