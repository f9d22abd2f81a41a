"""WorkoutSession: a workout under way: the log after every step, check-ins, levels.

After an analytic or stability drill it asks a check-in (felt 0-9, where it
was felt, the drill's faults, pain; core.pain.check_in_options), and after a
jump one for knees and pain; it stays through the next get-ready or rest and
the next work, and closes a few seconds after a felt score. Pain, at any step,
stops that drill for the rest of the day: later steps with it are skipped,
`s` stops the step under way, and later sessions read it from the log. It
saves the log after every step and at the end, however the session ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gluteterm.core.display import Question, SessionView
from gluteterm.core.pain import advice_for, answer, check_in_options, stopped_key
from gluteterm.core.plan import Kind
from gluteterm.core.progression import (
    CHECK_IN_KEYS,
    CHECK_IN_KINDS,
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
#: The last step's check-in, asked when the session has run to its end, waits this
#: long for an answer before the summary comes (unanswered, it is unknown).
FINAL_CHECK_IN_SECONDS = 90.0
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
        #: The session ran to its end and the last step's check-in was offered.
        self._final_offered = False

    @property
    def saved_to(self) -> Path | None:
        return self._writer.path if self._writer is not None else None

    def _replanned(self) -> None:
        self.doses = dose_shares(self.plan)

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

    def _advance(self) -> None:
        super()._advance()
        runner = self._runner
        if self.over or self._final_offered or runner is None:
            return
        if runner.state is RunnerState.FINISHED:
            self._final_offered = True
            self._offer_final_check_in()

    def _offer_final_check_in(self) -> None:
        """The session ran to its end: the last step's check-in (no later get-ready or rest
        will carry it) is asked now, before the summary; the log is saved first, so
        however the session is left from here, it is kept."""
        runner = self._run
        self._close_check_in()  # a check-in carried into the last step: its time is up
        if runner.ended_early:  # ended with q: straight to the summary
            return
        self._offer_check_in(min(runner.step_index, len(self.plan.steps) - 1))
        if self._checking is None:
            return
        self._close_at = self.now() + FINAL_CHECK_IN_SECONDS
        self._save(final=True)

    @property
    def asking_last(self) -> bool:
        """The session is over but for the last step's check-in."""
        return self._checking is not None and self.finished and not self.over

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
        asks = step.kind in CHECK_IN_KINDS or step.kind is Kind.ACCELERATION
        if not asks or progress is None or progress.status == "skipped":
            return
        given = self.check_ins.get(index)
        if given is not None and PAIN in given.flags:  # pain, told during the step: asked
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
        given = self.check_ins.get(index)
        flags = given.flags if given else ()
        options = check_in_options(self.plan.steps[index], self.drill_of(index))
        return Question(
            kind="check-in",
            step_index=index,
            subject=self.name_of(index),
            prompt=FELT_PROMPT if options.felt else "Anything to report?",
            felt=given.felt if given else None,
            flags=flags,
            advice=self._advice,
            flag_keys=options.flags,
            can_skip=PAIN in flags,
            where=given.where if given else None,
            where_keys=options.where,
        )

    def check_in(
        self,
        index: int,
        felt: int | None = None,
        flag_key: str | None = None,
        where_key: str | None = None,
    ) -> CheckIn:
        """Record a felt score, toggle a flag, or say where it was felt, for step `index`;
        the log is saved. Pain stops the drill for the rest of the day."""
        from gluteterm.core.record import CheckIn

        given = self.check_ins.get(index, CheckIn())
        drill = self.drill_of(index)
        given = answer(given, drill, felt=felt, flag_key=flag_key, where_key=where_key)
        self.check_ins[index] = given
        step = self.plan.steps[index]
        key = stopped_key(step.drill, step.name)
        if PAIN in given.flags:
            self.skipped_today.add(key)
        elif flag_key == "x":  # pain taken back
            self.skipped_today.discard(key)
        if self.live:  # the last step's check-in, after the end, saves the final log
            self._save(final=self.finished)
        return given

    def where(self, key: str) -> SessionView:
        """Where the check-in open now was felt (u glute, t front of hip or thigh, ...)."""
        if self._checking is not None:
            index = self._checking
            given = self.check_in(index, where_key=key)
            self._advice = advice_for(
                self.plan.steps[index], self.drill_of(index), given, self.plan.drills,
                name=self.name_of(index),
            )  # fmt: skip
            if self._close_at is not None:
                self._close_at = self.now() + CHECK_IN_SECONDS
        return self.tick()

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
            offered = check_in_options(self.plan.steps[index], self.drill_of(index)).flags
            if key not in dict(offered):  # a fault this drill does not name: not asked
                return self.tick()
            given = self.check_in(index, flag_key=key)
            self._advice = self._advice_for(index, given)
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

    def done(self) -> SessionView:
        """Enter: end this set now, or, after the end, close the last check-in."""
        if self.asking_last:
            return self.close_question()
        return super().done()

    def stop(self) -> SessionView:
        """End now, keeping what was done; after the end, the last check-in is left
        unanswered (unknown)."""
        if self.asking_last:
            return self.close_question()
        return super().stop()

    def _advice_for(self, index: int, given: CheckIn) -> str:
        """What to do about this check-in: after pain, stop (and when to see someone),
        else the drill's own fix for each fault flagged (core.pain.advice_for)."""
        advice = advice_for(
            self.plan.steps[index], self.drill_of(index), given, self.plan.drills,
            name=self.name_of(index),
        )  # fmt: skip
        if PAIN in given.flags and index == self._run.step_index and not self.finished:
            advice += " s stops it now."
        return advice

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
