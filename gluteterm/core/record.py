"""Session records: what happened in a session, as written to and read from the log.

The log format is versioned (`version = 2`; version 1 had no `felt_where`
and is still read); a reader refuses versions it does not know instead of guessing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeGuard, TypeVar, overload

from gluteterm.core.check_in import FELT_WHERE, CheckIn
from gluteterm.core.checks import bad_problem, describe
from gluteterm.core.errors import GlutetermError
from gluteterm.core.limits import (
    FELT,
    MAX_RECORD_SECONDS,
    MAX_RECORD_STEPS,
    RECORD_YEARS,
    SESSION_STATUSES,
)

if TYPE_CHECKING:  # the history's helper processes never need the runner
    from gluteterm.core.runner import Runner

LOG_VERSION = 2
#: Every log version this gluteterm reads (1: before `felt_where`).
LOG_VERSIONS = (1, 2)
STEP_STATUSES = ("done", "skipped", "partial")
#: How a step's status reads on screen ("" for a step the session never reached).
STEP_STATUS_WORDS = {
    "done": "done",
    "partial": "partly done",
    "skipped": "skipped",
    "": "not reached",
}


__all__ = ["FELT_WHERE", "CheckIn"]  # kept here too: the log's readers name them


class LogError(GlutetermError):
    """A log file that cannot be read; it is reported and left untouched."""


@dataclass(frozen=True)
class StepLog:
    """One step as it went."""

    number: int
    name: str
    kind: str
    status: str
    planned_seconds: float
    actual_seconds: float
    level: str | None = None
    felt: int | None = None
    flags: tuple[str, ...] = ()
    #: The library drill done, and the share of its own dose it was planned at.
    drill: str | None = None
    dose: float | None = None
    #: Where the user felt it (one of FELT_WHERE), if they said.
    felt_where: str | None = None


@dataclass(frozen=True)
class SessionRecord:
    """One session as it went: what the log file holds."""

    session: str
    title: str
    started: datetime
    ended: datetime
    status: str
    planned_steps: int
    active_seconds: float
    paused_seconds: float = 0.0
    steps: tuple[StepLog, ...] = field(default=())

    @property
    def done_steps(self) -> int:
        return sum(1 for s in self.steps if s.status == "done")

    def to_toml(self) -> dict[str, Any]:
        """The TOML document for this record (keys are part of the product)."""
        doc: dict[str, Any] = {
            "version": LOG_VERSION,
            "session": self.session,
            "title": self.title,
            "started": self.started.replace(microsecond=0),
            "ended": self.ended.replace(microsecond=0),
            "status": self.status,
            "planned_steps": self.planned_steps,
            "active_seconds": _kept(self.active_seconds),
            "paused_seconds": _kept(self.paused_seconds),
            "step": [],
        }
        for step in self.steps:
            entry: dict[str, Any] = {
                "number": step.number,
                "name": step.name,
                "kind": step.kind,
                "status": step.status,
                "planned_seconds": _kept(step.planned_seconds),
                "actual_seconds": _kept(step.actual_seconds),
            }
            if step.level is not None:
                entry["level"] = step.level
            if step.felt is not None:
                entry["felt"] = step.felt
            if step.flags:
                entry["flags"] = list(step.flags)
            if step.drill is not None:
                entry["drill"] = step.drill
            if step.dose is not None:
                entry["dose"] = step.dose
            if step.felt_where is not None:
                entry["felt_where"] = step.felt_where
            doc["step"].append(entry)
        return doc

    @classmethod
    def from_toml(cls, data: dict[str, Any], file: str) -> SessionRecord:
        """Read a parsed log document; raise `LogError` naming what is wrong."""
        session, title, started, ended, status, planned, active, paused, steps = _read_document(
            data, file, _step_log
        )
        return cls(
            session=session,
            title=title,
            started=started,
            ended=ended,
            status=status,
            planned_steps=planned,
            active_seconds=active,
            paused_seconds=paused,
            steps=tuple(steps),
        )


#: A step as the history needs it: its name, status and level.
BriefStep = tuple[str, str, "str | None"]
_Made = TypeVar("_Made", StepLog, BriefStep)


def brief_from_toml(
    data: dict[str, Any], file: str
) -> tuple[str, str, datetime, datetime, str, int, float, list[BriefStep]]:
    """What the history needs of a log document: session, title, started, ended, status,
    planned steps, active seconds, and each step's name, status and level.

    Every check `SessionRecord.from_toml` makes is made, in the same order, with
    the same `LogError`s (a property test holds it to that); only the record
    and its steps are not made, which was a fifth of reading a log.
    """
    session, title, started, ended, status, planned, active, _paused, steps = _read_document(
        data, file, _brief_step
    )
    return session, title, started, ended, status, planned, active, steps


def _read_document(
    data: dict[str, Any], file: str, make: Callable[[dict[str, Any], str, int, int], _Made]
) -> tuple[str, str, datetime, datetime, str, int, float, float, list[_Made]]:
    """Check a parsed log document, making each step with `make`; the order of the
    checks decides which problem a file with several is named for."""
    version = data.get("version")
    if not _is_int(version) or version not in LOG_VERSIONS:
        if _is_int(version) and version > LOG_VERSION:
            raise LogError(
                f"{file}: written by a newer gluteterm (log version {version}); "
                "upgrade gluteterm to read it"
            )
        raise LogError(
            f"{file}: not a gluteterm session log (version {describe(version)}, "
            f"expected {' or '.join(map(str, LOG_VERSIONS))})"
        )
    top = _Reader(data, file)
    status = top.choice("status", SESSION_STATUSES)
    started, ended = top.moment("started"), top.moment("ended")
    raw_steps = data.get("step", [])
    if not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        raise LogError(f"{file}: 'step' must be a list of [[step]] tables")
    if len(raw_steps) > MAX_RECORD_STEPS:
        raise LogError(f"{file}: {len(raw_steps)} steps; a session has at most {MAX_RECORD_STEPS}")
    steps = [make(raw, file, i, version) for i, raw in enumerate(raw_steps, start=1)]
    return (
        top.text("session"),
        top.text("title"),
        started,
        ended,
        status,
        top.whole("planned_steps", 0, MAX_RECORD_STEPS, default=len(steps)),
        top.seconds("active_seconds", optional=True),
        top.seconds("paused_seconds", optional=True),
        steps,
    )


def _step_log(raw: dict[str, Any], file: str, i: int, version: int) -> StepLog:
    values = _usual_values(raw, i, version)
    return _step(raw, file, i, version) if values is None else StepLog(*values)


def _brief_step(raw: dict[str, Any], file: str, i: int, version: int) -> BriefStep:
    values = _usual_values(raw, i, version)
    if values is None:
        step = _step(raw, file, i, version)
        return step.name, step.status, step.level
    return values[1], values[3], values[6]


def _step(raw: dict[str, Any], file: str, i: int, version: int) -> StepLog:
    """Step `i` of a log, or a `LogError` naming what is wrong with it."""
    step = _Reader(raw, file, i)
    return StepLog(
        number=step.whole("number", 1, MAX_RECORD_STEPS, default=i),
        name=step.text("name"),
        kind=step.text("kind"),
        status=step.choice("status", STEP_STATUSES),
        planned_seconds=step.seconds("planned_seconds"),
        actual_seconds=step.seconds("actual_seconds"),
        level=step.text("level", optional=True),
        felt=step.whole("felt", int(FELT.low), int(FELT.high)),
        flags=step.texts("flags"),
        drill=step.text("drill", optional=True),
        dose=step.share("dose"),
        felt_where=step.choice_or_none("felt_where", FELT_WHERE) if version >= 2 else None,
    )


_FELT_LOW, _FELT_HIGH = int(FELT.low), int(FELT.high)
_MAX_SECONDS = float(MAX_RECORD_SECONDS)


def _usual_step(raw: dict[str, Any], i: int, version: int) -> StepLog | None:
    """Step `i` as `_step` reads it, when every value is as gluteterm writes it; else None.

    The history checks every step of every log, and `_step`'s one call per key
    was a third of reading a log. This makes the same checks inline (a property
    test holds it to `_step`) and leaves anything unusual to `_step`, which
    raises the error that names it.
    """
    values = _usual_values(raw, i, version)
    return None if values is None else StepLog(*values)


#: A step's fields, in `StepLog`'s order.
_StepValues = tuple[
    int, str, str, str, float, float, "str | None", "int | None", tuple[str, ...], "str | None",
    "float | None", "str | None",
]  # fmt: skip


def _usual_values(raw: dict[str, Any], i: int, version: int) -> _StepValues | None:
    """`_usual_step`'s fields, without making the step (the history needs three)."""
    get = raw.get
    number, name, kind, status = get("number", i), get("name"), get("kind"), get("status")
    planned, actual = get("planned_seconds"), get("actual_seconds")
    level, felt, flags, drill, dose = (
        get("level"), get("felt"), get("flags", []), get("drill"), get("dose"),
    )  # fmt: skip
    # `finite_seconds`, inline (it is called twice for every step of every log):
    # a float from 0 to the limit (false for nan and inf), or a whole number made one.
    if type(planned) is int and 0 <= planned <= MAX_RECORD_SECONDS:
        planned = float(planned)
    if type(actual) is int and 0 <= actual <= MAX_RECORD_SECONDS:
        actual = float(actual)
    if (
        type(number) is not int
        or not 1 <= number <= MAX_RECORD_STEPS
        or type(name) is not str
        or type(kind) is not str
        or type(status) is not str
        or status not in STEP_STATUSES
        or type(planned) is not float
        or type(actual) is not float
        or not 0.0 <= planned <= _MAX_SECONDS
        or not 0.0 <= actual <= _MAX_SECONDS
        or not (level is None or type(level) is str)
        or not (felt is None or (type(felt) is int and _FELT_LOW <= felt <= _FELT_HIGH))
        or type(flags) is not list
        or not all(type(flag) is str for flag in flags)
        or not (drill is None or type(drill) is str)
    ):
        return None
    if dose is not None:
        if type(dose) is not float and type(dose) is not int:
            return None
        if not (0 <= dose <= 100 and math.isfinite(dose)):  # a huge int: no float()
            return None
        dose = float(dose)
    where = get("felt_where") if version >= 2 else None
    if where is not None and where not in FELT_WHERE:
        return None
    return (
        number,
        name,
        kind,
        status,
        planned,
        actual,
        level,
        felt,
        tuple(flags),
        drill,
        dose,
        where,
    )


