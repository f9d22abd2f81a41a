"""The runner: walks a plan's timeline on an injected clock and records what happened.

Remaining time is always `segment start + duration - now()`, never a count of
ticks, so a late or dropped screen tick cannot make it drift. `poll()` moves
the runner on to wherever the clock says it is and returns the cues that fell
due since the last poll, each exactly once, stamped with the moment it belongs to.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from gluteterm.core.plan import Kind, Plan, Step
from gluteterm.core.timeline import (
    RepPhase,
    Segment,
    SegmentKind,
    estimated,
    expand,
    phase_at,
    rep_timing,
)

#: Pressing "previous" this soon after a step starts goes back a whole step.
PREVIOUS_GRACE = 3.0
#: A gap this long between polls means the machine slept or the process was
#: stopped: the runner pauses where it was instead of racing through steps.
SLEEP_GAP = 30.0


#: A timed set ended early with Enter counts as done from this share of its time on.
DONE_SHARE = 0.75


class RunnerState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class CueName(StrEnum):
    """Moments worth a sound: also the names of the sound files."""

    NEXT = "next"  # a new step's get-ready begins
    GO = "go"  # work begins
    SWITCH = "switch"  # change sides
    REST = "rest"
    COUNTDOWN = "countdown"  # 3, 2, 1 before a segment ends
    REP = "rep"  # a paced rep begins
    COMPLETE = "complete"


@dataclass(frozen=True)
class Cue:
    name: CueName
    at: float
    value: int | None = None
    step_index: int | None = None


@dataclass
class StepProgress:
    """How far one step got in this run, accumulated over every pass through it."""

    index: int
    name: str
    kind: Kind
    planned_seconds: float
    work_segments: int
    actual_seconds: float = 0.0
    work_seconds: float = 0.0
    adjusted_seconds: float = 0.0
    completed: set[int] = field(default_factory=set)
    #: +/- made during work, by segment: what "keep this duration" would keep
    work_adjustments: dict[int, float] = field(default_factory=dict)

    @property
    def hold_change(self) -> float:
        """The change to a work segment's length the user made, on average."""
        changes = [v for v in self.work_adjustments.values() if v]
        return sum(changes) / len(changes) if changes else 0.0

    @property
    def status(self) -> str:
        """`done`, `partial` or `skipped`."""
        if len(self.completed) >= self.work_segments:
            return "done"
        if not self.completed and self.work_seconds < 0.5:
            return "skipped"
        return "partial"


@dataclass(frozen=True)
class Snapshot:
    """Everything the runner screen shows, read at one instant."""

    state: RunnerState
    segment: Segment | None
    step: Step | None
    step_number: int
    step_count: int
    remaining: float | None
    elapsed: float
    rep: int | None
    #: Reps in this paced set (more after +), or None when the set is not paced reps.
    reps: int | None
    up_next: str
    session_left: float
    session_elapsed: float
    #: The whole plan's length as planned: what the progress is a share of.
    session_planned: float
    #: In a paced set: the phase of the rep under way (up, hold, down) and the
    #: seconds into it; None otherwise.
    phase: RepPhase | None = None
    phase_elapsed: float | None = None
    #: Up, hold and down of each rep of this paced set, for a figure to follow; () otherwise.
    rep_timing: tuple[RepPhase, ...] = ()

    @property
    def phase_left(self) -> float | None:
        """Seconds left in the rep's current phase."""
        if self.phase is None or self.phase_elapsed is None:
            return None
        return max(0.0, self.phase.length - self.phase_elapsed)

    @property
    def progress(self) -> float:
        """The share of the plan behind you: it falls when a step is done again
        (p) or made longer (+), as the time left grows, and jumps on a skip."""
        if self.session_planned <= 0:
            return 1.0
        return min(1.0, max(0.0, 1.0 - self.session_left / self.session_planned))


