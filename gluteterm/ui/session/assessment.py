"""AssessmentSession: the self-assessment under way: each test's figure, per side.

A test to failure ends with Enter (or "can't keep going" on another display):
what it measured is kept from that moment. A test that runs to its cap
measured the cap. A test with a yes/no question asks it after each side, and
the answer waits until it is given. At the end the result is saved as an
assessment, not as a session log.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from gluteterm.core.display import Question, SessionView
from gluteterm.core.text import printable
from gluteterm.core.timeline import Segment, SegmentKind
from gluteterm.ui.session.live import LiveSession, Outcome

if TYPE_CHECKING:
    from gluteterm.core.assessment import AssessmentResult
    from gluteterm.core.loader import LoadedPlan
    from gluteterm.store.api import Store
    from gluteterm.ui.sound import CuePlayer

# core.assessment is imported on first use: it is not needed for a first frame.


class AssessmentSession(LiveSession):
    """The self-assessment: collects each test's figure per (step index, side)."""

    KIND = "assessment"
    STOPS_FOR_PAIN = False  # a self-test runs whole; pain in it is the user's to report

    def __init__(self, loaded: LoadedPlan, store: Store, player: CuePlayer, **kw: object) -> None:
        super().__init__(loaded, store, player, **kw)  # type: ignore[arg-type]
        self.values: dict[tuple[int, str], float | bool] = {}
        # The question waiting for its answer: (step, side, criterion, question); the
        # criterion is "" for the step's own question, whose answer is its figure.
        self._asking: tuple[int, str, str, str] | None = None
        #: Questions still to ask about this side, after the one waiting: (criterion, text).
        self._queue: list[tuple[str, str]] = []
        #: The squat's other criteria with a fault seen, by (step, side), once asked.
        self.faults: dict[tuple[int, str], tuple[str, ...]] = {}
        self._saved: Path | None = None
        #: Tests stopped by pain: the result is then partial.
        self._pain: set[int] = set()

    @property
    def saved_to(self) -> Path | None:
        return self._saved

    # -- measuring ------------------------------------------------------------------

    def _left_segment(self, seg: Segment) -> None:
        """A test's work is over: it measured its cap if not ended sooner; ask its question."""
        if seg.kind is not SegmentKind.WORK:
            return
        from gluteterm.core.assessment import Measure, measure_of, measured

        step = self.plan.steps[seg.step_index]
        key = (seg.step_index, seg.side or "left")
        if measure_of(step) in (Measure.REPS, Measure.SECONDS) and key not in self.values:
            self.values[key] = measured(step, seg.duration or 0.0)
        if step.question and seg.step_index not in self._pain:
            from gluteterm.core.assessment import test_of

            test = test_of(step)
            criteria = list(test.criteria) if test is not None else []
            self._queue = [*criteria, ("", step.question)]
            self._ask_next(seg.step_index, seg.side or "left")

    def done(self) -> SessionView:
        """Enter during a test's work: keep what it measured for this side, then move on."""
        kept = self._measure_now()
        if kept:
            self.say(kept, timeout=2)
        return super().done()

    def _measure_now(self) -> str:
        from gluteterm.core.assessment import Measure, measure_of, measured

        runner = self._run
        seg = runner.segment
        if seg is None or seg.kind is not SegmentKind.WORK or self.over:
            return ""
        step = self.plan.steps[seg.step_index]
        if measure_of(step) not in (Measure.REPS, Measure.SECONDS):
            return ""
        value = measured(step, runner.elapsed())
        self.values[(seg.step_index, seg.side or "left")] = value
        unit = " reps" if step.reps else " s"
        side = f", {seg.side} side" if seg.side else ""
        return f"Kept: {value:g}{unit}{side}"

    # -- what the screen says ------------------------------------------------------------

    def _big_setup(self, seg: Segment | None, index: int) -> str:
        """Which leg or side a test is on, in the big block font, at its get-ready and
        when the side changes: "LEFT LEG"."""
        from gluteterm.core.assessment import big_side_words

        if seg is None or seg.kind not in (SegmentKind.PREPARE, SegmentKind.SWITCH):
            return ""
        step = self.plan.steps[index]
        side = seg.side or (step.sides[0] if step.per_side else None)  # as `_setup` says
        return big_side_words(step, side)

    def _setup(self, seg: Segment | None, index: int) -> str:
        """Which leg or side each test is on, in large type, with the drill's set-up at
        get-ready: "STAND ON THE LEFT LEG · FACE A MIRROR"."""
        from gluteterm.core.assessment import side_words

        base = super()._setup(seg, index)
        if seg is None or seg.kind is SegmentKind.REST:
            return base
        step = self.plan.steps[index]
        side = seg.side or (step.sides[0] if step.per_side else None)
        words = side_words(step, side)
        return " · ".join(part for part in (words, base) if part)

    def _cue(self, seg: Segment | None, index: int) -> str:
        """The test's cue; at get-ready, with where it is adapted and its source."""
        from gluteterm.core.assessment import test_of

        cue = super()._cue(seg, index)
        test = test_of(self.plan.steps[index])
        if test is None or seg is None or seg.kind is not SegmentKind.PREPARE:
            return cue
        return printable(f"{self.plan.steps[index].cue_text}\n{test.adapted} ({test.source})")

    # -- questions --------------------------------------------------------------------

    def _ask_next(self, index: int, side: str) -> None:
        """Ask the next question of the queue about this side (or none, when it is empty)."""
        if not self._queue:
            self._asking = None
            return
        key, text = self._queue.pop(0)
        self._asking = (index, side, key, text)
        if key:  # one of several: the criteria asked so far start as "no fault"
            self.faults.setdefault((index, side), ())

    @property
    def question(self) -> Question | None:
        if self._asking is None:
            return None
        index, side, _, text = self._asking
        total = 1 + len(self._criteria(index))
        if total > 1:  # "(2 of 5) Trunk: ..."
            number = total - len(self._queue)
            text = f"({number} of {total}) {text}"
        return Question(
            kind="yes-no", step_index=index, subject=f"{side.capitalize()} side",
            prompt=text, side=side,
        )  # fmt: skip

    def _criteria(self, index: int) -> tuple[tuple[str, str], ...]:
        from gluteterm.core.assessment import test_of

        test = test_of(self.plan.steps[index])
        return test.criteria if test is not None else ()

    def answer(self, yes: bool) -> SessionView:
        if self._asking is not None:
            index, side, key, _ = self._asking
            if key:
                seen = self.faults.get((index, side), ())
                self.faults[(index, side)] = (*seen, key) if yes else seen
            else:
                self.values[(index, side)] = yes
            label = f"{key}: " if key else ""
            self.say(f"{side.capitalize()} side, {label}{'yes' if yes else 'no'}", timeout=2)
            self._ask_next(index, side)
        return self.tick()

    def next(self) -> SessionView:
        """n answers a waiting question "no"; otherwise it skips the rest of the test."""
        if self._asking is not None:
            return self.answer(False)
        return super().next()

    def flag(self, key: str) -> SessionView:
        """Pain (x) during a test stops that test at once: the rest of the self-assessment
        goes on, and the result is kept as partial, so it decides nothing."""
        if key != "x" or not self.live or self.finished:
            return self.tick()
        index = self._run.step_index
        self._pain.add(index)
        self._asking, self._queue = None, []
        self.say(
            "Pain: this test stops here. If it is sharp, stays after you stop or comes back, "
            f"ask a professional. {self.name_of(index)} is skipped; this self-assessment "
            "decides nothing.",
            "warning",
            timeout=15,
        )
        self._run.next_step()
        return self.tick()

    def close_question(self) -> SessionView:
        return self.tick()  # a test's question waits for its answer

    # -- saving -----------------------------------------------------------------------

    def _result(self) -> tuple[AssessmentResult | None, AssessmentResult | None, str]:
        """Save what the self-assessment measured; (result, the one before, notice).

        One ended before its last test is saved marked partial: it decides nothing."""
        from gluteterm.core.assessment import result_from

        if not self.values and not self._pain:
            return None, None, ""
        previous = self.store.last_assessment()
        runner = self._run
        partial = runner.ended_early or not self.finished or bool(self._pain)
        steps = self.plan.steps
        pain = tuple(dict.fromkeys(steps[i].drill or steps[i].name for i in sorted(self._pain)))
        taken = self._started or self.wall()
        faults = {k: v for k, v in self.faults.items() if k in self.values}  # sides rated whole
        result = result_from(taken, self.plan, self.values, partial, pain, faults)
        saved = self.store.save_assessment(result)
        if saved.path is None:
            from gluteterm.store.assessments import encode

            self.unsaved.append(encode(result).decode())
            return (
                result,
                previous,
                f"The results could not be saved: {saved.problem}. "
                "They are printed when gluteterm exits.",
            )
        self._saved = saved.path
        notice = ""
        if saved.pending:
            notice = (
                f"The results could not be saved in the log ({saved.problem}); they wait in "
                f"{saved.path} and move into the log the next time gluteterm starts."
            )
        return replace(result, file=saved.path.name), previous, notice

    def _keep(self) -> None:
        self._result()

    def conclude(self) -> Outcome:
        self.over = True
        taken, previous, notice = self._result()
        return self._outcome(notice=notice, assessment=taken, previous=previous)