def _kept(seconds: float) -> float:
    """Seconds as written: rounded, and within what a reader accepts back."""
    if not math.isfinite(seconds):
        return 0.0
    return round(min(max(seconds, 0.0), MAX_RECORD_SECONDS), 1)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class _Reader:
    """Typed access to one table of a log file, with messages that name the key."""

    def __init__(self, table: dict[str, Any], file: str, step: int | None = None) -> None:
        self.table, self.file, self.step = table, file, step

    def _bad(self, key: str, expected: str) -> LogError:
        found = self.table.get(key)
        return LogError(str(bad_problem(self.file, key, expected, found, self.step)))

    @overload
    def text(self, key: str) -> str: ...

    @overload
    def text(self, key: str, optional: Literal[True]) -> str | None: ...

    def text(self, key: str, optional: bool = False) -> str | None:
        value = self.table.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self._bad(key, "text")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._bad(key, "a list of texts")
        return tuple(value)

    def choice_or_none(self, key: str, allowed: tuple[str, ...]) -> str | None:
        if self.table.get(key) is None:
            return None
        return self.choice(key, allowed)

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.table.get(key)
        if value not in allowed:
            raise self._bad(key, " or ".join(allowed))
        return str(value)

    @overload
    def whole(self, key: str, low: int, high: int, *, default: int) -> int: ...

    @overload
    def whole(self, key: str, low: int, high: int) -> int | None: ...

    def whole(self, key: str, low: int, high: int, *, default: int | None = None) -> int | None:
        value = self.table.get(key)
        if value is None:
            return default
        if not _is_int(value) or not low <= value <= high:
            raise self._bad(key, f"a whole number from {low} to {high}")
        return value

    def seconds(self, key: str, optional: bool = False) -> float:
        value = self.table.get(key)
        if value is None and optional:
            return 0.0
        checked = finite_seconds(value)
        if checked is None:
            raise self._bad(key, f"a number of seconds from 0 to {MAX_RECORD_SECONDS}")
        return checked

    def share(self, key: str) -> float | None:
        """An optional share of a dose: a finite number from 0 to 100."""
        value = self.table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._bad(key, "a number from 0 to 100")
        if not (0 <= value <= 100 and math.isfinite(value)):  # a huge int: no float()
            raise self._bad(key, "a number from 0 to 100")
        return float(value)

    def moment(self, key: str) -> datetime:
        checked = sane_moment(self.table.get(key))
        if checked is None:
            raise self._bad(
                key,
                "a date and time with its UTC offset (2026-11-24T18:03:12+01:00), "
                f"in the years {RECORD_YEARS[0]} to {RECORD_YEARS[1]}",
            )
        return checked


