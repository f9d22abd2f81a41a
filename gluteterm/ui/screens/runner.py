"""RunnerScreen: the guided session, readable from the floor: a state band, big digits, a
figure doing the drill, what to do and what is next.

The screen renders a `LiveSession` and forwards keys to it. It does not tick
at a fixed rate: after each update it asks the runner when the display next
changes and sleeps until then, so a countdown costs one wake-up a second.
Only the figure animates, at a few frames a second, and only while it moves.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Static

from gluteterm.core.plan import UNPACED_REP_SECONDS, Kind, Step, fill_dose
from gluteterm.core.progression import CHECK_IN_KEYS, CHECK_IN_KINDS, FAULT_FLAG_KEYS
from gluteterm.core.runner import Runner, RunnerState, Snapshot
from gluteterm.core.text import clock, duration, printable
from gluteterm.core.timeline import Segment, SegmentKind, expand
from gluteterm.ui.session import LiveSession, Outcome
from gluteterm.ui.widgets.big_digits import BigDigits
from gluteterm.ui.widgets.check_in_bar import CheckInBar
from gluteterm.ui.widgets.figure import FigurePanel
from gluteterm.ui.widgets.phase_track import PhaseTrack
from gluteterm.ui.widgets.session_bar import SessionBar

STATE_CLASSES = {"-paused", "-prepare", "-work", "-switch", "-rest"}
SIZE_CLASSES = {"-narrow", "-short", "-roomy"}
SEGMENT_LABELS = {
    SegmentKind.PREPARE: "GET READY",
    SegmentKind.WORK: "WORK",
    SegmentKind.SWITCH: "SWITCH SIDES",
    SegmentKind.REST: "REST",
}
#: Each state's band is also drawn in its own shape, so it reads without colour.
BAND_MARKS = {"-prepare": "▸", "-work": "■", "-switch": "⇄", "-rest": "·", "-paused": "‖"}
#: A foam-roll hold shows a slow roll back and forth: seconds per pass.
ROLL_SECONDS = 4.0
FLASH_SECONDS = 0.3
#: A drill done fewer times than this gets its first how line and its feel line at get-ready.
NEW_DRILL_TIMES = 3


def line_widths(text: str) -> list[int]:
    """The width in cells of each line of `text`."""
    return [cell_len(line) for line in text.split("\n")]


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
        Binding("space", "toggle_pause", "Pause", id="runner.pause", tooltip="Pause or resume"),
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
        Binding(
            "plus,equals_sign",
            "adjust(10)",
            "10s",
            id="runner.more",
            key_display="+/-",
            tooltip="+ adds 10 s to this segment, - takes 10 s off",
        ),
        Binding("minus", "adjust(-10)", "-10s", id="runner.less", show=False),
        Binding("enter", "done", "Done", id="runner.done", tooltip="End this set now"),
        Binding("i", "card", "Card", id="runner.card", tooltip="How to do this drill"),
        Binding("g", "toggle_figure", "Figure", id="runner.figure", tooltip="Show or hide"),
        Binding("q", "quit_session", "Quit", id="runner.quit"),
        Binding("m", "app.toggle_mute", "Mute", id="runner.mute", tooltip="Sound cues on or off"),
        Binding("v", "app.toggle_voice", "Voice", id="runner.voice", tooltip="Speak step names"),
        Binding("ctrl+z", "suspend", "Suspend", show=False, id="runner.suspend"),
        # The check-in keys: the check-in bar shows them while it is open. They stay
        # out of the footer, and the set of bindings never changes during a session:
        # each change rebuilds Textual's Footer, whose old keys are never freed.
        Binding("h", "flag('h')", "Hip drop", id="runner.flag_hip", show=False),
        Binding("k", "flag('k')", "Knees in", id="runner.flag_knees", show=False),
        Binding("b", "flag('b')", "Back/hams", id="runner.flag_back", show=False),
        Binding("x", "flag('x')", "Pain", id="runner.flag_pain", show=False),
        Binding("s", "skip_drill", "Skip drill today", id="runner.skip_drill", show=False),
        Binding("y", "answer(True)", "Yes", id="runner.yes", show=False),
        Binding("escape", "close", "Close", id="runner.close", show=False),
    ]
    #: After a felt score, the check-in closes this long after the last key.
    CHECK_IN_SECONDS = 6.0

    def __init__(self, session: LiveSession, *, flash: bool = True, figure: bool = True) -> None:
        segments = expand(session.plan)
        # The first state class is set before mounting: adding it later would restyle the tree.
        initial = f"-{segments[0].kind.value}" if segments else ""
        super().__init__(classes=initial if figure else f"{initial} -no-figure")
        self.session = session
        self.plan = session.plan
        self.flash = flash
        self._checking: int | None = None  # the step index being checked in on
        self._asking: tuple[int, str] | None = None  # a self-check question: (step, side)
        self._check_in_until = 0  # ... until the runner has left this segment index
        self._check_in_timer: Timer | None = None
        self._timer: Timer | None = None
        self._shown: dict[str, object] = {"class": initial}
        self._step_index = 0
        self._segment_index = -1
        self._over = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static(printable(self.plan.title), id="plan-title", markup=False)
            yield Static("", id="step-count", markup=False)
        yield PhaseTrack(id="phase")
        yield Static("", id="band", markup=False)
        yield Static("", id="step-name", markup=False)
        with Horizontal(id="stage"):
            yield FigurePanel(id="figure")
            with Vertical(id="clock"):
                yield BigDigits("0:00", id="countdown")
                yield Static("", id="clock-small", markup=False)
        yield Static("", id="counters", markup=False)
        yield Static("", id="setup", markup=False, classes="-none")
        yield Static("", id="cue", markup=False)
        yield Static("", id="up-next", markup=False)
        yield SessionBar(id="session")
        yield CheckInBar(id="check-in")
        yield Static("", id="question", markup=False, classes="-none")
        # Compact, and without the palette hint, so every key fits at 80 columns.
        yield Footer(compact=True, show_command_palette=False)

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
        self._fit_layout(self.app.size.width, self.app.size.height)
        # After the first frame: reading the log competes with drawing it.
        self.call_after_refresh(
            self.session.count_drills_done, lambda: self.app.call_from_thread(self._redraw_all)
        )
        self.catch_up()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_layout(event.size.width, event.size.height)

    def _fit_layout(self, width: int, height: int) -> None:
        """Pick the layout from the terminal size: the figure goes first, then the cue."""
        wanted = set()
        if width < 80 or height < 22:
            wanted.add("-narrow")  # no room for the figure beside the digits
        if height < 24:
            wanted.add("-short")  # no room for the cue and what is next
        if height >= 40:
            wanted.add("-roomy")
        current = set(self.classes)
        if current & SIZE_CLASSES != wanted:
            self.set_classes((current - SIZE_CLASSES) | wanted)

    # -- the clock ---------------------------------------------------------

    def catch_up(self) -> None:
        """Catch up with the clock, play due cues, redraw, and sleep until the next change."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._over:
            return
        self.session.poll()
        if self.session.skips_current():
            self.runner.next_step()
            self.session.poll()
        snap = self.runner.snapshot()
        if self.runner.index != self._segment_index and self._segment_index >= 0:
            self._left_segment(self.runner.segments[self._segment_index])
        self._draw(snap)
        if self.runner.step_index != self._step_index and snap.state is not RunnerState.FINISHED:
            left, self._step_index = self._step_index, self.runner.step_index
            self._offer_check_in(left)
            notice = self.session.step_over()
            if notice:
                self.notify(notice, severity="warning", markup=False, timeout=15)
        if self._checking is not None and self.runner.index > self._check_in_until:
            self.action_close_check_in()
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
        old = self._shown.get(widget_id)
        if old != value:
            self._shown[widget_id] = value
            # Lines of the same widths take the same space ("3:17 left" to "3:16 left"):
            # no layout, which would re-render the whole screen every second.
            same_size = isinstance(old, str) and line_widths(old) == line_widths(value)
            self.query_one(f"#{widget_id}", Static).update(value, layout=not same_size)

    def _redraw_all(self) -> None:
        self._shown = {"class": self._shown.get("class")}
        self._segment_index = -1
        if not self._over:
            self._draw(self.runner.snapshot())

    def _draw(self, snap: Snapshot) -> None:
        seg, step = snap.segment, snap.step
        if seg is None or step is None:
            return
        index = snap.step_number - 1
        player = self.session.player
        sound = "muted" if player.muted else ("sound+voice" if player.voice else "sound")
        self._set("step-count", f"{sound}  ·  Step {snap.step_number} of {snap.step_count}")
        self.query_one(PhaseTrack).kind = step.kind
        self._set("step-name", printable(self.session.name_of(index)))
        paused = snap.state is RunnerState.PAUSED
        state_class = "-paused" if paused else f"-{seg.kind.value}"
        self._set("band", self._band(state_class, seg, snap))
        big, small = self._clock(snap, step)
        if self._shown.get("countdown") != big:
            self._shown["countdown"] = big
            self.query_one("#countdown", BigDigits).text = big
        self._set("clock-small", small)
        self._set("counters", self._counters(snap))
        setup = self._setup(seg, step)
        if self._shown.get("setup") != setup:
            self.query_one("#setup").set_class(not setup, "-none")
            self._set("setup", setup)
        self._set("cue", self._cue(seg, step, index))
        self._set("up-next", printable(snap.up_next))
        bar = self.query_one(SessionBar)
        bar.progress = round(snap.progress, 3)
        bar.seconds_left = float(math.ceil(snap.session_left - 1e-9))
        if self._shown.get("class") != state_class:
            self._shown["class"] = state_class
            # One change of classes, so the tree is restyled once, not once per class.
            self.set_classes((set(self.classes) - STATE_CLASSES) | {state_class})
        if self._shown.get("motion") != (self.runner.index, state_class):
            self._shown["motion"] = (self.runner.index, state_class)
            self._move_figure(seg, step, paused)
        if self.runner.index != self._segment_index:
            if self._segment_index >= 0:
                self._flash()
            self._segment_index = self.runner.index

    def _left_segment(self, seg: Segment) -> None:
        """A segment is over: a self-check test keeps its figure, or asks its question."""
        if not self.session.is_assessment or seg.kind is not SegmentKind.WORK:
            return
        self.session.measured_all(seg)
        step = self.plan.steps[seg.step_index]
        if step.question:
            self._ask(seg.step_index, seg.side or "left", step.question)

    def _ask(self, index: int, side: str, question: str) -> None:
        self._asking = (index, side)
        widget = self.query_one("#question", Static)
        widget.update(printable(f"{side.capitalize()} side: {question}   y yes   n no"))
        widget.remove_class("-none")

    def action_answer(self, yes: bool) -> None:
        if self._asking is None:
            return
        index, side = self._asking
        self.session.answer(index, side, yes)
        self._asking = None
        self.query_one("#question", Static).add_class("-none")
        self.notify(f"{side.capitalize()} side: {'yes' if yes else 'no'}", markup=False, timeout=2)

    def _band(self, state_class: str, seg: Segment, snap: Snapshot) -> str:
        label = SEGMENT_LABELS[seg.kind]
        if state_class == "-paused":
            label = f"PAUSED ({label.lower()}): space to resume"
            if self.runner.slept_for:
                label = f"PAUSED after a {duration(self.runner.slept_for)} gap: space to resume"
        mark = BAND_MARKS[state_class]
        return f"{mark} {mark} {mark}  {label}  {mark} {mark} {mark}"

    def _clock(self, snap: Snapshot, step: Step) -> tuple[str, str]:
        """The big number (the rep to count along with, or the time) and the small line."""
        time = clock(snap.remaining) if snap.remaining is not None else clock(snap.elapsed)
        seg = snap.segment
        if step.until_enter and seg is not None and seg.kind is SegmentKind.WORK:
            if snap.rep is not None:
                return str(snap.rep), f"rep {snap.rep}  ·  Enter when you cannot keep going"
            return clock(
                snap.elapsed
            ), f"Enter when you cannot hold it  ·  stops at {clock(step.hold or 0)}"
        if snap.rep is not None and snap.state is RunnerState.RUNNING:
            return str(snap.rep), f"rep {snap.rep} of {snap.reps}  ·  {time} left in the set"
        if snap.rep is not None:
            return time, f"rep {snap.rep} of {snap.reps}"
        return time, ""

    def _counters(self, snap: Snapshot) -> str:
        seg, step = snap.segment, snap.step
        assert seg is not None and step is not None
        parts = []
        if seg.sets > 1:
            parts.append(f"Set {seg.set_no} of {seg.sets}")
        if seg.side:
            parts.append(f"{seg.side.capitalize()} side")
        if step.until_enter:  # its reps or hold are a cap, not a target
            parts.append("As many as you can" if step.reps else "As long as you can hold it")
        elif step.reps is not None:
            if snap.rep is not None:
                parts.append(f"{snap.reps} reps")
            elif seg.kind is SegmentKind.WORK:
                parts.append(f"{step.reps} reps: Enter when done")
            else:
                parts.append(f"{step.reps} reps")
        elif step.hold is not None:
            parts.append(f"Hold {step.hold} s")
        return "  ·  ".join(parts)

    def _setup(self, seg: Segment, step: Step) -> str:
        """During get-ready, what to pick up and where it goes, in large type."""
        if seg.kind is not SegmentKind.PREPARE:
            return ""
        drill = self.session.drill_of(self.runner.step_index)
        what = drill.setup if drill is not None and drill.setup else ", ".join(step.equipment)
        return printable(what.upper()) if what else ""

    def _cue(self, seg: Segment, step: Step, index: int) -> str:
        drill = self.session.drill_of(index)
        new = drill is not None and self.session.times_done(drill.id) < NEW_DRILL_TIMES
        if seg.kind is SegmentKind.PREPARE and new and drill is not None:
            return printable(f"{fill_dose(drill.how[0], step)}\nFeel: {drill.feel}")
        return printable(step.cue_text)

    def _move_figure(self, seg: Segment, step: Step, paused: bool) -> None:
        """Set the figure for this segment: start pose, the held pose, or moving with the reps."""
        panel = self.query_one(FigurePanel)
        index = seg.step_index
        if seg.kind is SegmentKind.REST and index + 1 < len(self.plan.steps):
            index += 1  # rest shows the next drill's start pose
        drill = self.session.drill_of(index)
        panel.figure = drill.figure if drill is not None else None
        panel.side = seg.side or ("left" if self.plan.steps[index].per_side else None)
        if paused or seg.kind is not SegmentKind.WORK:
            panel.still(0.0 if not paused else panel.phase)
            return
        shown = self.plan.steps[index]
        if shown.reps is not None:
            period = shown.tempo or UNPACED_REP_SECONDS
            panel.cycle(period, self.runner.segment_started, self.session.now)
        elif shown.kind is Kind.RELEASE:
            panel.cycle(ROLL_SECONDS, self.runner.segment_started, self.session.now)
        else:
            panel.still(0.5)  # a hold shows the held (top) pose

    def _flash(self) -> None:
        """One short change of background at each change of segment (not a strobe)."""
        if not self.flash:
            return
        self.add_class("-flash")
        self.set_timer(FLASH_SECONDS, lambda: self.remove_class("-flash"))

    # -- check-in ------------------------------------------------------------

    def _offer_check_in(self, step_index: int) -> None:
        """After an analytic or stability step that was at least partly done, ask; the
        question stays through the next get-ready or rest and the next work segment."""
        step = self.plan.steps[step_index]
        progress = self.runner.progress.get(step_index)
        if step.kind not in CHECK_IN_KINDS or progress is None or progress.status == "skipped":
            return
        if self.session.is_assessment:  # a test asks its own questions, and logs no check-in
            return
        self.action_close_check_in()
        self._checking = step_index
        following = [
            i
            for i, seg in enumerate(self.runner.segments)
            if i >= self.runner.index and seg.kind is SegmentKind.WORK
        ]
        self._check_in_until = following[0] if following else len(self.runner.segments)
        answer = self.session.check_ins.get(step_index)
        widget = self.query_one(CheckInBar)
        widget.drill = printable(self.session.name_of(step_index))
        widget.felt = answer.felt if answer else None
        widget.flags = answer.flags if answer else ()
        widget.advice = ""
        widget.add_class("-open")

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
        if flag_key is not None and CHECK_IN_KEYS[flag_key] in answer.flags:
            widget.advice = self._advice(self._checking, flag_key)
        if answer.felt is not None:
            # Answered: it closes soon after the last key (more flags can still follow).
            if self._check_in_timer is not None:
                self._check_in_timer.stop()
            self._check_in_timer = self.set_timer(self.CHECK_IN_SECONDS, self.action_close_check_in)

    def _advice(self, index: int, flag_key: str) -> str:
        """What to do about a flagged compensation: the drill's own fix for it."""
        name = self.session.name_of(index)
        if flag_key == "x":
            # The safety part first: a narrow screen may cut the end of a long line.
            return (
                f"Pain: stop {name} for today; if it keeps hurting, ask a professional. "
                "s skips it for the rest of this session."
            )
        drill = self.session.drill_of(index)
        flag = next(f for f, key in FAULT_FLAG_KEYS.items() if key == flag_key)
        fixes = [f for f in drill.faults if f.flag == flag] if drill is not None else []
        if not fixes:
            flag_name = CHECK_IN_KEYS[flag_key].capitalize()
            return f"{flag_name}: go easier next time; the level steps back."
        return "  ".join(f"{f.fault}: {f.fix}." for f in fixes)

    def action_skip_drill(self) -> None:
        """After pain: skip that drill for the rest of the session."""
        if self._checking is None:
            return
        skipped = self.session.skip_today(self._checking)
        self.notify(f"{printable(skipped)}: skipped for the rest of today.", markup=False)
        self.action_close_check_in()
        self.catch_up()

    def action_close_check_in(self) -> None:
        if self._checking is None:
            return
        self._checking = None
        if self._check_in_timer is not None:
            self._check_in_timer.stop()
            self._check_in_timer = None
        self.query_one(CheckInBar).remove_class("-open")

    # -- the card and the figure ----------------------------------------------

    def action_card(self) -> None:
        """Open or close the drill's card; the countdown keeps running above it."""
        from gluteterm.ui.widgets.drill_card import DrillCard

        cards = self.query(DrillCard)
        if not cards:  # made on first use: the first frame comes sooner without it
            self.mount(DrillCard(id="card"), before=self.query_one(Footer))
            self.call_after_refresh(self.action_card)
            return
        card = cards.first()
        if card.has_class("-open"):
            self._close_card(card)
            return
        index = self.runner.step_index
        seg = self.runner.segment
        if seg is not None and seg.kind is SegmentKind.REST and index + 1 < len(self.plan.steps):
            index += 1
        card.show(self.session.drill_of(index), self.plan.drills, self.plan.steps[index])
        card.add_class("-open")
        card.focus()  # up, down, page up and down, home and end scroll it

    def _close_card(self, card: Widget) -> None:
        card.remove_class("-open")
        self.set_focus(None)

    def action_close(self) -> None:
        from gluteterm.ui.widgets.drill_card import DrillCard

        card = self.query(DrillCard).first() if self.query(DrillCard) else None
        if card is not None and card.has_class("-open"):
            self._close_card(card)
        else:
            self.action_close_check_in()

    def action_toggle_figure(self) -> None:
        hidden = not self.has_class("-no-figure")
        self.set_class(hidden, "-no-figure")
        self.post_message(FigureShown(not hidden))

    # -- keys --------------------------------------------------------------

    def _control(self, action: Callable[[], object]) -> None:
        action()
        self.catch_up()

    def action_toggle_pause(self) -> None:
        self._control(self.runner.toggle_pause)

    def action_next_step(self) -> None:
        if self._asking is not None:  # n answers a self-check question: no
            self.action_answer(False)
            return
        self._control(self.runner.next_step)

    def action_previous(self) -> None:
        self._control(self.runner.previous)

    def action_done(self) -> None:
        if self.session.is_assessment:
            value = self.session.measure_now()
            if value is not None:
                seg, step = self.runner.segment, self.plan.steps[self.runner.step_index]
                unit = " reps" if step.reps else " s"
                side = f", {seg.side} side" if seg is not None and seg.side else ""
                self.notify(f"Kept: {value:g}{unit}{side}", markup=False, timeout=2)
        self._control(self.runner.done)

    def action_adjust(self, seconds: float) -> None:
        if not self.runner.adjust(seconds):
            self.notify("Only a timed segment can be made longer or shorter.", markup=False)
        self._shown.pop("motion", None)  # a paced set's figure keeps time with its reps
        self.catch_up()

    def action_quit_session(self) -> None:
        """Ask before ending; what was done is kept either way. Ctrl+Q and Ctrl+C come here too."""
        from gluteterm.ui.screens.confirm import ConfirmScreen

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


class FigureShown(Message):
    """The user showed or hid the figure (g): remember it."""

    def __init__(self, shown: bool) -> None:
        super().__init__()
        self.shown = shown