class Runner:
    """Moves through a plan on the clock `now` (monotonic seconds)."""

    def __init__(
        self, plan: Plan, now: Callable[[], float], *, sleep_gap: float | None = SLEEP_GAP
    ) -> None:
        self._now = now
        self._sleep_gap = sleep_gap
        self._follow(plan, expand(plan))
        self.state = RunnerState.RUNNING
        self.ended_early = False
        self.slept_for = 0.0  # length of the last clock gap that paused the runner
        self.progress: dict[int, StepProgress] = {}
        self._cues: list[Cue] = []
        start = now()
        self.started_at = start
        self.finished_at: float | None = None
        self.paused_total = 0.0
        self._paused_at: float | None = None
        self._last_poll = start
        self.index = 0
        self._seg_started = start
        self._step_started = start
        self._duration: float | None = None
        self._mark = start
        self._counted = 4
        self._rep = 1
        self._enter(0, start)

    def _follow(self, plan: Plan, segments: tuple[Segment, ...]) -> None:
        self.plan = plan
        self.segments = segments
        estimates = [estimated(s, plan) for s in self.segments]
        self._suffix = [sum(estimates[i:]) for i in range(len(estimates) + 1)]
        self._first_of_step: dict[int, int] = {}
        for i, seg in enumerate(self.segments):
            self._first_of_step.setdefault(seg.step_index, i)

    def replan(self, plan: Plan) -> bool:
        """Go on with `plan` after the step under way: allowed only while every step up to
        and including this one, and its segments, are those of `plan` too (the later steps
        may differ, or be fewer); False, with nothing changed, otherwise."""
        if self.state is RunnerState.FINISHED:
            return False
        current = self.step_index
        if plan.steps[: current + 1] != self.plan.steps[: current + 1]:
            return False
        segments = expand(plan)
        last = max(i for i, seg in enumerate(self.segments) if seg.step_index == current)
        if segments[: last + 1] != self.segments[: last + 1]:
            return False
        self._follow(plan, segments)
        return True

    # -- reading -----------------------------------------------------------

    def _effective_now(self) -> float:
        if self._paused_at is not None:
            return self._paused_at
        if self.finished_at is not None:
            return self.finished_at
        return self._now()

    @property
    def segment(self) -> Segment | None:
        return self.segments[self.index] if self.index < len(self.segments) else None

    @property
    def segment_started(self) -> float:
        """When the current segment began on the clock, moved on by any pause since."""
        return self._seg_started

    @property
    def step_index(self) -> int:
        seg = self.segment
        return seg.step_index if seg else len(self.plan.steps) - 1

    @property
    def active_seconds(self) -> float:
        """Time spent in the session, pauses excluded."""
        end = self._effective_now()
        paused = self.paused_total
        return end - self.started_at - paused

    def remaining(self) -> float | None:
        """Seconds left in the current segment (None when the user ends it)."""
        if self._duration is None or self.segment is None:
            return None
        return max(0.0, self._seg_started + self._duration - self._effective_now())

    def elapsed(self) -> float:
        """Seconds spent in the current segment, pauses excluded."""
        return max(0.0, self._effective_now() - self._seg_started)

    def next_change_in(self) -> float:
        """Seconds until what the screen shows (or a cue) next changes."""
        if self.state is not RunnerState.RUNNING:
            return 1.0
        elapsed = self.elapsed()
        remaining = self.remaining()
        if remaining is None:
            wait = 1.0 - (elapsed % 1.0)
        else:
            fraction = remaining - math.floor(remaining)
            wait = fraction if fraction > 1e-6 else 1.0
            wait = min(wait, remaining) if remaining > 0 else 0.0
        seg, step = self.segment, self.plan.steps[self.step_index]
        if seg and seg.kind is SegmentKind.WORK and step.tempo:
            wait = min(wait, step.tempo - (elapsed % step.tempo))
            now = self._phase()
            if now is not None:  # the next phase of the rep (up, hold, down) shows too
                wait = min(wait, max(0.0, now[0].length - now[1]) or wait)
        return max(wait, 0.001)

    def snapshot(self) -> Snapshot:
        seg = self.segment
        step = self.plan.steps[seg.step_index] if seg else None
        remaining = self.remaining()
        elapsed = self.elapsed()
        left_here = 0.0
        if seg is not None:
            # A test that ends on Enter counts as its estimate, not its cap (as the
            # plan's total does), so the time left does not jump when it starts.
            to_the_cap = step is not None and step.until_enter and seg.kind is SegmentKind.WORK
            if remaining is not None and not to_the_cap:
                left_here = remaining
            else:
                left_here = max(0.0, estimated(seg, self.plan) - elapsed)
        now_phase = self._phase()
        return Snapshot(
            phase=now_phase[0] if now_phase else None,
            phase_elapsed=now_phase[1] if now_phase else None,
            rep_timing=self.rep_timing() if now_phase else (),
            state=self.state,
            segment=seg,
            step=step,
            step_number=self.step_index + 1,
            step_count=len(self.plan.steps),
            remaining=remaining,
            elapsed=elapsed,
            rep=self._current_rep(),
            reps=self._paced_reps(),
            up_next=self._up_next(),
            session_left=left_here + self._suffix[min(self.index + 1, len(self.segments))],
            session_elapsed=self.active_seconds,
            session_planned=self._suffix[0],
        )

    def rep_timing(self) -> tuple[RepPhase, ...]:
        """Up, hold and down of each rep of the step under way; () when it is not paced."""
        seg = self.segment
        if seg is None:
            return ()
        return rep_timing(self.plan.steps[seg.step_index])

    def _phase(self) -> tuple[RepPhase, float] | None:
        if self._paced_reps() is None:
            return None
        return phase_at(self.plan.steps[self.step_index], self.elapsed())

    def _paced_reps(self) -> int | None:
        """How many reps this paced set has now: the plan's, or more after +/-."""
        seg = self.segment
        if seg is None or seg.kind is not SegmentKind.WORK:
            return None
        step = self.plan.steps[seg.step_index]
        if step.reps is None or step.tempo is None:
            return None
        if self._duration is None:
            return step.reps
        return max(1, round(self._duration / step.tempo))

    def _current_rep(self) -> int | None:
        reps = self._paced_reps()
        if reps is None:
            return None
        tempo = self.plan.steps[self.step_index].tempo
        assert tempo is not None
        return min(reps, int(self.elapsed() // tempo) + 1)

    def _up_next(self) -> str:
        seg = self.segment
        if seg is None:
            return ""
        following = self.segments[self.index + 1] if self.index + 1 < len(self.segments) else None
        if following is None:
            return "Finish"
        if following.step_index != seg.step_index:
            return f"Next: {self.plan.steps[following.step_index].name}"
        if following.kind is SegmentKind.SWITCH:
            return f"Then: switch to the {following.side} side"
        if following.kind is SegmentKind.REST:
            return f"Then: rest {following.duration:g} s"
        if following.kind is SegmentKind.WORK:
            parts = []
            if following.sets > 1:
                parts.append(f"set {following.set_no} of {following.sets}")
            if following.side:
                parts.append(f"{following.side} side")
            return "Then: " + (", ".join(parts) if parts else "go")
        return ""

    # -- moving on ---------------------------------------------------------

    def poll(self) -> list[Cue]:
        """Catch up with the clock; return the cues that fell due, oldest first."""
        self._catch_up()
        cues, self._cues = self._cues, []
        return cues

    def _catch_up(self) -> None:
        """Move through every segment the clock has passed; queue their cues."""
        now = self._now()
        if self.state is RunnerState.RUNNING:
            gap = now - self._last_poll
            if self._sleep_gap is not None and gap > self._sleep_gap:
                self.slept_for = gap
                self._pause_at(self._last_poll)
            else:
                while (
                    self.segment is not None
                    and self._duration is not None
                    and now >= self._seg_started + self._duration
                ):
                    end = self._seg_started + self._duration
                    self._due_ticks(end)
                    self._complete(end)
                    self._enter(self.index + 1, end)
                if self.segment is not None:
                    self._due_ticks(now)
        self._last_poll = now

    def _due_ticks(self, now: float) -> None:
        if self._duration is not None:
            deadline = self._seg_started + self._duration
            for k in (3, 2, 1):
                if k < self._counted and k < self._duration and now >= deadline - k:
                    self._counted = k
                    self._emit(CueName.COUNTDOWN, deadline - k, k)
        rep = self._current_rep()
        step = self.plan.steps[self.step_index]
        while rep is not None and step.tempo and self._rep < rep:
            self._rep += 1
            self._emit(CueName.REP, self._seg_started + (self._rep - 1) * step.tempo, self._rep)

    def _emit(self, name: CueName, at: float, value: int | None = None) -> None:
        self._cues.append(Cue(name, at, value, self.step_index))

    def _record(self, step_index: int) -> StepProgress:
        rec = self.progress.get(step_index)
        if rec is None:
            step = self.plan.steps[step_index]
            segs = [s for s in self.segments if s.step_index == step_index]
            rec = StepProgress(
                index=step_index,
                name=step.name,
                kind=step.kind,
                planned_seconds=sum(estimated(s, self.plan) for s in segs),
                work_segments=sum(1 for s in segs if s.kind is SegmentKind.WORK),
            )
            self.progress[step_index] = rec
        return rec

    def _credit(self, upto: float) -> None:
        seg = self.segment
        if seg is None:
            return
        spent = max(0.0, upto - self._mark)
        rec = self._record(seg.step_index)
        rec.actual_seconds += spent
        if seg.kind is SegmentKind.WORK:
            rec.work_seconds += spent
        self._mark = upto

    def _complete(self, at: float) -> None:
        self._credit(at)
        seg = self.segment
        if seg is not None and seg.kind is SegmentKind.WORK:
            self._record(seg.step_index).completed.add(self.index)

    def _enter(self, index: int, at: float) -> None:
        previous_step = self.segment.step_index if self.segment else None
        self.index = index
        self._seg_started = self._mark = at
        self._counted = 4
        self._rep = 1
        seg = self.segment
        if seg is None:
            self._finish(at)
            return
        self._duration = seg.duration
        self._record(seg.step_index)
        if seg.step_index != previous_step or index == self._first_of_step[seg.step_index]:
            self._step_started = at
        cue = {
            SegmentKind.PREPARE: CueName.NEXT,
            SegmentKind.WORK: CueName.GO,
            SegmentKind.SWITCH: CueName.SWITCH,
            SegmentKind.REST: CueName.REST,
        }[seg.kind]
        if seg.kind is SegmentKind.WORK and index == self._first_of_step[seg.step_index]:
            self._emit(CueName.NEXT, at)
        self._emit(cue, at)

    def _finish(self, at: float) -> None:
        self.state = RunnerState.FINISHED
        self.finished_at = at
        self._duration = None
        self._paused_at = None
        self._emit(CueName.COMPLETE, at)

    # -- controls ----------------------------------------------------------

    def pause(self) -> None:
        if self.state is RunnerState.RUNNING:
            self._catch_up()
            if self.state is RunnerState.RUNNING:
                self._pause_at(self._now())

    def _pause_at(self, at: float) -> None:
        self._credit(at)
        self._paused_at = at
        self.state = RunnerState.PAUSED

    def resume(self) -> None:
        if self.state is not RunnerState.PAUSED or self._paused_at is None:
            return
        now = self._now()
        shift = now - self._paused_at
        self.paused_total += shift
        self._seg_started += shift
        self._step_started += shift
        self._mark = now
        self._paused_at = None
        self._last_poll = now
        self.slept_for = 0.0  # the gap is over once the user resumes
        self.state = RunnerState.RUNNING

    def toggle_pause(self) -> None:
        if self.state is RunnerState.PAUSED:
            self.resume()
        else:
            self.pause()

    def _jump(self, index: int) -> None:
        """Leave the current segment unfinished and enter segment `index`."""
        at = self._effective_now()
        self._credit(at)
        self._enter(index, at)

    def next_step(self) -> None:
        """Skip what is left of the current step."""
        if self._controllable():
            following = self.step_index + 1
            self._jump(self._first_of_step.get(following, len(self.segments)))

    def previous(self) -> None:
        """Restart the current step, or go back one if it has only just started."""
        if not self._controllable():
            return
        seg = self.segment
        assert seg is not None
        just_started = (
            seg.kind is SegmentKind.PREPARE
            or self._effective_now() - self._step_started < PREVIOUS_GRACE
        )
        target = self.step_index - 1 if just_started and self.step_index > 0 else self.step_index
        self._jump(self._first_of_step[target])

    def done(self) -> None:
        """End the current segment now. An open rep set (no tempo) and a test to failure
        count as done; a timed set or hold counts as done once `DONE_SHARE` of it is, and
        otherwise as cut short (so a set ended after 3 s never counts towards a level)."""
        if self._controllable():
            at = self._effective_now()
            step = self.plan.steps[self.step_index]
            timed = self._duration is not None and not step.until_enter
            if not timed or self.elapsed() >= DONE_SHARE * (self._duration or 0.0):
                self._complete(at)
            else:
                self._credit(at)
            self._enter(self.index + 1, at)

    def adjust(self, delta: float) -> bool:
        """Add (or take) seconds from the current segment; False if it is not timed."""
        if not self._controllable() or self._duration is None:
            return False
        elapsed = self.elapsed()
        old = self._duration
        tempo = self.plan.steps[self.step_index].tempo
        if self._paced_reps() is not None and tempo:
            # A paced set grows and shrinks by whole reps, so the counter keeps counting.
            reps = max(1, round(delta / tempo)) if delta > 0 else min(-1, round(delta / tempo))
            done = int(elapsed // tempo) + 1
            self._duration = max(old + reps * tempo, done * tempo)
        else:
            self._duration = max(old + delta, elapsed + 1.0)
        rec = self._record(self.step_index)
        rec.adjusted_seconds += self._duration - old
        if self.segment is not None and self.segment.kind is SegmentKind.WORK:
            rec.work_adjustments[self.index] = (
                rec.work_adjustments.get(self.index, 0.0) + self._duration - old
            )
        remaining = self._duration - elapsed
        self._counted = min(4, math.floor(remaining) + 1)
        return True

    def stop(self) -> None:
        """End the session early, keeping what was done."""
        self._catch_up()
        if self.state is RunnerState.FINISHED:
            return
        at = self._effective_now()
        self._credit(at)
        if self._paused_at is not None:
            self.paused_total += self._now() - self._paused_at
            self._paused_at = None
        self.ended_early = True
        self.state = RunnerState.FINISHED
        self.finished_at = self._now()

    def _controllable(self) -> bool:
        self._catch_up()
        return self.state is not RunnerState.FINISHED and self.segment is not None

    @property
    def progress_in_order(self) -> list[StepProgress]:
        """Records of every step the session reached, in plan order."""
        return [self.progress[i] for i in sorted(self.progress)]

    @property
    def completed(self) -> bool:
        """Run to its end with at least one step done: what counts towards a streak.

        Skipping every step reaches the end too, but is not a session done.
        """
        return (
            self.state is RunnerState.FINISHED
            and not self.ended_early
            and any(r.status == "done" for r in self.progress.values())
        )