def finite_seconds(value: object) -> float | None:
    """`value` as seconds if it is a real number from 0 to MAX_RECORD_SECONDS, else None.

    nan, inf, booleans and text are refused: every number read from a file
    (a log, the history index) goes through here.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    # The range first: a whole number too large for a float (`1` and 400 zeros) fails it
    # here, where `isfinite` would raise OverflowError.
    if not 0 <= value <= MAX_RECORD_SECONDS or not math.isfinite(value):
        return None
    return float(value)


def sane_moment(value: object) -> datetime | None:
    """`value` if it is a datetime with a UTC offset in the years gluteterm can handle.

    A naive time cannot be placed on a day; year 1 or 9999 overflows as soon
    as it is moved to another offset.
    """
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return None
    if not RECORD_YEARS[0] <= value.year <= RECORD_YEARS[1]:
        return None
    return value


def record_from_runner(
    runner: Runner,
    started: datetime,
    ended: datetime,
    *,
    final: bool,
    level_names: dict[int, str] | None = None,
    check_ins: dict[int, CheckIn] | None = None,
    doses: dict[int, float] | None = None,
) -> SessionRecord:
    """The record of `runner` so far; `level_names` and `check_ins` are by step index.

    Before the end (`final=False`) the step in progress is left out: the log
    holds only steps that are over, so a crash loses at most that one.
    """
    current = None if final else runner.step_index
    steps = []
    for rec in runner.progress_in_order:
        if rec.index == current:
            continue
        steps.append(
            StepLog(
                number=rec.index + 1,
                name=rec.name,
                kind=rec.kind.value,
                status=rec.status,
                planned_seconds=rec.planned_seconds,
                actual_seconds=rec.actual_seconds,
                level=(level_names or {}).get(rec.index),
                felt=(check_ins or {}).get(rec.index, CheckIn()).felt,
                flags=(check_ins or {}).get(rec.index, CheckIn()).flags,
                drill=runner.plan.steps[rec.index].drill,
                dose=(doses or {}).get(rec.index),
                felt_where=(check_ins or {}).get(rec.index, CheckIn()).where,
            )
        )
    completed = final and runner.completed
    return SessionRecord(
        session=runner.plan.id,
        title=runner.plan.title,
        started=started,
        ended=ended,
        status="completed" if completed else "partial",
        planned_steps=len(runner.plan.steps),
        active_seconds=runner.active_seconds,
        paused_seconds=runner.paused_total,
        steps=tuple(steps),
    )
