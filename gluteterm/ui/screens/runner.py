"""RunnerScreen: the guided session, a big countdown with what to do and what is next.

The screen renders a `LiveSession` and forwards keys to it. It does not
tick at a fixed rate: after each update it asks the runner when the display
next changes and sleeps until then, so a countdown costs one wake-up a second.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Static

from gluteterm.core.progression import CHECK_IN_KINDS
from gluteterm.core.runner import Runner, RunnerState, Snapshot
from gluteterm.core.text import clock, duration, printable
from gluteterm.core.timeline import SegmentKind, expand
from gluteterm.ui.screens.confirm import ConfirmScreen
from gluteterm.ui.session import LiveSession, Outcome
from gluteterm.ui.widgets.check_in_bar import CheckInBar
from gluteterm.ui.widgets.phase_track import PhaseTrack
from gluteterm.ui.widgets.session_bar import SessionBar

STATE_CLASSES = {"-paused", "-prepare", "-work", "-switch", "-rest"}
SEGMENT_LABELS = {
    SegmentKind.PREPARE: "GET READY",
    SegmentKind.WORK: "WORK",
    SegmentKind.SWITCH: "SWITCH SIDES",
    SegmentKind.REST: "REST",
}


class RunnerScreen(Screen[None]):
    """Shows one live session; posts `Finished` with its outcome when it is over.

    Its layout, screens/runner.tcss, is the app's stylesheet: in `gluteterm run`
    this screen is the first one, and Textual loads a screen's own CSS_PATH only
    when it is pushed.
    """

    class Finished(Message):
        """The session is over (run to the end, or ended early) and saved."""

        def __init__(self, outcome: Outcome) -> None:
            super().__init__()
            self.outcome = outcome

    BINDINGS = [
        Binding("space", "toggle_pause", "Pause/resume", id="runner.pause"),
        Binding(
            "n,right", "next_step", "Next", id="runner.next", tooltip="Skip the rest of this step"
        ),
        Binding(
            "p,left",
            "previous",
            "Back",
            id="runner.previous",
            tooltip="Restart this step, or go back one if it just started",
        ),
        Binding("plus,equals_sign", "adjust(10)", "+10s", id="runner.more"),
        Binding("minus", "adjust(-10)", "-10s", id="runner.less"),
        Binding("enter", "done", "Done", id="runner.done", tooltip="End this set now"),
        Binding("q", "quit_session", "Quit", id="runner.quit"),
        Binding("ctrl+z", "suspend", "Suspend", show=False, id="runner.suspend"),
        # The check-in keys: the check-in bar shows them while it is open. They stay
        # out of the footer, and the set of bindings never changes during a session:
        # each change rebuilds Textual's Footer, whose old keys are never freed.
        Binding("h", "flag('h')", "Hip drop", id="runner.flag_hip", show=False),
        Binding("k", "flag('k')", "Knees in", id="runner.flag_knees", show=False),
        Binding("b", "flag('b')", "Back/hams", id="runner.flag_back", show=False),
        Binding("x", "flag('x')", "Pain", id="runner.flag_pain", show=False),
        Binding("escape", "close_check_in", "Check-in done", id="runner.check_in_done", show=False),
    ]
    CHECK_IN_SECONDS = 20.0  # an unanswered check-in closes by itself

    def __init__(self, session: LiveSession) -> None:
        segments = expand(session.plan)
        # The first state class is set before mounting: adding it later would restyle the tree.
        initial = f"-{segments[0].kind.value}" if segments else ""
        super().__init__(classes=initial)
        self.session = session
        self.plan = session.plan
        self._checking: int | None = None  # the step index being checked in on
        self._check_in_timer: Timer | None = None
        self._timer: Timer | None = None
        self._shown: dict[str, object] = {"class": initial}
        self._step_index = 0
        self._over = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static(printable(self.plan.title), id="plan-title", markup=False)
            yield Static("", id="step-count", markup=False)
        yield PhaseTrack(id="phase")
        with Vertical(id="centre"):
            yield Static("", id="step-name", markup=False)
            yield Static("", id="segment", markup=False)
            yield Digits("0:00", id="countdown")
            yield Static("", id="counters", markup=False)
            yield Static("", id="cue", markup=False)
            yield Static("", id="up-next", markup=False)
        yield SessionBar(id="session")
        yield CheckInBar(id="check-in")
        yield Footer()

    @property
    def runner(self) -> Runner:
        return self.session.runner

    def on_mount(self) -> None:
        # The clock starts now, when the screen is up, not when it was built.
        self.session.start()
        for warning in self.session.warnings:
            self.notify(warning, title="Plan warning", severity="warning", markup=False)
        self.app.app_suspend_signal.subscribe(self, self._on_app_suspend)
        self.app.app_resume_signal.subscribe(self, self._on_app_resume)
        self.catch_up()

    # -- the clock ---------------------------------------------------------

    def catch_up(self) -> None:
        """Catch up with the clock, play due cues, redraw, and sleep until the next change."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._over:
            return
        self.session.poll()
        snap = self.runner.snapshot()
        self._draw(snap)
        if self.runner.step_index != self._step_index and snap.state is not RunnerState.FINISHED:
            left, self._step_index = self._step_index, self.runner.step_index
            self._offer_check_in(left)
            notice = self.session.step_over()
            if notice:
                self.notify(notice, severity="warning", markup=False, timeout=15)
        if snap.state is RunnerState.FINISHED:
            self._over = True
            self.post_message(self.Finished(self.session.finish()))
            return
        if snap.state is RunnerState.RUNNING:
            # A few ms late on purpose: waking just before a boundary would
            # find nothing changed and cost a second wake-up.
            self._timer = self.set_timer(self.runner.next_change_in() + 0.004, self.catch_up)

    # -- drawing -----------------------------------------------------------

    def _set(self, widget_id: str, value: str) -> None:
        if self._shown.get(widget_id) != value:
            self._shown[widget_id] = value
            self.query_one(f"#{widget_id}", Static).update(value)

    def _draw(self, snap: Snapshot) -> None:
        seg, step = snap.segment, snap.step
        if seg is None or step is None:
            return
        player = self.session.player
        sound = "muted" if player.muted else ("sound+voice" if player.voice else "sound")
        self._set("step-count", f"{sound}  ·  Step {snap.step_number} of {snap.step_count}")
        self.query_one(PhaseTrack).kind = step.kind
        self._set("step-name", printable(self.session.name_of(snap.step_number - 1)))
        label = SEGMENT_LABELS[seg.kind]
        if snap.state is RunnerState.PAUSED:
            label = f"PAUSED ({label.lower()}): space to resume"
            if self.runner.slept_for:
                label = f"PAUSED after a {duration(self.runner.slept_for)} gap: space to resume"
        self._set("segment", label)
        shown = clock(snap.remaining) if snap.remaining is not None else clock(snap.elapsed)
        if self._shown.get("countdown") != shown:
            self._shown["countdown"] = shown
            self.query_one("#countdown", Digits).update(shown)
        self._set("counters", self._counters(snap))
        self._set("cue", printable(step.cue_text))
        self._set("up-next", printable(snap.up_next))
        bar = self.query_one(SessionBar)
        bar.progress = round(snap.progress, 3)
        bar.seconds_left = float(math.ceil(snap.session_left - 1e-9))
        state_class = "-paused" if snap.state is RunnerState.PAUSED else f"-{seg.kind.value}"
        if self._shown.get("class") != state_class:
            self._shown["class"] = state_class
            # One change of classes, so the tree is restyled once, not once per class.
            self.set_classes((set(self.classes) - STATE_CLASSES) | {state_class})

    def _counters(self, snap: Snapshot) -> str:
        seg, step = snap.segment, snap.step
        assert seg is not None and step is not None
        parts = []
        if seg.sets > 1:
            parts.append(f"Set {seg.set_no} of {seg.sets}")
        if seg.side:
            parts.append(f"{seg.side.capitalize()} side")
        if step.reps is not None:
            if snap.rep is not None:
                parts.append(f"Rep {snap.rep} of {snap.reps}")
            elif seg.kind is SegmentKind.WORK:
                parts.append(f"{step.reps} reps: Enter when done")
            else:
                parts.append(f"{step.reps} reps")
        elif step.hold is not None:
            parts.append(f"Hold {step.hold} s")
        return "  ·  ".join(parts)

    # -- check-in ------------------------------------------------------------

    def _offer_check_in(self, step_index: int) -> None:
        """After an analytic or stability step that was at least partly done, ask."""
        step = self.plan.steps[step_index]
        record = self.runner.records.get(step_index)
        if step.kind not in CHECK_IN_KINDS or record is None or record.status == "skipped":
            return
        self.action_close_check_in()
        self._checking = step_index
        answer = self.session.check_ins.get(step_index)
        widget = self.query_one(CheckInBar)
        widget.drill = printable(self.session.name_of(step_index))
        widget.felt = answer.felt if answer else None
        widget.flags = answer.flags if answer else ()
        widget.add_class("-open")
        self._check_in_timer = self.set_timer(self.CHECK_IN_SECONDS, self.action_close_check_in)

    def on_key(self, event: events.Key) -> None:
        if self._checking is not None and event.character and event.character.isdigit():
            event.stop()
            self._answer(felt=int(event.character))

    def action_flag(self, key: str) -> None:
        if self._checking is not None:
            self._answer(flag_key=key)

    def _answer(self, felt: int | None = None, flag_key: str | None = None) -> None:
        assert self._checking is not None
        answer = self.session.check_in(self._checking, felt=felt, flag_key=flag_key)
        widget = self.query_one(CheckInBar)
        widget.felt, widget.flags = answer.felt, answer.flags
        if self._check_in_timer is not None:  # the clock for closing restarts with each key
            self._check_in_timer.reset()

    def action_close_check_in(self) -> None:
        if self._checking is None:
            return
        self._checking = None
        if self._check_in_timer is not None:
            self._check_in_timer.stop()
            self._check_in_timer = None
        self.query_one(CheckInBar).remove_class("-open")

    # -- keys --------------------------------------------------------------

    def _control(self, action: Callable[[], object]) -> None:
        action()
        self.catch_up()

    def action_toggle_pause(self) -> None:
        self._control(self.runner.toggle_pause)

    def action_next_step(self) -> None:
        self._control(self.runner.next_step)

    def action_previous(self) -> None:
        self._control(self.runner.previous)

    def action_done(self) -> None:
        self._control(self.runner.done)

    def action_adjust(self, seconds: float) -> None:
        if not self.runner.adjust(seconds):
            self.notify("Only a timed segment can be made longer or shorter.", markup=False)
        self.catch_up()

    def action_quit_session(self) -> None:
        """Ask before ending; what was done is kept either way. Ctrl+Q and Ctrl+C come here too."""
        if self._over or isinstance(self.app.screen, ConfirmScreen):
            return
        was_running = self.runner.state is RunnerState.RUNNING
        self._control(self.runner.pause)

        def answered(stop: bool | None) -> None:
            if stop:
                self._control(self.runner.stop)
            elif was_running:
                self._control(self.runner.resume)

        self.app.push_screen(
            ConfirmScreen("End this session now?", "What you have done so far is kept."),
            answered,
        )

    def action_suspend(self) -> None:
        self._control(self.runner.pause)
        self.app.action_suspend_process()

    def _on_app_suspend(self, _app: object) -> None:
        if self.runner.state is RunnerState.RUNNING:
            self._control(self.runner.pause)

    def _on_app_resume(self, _app: object) -> None:
        # After Ctrl+Z and fg the terminal is blank: paint every cell again, not only changes.
        self.app.refresh(repaint=True, layout=True)
        self.refresh(repaint=True, layout=True)
