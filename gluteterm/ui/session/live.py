"""LiveSession: a plan being done now, behind one API for every display.

It owns the runner (started when the first display is up), the clock, the
cue sounds and the question waiting for an answer. A display subscribes,
renders each `SessionView` it is given, and sends commands (pause, next,
back, +/-, done, answers); whichever display sends a command, every display
is given the new view. The workout (`WorkoutSession`) and the self-assessment
(`AssessmentSession`) add what each keeps: the log and check-ins, or the
test's figures.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from gluteterm.core.display import (
    LAST_CHECK_IN_WORDS,
    Motion,
    Question,
    SessionView,
    band_words,
    big_setup_words,
    clock_lines,
    counters,
    shown_step,
    state_of,
    timed_cycle,
)
from gluteterm.core.drill import Drill
from gluteterm.core.errors import GlutetermError
from gluteterm.core.figure import tempo_phase
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.plan import UNPACED_REP_SECONDS, Plan, fill_dose
from gluteterm.core.progression import Suggestion, at_levels, has_jumps, today
from gluteterm.core.runner import Cue, CueName, Runner, RunnerState, Snapshot, StepProgress
from gluteterm.core.text import plural, printable
from gluteterm.core.timeline import Segment, SegmentKind, setup_change
from gluteterm.store.api import Store
from gluteterm.ui.sound import CuePlayer

if TYPE_CHECKING:
    from gluteterm.core.assessment import AssessmentResult
    from gluteterm.core.landing import Gate
    from gluteterm.core.record import CheckIn
    from gluteterm.store.log import SaveResult

#: A session shorter than this, with no step done, is not worth a log entry.
MIN_LOGGED_SECONDS = 10.0
SPOKEN = {CueName.SWITCH: "Switch sides", CueName.REST: "Rest", CueName.COMPLETE: "Done"}
#: A drill done fewer times than this gets its first how line and its feel line at get-ready.
NEW_DRILL_TIMES = 3

Severity = Literal["information", "warning", "error"]


class SessionListener(Protocol):
    """A display of a session: given every new view and every notice."""

    def session_changed(self, view: SessionView) -> None: ...

    def session_notice(self, text: str, severity: Severity, timeout: float) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """How a session ended: what the summary shows."""

    #: "workout" (the summary follows) or "assessment" (its results follow).
    kind: Literal["workout", "assessment"]
    plan: Plan
    #: Every step the session reached, in plan order.
    progress: tuple[StepProgress, ...]
    ended_early: bool
    completed: bool
    active_seconds: float
    paused_seconds: float
    notice: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)
    level_names: dict[int, str] = field(default_factory=dict)
    check_ins: dict[int, CheckIn] = field(default_factory=dict)
    #: For a self-assessment: its result, and the one before it to compare with.
    assessment: AssessmentResult | None = None
    previous: AssessmentResult | None = None


class LiveSession:
    """A plan being done now: start it, tick it, command it, conclude it; it saves itself."""

    KIND: Literal["workout", "assessment"] = "workout"
    #: Drills pain stopped earlier today are swapped or left out (not in a self-test).
    STOPS_FOR_PAIN = True

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
        # The landing gate (the last self-test, the newest sessions) only matters to a
        # plan with jumps, and is read after the first frame when a display asks
        # (`defer_gate`), before any jump is reached; else when the clock starts.
        self._gate_read = not has_jumps(loaded.plan)
        self._gate_deferred = False
        levels, problem = store.levels(gate=self._gate_read)
        if problem:
            self.warnings += (printable(problem),)
        #: The plan as the user does it today (each ladder at its level, a drill pain
        #: stopped earlier today swapped for its step down or left out), and the name
        #: of the level each step with a ladder is at, by step index.
        # Today as the calendar says (not `wall`, which a test may script tick by tick).
        stopped = store.stopped_today(date.today()) if self.STOPS_FOR_PAIN else frozenset()
        self._levels, self._stopped = levels, stopped
        self.plan, self.level_names, swaps = today(loaded.plan, levels, stopped)
        self.warnings += tuple(printable(str(swap)) for swap in swaps)
        #: Pain earlier today stopped every drill: what to do instead ("" otherwise).
        #: Such a session is not run (the app shows this instead of a runner).
        self.not_today = ""
        if not self.plan.steps:
            from gluteterm.core.pain import not_today

            self.plan, self.level_names = at_levels(loaded.plan, levels)  # for a display
            self.not_today = printable(not_today(loaded.plan.title, swaps, loaded.plan.drills))
        #: How many logged sessions did each drill (filled off the UI thread).
        self._times_done: dict[str, int] = {}
        self._runner: Runner | None = None
        self._started: datetime | None = None
        self._listeners: list[SessionListener] = []
        self._segment_index = -1
        self._step_index = 0
        self.over = False
        #: Records that could be saved nowhere, to print at exit.
        self.unsaved: list[str] = []

    # -- displays ----------------------------------------------------------------

    def subscribe(self, listener: SessionListener, *, first: bool = False) -> None:
        """`listener` is given every new view and every notice from now on.

        `first`: before the displays already subscribed. A display that only sends
        the view on (the phone page's server) goes first, so its message leaves
        before the terminal's restyle, which can take tens of milliseconds.
        """
        if listener not in self._listeners:
            self._listeners.insert(0, listener) if first else self._listeners.append(listener)

    def unsubscribe(self, listener: SessionListener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def say(self, text: str, severity: Severity = "information", timeout: float = 5.0) -> None:
        """Tell every display something (shown literally, never as markup)."""
        for listener in list(self._listeners):
            listener.session_notice(printable(text), severity, timeout)

    def _publish(self) -> SessionView:
        view = self.view()
        for listener in list(self._listeners):
            listener.session_changed(view)
        return view

    # -- running -----------------------------------------------------------------

    def defer_gate(self) -> None:
        """A display will call `read_gate` after its first frame: `start` does not wait."""
        self._gate_deferred = True

    def read_gate(self, call_soon: Callable[[Callable[[], None]], None]) -> None:
        """Read the landing gate in a thread, then have `call_soon` (the UI's thread)
        apply it: jumps above it step down or go, as they would have from the start."""
        if self._gate_read:
            return
        import threading

        def read() -> None:
            gate = self.store.landing_gate()
            with contextlib.suppress(Exception):  # the app may be gone by now
                call_soon(lambda: self._apply_gate(gate))

        threading.Thread(target=read, name="gluteterm-landing-gate", daemon=True).start()

    def _apply_gate(self, gate: Gate) -> None:
        """Follow the plan as the gate has it from the next step on (before any jump)."""
        if self._gate_read:
            return
        self._gate_read = True
        levels = dataclasses.replace(self._levels, landing=gate)
        plan, names, _ = today(self.written, levels, self._stopped)
        if plan == self.plan:
            return
        if self._runner is not None and not self._runner.replan(plan):
            return  # a jump already under way (the gate came very late): left as it is
        self.plan, self.level_names = plan, names
        self._replanned()
        if self._runner is not None and not self.over:
            self._publish()

    def _replanned(self) -> None:
        """The plan's later steps changed (the landing gate)."""

    def start(self) -> None:
        """Start the clock (when the first display is up, not when the session was made)."""
        if not self._gate_read and not self._gate_deferred:
            self._apply_gate(self.store.landing_gate())
        if self._runner is None:
            self._runner = Runner(self.plan, self.now)
            self._started = self.wall()
            self._segment_index = 0

    @property
    def _run(self) -> Runner:
        if self._runner is None:
            self.start()
        assert self._runner is not None
        return self._runner

    @property
    def live(self) -> bool:
        """Started and not over yet: there is something to keep."""
        return self._runner is not None and not self.over

    @property
    def finished(self) -> bool:
        return self._runner is not None and self._runner.state is RunnerState.FINISHED

    @property
    def saved_to(self) -> Path | None:
        """The file the session was written to, once anything was written."""
        return None

    def tick(self) -> SessionView:
        """Catch up with the clock: play due cues, move on, and give every display the view."""
        self._advance()
        return self._publish()

    def next_change_in(self) -> float:
        """Seconds until what a display shows next changes (or a cue is due)."""
        return self._run.next_change_in()

    def _advance(self) -> None:
        if self.over:
            return
        runner = self._run
        self._poll()
        if self._skip_now():
            runner.next_step()
            self._poll()
        if runner.index != self._segment_index:
            if 0 <= self._segment_index < len(runner.segments):
                self._left_segment(runner.segments[self._segment_index])
            self._segment_index = runner.index
        if runner.step_index != self._step_index and runner.state is not RunnerState.FINISHED:
            left, self._step_index = self._step_index, runner.step_index
            self._left_step(left)
        self._expire_question()

    def _poll(self) -> None:
        for cue in self._run.poll():
            self._play(cue)

    def _play(self, cue: Cue) -> None:
        if self.trace is not None:
            line = f"{self.now():.6f} {cue.name.value} {cue.value or 0} {cue.at:.6f}"
            with contextlib.suppress(OSError), self.trace.open("a") as out:
                out.write(f"{line} {self._run.paused_total:.6f}\n")
        if cue.name is CueName.COUNTDOWN:
            self.player.play("countdown")
        elif cue.name is CueName.NEXT and cue.step_index is not None:
            self.player.play("next")
            self.player.speak(self.name_of(cue.step_index))
        else:
            self.player.play(cue.name.value)
            if cue.name in SPOKEN:
                self.player.speak(SPOKEN[cue.name])

    # -- hooks for the workout and the self-assessment ----------------------------

    def _skip_now(self) -> bool:
        """True when the step just reached is to be skipped at once."""
        return False

    def _left_segment(self, seg: Segment) -> None:
        """A segment is over."""

    def _left_step(self, index: int) -> None:
        """Step `index` is over (the runner is on another one)."""

    def _expire_question(self) -> None:
        """Close a question whose time has passed."""

    @property
    def question(self) -> Question | None:
        """The question waiting for an answer, if any."""
        return None

    # -- reading -------------------------------------------------------------------

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

    def name_of(self, index: int) -> str:
        """What step `index` is called now: its level's name if it has a ladder."""
        return self.level_names.get(index, self.plan.steps[index].name)

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

    def view(self) -> SessionView:
        """What every display shows now."""
        runner = self._run
        snap = runner.snapshot()
        index = min(runner.step_index, len(self.plan.steps) - 1)
        step = self.plan.steps[index]
        seg = snap.segment
        big, small = clock_lines(snap, step) if seg is not None else ("0:00", "")
        player = self.player
        sound = "muted" if player.muted else ("sound+voice" if player.voice else "sound")
        shown = shown_step(runner.segments, runner.index) if seg is not None else index
        state = state_of(snap)
        question = self.question
        band = band_words(snap, runner.slept_for)
        if state == "finished" and question is not None:
            band = LAST_CHECK_IN_WORDS
        return SessionView(
            title=printable(self.plan.title),
            state=state,
            band=band,
            step_index=index,
            step_number=snap.step_number,
            step_count=snap.step_count,
            step_name=printable(self.name_of(index)),
            kind=step.kind,
            side=seg.side if seg is not None else None,
            big=big,
            small=small,
            counters=counters(snap),
            setup=self._setup(seg, index),
            cue=self._cue(seg, index),
            up_next=printable(snap.up_next),
            progress=round(snap.progress, 3),
            session_left=snap.session_left,
            segment_index=runner.index,
            remaining=snap.remaining,
            elapsed=snap.elapsed,
            at=self.now(),
            rep=snap.rep,
            reps=snap.reps,
            tempo=step.tempo,
            motion=self._motion(snap, shown),
            question=question,
            sound=sound,
            card_step=shown,
            big_setup=self._big_setup(seg, index),
        )

    def _setup(self, seg: Segment | None, index: int) -> str:
        """During get-ready, what to pick up and where it goes, in large type."""
        if seg is None or seg.kind is not SegmentKind.PREPARE:
            return ""
        drill = self.drill_of(index)
        step = self.plan.steps[index]
        what = drill.setup if drill is not None and drill.setup else ", ".join(step.equipment)
        return printable(what.upper()) if what else ""

    def _big_setup(self, seg: Segment | None, index: int) -> str:
        """At a get-ready that changes position or equipment: its essential words, for
        the big block font ("BAND AT KNEES", "ON YOUR SIDE")."""
        if seg is None or seg.kind is not SegmentKind.PREPARE:
            return ""
        change = setup_change(self.plan, index)
        if not change:
            return ""
        drill = self.drill_of(index)
        return big_setup_words(change, drill.setup if drill is not None and drill.setup else "")

    def _cue(self, seg: Segment | None, index: int) -> str:
        step = self.plan.steps[index]
        drill = self.drill_of(index)
        new = drill is not None and self.times_done(drill.id) < NEW_DRILL_TIMES
        if seg is not None and seg.kind is SegmentKind.PREPARE and new and drill is not None:
            return printable(f"{fill_dose(drill.how[0], step)}\nFeel: {drill.feel}")
        return printable(step.cue_text)

    def _motion(self, snap: Snapshot, index: int) -> Motion:
        """The figure: the start pose, the held pose, or moving with the reps or the roll."""
        seg = snap.segment
        drill = self.drill_of(index)
        step = self.plan.steps[index]
        figure = drill.figure if drill is not None else None
        side = (seg.side if seg is not None else None) or ("left" if step.per_side else None)
        base = Motion(figure, drill.id if drill is not None else None, side)
        if seg is None or seg.kind is not SegmentKind.WORK:
            return base
        phases = step.rep_phases()  # a paced rep: up, hold at the top, down
        cycle = timed_cycle(step.kind)
        if step.reps is not None:
            period = step.tempo or UNPACED_REP_SECONDS
        elif cycle is not None:
            period = cycle  # a roll, or skips and a jog
        else:
            return Motion(base.figure, base.drill, side, phase=0.5)  # a hold: the top pose
        if snap.state is RunnerState.PAUSED:
            still = tempo_phase(snap.elapsed, *phases) if phases else (snap.elapsed / period) % 1
            return Motion(base.figure, base.drill, side, phase=still)
        origin = self._run.segment_started
        return Motion(base.figure, base.drill, side, period=period, origin=origin, phases=phases)

    # -- commands (from any display) ------------------------------------------------

    def _command(self, action: Callable[[], object]) -> SessionView:
        if not self.over:
            action()
        return self.tick()

    def toggle_pause(self) -> SessionView:
        return self._command(self._run.toggle_pause)

    def pause(self) -> SessionView:
        return self._command(self._run.pause)

    def resume(self) -> SessionView:
        return self._command(self._run.resume)

    def next(self) -> SessionView:
        """Skip the rest of this step."""
        return self._command(self._run.next_step)

    def back(self) -> SessionView:
        """Restart this step, or go back one if it has only just started."""
        return self._command(self._run.previous)

    def adjust(self, seconds: float) -> SessionView:
        """Add or take `seconds` from the current segment (whole reps in a paced set)."""
        if not self.over and not self._run.adjust(seconds):
            self.say("Only a timed segment can be made longer or shorter.")
        return self.tick()

    def done(self) -> SessionView:
        """End this set now."""
        return self._command(self._run.done)

    def stop(self) -> SessionView:
        """End the session now, keeping what was done (the display asked first)."""
        return self._command(self._run.stop)

    def felt(self, score: int) -> SessionView:
        """A check-in's felt score, 0-9."""
        del score  # heard by a workout's check-in (the subclasses); here, nothing asks
        return self.tick()

    def flag(self, key: str) -> SessionView:
        """A check-in's flag key (h, k, b, x), on or off."""
        del key  # heard by a workout or a self-test (the subclasses); here, nothing asks
        return self.tick()

    def where(self, key: str) -> SessionView:
        """A check-in's answer to where it was felt (u, t, l, a)."""
        del key  # heard by a workout's check-in (the subclasses); here, nothing asks
        return self.tick()

    def skip_drill(self) -> SessionView:
        """After pain: skip that drill for the rest of the session."""
        return self.tick()

    def answer(self, yes: bool) -> SessionView:
        """The answer to a yes/no question."""
        del yes  # heard by a self-test's question (the subclasses); here, nothing asks
        return self.tick()

    def close_question(self) -> SessionView:
        return self.tick()

    # -- ending ----------------------------------------------------------------------

    def conclude(self) -> Outcome:
        """The session is over: save it for good (call it off the UI thread)."""
        self.over = True
        return self._outcome()

    def abandon(self) -> None:
        """Stop now and keep what was done (a signal, a closed terminal, a forced quit)."""
        if self.live:
            self._run.stop()
            self._keep()
            self.over = True

    def _keep(self) -> None:
        """Save what was done, for good."""

    def outcome_after_error(self, error: Exception) -> Outcome:
        """The outcome when `conclude` failed (a bug): what the runner knows, and a notice
        saying what went wrong and that what was saved after each step is kept."""
        self.over = True
        where = self.saved_to
        kept = f"What was saved after each step is kept in {where}." if where else ""
        notice = printable(
            f"Finishing this session failed ({type(error).__name__}: {error}); "
            f"this summary may miss the last step and level suggestions. {kept}"
        ).strip()
        try:
            return self._outcome(notice=notice)
        except Exception:  # the runner itself is broken: an empty summary
            return Outcome(self.KIND, self.plan, (), True, False, 0.0, 0.0, notice=notice)

    def _outcome(self, **extra: object) -> Outcome:
        runner = self._run
        return Outcome(
            kind=self.KIND,
            plan=self.plan,
            progress=tuple(runner.progress_in_order),
            ended_early=runner.ended_early,
            completed=runner.completed,
            active_seconds=runner.active_seconds,
            paused_seconds=runner.paused_total,
            level_names=dict(self.level_names),
            **extra,  # type: ignore[arg-type]
        )

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


def start_session(
    loaded: LoadedPlan,
    store: Store,
    player: CuePlayer,
    *,
    now: Callable[[], float],
    wall: Callable[[], datetime],
    trace: Path | None = None,
) -> LiveSession:
    """The live session for `loaded`: a self-assessment if its steps are tests, else a workout."""
    if any(s.until_enter or s.question for s in loaded.plan.steps):
        from gluteterm.ui.session.assessment import AssessmentSession

        return AssessmentSession(loaded, store, player, now=now, wall=wall, trace=trace)
    from gluteterm.ui.session.workout import WorkoutSession

    return WorkoutSession(loaded, store, player, now=now, wall=wall, trace=trace)


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
                f"{plural(moved, 'record')} (sessions or self-assessments) that could not be "
                "saved before: in the log now.",
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
