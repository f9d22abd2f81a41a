"""Every bound on plans and sessions, in one place: loader, editor, fit and CLI read these.

The stretching limits are the method's "keep elongation brief" rule (docs/method.md,
"Why the stretch is kept brief": Kay & Blazevich 2012; Behm et al. 2016; Chaabene et al. 2019).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    """The range a step field may take, and how far one +/- in the editor moves it."""

    low: float
    high: float
    step: float
    unit: str = ""


#: Step fields a plan file and the editor accept.
STEP_FIELDS: dict[str, Bound] = {
    "hold": Bound(1, 600, 5, " of seconds"),
    "reps": Bound(1, 100, 1),
    "tempo": Bound(1, 30, 0.5),
    "sets": Bound(1, 10, 1),
    "rest": Bound(0, 600, 5, " of seconds"),
}
#: Plan-level seconds.
PREPARE = Bound(0, 30, 1, " of seconds")
PLAN_REST = Bound(0, 600, 5, " of seconds")

MAX_STEPS = 100
MAX_NAME = 80
MAX_CUE = 200
MAX_DESCRIPTION = 500
#: A plan, drill or log file is a few kB; anything past this is refused before parsing.
MAX_FILE_BYTES = 1_000_000

#: Drill files: how many `how` lines, and how long each line of drill text may be.
DRILL_HOW_LINES = Bound(3, 6, 1, " lines")
MAX_DRILL_LINE = 120
MAX_DRILL_ITEMS = 12  # entries in `equipment` or `muscles`
MAX_FAULTS = 10
MAX_DRILL_ID = 64
#: Links followed when walking a ladder: far more than any real ladder, and a guard against loops.
MAX_LADDER = 20

#: The stretching rule: warn per hold, refuse per stretch step (hold x sets), warn per session.
STRETCH_HOLD_WARN = 30
STRETCH_STEP_MAX = 60
STRETCH_SESSION_WARN = 90

#: Minutes a session can be fitted to (`run --minutes`, f on home, `build --minutes`).
FIT_MINUTES = Bound(1, 180, 1, " minutes")
#: The longest warm-up the builder makes: past it, a warm-up turns into a workout.
MAX_BUILD_MINUTES = 30

#: What one TOML file may make the parser do, checked before parsing (core/toml_guard.py).
#: A plan, drill or log needs a nesting depth of 3, a dozen dots on a line, a few
#: thousand keys; these are far above that and far below what hurts.
MAX_TOML_DEPTH = 16
MAX_TOML_DOTS_PER_LINE = 64
MAX_TOML_KEYS = 20_000
MAX_TOML_LINES = 50_000

#: What a number or date read back from a log file or the history index may be.
#: Anything else (nan, inf, negative, absurd) makes the file skipped and named.
MAX_RECORD_SECONDS = 7 * 24 * 3600
MAX_RECORD_STEPS = 1000
FELT = Bound(0, 9, 1)
RECORD_YEARS = (1970, 9998)
#: How a session ended, as its log says.
SESSION_STATUSES = ("completed", "partial")
