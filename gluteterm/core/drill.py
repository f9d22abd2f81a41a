"""Drills: how to do each exercise, where to feel it, what goes wrong, and its ladder.

A drill is read from TOML text (`parse_drill`); where the text comes from is
the store's business. A *library* is any `Mapping[str, Drill]`. Ladders are
linear chains of `easier`/`harder` links, named by their easiest drill id.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gluteterm.core import toml_guard
from gluteterm.core.checks import Checker, describe
from gluteterm.core.errors import PlanError, Problem
from gluteterm.core.figure import Figure, FigureError, parse_figure
from gluteterm.core.limits import (
    DRILL_HOW_LINES,
    MAX_DRILL_ID,
    MAX_DRILL_ITEMS,
    MAX_DRILL_LINE,
    MAX_FAULTS,
    MAX_LADDER,
    MAX_NAME,
    STEP_FIELDS,
    STRETCH_STEP_MAX,
)
from gluteterm.core.plan import POSITIONS, Kind, Step, fill_dose, phase_split
from gluteterm.core.suggest import did_you_mean
from gluteterm.core.text import cut

__all__ = [
    "DRILL_VERSION",
    "LANDINGS",
    "Dose",
    "DoseRange",
    "Drill",
    "DrillError",
    "Fault",
    "at_level",
    "fill_dose",
    "ladder",
    "parse_drill",
]

#: Version 2 added `[range]` (the dose a drill stays within) and `landing`; version 1
#: files are still read, with a range made from their default dose (`default_range`).
DRILL_VERSION = 2
DRILL_VERSIONS = (1, 2)
DRILL_KEYS = (
    "version", "name", "kind", "equipment", "setup", "muscles", "per_side", "how",
    "feel", "unilateral_note", "easier", "harder", "default", "range", "landing",
    "faults", "figure", "position", "alternative",
)  # fmt: skip
DOSE_KEYS = ("hold", "reps", "tempo", "sets", "rest")
RANGE_KEYS = ("hold", "reps", "sets")
#: What a jump lands on, least demanding first: a drop to a stick, both feet, one foot.
LANDINGS = ("stick", "two-foot", "single-leg")
#: Jumps a set, at most (plyometric warm-ups: 5 to 8 quality contacts a set).
MOST_JUMPS = 8
FAULT_TABLE_KEYS = ("fault", "fix", "flag")
#: The check-in flag a fault belongs to ("none": it has no check-in key). "thigh" is
#: answered by where it was felt: the front of the hip or thigh doing the work.
FAULT_FLAGS = ("hip", "knees", "back", "thigh", "none")
DRILL_ID = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{MAX_DRILL_ID - 1}}}")


class DrillError(PlanError):
    """A drill file, or a ladder of drills, that cannot be used."""


@dataclass(frozen=True)
class Fault:
    """A compensation as the user would notice it, its fix, and its check-in flag."""

    fault: str
    fix: str
    flag: str | None = None  # "hip", "knees", "back", "thigh", or None


@dataclass(frozen=True)
class Dose:
    """How much of a drill: a hold or a number of reps, maybe paced, in sets."""

    hold: int | None = None
    reps: int | None = None
    tempo: float | None = None
    sets: int = 1
    rest: int | None = None
    #: Up, hold and down of a paced rep, as written (`tempo = [1, 2, 2]`), or None.
    phases: tuple[float, ...] | None = None

    @property
    def top(self) -> float | None:
        """Seconds held at the top of each paced rep (`{top}` in a how line), or None."""
        if self.tempo is None or not self.phases:
            return None
        return round(phase_split(self.tempo, self.phases)[1], 1)


@dataclass(frozen=True)
class DoseRange:
    """What a drill's dose stays within: seconds (`hold`) or reps per set, and sets.

    Fitting and the builder keep a step inside it and add or drop sets and drills
    rather than scale past it: past the top, a warm-up turns into a workout.
    """

    low: int
    high: int
    sets_low: int = 1
    sets_high: int = 3

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high

    def describe(self, timed: bool) -> str:
        unit = " s" if timed else " reps"
        sets = (
            f"{self.sets_low} set" + ("s" if self.sets_low > 1 else "")
            if self.sets_low == self.sets_high
            else f"{self.sets_low} to {self.sets_high} sets"
        )
        return f"{self.low} to {self.high}{unit} a set, {sets}"


def default_range(dose: Dose, kind: Kind | None = None) -> DoseRange:
    """The range of a version 1 drill file, which declares none: from half its default
    dose to a quarter more (never more for a stretch: brief is the rule), 1 to 3 sets."""
    value = dose.hold if dose.hold is not None else dose.reps or 1
    high = value if kind is Kind.STRETCH else value + max(1, value // 4)
    return DoseRange(
        max(1, value // 2), high, 1, max(dose.sets, 3 if kind is not Kind.STRETCH else 1)
    )


@dataclass(frozen=True)
class Drill:
    """One drill of the library, as its file describes it."""

    id: str
    name: str
    kind: Kind
    how: tuple[str, ...]
    feel: str
    faults: tuple[Fault, ...]
    default: Dose
    equipment: tuple[str, ...] = ()
    muscles: tuple[str, ...] = ()
    per_side: bool = False
    setup: str = ""
    unilateral_note: str = ""
    easier: str | None = None
    harder: str | None = None
    #: How to draw it: the view, the props and the key poses (core/figure.py).
    figure: Figure | None = field(default=None, compare=False)
    #: The dose it stays within (None: made from the default, `dose_range`).
    range: DoseRange | None = None
    #: A jump: what it lands on (one of LANDINGS), or None for anything else.
    landing: str | None = None

    @property
    def dose_range(self) -> DoseRange:
        """The declared range, or one made from the default dose (version 1 files)."""
        return self.range if self.range is not None else default_range(self.default, self.kind)

    #: Where it is done from (one of POSITIONS), or None in a file that does not say.
    position: str | None = None
    #: A pain-free stand-in (a drill id) offered after pain when no easier rung exists.
    alternative: str | None = None

    @property
    def cue(self) -> str:
        """The line a step shows when it does not set its own cue (placeholders unfilled)."""
        return self.how[0]


def parse_drill(text: str, file: str, drill_id: str) -> Drill:
    """Validate drill TOML `text` (the file `file`, whose name gives `drill_id`).

    Raises `DrillError` listing every problem, each naming the file and key.
    """
    check = Checker(file)
    if not DRILL_ID.fullmatch(drill_id):
        raise DrillError(
            [
                Problem(
                    file,
                    "a drill's file name is its id: lower-case letters, digits and hyphens, "
                    f"at most {MAX_DRILL_ID} characters (like monster-walk.toml)",
                )
            ]
        )
    try:
        data = toml_guard.loads(text)
    except toml_guard.TomlRefused as exc:
        raise DrillError([Problem(file, str(exc))]) from None
    if "step" in data or "title" in data:
        raise DrillError(
            [Problem(file, "looks like a plan (it has 'title' or [[step]]), not a drill")]
        )
    check.unknown_keys(data, DRILL_KEYS, "in this drill")
    _version(check, data)
    name = check.text(data, "name", MAX_NAME, required=True)
    kind = check.kind(data)
    equipment = check.texts(data, "equipment", MAX_NAME, MAX_DRILL_ITEMS)
    muscles = check.texts(data, "muscles", MAX_NAME, MAX_DRILL_ITEMS)
    setup = check.text(data, "setup", MAX_DRILL_LINE) or ""
    per_side = _flag(check, data, "per_side")
    how = _how(check, data)
    feel = check.text(data, "feel", MAX_DRILL_LINE, required=True)
    note = check.text(data, "unilateral_note", MAX_DRILL_LINE) or ""
    easier = _link(check, data, "easier", drill_id)
    harder = _link(check, data, "harder", drill_id)
    if easier is not None and easier == harder:
        check.add(f"'easier' and 'harder' both name '{easier}'; a ladder is a line", "harder")
    alternative = _link(check, data, "alternative", drill_id)
    position = _position(check, data)
    dose = _dose(check, data, kind)
    landing = _landing(check, data, kind)
    dose_range = _range(check, data, dose, landing)
    faults = _faults(check, data)
    figure = _figure(check, data)
    if check.problems or name is None or kind is None or feel is None or dose is None:
        raise DrillError(check.problems or [Problem(file, "could not be read")])
    return Drill(
        id=drill_id,
        name=name,
        kind=kind,
        how=how,
        feel=feel,
        faults=faults,
        default=dose,
        equipment=equipment,
        muscles=muscles,
        per_side=per_side,
        setup=setup,
        unilateral_note=note,
        easier=easier,
        harder=harder,
        figure=figure,
        range=dose_range,
        landing=landing,
        position=position,
        alternative=alternative,
    )


def _landing(check: Checker, data: dict[str, Any], kind: Kind | None) -> str | None:
    value = check.choice(data, "landing", LANDINGS)
    if value is None:
        return None
    if kind is not None and kind is not Kind.ACCELERATION:
        check.add(f"only an acceleration drill (a jump) lands; this one is {kind.value}", "landing")
        return None
    return str(value)


def _pair(check: Checker, table: dict[str, Any], key: str) -> tuple[int, int] | None:
    value = table[key]
    bound = STEP_FIELDS[key]
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        check.add(
            f"expected two whole numbers, lowest and highest, found {describe(value)}",
            f"range.{key}",
        )
        return None
    low, high = value
    if not bound.low <= low <= high <= bound.high:
        check.add(
            f"expected {int(bound.low)} <= lowest <= highest <= {int(bound.high)}, "
            f"found [{low}, {high}]",
            f"range.{key}",
        )
        return None
    return low, high


def _range(
    check: Checker, data: dict[str, Any], dose: Dose | None, landing: str | None
) -> DoseRange | None:
    """The `[range]` table: required from version 2, made from the default before."""
    if "range" not in data:
        if data.get("version") != 1:
            check.add(
                "is missing; expected a [range] table: 'reps = [low, high]' or "
                "'hold = [low, high]' (per set) and 'sets = [low, high]'",
                "range",
            )
        return None
    table = data["range"]
    if not isinstance(table, dict):
        check.add(f"expected a [range] table, found {describe(table)}", "range")
        return None
    before = len(check.problems)
    for key in table:
        if key not in RANGE_KEYS:
            hint = did_you_mean(key, RANGE_KEYS, f"; known: {', '.join(RANGE_KEYS)}")
            check.add(f"unknown key in [range]{hint}", f"range.{cut(key)}")
    if dose is None or len(check.problems) > before:
        return None
    measure = "hold" if dose.hold is not None else "reps"
    other = "reps" if measure == "hold" else "hold"
    if other in table:
        check.add(
            f"the default dose is {measure}, so the range gives {measure}, not {other}",
            f"range.{other}",
        )
        return None
    if measure not in table or "sets" not in table:
        missing = [k for k in (measure, "sets") if k not in table]
        check.add(f"needs {' and '.join(repr(k) for k in missing)} as [low, high]", "range")
        return None
    value, sets = _pair(check, table, measure), _pair(check, table, "sets")
    if value is None or sets is None:
        return None
    found = DoseRange(value[0], value[1], sets[0], sets[1])
    default = dose.hold if dose.hold is not None else dose.reps
    if default not in found or not found.sets_low <= dose.sets <= found.sets_high:
        check.add(
            f"the default dose ({default} a set, {dose.sets} set(s)) is outside the range "
            f"({found.describe(dose.hold is not None)})",
            "range",
        )
        return None
    if landing is not None and measure == "reps" and found.high > MOST_JUMPS:
        check.add(
            f"a jump's range goes up to at most {MOST_JUMPS} a set (quality landings, not "
            f"fatigue), found {found.high}",
            "range.reps",
        )
        return None
    return found


def _position(check: Checker, data: dict[str, Any]) -> str | None:
    return check.choice(data, "position", POSITIONS, f"one of {', '.join(POSITIONS)}")


def _figure(check: Checker, data: dict[str, Any]) -> Figure | None:
    raw = data.get("figure")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        check.add(f"expected a [figure] table, found {describe(raw)}", "figure")
        return None
    try:
        return parse_figure(raw, check.file)
    except FigureError as exc:
        check.add(str(exc).removeprefix(f"{check.file}: "), "figure")
        return None


def _version(check: Checker, data: dict[str, Any]) -> None:
    if "version" not in data:
        check.add(f"is missing; put 'version = {DRILL_VERSION}' at the top", "version")
    elif data["version"] not in DRILL_VERSIONS or isinstance(data["version"], bool):
        check.add(
            f"expected {DRILL_VERSION}, found {describe(data['version'])}: this gluteterm "
            f"reads drill files of versions {' and '.join(map(str, DRILL_VERSIONS))}",
            "version",
        )


def _flag(check: Checker, data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        check.add(f"expected true or false, found {describe(value)}", key)
        return False
    return value


def _how(check: Checker, data: dict[str, Any]) -> tuple[str, ...]:
    low, high = int(DRILL_HOW_LINES.low), int(DRILL_HOW_LINES.high)
    if "how" not in data:
        check.add(f"is missing; expected {low} to {high} short lines of how to do it", "how")
        return ()
    lines = check.texts(data, "how", MAX_DRILL_LINE)
    if lines and not low <= len(lines) <= high:
        check.add(f"expected {low} to {high} lines, found {len(lines)}", "how")
    return lines


def _link(check: Checker, data: dict[str, Any], key: str, drill_id: str) -> str | None:
    value = check.text(data, key, MAX_DRILL_ID)
    if value is None:
        return None
    if not DRILL_ID.fullmatch(value):
        check.add(f"expected a drill id (like monster-walk), found {describe(value)}", key)
        return None
    if value == drill_id:
        check.add("names this drill itself; a ladder link goes to another drill", key)
        return None
    return value


def _dose(check: Checker, data: dict[str, Any], kind: Kind | None) -> Dose | None:
    if "default" not in data:
        check.add("is missing; expected a [default] table with hold or reps", "default")
        return None
    table = data["default"]
    if not isinstance(table, dict):
        check.add(f"expected a [default] table, found {describe(table)}", "default")
        return None
    before = len(check.problems)
    for key in table:
        if key not in DOSE_KEYS:
            hint = did_you_mean(key, DOSE_KEYS, f"; known: {', '.join(DOSE_KEYS)}")
            check.add(f"unknown key in [default]{hint}", f"default.{cut(key)}")
    values: dict[str, int | float | None] = {}
    phases: tuple[float, ...] | None = None
    for key in DOSE_KEYS:
        bound = STEP_FIELDS[key]
        inner = Checker(check.file)
        if key == "tempo":
            values[key], phases = inner.tempo(table, key, bound.low, bound.high)
        else:
            values[key] = inner.bounded_whole(table, key, bound)
        for problem in inner.problems:
            check.add(problem.message, f"default.{key}")
    has_hold, has_reps = "hold" in table, "reps" in table
    if has_hold == has_reps:
        check.add("expected either 'hold' (seconds) or 'reps' (a count), not both", "default")
    elif "tempo" in table and has_hold:
        check.add("'tempo' paces reps; a timed dose (hold) has none", "default.tempo")
    if len(check.problems) > before:
        return None
    hold, reps, tempo, sets, rest = (values[k] for k in DOSE_KEYS)
    dose = Dose(
        hold=None if hold is None else int(hold),
        reps=None if reps is None else int(reps),
        tempo=tempo,
        sets=1 if sets is None else int(sets),
        rest=None if rest is None else int(rest),
        phases=phases,
    )
    if kind is Kind.STRETCH and dose.hold is not None and dose.hold * dose.sets > STRETCH_STEP_MAX:
        check.add(
            f"a stretch of {dose.hold * dose.sets} s per side (hold x sets) is over the "
            f"{STRETCH_STEP_MAX} s limit plans keep to",
            "default.hold",
        )
        return None
    return dose


def _faults(check: Checker, data: dict[str, Any]) -> tuple[Fault, ...]:
    raw = data.get("faults")
    if raw is None:
        check.add("is missing; add at least one [[faults]] table (fault, fix, flag)", "faults")
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(f, dict) for f in raw):
        check.add("expected [[faults]] tables, each with fault, fix and flag", "faults")
        return ()
    if len(raw) > MAX_FAULTS:
        check.add(f"expected at most {MAX_FAULTS} faults, found {len(raw)}", "faults")
        return ()
    faults = []
    for number, table in enumerate(raw, start=1):
        where = f"faults[{number}]"
        inner = Checker(check.file)
        inner.unknown_keys(table, FAULT_TABLE_KEYS, "in this fault")
        fault = inner.text(table, "fault", MAX_DRILL_LINE, required=True)
        fix = inner.text(table, "fix", MAX_DRILL_LINE, required=True)
        flag = table.get("flag", "none")
        if flag not in FAULT_FLAGS:
            hint = did_you_mean(flag, FAULT_FLAGS)
            inner.add(
                f"expected one of {', '.join(FAULT_FLAGS)}, found {describe(flag)}{hint}", "flag"
            )
        for problem in inner.problems:
            check.add(problem.message, f"{where}.{problem.key}" if problem.key else where)
        if fault is not None and fix is not None and not inner.problems:
            faults.append(Fault(fault, fix, None if flag == "none" else flag))
    return tuple(faults)


def ladder(drill_id: str, library: Mapping[str, Drill]) -> tuple[str, ...]:
    """The ladder `drill_id` is on, easiest first.

    Raises `DrillError` when a link names a missing drill, when links are not
    mutual (a.harder is b but b.easier is not a), or when they loop.
    """

    def problem(message: str, drill: str, key: str | None = None) -> DrillError:
        return DrillError([Problem(f"{drill}.toml", message, key=key)])

    def step(from_id: str, direction: str, back: str) -> str | None:
        current = library[from_id]
        to = current.easier if direction == "easier" else current.harder
        if to is None:
            return None
        if to not in library:
            hint = did_you_mean(to, library)
            raise problem(
                f"links to '{cut(to)}', which is not in the library{hint}", from_id, direction
            )
        other = library[to]
        if (other.easier if back == "easier" else other.harder) != from_id:
            raise problem(
                f"says '{direction} = \"{to}\"' but {to}.toml does not say "
                f"'{back} = \"{from_id}\"'; a ladder's links go both ways",
                from_id,
                direction,
            )
        return to

    if drill_id not in library:
        raise problem("is not in the library", drill_id)
    chain = [drill_id]
    for direction, back in (("easier", "harder"), ("harder", "easier")):
        current: str | None = drill_id
        while current is not None:
            current = step(current, direction, back)
            if current is None:
                break
            if current in chain:
                raise problem(f"the ladder loops back to '{current}'", chain[-1], direction)
            if len(chain) >= MAX_LADDER:
                raise problem(f"the ladder is longer than {MAX_LADDER} drills", drill_id)
            if direction == "easier":
                chain.insert(0, current)
            else:
                chain.append(current)
    return tuple(chain)


def at_level(step: Step, drill: Drill) -> Step:
    """`step` done as `drill` (another rung of its ladder), at the drill's own dose.

    A single-leg bridge is harder than a bridge on both feet: the plan's dose for the
    easier rung would ask close to the maximum of someone just placed on the harder
    one. A rest the drill does not set stays the plan's.
    """
    dose = drill.default
    return dataclasses.replace(
        step,
        hold=dose.hold,
        reps=dose.reps,
        tempo=None if dose.tempo is None else float(dose.tempo),
        sets=dose.sets,
        rest=step.rest if dose.rest is None else dose.rest,
        drill=drill.id,
        name=drill.name,
        kind=drill.kind,
        per_side=drill.per_side,
        equipment=drill.equipment,
        cue=drill.cue,
        position=drill.position,
    )


def no_such_drill(drill_id: str, library: Mapping[str, Drill]) -> str:
    """What to say about a drill id the library does not have, with the closest one."""
    hint = did_you_mean(drill_id, library)
    return f"no drill called '{cut(drill_id)}'{hint} ('gluteterm drills' lists them)"
