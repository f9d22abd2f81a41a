"""Reading keys out of a parsed TOML table, collecting every problem with file and key.

Plan and drill files go through the same checks, so their messages read alike.
"""

from __future__ import annotations

import math
from typing import Any

from gluteterm.core.errors import Problem, Severity
from gluteterm.core.limits import MAX_NAME, Bound
from gluteterm.core.plan import Kind
from gluteterm.core.suggest import closest


class Checker:
    """Collects problems for one file while its keys are read (a plan's or a drill's)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.step: int | None = None
        self.step_name: str | None = None

    def add(self, message: str, key: str | None = None, severity: Severity = "error") -> None:
        self.problems.append(Problem(self.file, message, severity, self.step, self.step_name, key))

    def kind(self, table: dict[str, Any]) -> Kind | None:
        """The `kind` key: one of the six kinds, with did-you-mean when it is close."""

        if "kind" not in table:
            self.add(f"is missing; expected one of {', '.join(Kind)}", "kind")
            return None
        value = table["kind"]
        if isinstance(value, str) and value in Kind.__members__.values():
            return Kind(value)
        close = closest(value, list(Kind)) if isinstance(value, str) else None
        hint = f"; did you mean '{close}'?" if close else ""
        self.add(f"expected one of {', '.join(Kind)}, found {describe(value)}{hint}", "kind")
        return None

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
            self.add(f"expected {what}, found {describe(value)}", key)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            found = "infinity" if math.isinf(value) else "nan (not a number)"
            self.add(f"expected {what}, found {found}", key)
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
            self.add(f"expected {what}, found {describe(value)}", key)
            return None
        if not low <= value <= high:
            self.add(f"expected {what}, found {value:g}", key)
            return None
        return float(value)

    def tempo(
        self, table: dict[str, Any], key: str, low: float, high: float
    ) -> tuple[float | None, tuple[float, ...] | None]:
        """A tempo: seconds per rep (`2.5`), or up, hold and down (`[1, 2, 2]`).

        Returns the seconds per rep and the phases as written (None for a number).
        """
        if key not in table:
            return None, None
        value = table[key]
        if not isinstance(value, list):
            return self.number(table, key, low, high), None
        what = (
            "up, hold and down in seconds, like [1, 2, 2] (each 0 or more, "
            f"together {low:g} to {high:g})"
        )
        if len(value) != 3 or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        ):
            self.add(f"expected a number of seconds or {what}, found {describe(value)}", key)
            return None, None
        if not all(math.isfinite(v) and v >= 0 for v in value) or not low <= sum(value) <= high:
            shown = ", ".join(f"{v:g}" for v in value)
            self.add(f"expected {what}, found [{shown}]", key)
            return None, None
        phases = tuple(float(v) for v in value)
        return sum(phases), phases

    def text(
        self, table: dict[str, Any], key: str, limit: int, required: bool = False
    ) -> str | None:
        if key not in table:
            if required:
                self.add("is missing; expected some text", key)
            return None
        value = table[key]
        if not isinstance(value, str):
            self.add(f"expected text, found {describe(value)}", key)
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

    def texts(
        self, table: dict[str, Any], key: str, limit: int = MAX_NAME, most: int | None = None
    ) -> tuple[str, ...]:
        if key not in table:
            return ()
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f'expected a list of text, like ["a", "b"], found {describe(value)}', key)
            return ()
        if most is not None and len(value) > most:
            self.add(f"expected at most {most} entries, found {len(value)}", key)
            return ()
        if any(not v.strip() or len(v) > limit or "\n" in v or "\r" in v for v in value):
            self.add(f"each entry must be one non-empty line of at most {limit} characters", key)
            return ()
        return tuple(value)


def describe(value: object) -> str:
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
