"""The one exception type for problems a user can cause and fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gluteterm.core.text import cut, one_line

Severity = Literal["error", "warning"]


class GlutetermError(Exception):
    """A problem the user can act on; its message says what and where."""


@dataclass(frozen=True)
class Problem:
    """One finding about a plan file: where it is and what is wrong."""

    file: str
    message: str
    severity: Severity = "error"
    step: int | None = None
    step_name: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = [one_line(self.file)]  # a newline in a file's name cannot split the line
        if self.step is not None:
            name = f" ({cut(self.step_name)})" if self.step_name else ""
            where.append(f"step {self.step}{name}")
        if self.key is not None:
            where.append(f"'{cut(self.key)}'")
        label = "warning: " if self.severity == "warning" else ""
        return f"{': '.join(where)}: {label}{self.message}"


class PlanError(GlutetermError):
    """A plan that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
