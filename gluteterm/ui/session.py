"""LiveSession: one workout under way, and everything it needs to keep.

It owns the runner (started when the runner screen is up), the log writer,
each drill's level, the check-ins, and the cue sounds; it saves the log after
every step and at the end, however the session ends. The runner screen only
renders it and forwards keys; the app only navigates.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from gluteterm.core.drill import Drill
from gluteterm.core.errors import GlutetermError
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.progression import (
    CHECK_IN_KEYS,
    Suggestion,
    at_levels,
    dose_shares,
    suggestions,
)
from gluteterm.core.runner import Cue, CueName, Runner, RunnerState
from gluteterm.core.text import plural, printable
from gluteterm.core.timeline import Segment, SegmentKind
from gluteterm.store.api import Store
from gluteterm.ui.sound import CuePlayer

if TYPE_CHECKING:
    from gluteterm.core.assessment import AssessmentResult
    from gluteterm.core.record import CheckIn, SessionRecord
    from gluteterm.store.log import SaveResult, SessionWriter

# The log's modules load with the first save, after the first frame.

#: A session shorter than this, with no step done, is not worth a log entry.
MIN_LOGGED_SECONDS = 10.0
SPOKEN = {CueName.SWITCH: "Switch sides", CueName.REST: "Rest", CueName.COMPLETE: "Done"}


@dataclass(frozen=True)
class Outcome:
    """How a session ended: what the summary shows."""

    runner: Runner
    notice: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)
    level_names: dict[int, str] = field(default_factory=dict)
    check_ins: dict[int, CheckIn] = field(default_factory=dict)
    #: For a self-assessment: its result, and the one before it to compare with.
    assessment: AssessmentResult | None = None
    previous: AssessmentResult | None = None


class LiveSession:
    """A plan being done now: start it, poll it, answer check-ins, end it; it saves itself."""

    def __init__(
        self,
        loaded: LoadedPlan,
        store: Store,
        player: CuePlayer,
        *,
        now: Callable[[], float],
        wall: Callable[[], datetime],
        trace: Path | None = None,
    ) -> None:
        self.written = loaded.plan  # the plan as its file says
        self.store = store
        self.player = player
        self.now = now
        self.wall = wall
        self.trace = trace  # a file to log each cue's timing to, for benchmarks
        self.warnings = tuple(printable(str(w)) for w in loaded.warnings)
        levels, problem = store.levels()
        if problem:
            self.warnings += (printable(problem),)
        #: The plan as the user does it today (each ladder at its level), and the name
        #: of the level each step with a ladder is at, by step index.
        self.plan, self.level_names = at_levels(loaded.plan, levels)
        self.doses = dose_shares(self.plan)
        self.check_ins: dict[int, CheckIn] = {}
        #: Drills skipped for the rest of today (after pain), by drill id or step name.
        self.skipped_today: set[str] = set()
        #: How many logged sessions did each drill (filled off the UI thread).
        self._times_done: dict[str, int] = {}
        #: A self-assessment collects figures per (step index, side) and logs them as
        #: an assessment, not as a session.
        # (core.assessment is imported only for one: it is not needed for a first frame)
        self.is_assessment = any(s.until_enter or s.question for s in self.plan.steps)
        self.values: dict[tuple[int, str], float | bool] = {}
        self._runner: Runner | None = None
        self._writer: SessionWriter | None = None  # made with the first save
        self._started: datetime | None = None
        self._told_pending = False
        self.over = False
        #: Records that could be saved nowhere, to print at exit.
        self.unsaved: list[str] = []

    # -- running -----------------------------------------------------------------

    def start(self) -> Runner:
        """Start the clock (when the screen is up, not when the session was made)."""
        if self._runner is None:
            self._runner = Runner(self.plan, self.now)
            self._started = self.wall()
        return self._runner

    @property
    def runner(self) -> Runner:
        return self._runner if self._runner is not None else self.start()

    @property
    def saved_to(self) -> Path | None:
        """The file the session is written to, once anything was written."""
        return self._writer.path if self._writer is not None else None

    @property
    def live(self) -> bool:
        """Started and not over yet: there is something to keep."""
        return self._runner is not None and not self.over

    def poll(self) -> None:
        """Catch up with the clock and play the cues that fell due."""
        for cue in self.runner.poll():
            self._play(cue)

    def drill_of(self, index: int) -> Drill | None:
        """The library drill step `index` does today, if it names one."""
        step = self.plan.steps[index]
        drills = self.plan.drills
        if step.drill is None or drills is None or step.drill not in drills:
            return None
        try:
            return drills[step.drill]
        except GlutetermError:  # a drill file broken since the plan loaded
            return None

    def times_done(self, drill_id: str) -> int:
        return self._times_done.get(drill_id, 0)

    def count_drills_done(self, then: Callable[[], None]) -> None:
        """Count, in a thread, how often each drill was done; call `then` (from that thread)."""
        import threading

        def count() -> None:
            counts: dict[str, int] = {}
            for record in self.store.recent_records(60):
                for drill in {s.drill for s in record.steps if s.drill and s.status != "skipped"}:
                    counts[drill] = counts.get(drill, 0) + 1
            self._times_done = counts
            with contextlib.suppress(Exception):  # the app may be gone by now
                then()

        threading.Thread(target=count, name="gluteterm-drill-counts", daemon=True).start()

    def skip_today(self, index: int) -> str:
        """Skip step `index`'s drill for the rest of this session; its name."""
        step = self.plan.steps[index]
        self.skipped_today.add(step.drill or step.name)
        return self.name_of(index)

    def skips_current(self) -> bool:
        """True when the step under way is a drill skipped today and is just starting."""
        if not self.live or not self.skipped_today:
            return False
        runner = self.runner
        seg = runner.segment
        if seg is None or runner.state is not RunnerState.RUNNING:
            return False
        step = self.plan.steps[seg.step_index]
        first = runner.segments.index(seg) == next(
            i for i, s in enumerate(runner.segments) if s.step_index == seg.step_index
        )
        return (step.drill or step.name) in self.skipped_today and first

    def name_of(self, index: int) -> str:
        """What step `index` is called now: its level's name if it has a ladder."""
        return self.level_names.get(index, self.plan.steps[index].name)

    def _play(self, cue: Cue) -> None:
        if self.trace is not None:
            line = f"{self.now():.6f} {cue.name.value} {cue.value or 0} {cue.at:.6f}"
            with contextlib.suppress(OSError), self.trace.open("a") as out:
                out.write(f"{line} {self.runner.paused_total:.6f}\n")
        if cue.name is CueName.COUNTDOWN:
            self.player.play("countdown")
        elif cue.name is CueName.NEXT and cue.step_index is not None:
            self.player.play("next")
            self.player.speak(self.name_of(cue.step_index))
        else:
            self.player.play(cue.name.value)
            if cue.name in SPOKEN:
                self.player.speak(SPOKEN[cue.name])

    # -- check-ins -----------------------------------------------------------------

    def check_in(self, index: int, felt: int | None = None, flag_key: str | None = None) -> CheckIn:
        """Record a felt score, or toggle a flag, for step `index`; the log is saved."""
        from gluteterm.core.record import CheckIn

        answer = self.check_ins.get(index, CheckIn())
        if felt is not None:
            answer = replace(answer, felt=felt)
        if flag_key is not None:
            name = CHECK_IN_KEYS[flag_key]
            flags = answer.flags
            answer = replace(
                answer,
                flags=tuple(f for f in flags if f != name) if name in flags else (*flags, name),
            )
        self.check_ins[index] = answer
        if self.live and self.runner.state is not RunnerState.FINISHED:
            self._save(final=False)
        return answer

    # -- self-assessment -----------------------------------------------------------------

    def measure_now(self) -> float | None:
        """Enter during a test's work: keep what it measured for this side."""
        from gluteterm.core.assessment import Measure, measure_of, measured

        seg, runner = self.runner.segment, self.runner
        if seg is None or seg.kind is not SegmentKind.WORK:
            return None
        step = self.plan.steps[seg.step_index]
        if measure_of(step) not in (Measure.REPS, Measure.SECONDS):
            return None
        value = measured(step, runner.elapsed())
        self.values[(seg.step_index, seg.side or "left")] = value
        return value

    def measured_all(self, seg: Segment) -> None:
        """A test's work ran to its cap without Enter: it measured the cap."""
        from gluteterm.core.assessment import Measure, measure_of, measured

        step = self.plan.steps[seg.step_index]
        key = (seg.step_index, seg.side or "left")
        if measure_of(step) in (Measure.REPS, Measure.SECONDS) and key not in self.values:
            self.values[key] = measured(step, seg.duration or 0.0)

    def answer(self, index: int, side: str, yes: bool) -> None:
        """The answer to a test's yes/no question for one side."""
        self.values[(index, side)] = yes

    def _assessment(self) -> tuple[AssessmentResult | None, AssessmentResult | None, str]:
        """Save what the self-assessment measured; (result, the one before, notice)."""
        from gluteterm.core.assessment import result_from

        if not self.values:
            return None, None, ""
        previous = self.store.last_assessment()
        result = result_from(self._started or self.wall(), self.plan, self.values)
        try:
            path = self.store.save_assessment(result)
        except OSError as exc:
            from gluteterm.store.assessments import encode

            self.unsaved.append(encode(result).decode())
            return (
                result,
                previous,
                (
                    f"The results could not be saved: {exc.strerror or exc}. "
                    "They are printed when gluteterm exits."
                ),
            )
        return replace(result, file=path.name), previous, ""

    # -- saving ----------------------------------------------------------------------

    def step_over(self) -> str:
        """A step is over: save what is done; a message the first time it went to pending."""
        if not self.live:
            return ""
        result = self._save(final=False)
        if result is not None and result.pending and not self._told_pending:
            self._told_pending = True
            return save_notice(result)
        return ""

    def finish(self) -> Outcome:
        """The session is over: save it for good and work out level suggestions."""
        if self.is_assessment:
            self.over = True
            taken, previous, notice = self._assessment()
            return Outcome(self.runner, notice, assessment=taken, previous=previous)
        result = self._save(final=True)
        self.over = True
        plan = self.plan
        found: list[Suggestion] = []
        if any(step.levels or len(step.ladder) > 1 for step in plan.steps):
            levels, _ = self.store.levels()
            found = suggestions(self.written, levels, self.store.recent_records())
        return Outcome(
            self.runner, save_notice(result), found, dict(self.level_names), dict(self.check_ins)
        )

    def abandon(self) -> None:
        """Stop now and keep what was done (a signal, a closed terminal, a forced quit)."""
        if self.live:
            self.runner.stop()
            if self.is_assessment:
                self._assessment()
            else:
                self._save(final=True)
            self.over = True

    def record(self, final: bool) -> SessionRecord:
        from gluteterm.core.record import record_from_runner

        started = self._started or self.wall()
        return record_from_runner(
            self.runner, started, self.wall(), final=final,
            level_names=self.level_names, check_ins=self.check_ins, doses=self.doses,
        )  # fmt: skip

    def _save(self, final: bool) -> SaveResult | None:
        if self._runner is None or self.is_assessment:
            return None
        if self._writer is None:
            self._writer = self.store.writer()
        record = self.record(final)
        runner = self._runner
        if self._writer.path is None:  # nothing written yet
            if not record.steps:
                return None
            worth = record.done_steps > 0 or runner.active_seconds >= MIN_LOGGED_SECONDS
            if final and not worth:
                return None
        result = self._writer.save(record)
        if result.path is None and final:
            from gluteterm.store.log import encode

            self.unsaved.append(encode(record).decode())
        return result

    # -- after the session -------------------------------------------------------------

    def keep_holds(self, holds: dict[int, int]) -> str:
        """Keep the hold times changed with +/- for next time; a message saying where."""
        try:
            target = self.store.keep_holds(self.plan, holds)
        except GlutetermError as exc:
            return f"Not kept: {exc}"
        except OSError as exc:
            return f"Not kept: {exc.strerror or exc}"
        return f"Kept in {target}; e on home edits it."


def accept_levels(store: Store, accepted: list[Suggestion]) -> list[str]:
    """Move each drill to its suggested level for next time; what to tell the user."""
    problem = store.accept(accepted)
    said = [f"{s.from_name}: next time '{s.to_name}'" for s in accepted]
    if problem:
        said.append(f"Levels {problem}")
    return said


def pending_notices(store: Store) -> list[tuple[str, Literal["information", "warning"]]]:
    """Move sessions that could not be saved before into the log; what to tell the user."""
    moved, problems = store.flush_pending()
    said: list[tuple[str, Literal["information", "warning"]]] = []
    if moved:
        said.append(
            (
                f"{plural(moved, 'session')} that could not be saved before: in the log now.",
                "information",
            )
        )
    said += [(printable(problem), "warning") for problem in problems]
    return said


def save_notice(result: SaveResult | None) -> str:
    """What to tell the user about where the log went, if it is not the log folder."""
    if result is None or not result.pending:
        return ""
    if result.path is None:
        return (
            f"This session could not be saved: {result.problem}. "
            "It is printed when gluteterm exits, so you can keep it."
        )
    return (
        f"The session log {result.problem}. The session is kept in {result.path} "
        "and will be moved into the log the next time gluteterm starts."
    )
