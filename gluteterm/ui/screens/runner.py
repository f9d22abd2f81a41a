"""RunnerScreen: the guided session, readable from the floor: a state band, big digits, a
figure doing the drill, what to do and what is next.

The screen renders the `SessionView`s its `LiveSession` gives it and sends
the session commands; it never reaches the runner, the log or the levels.
It does not tick at a fixed rate: after each view it asks the session when
the display next changes and sleeps until then, so a countdown costs one
wake-up a second. Only the figure animates, a few frames a second, while it
moves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.cells import cell_len
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Static

from gluteterm.core.display import Motion, SessionView
from gluteterm.ui.screens.runner_keys import RUNNER_KEYS, SESSION_COMMANDS
from gluteterm.ui.session import LiveSession, Outcome, Severity
from gluteterm.ui.widgets.big_digits import BigDigits
from gluteterm.ui.widgets.big_words import BigWords
from gluteterm.ui.widgets.figure import FigurePanel
from gluteterm.ui.widgets.notice_line import NoticeLine
from gluteterm.ui.widgets.phase_track import PhaseTrack
from gluteterm.ui.widgets.question_bar import QuestionBar
from gluteterm.ui.widgets.session_bar import SessionBar

STATE_CLASSES = {"-paused", "-prepare", "-work", "-switch", "-rest", "-finished"}
SIZE_CLASSES = {"-narrow", "-short", "-tall", "-roomy"}
FLASH_SECONDS = 0.3


def line_widths(text: str) -> list[int]:
    """The width in cells of each line of `text`."""
    return [cell_len(line) for line in text.split("\n")]


class RunnerScreen(Screen[None]):
    """Shows one live session; posts `Finished` with its outcome when it is over."""

    @dataclass
    class Finished(Message):
        """The session is over (run to the end, or ended early) and saved."""

        outcome: Outcome

    BINDINGS = RUNNER_KEYS

    def __init__(self, session: LiveSession, *, flash: bool = True, figure: bool = True) -> None:
        # The first state class is set before mounting: adding it later would restyle the tree.
        initial = "-prepare" if session.plan.prepare > 0 else "-work"
        super().__init__(classes=initial if figure else f"{initial} -no-figure")
        self.session = session
        self.flash = flash
        self._timer: Timer | None = None
        self._shown: dict[str, object] = {"class": initial}
        self._view: SessionView | None = None
        self._over = False
        #: The big set-up words wait for the first frame: it comes as fast as before.
        self._first_frame_shown = False

    def compose(self) -> ComposeResult:
        # What is above and below the stage sits in containers of its own: the
        # compositor then leaves their widgets alone when only the figure changes
        # (a figure frame costs the screen, these containers and the stage).
        with Vertical(id="head"):
            with Horizontal(id="top"):
                yield Static(self.session.plan.title, id="plan-title", markup=False)
                yield NoticeLine(id="notice")
                yield Static("", id="step-count", markup=False)
            yield PhaseTrack(id="phase")
            yield Static("", id="band", markup=False)
            yield Static("", id="step-name", markup=False)
        with Horizontal(id="stage"):
            yield FigurePanel(id="figure")
            with Vertical(id="clock"):
                yield BigDigits("0:00", id="countdown")
                yield Static("", id="clock-small", markup=False)
        with Vertical(id="foot"):
            yield Static("", id="counters", markup=False)
            yield BigWords(id="big-setup")
            yield Static("", id="setup", markup=False, classes="-none")
            yield Static("", id="cue", markup=False)
            yield Static("", id="up-next", markup=False)
            yield SessionBar(id="session")
            yield QuestionBar(id="question-bar")
        # Compact, and without the palette hint, so every key fits at 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.session.subscribe(self)
        # The landing gate reads the log: after the first frame, long before any jump.
        self.session.defer_gate()
        # The clock starts now, when the screen is up, not when it was built.
        self.session.start()
        for warning in self.session.warnings:
            self.show_notice(warning, "warning", 10)
        self._take_over_toasts()
        self.app.app_suspend_signal.subscribe(self, self._on_app_suspend)
        self.app.app_resume_signal.subscribe(self, self._on_app_resume)
        self._fit_layout(self.app.size.width, self.app.size.height)
        self.call_after_refresh(self._after_first_frame)
        # After the first frame: reading the log competes with drawing it.
        self.call_after_refresh(
            self.session.count_drills_done, lambda: self.app.call_from_thread(self._redraw_all)
        )
        self.catch_up()

    def _after_first_frame(self) -> None:
        self._first_frame_shown = True
        self.session.read_gate(self.app.call_from_thread)
        if self._view is not None and self._view.big_setup and not self._over:
            self._draw(self._view)

    def on_unmount(self) -> None:
        self.session.unsubscribe(self)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_layout(event.size.width, event.size.height)

    def _fit_layout(self, width: int, height: int) -> None:
        """Pick the layout from the terminal size: the figure goes first, then the cue."""
        wanted = set()
        if width < 80 or height < 22:
            wanted.add("-narrow")  # no room for the figure beside the digits
        if height < 24:
            wanted.add("-short")  # no room for the cue and what is next
        if height >= 30 and width >= 90:
            wanted.add("-tall")  # room for set-up words in the big font
        if height >= 40:
            wanted.add("-roomy")
        current = set(self.classes)
        if current & SIZE_CLASSES != wanted:
            self.set_classes((current - SIZE_CLASSES) | wanted)

    # -- the session's side ---------------------------------------------------

    def catch_up(self) -> None:
        """Let the session catch up with the clock; it gives every display the new view."""
        if not self._over:
            self.session.tick()

    def session_changed(self, view: SessionView) -> None:
        """A new view (from the clock, a key here, or another display): draw it, then
        sleep until the display next changes."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._over:
            return
        self._draw(view)
        if view.finished:
            self._over = True
            self._conclude()
        elif not view.paused:
            # A few ms late on purpose: waking just before a boundary would
            # find nothing changed and cost a second wake-up.
            self._timer = self.set_timer(self.session.next_change_in() + 0.004, self.catch_up)

    def session_notice(self, text: str, severity: Severity, timeout: float) -> None:
        self.show_notice(text, severity, timeout)

    @work(thread=True, exit_on_error=False)
    def _conclude(self) -> None:
        """Save the session for good and work out suggestions, off the UI thread. If that
        fails (a bug), the summary still comes and says so: the log written after each
        step is kept."""
        try:
            outcome = self.session.conclude()
        except Exception as exc:  # any bug: a summary with a notice, never a hang
            outcome = self.session.outcome_after_error(exc)
        self.post_message(self.Finished(outcome))

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
        if not self._over:
            self._draw(self.session.view())

    def _draw(self, view: SessionView) -> None:
        before = self._view
        self._view = view
        self._set("step-count", f"{view.sound}  ·  Step {view.step_number} of {view.step_count}")
        self.query_one(PhaseTrack).kind = view.kind
        self._set("step-name", view.step_name)
        mark = view.mark
        self._set("band", f"{mark} {mark} {mark}  {view.band}  {mark} {mark} {mark}")
        if self._shown.get("countdown") != view.big:
            self._shown["countdown"] = view.big
            self.query_one("#countdown", BigDigits).text = view.big
        self._set("clock-small", view.small)
        self._set("counters", view.counters)
        big_setup = view.big_setup if self._first_frame_shown else ""
        if self._shown.get("big-setup") != big_setup:
            self._shown["big-setup"] = big_setup
            self.query_one(BigWords).text = big_setup
        if self._shown.get("setup") != view.setup:
            self.query_one("#setup").set_class(not view.setup, "-none")
            self._set("setup", view.setup)
        self._set("cue", view.cue)
        self._set("up-next", view.up_next)
        bar = self.query_one(SessionBar)
        bar.progress = view.progress
        bar.seconds_left = float(math.ceil(view.session_left - 1e-9))
        self.query_one(QuestionBar).question = view.question
        state_class = f"-{view.state}"
        if self._shown.get("class") != state_class:
            self._shown["class"] = state_class
            # One change of classes, so the tree is restyled once, not once per class.
            self.set_classes((set(self.classes) - STATE_CLASSES) | {state_class})
        if self._shown.get("motion") != view.motion:
            self._shown["motion"] = view.motion
            self._move_figure(view.motion)
        if before is not None and before.segment_index != view.segment_index:
            self._flash()

    def _move_figure(self, motion: Motion) -> None:
        panel = self.query_one(FigurePanel)
        panel.figure = motion.figure
        panel.side = motion.side
        if motion.period is None:
            panel.still(motion.phase)
        elif motion.phases is not None:
            panel.tempo(*motion.phases, motion.origin, self.session.now)
        else:
            panel.cycle(motion.period, motion.origin, self.session.now)

    def _flash(self) -> None:
        """One short change of background at each change of segment (not a strobe)."""
        if not self.flash:
            return
        self.add_class("-flash")
        self.set_timer(FLASH_SECONDS, lambda: self.remove_class("-flash"))

    def _take_over_toasts(self) -> None:
        """Toasts from before the session (no sound device, a setting) would sit over the
        runner's cue: they move to the notice line, what is left of their time each."""
        import time

        from textual.content import Content

        try:
            # Textual keeps no public list of the toasts showing; a change there only
            # leaves them where they are.
            showing = list(self.app._notifications)
        except (AttributeError, TypeError):
            return
        self.app.clear_notifications()
        for toast in showing:
            text = Content.from_markup(toast.message).plain if toast.markup else toast.message
            left = max(1.0, toast.raised_at + toast.timeout - time.time())
            said = f"{toast.title}: {text}" if toast.title else text
            self.show_notice(said, toast.severity, left)

    def show_notice(
        self, text: str, severity: Severity = "information", timeout: float = 5
    ) -> None:
        """Show `text` in the top line, over the plan's title (which nobody needs
        mid-session), for `timeout` seconds: never over the digits, the figure, the
        cue, the card or the question."""
        self.query_one(NoticeLine).add(text, severity, timeout)

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
        view = self._view or self.session.view()
        index = view.card_step
        plan = self.session.plan
        card.show(self.session.drill_of(index), plan.drills, plan.steps[index])
        card.add_class("-open")
        self.query_one(BigWords).add_class("-card")  # the digits keep their room
        card.focus()  # up, down, page up and down, home and end scroll it

    def _close_card(self, card: Widget) -> None:
        card.remove_class("-open")
        self.query_one(BigWords).remove_class("-card")
        self.set_focus(None)

    def action_close(self) -> None:
        from gluteterm.ui.widgets.drill_card import DrillCard

        card = self.query(DrillCard).first() if self.query(DrillCard) else None
        if card is not None and card.has_class("-open"):
            self._close_card(card)
        else:
            self.session.close_question()

    def action_toggle_figure(self) -> None:
        hidden = not self.has_class("-no-figure")
        self.set_class(hidden, "-no-figure")
        self.post_message(FigureShown(not hidden))

    # -- keys: each is a command to the session ------------------------------------

    def on_key(self, event: events.Key) -> None:
        question = self._view.question if self._view is not None else None
        digit = event.character is not None and event.character.isdigit()
        if question is not None and question.kind == "check-in" and digit:
            event.stop()
            self.session.felt(int(event.character or "0"))
        elif question is not None and event.character in dict(question.where_keys):
            event.stop()  # where it was felt: u glute, t front of hip or thigh, ...
            self.session.where(event.character or "")

    def action_session(self, command: str, *args: object) -> None:
        """A key's command to the session: the same commands any display sends."""
        if command in SESSION_COMMANDS:
            getattr(self.session, command)(*args)

    def action_toggle_pause(self) -> None:
        """Space, here or on the too-small cover."""
        self.session.toggle_pause()

    def action_quit_session(self) -> None:
        """Ask before ending; what was done is kept either way. Ctrl+Q and Ctrl+C come here too."""
        from gluteterm.ui.screens.confirm import ConfirmScreen

        if self._over or isinstance(self.app.screen, ConfirmScreen):
            return
        if self._view is not None and self._view.state == "finished":
            # Over but for the last check-in: leave it unanswered; the summary follows.
            self.session.close_question()
            return
        was_running = not self.session.view().paused
        self.session.pause()

        def answered(stop: bool | None) -> None:
            if stop:
                self.session.stop()
            elif was_running:
                self.session.resume()

        self.app.push_screen(
            ConfirmScreen("End this session now?", "What you have done so far is kept."),
            answered,
        )

    def action_suspend(self) -> None:
        self.session.pause()
        self.app.action_suspend_process()

    def _on_app_suspend(self, _app: object) -> None:
        self.session.pause()

    def _on_app_resume(self, _app: object) -> None:
        # After Ctrl+Z and fg the terminal is blank: paint every cell again, not only changes.
        self.app.refresh(repaint=True, layout=True)
        self.refresh(repaint=True, layout=True)


@dataclass
class FigureShown(Message):
    """The user showed or hid the figure (g): remember it."""

    shown: bool
