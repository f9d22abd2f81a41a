"""Reading keys out of a parsed TOML table, collecting every problem with file and key.

Plan and drill files go through the same checks, so their messages read alike.
"""

from __future__ import annotations

import math
from typing import Any

from gluteterm.core.errors import Problem, Severity
from gluteterm.core.limits import MAX_NAME, Bound
from gluteterm.core.plan import Kind
from gluteterm.core.suggest import did_you_mean
from gluteterm.core.text import cut

#: How many unknown keys of one table are named, one problem each (the rest are counted).
MAX_UNKNOWN_KEYS = 20


class Checker:
    """Collects problems for one file while its keys are read (a plan's or a drill's)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.step: int | None = None
        self.step_name: str | None = None

    def add(self, message: str, key: str | None = None, severity: Severity = "error") -> None:
        self.problems.append(Problem(self.file, message, severity, self.step, self.step_name, key))

    def bad(self, key: str, expected: str, found: object, hint: str = "") -> None:
        """Add the problem that `key` holds `found` where `expected` was wanted."""
        self.add(bad_value(expected, found) + hint, key)

    def kind(self, table: dict[str, Any]) -> Kind | None:
        """The `kind` key: one of the six kinds, with did-you-mean when it is close."""
        if "kind" not in table:
            self.add(f"is missing; expected one of {', '.join(Kind)}", "kind")
            return None
        value = self.choice(table, "kind", tuple(Kind))
        return None if value is None else Kind(value)

    def choice(
        self, table: dict[str, Any], key: str, choices: tuple[str, ...], expected: str = ""
    ) -> str | None:
        """`key` if it is one of `choices` (None if absent), with did-you-mean when close."""
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, str) and value in choices:
            return value
        expected = expected or f"one of {', '.join(choices)}"
        self.bad(key, expected, value, did_you_mean(value, choices))
        return None

    def tables(
        self, table: dict[str, Any], key: str, most: int, missing: str, expected: str
    ) -> list[dict[str, Any]]:
        """`key` as a list of 1 to `most` tables (`[[key]]`); [] with a problem otherwise.

        `missing` is said when there are none; `expected` names what was wanted."""
        value = table.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(item, dict) for item in value)
        ):
            self.add(f"expected {expected}", key)
        elif not value:
            self.add(missing, key)
        elif len(value) > most:
            self.add(f"expected at most {most} {key}s, found {len(value)}", key)
        else:
            return value
        return []

    def flag(self, table: dict[str, Any], key: str, default: bool = False) -> bool:
        """`key` as true or false (`default` when absent or wrong)."""
        value = table.get(key, default)
        if isinstance(value, bool):
            return value
        self.bad(key, "true or false", value)
        return default

    def unknown_keys(self, table: dict[str, Any], known: tuple[str, ...], where: str) -> None:
        """A problem for each key not in `known` (the first `MAX_UNKNOWN_KEYS`, then a count)."""
        unknown = [key for key in table if key not in known]
        for key in unknown[:MAX_UNKNOWN_KEYS]:
            hint = did_you_mean(key, known, f"; known keys: {', '.join(known)}")
            self.add(f"unknown key {where}{hint}", cut(key))
        if len(unknown) > MAX_UNKNOWN_KEYS:
            more = len(unknown) - MAX_UNKNOWN_KEYS
            self.add(f"and {more} more unknown keys {where}; known keys: {', '.join(known)}")

    def whole(
        self, table: dict[str, Any], key: str, low: int, high: int, unit: str = ""
    ) -> int | None:
        """`key` as a whole number from `low` to `high` (None if absent or wrong)."""
        what = f"a whole number{unit} from {low} to {high}"
        value = self._number(table, key, what, low, high, whole=True)
        return None if value is None else int(value)

    def bounded_whole(self, table: dict[str, Any], key: str, bound: Bound) -> int | None:
        return self.whole(table, key, int(bound.low), int(bound.high), bound.unit)

    def number(self, table: dict[str, Any], key: str, low: float, high: float) -> float | None:
        """`key` as a number of seconds from `low` to `high` (None if absent or wrong)."""
        value = self._number(table, key, f"a number of seconds from {low:g} to {high:g}", low, high)
        return None if value is None else float(value)

    def _number(
        self,
        table: dict[str, Any],
        key: str,
        what: str,
        low: float,
        high: float,
        whole: bool = False,
    ) -> float | None:
        """`key` if it is a finite number from `low` to `high` (and whole, if asked); else
        a problem and None. None too when the key is absent."""
        if key not in table:
            return None
        value = table[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))  # a huge int: no float()
        ):
            self.bad(key, what, value)
        elif whole and isinstance(value, float) and not value.is_integer():
            self.add(f"expected {what}, found the fraction {value:g}", key)
        elif not low <= value <= high:
            self.bad(key, what, value)
        else:
            return value
        return None

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
        finite = all(v >= 0 and (isinstance(v, int) or math.isfinite(v)) for v in value)
        if not finite or not low <= sum(value) <= high:
            shown = ", ".join(describe(v) if isinstance(v, int) else f"{v:g}" for v in value)
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
    """Name a TOML value's type for a person, with the value cut to about 80 characters."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, str):
        return f"text {cut(value)!r}"
    if isinstance(value, float) and not math.isfinite(value):
        return "infinity" if math.isinf(value) else "nan (not a number)"
    if isinstance(value, int) and not -1e300 < value < 1e300:
        return "a number too large to use"  # `:g` would make it a float, and overflow
    if isinstance(value, int | float):
        return cut(f"{value:g}")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def bad_value(expected: str, found: object) -> str:
    """The one way to say a value is wrong: `expected ..., found ...` (the value cut short).

    A `Problem` around it names the file, where in it, and the key (`bad_problem`).
    """
    return f"expected {expected}, found {describe(found)}"


def bad_problem(
    file: str, key: str, expected: str, found: object, step: int | None = None
) -> Problem:
    """The one way to describe a bad value: the file, where (a step), the key, what was
    expected and what was found (cut short). Readers that stop at the first bad value
    raise with its text; the ones that collect them keep the `Problem`."""
    return Problem(file, bad_value(expected, found), step=step, key=key)
