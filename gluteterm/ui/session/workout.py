"""WorkoutSession: a workout under way: the log after every step, check-ins, levels.

After an analytic or stability drill it asks a check-in (felt 0-9, the
faults, pain), which stays through the next get-ready or rest and the next
work, and closes a few seconds after a felt score. Pain stops that drill for
the rest of the session (`s`). It saves the log after every step and at the
end, however the session ends.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from gluteterm.core.display import Question, SessionView
from gluteterm.core.progression import (
    CHECK_IN_KEYS,
    CHECK_IN_KINDS,
    FAULT_FLAG_KEYS,
    PAIN,
    Suggestion,
    dose_shares,
    suggestions,
)
from gluteterm.core.runner import RunnerState
from gluteterm.core.timeline import SegmentKind
from gluteterm.ui.session.live import MIN_LOGGED_SECONDS, LiveSession, Outcome, save_notice

if TYPE_CHECKING:
    from gluteterm.core.loader import LoadedPlan
    from gluteterm.core.record import CheckIn, SessionRecord
    from gluteterm.store.api import Store
    from gluteterm.store.log import SaveResult, SessionWriter
    from gluteterm.ui.sound import CuePlayer

# The log's modules load with the first save, after the first frame.

#: After a felt score, the check-in closes this long after the last answer.
CHECK_IN_SECONDS = 6.0
FELT_PROMPT = "Felt it? 0 none · 5 clearly · 9 burning"


class WorkoutSession(LiveSession):
    """A workout: logged after every step, with check-ins after the drills that ask one."""

    def __init__(self, loaded: LoadedPlan, store: Store, player: CuePlayer, **kw: object) -> None:
        super().__init__(loaded, store, player, **kw)  # type: ignore[arg-type]
        self.doses = dose_shares(self.plan)
        self.check_ins: dict[int, CheckIn] = {}
        #: Drills skipped for the rest of today (after pain), by drill id or step name.
        self.skipped_today: set[str] = set()
        self._writer: SessionWriter | None = None  # made with the first save
        self._told_pending = False
        # The check-in open now: the step asked about, the segment it stays open
        # through, when it closes after a felt score, and the advice shown.
        self._checking: int | None = None
        self._check_in_until = 0
        self._close_at: float | None = None
        self._advice = ""

    @property
    def saved_to(self) -> Path | None:
        return self._writer.path if self._writer is not None else None

    # -- moving on ---------------------------------------------------------------------

    def _skip_now(self) -> bool:
        """The step under way is a drill skipped today, and it is just starting."""
        runner = self._run
        seg = runner.segment
        if not self.skipped_today or seg is None or runner.state is not RunnerState.RUNNING:
            return False
        step = self.plan.steps[seg.step_index]
        first = next(i for i, s in enumerate(runner.segments) if s.step_index == seg.step_index)
        return (step.drill or step.name) in self.skipped_today and runner.index == first

    def _left_step(self, index: int) -> None:
        self._offer_check_in(index)
        if not self.live:
            return
        result = self._save(final=False)
        if result is not None and result.pending and not self._told_pending:
            self._told_pending = True
            self.say(save_notice(result), "warning", timeout=15)

    def next_change_in(self) -> float:
        wait = super().next_change_in()
        if self._close_at is not None:
            wait = min(wait, max(0.001, self._close_at - self.now()))
        return wait

    # -- check-ins -----------------------------------------------------------------------

    def _offer_check_in(self, index: int) -> None:
        """After an analytic or stability step that was at least partly done, ask; the
        question stays through the next get-ready or rest and the next work segment."""
        runner = self._run
        progress = runner.progress.get(index)
        step = self.plan.steps[index]
        if step.kind not in CHECK_IN_KINDS or progress is None or progress.status == "skipped":
            return
        self._open_check_in(index)

    def _open_check_in(self, index: int) -> None:
        runner = self._run
        following = [
            i
            for i, seg in enumerate(runner.segments)
            if i >= runner.index and seg.kind is SegmentKind.WORK
        ]
        self._checking = index
        self._check_in_until = following[0] if following else len(runner.segments)
        self._close_at = None
        self._advice = ""

    def _expire_question(self) -> None:
        if self._checking is None:
            return
        late = self._close_at is not None and self.now() >= self._close_at
        if late or self._run.index > self._check_in_until:
            self._close_check_in()

    def _close_check_in(self) -> None:
        self._checking = None
        self._close_at = None
        self._advice = ""

    @property
    def question(self) -> Question | None:
        index = self._checking
        if index is None:
            return None
        answer = self.check_ins.get(index)
        flags = answer.flags if answer else ()
        return Question(
            kind="check-in",
            step_index=index,
            subject=self.name_of(index),
            prompt=FELT_PROMPT,
            felt=answer.felt if answer else None,
            flags=flags,
            advice=self._advice,
            flag_keys=tuple(CHECK_IN_KEYS.items()),
            can_skip=PAIN in flags,
        )

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
        if self.live and self._run.state is not RunnerState.FINISHED:
            self._save(final=False)
        return answer

    def felt(self, score: int) -> SessionView:
        """A felt score for the check-in open now; it closes a few seconds later."""
        if self._checking is not None and 0 <= score <= 9:
            self.check_in(self._checking, felt=score)
            # Answered: it closes soon after the last key (more flags can still follow).
            self._close_at = self.now() + CHECK_IN_SECONDS
        return self.tick()

    def flag(self, key: str) -> SessionView:
        """Toggle a flag of the check-in open now. Pain (x) is heard at any step: with no
        check-in open, it opens one for the step under way."""
        if key not in CHECK_IN_KEYS:
            return self.tick()
        if self._checking is None and key == "x" and self.live and not self.finished:
            self._open_check_in(self._run.step_index)
        if self._checking is not None:
            index = self._checking
            answer = self.check_in(index, flag_key=key)
            if CHECK_IN_KEYS[key] in answer.flags:
                self._advice = self._advice_for(index, key)
            if self._close_at is not None:
                self._close_at = self.now() + CHECK_IN_SECONDS
        return self.tick()

    def skip_drill(self) -> SessionView:
        """After pain: skip that drill for the rest of the session."""
        question = self.question
        if question is not None and question.can_skip:
            step = self.plan.steps[question.step_index]
            self.skipped_today.add(step.drill or step.name)
            self.say(f"{self.name_of(question.step_index)}: skipped for the rest of today.")
            self._close_check_in()
            if question.step_index == self._run.step_index and not self.finished:
                self._run.next_step()  # pain during the step itself: stop it now
        return self.tick()

    def close_question(self) -> SessionView:
        self._close_check_in()
        return self.tick()

    def _advice_for(self, index: int, flag_key: str) -> str:
        """What to do about a flagged compensation: the drill's own fix for it."""
        name = self.name_of(index)
        if flag_key == "x":
            # The safety part first: a narrow screen may cut the end of a long line.
            return (
                f"Pain: stop {name} for today; if it keeps hurting, ask a professional. "
                "s skips it for the rest of this session."
            )
        drill = self.drill_of(index)
        flag = next(f for f, key in FAULT_FLAG_KEYS.items() if key == flag_key)
        fixes = [f for f in drill.faults if f.flag == flag] if drill is not None else []
        if not fixes:
            flag_name = CHECK_IN_KEYS[flag_key].capitalize()
            return f"{flag_name}: go easier next time; the level steps back."
        return "  ".join(f"{f.fault}: {f.fix}." for f in fixes)

    # -- saving ----------------------------------------------------------------------

    def record(self, final: bool) -> SessionRecord:
        from gluteterm.core.record import record_from_runner

        started = self._started or self.wall()
        return record_from_runner(
            self._run, started, self.wall(), final=final,
            level_names=self.level_names, check_ins=self.check_ins, doses=self.doses,
        )  # fmt: skip

    def _save(self, final: bool) -> SaveResult | None:
        if self._runner is None:
            return None
        if self._writer is None:
            self._writer = self.store.writer()
        record = self.record(final)
        if self._writer.path is None:  # nothing written yet
            if not record.steps:
                return None
            worth = record.done_steps > 0 or self._runner.active_seconds >= MIN_LOGGED_SECONDS
            if final and not worth:
                return None
        result = self._writer.save(record)
        if result.path is None and final:
            from gluteterm.store.log import encode

            self.unsaved.append(encode(record).decode())
        return result

    def _keep(self) -> None:
        self._save(final=True)

    def conclude(self) -> Outcome:
        """Save the session for good and work out level suggestions (off the UI thread)."""
        result = self._save(final=True)
        self.over = True
        found: list[Suggestion] = []
        if any(step.levels or len(step.ladder) > 1 for step in self.plan.steps):
            levels, _ = self.store.levels()
            found = suggestions(self.written, levels, self.store.recent_records())
        return self._outcome(
            notice=save_notice(result), suggestions=found, check_ins=dict(self.check_ins)
        )
