"""GlutetermApp: navigation between the screens; the session, the store and sound do the rest."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from gluteterm.core.loader import LoadedPlan
from gluteterm.core.text import printable
from gluteterm.store.api import Store
from gluteterm.ui.leaving import catch_signals, leave_for_sure
from gluteterm.ui.preferences import SoundPreferences
from gluteterm.ui.screens.runner import FigureShown, RunnerScreen
from gluteterm.ui.screens.too_small import TooSmallScreen, too_small
from gluteterm.ui.session import LiveSession, pending_notices
from gluteterm.ui.sound import CuePlayer, SoundPlayer

if TYPE_CHECKING:
    from textual.command import Provider

    from gluteterm.ui.screens.assessment import AssessmentResultScreen
    from gluteterm.ui.screens.home import HomeScreen
    from gluteterm.ui.screens.summary import SummaryScreen


def assessment() -> LoadedPlan:
    """The self-assessment, as a plan the runner can run."""
    from gluteterm.core.assessment import assessment_plan
    from gluteterm.store.drills import default_library

    return LoadedPlan(assessment_plan(default_library()))


def _app_commands() -> type[Provider]:
    from gluteterm.ui.commands import GlutetermCommands

    return GlutetermCommands


def local_now() -> datetime:
    return datetime.now().astimezone()


class GlutetermApp(App[None]):
    """The terminal coach. Give it a plan to go straight into the runner."""

    TITLE = "gluteterm"
    CSS_PATH = "screens/runner.tcss"
    COMMANDS = App.COMMANDS | {_app_commands}
    BINDINGS = [
        # Everywhere, but shown in the runner's key bar only (it declares them again).
        Binding(
            "m", "toggle_mute", "Mute", id="app.mute", tooltip="Sound cues on or off", show=False
        ),
        Binding(
            "v", "toggle_voice", "Voice", id="app.voice", tooltip="Speak step names", show=False
        ),
    ]

    def __init__(
        self,
        start_with: LoadedPlan | None = None,
        *,
        store: Store | None = None,
        player: CuePlayer | None = None,
        now: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = local_now,
        trace: Path | None = None,
        mute: bool = False,
        voice: bool = False,
        flash: bool = True,
    ) -> None:
        super().__init__()
        self.start_with = start_with
        self.store = store or Store.default()
        settings, self._settings_warning = self.store.settings()
        self.settings = settings
        self.flash = flash and settings.flash
        self.player: CuePlayer = player or SoundPlayer(
            muted=mute or settings.mute,
            voice=voice or settings.voice,
            bell=lambda: self.call_from_thread(self.bell),
            notice=lambda text: self.call_from_thread(self._quiet_notice, text),
        )
        self.sound = SoundPreferences(self.player, self.store)
        self.now = now
        self.wall = wall
        self.trace = trace
        self.session: LiveSession | None = None  # the workout under way, if any
        self.unsaved: list[str] = []  # records that could be saved nowhere, for the exit

    def get_default_screen(self) -> Screen[Any]:
        # Straight into a session, the runner is the first screen: drawing a
        # blank screen first and pushing the runner over it costs a frame.
        if self.start_with is not None:
            return self._runner_screen(self.start_with)
        return super().get_default_screen()

    def on_mount(self) -> None:
        catch_signals(self._on_signal)
        self.call_after_refresh(self._move_pending)  # after the first frame
        if self._settings_warning:
            self.notify(printable(self._settings_warning), severity="warning", markup=False)
        if isinstance(self.player, SoundPlayer):
            # playsound3's import probes for audio programs: after the first frame.
            self.call_after_refresh(self.player.start)
        if self.start_with is None:
            self.show_home()
        self.call_after_refresh(self._check_size)

    @work(thread=True)
    def _move_pending(self) -> None:
        """Sessions that could not be saved before go into the log (off the UI thread)."""
        for text, severity in pending_notices(self.store):
            self.call_from_thread(self.notify, text, severity=severity, markup=False, timeout=10)

    # -- navigation --------------------------------------------------------

    def show_home(self) -> None:
        from gluteterm.ui.screens.home import HomeScreen

        homes = [s for s in self.screen_stack if isinstance(s, HomeScreen)]
        if homes:
            while self.screen is not homes[0]:
                self.pop_screen()  # home reloads itself when it is shown again
            self._check_size()
        else:
            self._replace_top(HomeScreen(self.store))

    def _replace_top(self, screen: Screen[Any]) -> None:
        """Show `screen` in place of the top one (over it, if it is the only screen)."""
        covered = isinstance(self.screen, TooSmallScreen)
        if covered:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        if covered:
            self.push_screen(TooSmallScreen())

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int | None = None, height: int | None = None) -> None:
        """Cover the app with a message when the terminal is too small, uncover it after."""
        small = too_small(width or self.size.width, height or self.size.height)
        covered = isinstance(self.screen, TooSmallScreen)
        if small and not covered:
            self.push_screen(TooSmallScreen())
        elif covered and not small:
            self.pop_screen()

    def on_home_screen_start(self, message: HomeScreen.Start) -> None:
        self.start_session(message.loaded)

    def start_session(self, loaded: LoadedPlan) -> None:
        """Run `loaded` (home's Enter, the command palette); not while a session is live."""
        if self.session is not None and self.session.live:
            self.notify("A session is under way: finish or quit it first.", markup=False)
            return
        self.push_screen(self._runner_screen(loaded))

    def on_home_screen_assess(self, message: HomeScreen.Assess) -> None:
        self.start_session(assessment())

    def on_summary_screen_leave(self, message: SummaryScreen.Leave) -> None:
        if message.where == "quit":
            self.exit()
        else:
            self.show_home()

    def _runner_screen(self, loaded: LoadedPlan) -> RunnerScreen:
        self.session = LiveSession(
            loaded, self.store, self.player, now=self.now, wall=self.wall, trace=self.trace
        )
        return RunnerScreen(self.session, flash=self.flash, figure=self.settings.figure)

    def on_figure_shown(self, message: FigureShown) -> None:
        self.settings.figure = message.shown
        self._said(
            *self.sound.remember(
                "figure", message.shown, "Figure shown" if message.shown else "Figure hidden"
            )
        )

    def on_runner_screen_finished(self, message: RunnerScreen.Finished) -> None:
        from gluteterm.ui.screens.summary import SummaryScreen

        session, self.session = self.session, None
        if session is None:
            return
        self.unsaved += session.unsaved
        outcome = message.outcome
        if session.is_assessment:
            from gluteterm.ui.screens.assessment import AssessmentResultScreen

            self._replace_top(
                AssessmentResultScreen(
                    outcome.assessment, outcome.previous, self.store, outcome.notice
                )
            )
        else:
            self._replace_top(SummaryScreen(outcome, session))

    def on_assessment_result_screen_leave(self, message: AssessmentResultScreen.Leave) -> None:
        if message.where == "quit":
            self.exit()
        else:
            self.show_home()

    # -- leaving -------------------------------------------------------------

    async def action_quit(self) -> None:
        """Ctrl+Q: during a session, ask first (as q does), keeping what was done."""
        if not self._ask_before_leaving():
            self.exit()

    def action_help_quit(self) -> None:
        """Ctrl+C: during a session, the same as q; elsewhere, Textual's hint."""
        if not self._ask_before_leaving():
            super().action_help_quit()

    def _ask_before_leaving(self) -> bool:
        """True if a session is under way: ask to end it, or end it and leave if asked already."""
        if self.session is None or not self.session.live:
            return False
        from gluteterm.ui.screens.confirm import ConfirmScreen

        runner_screen = next((s for s in self.screen_stack if isinstance(s, RunnerScreen)), None)
        if runner_screen is None or isinstance(self.screen, ConfirmScreen):
            self._end_session()  # asked already: a second Ctrl+Q means it
            self.exit()
        else:
            runner_screen.action_quit_session()
        return True

    def _on_signal(self) -> None:
        """Terminal closed, or asked to stop: keep what was done, then leave."""
        self._end_session()
        leave_for_sure(self)

    def _end_session(self) -> None:
        if self.session is not None:
            self.session.abandon()
            self.unsaved += self.session.unsaved
            self.session = None

    # -- sound ---------------------------------------------------------------

    def _quiet_notice(self, text: str) -> None:
        self.notify(text, title="Sound", markup=False, timeout=6)

    def action_toggle_mute(self) -> None:
        self._said(*self.sound.toggle_mute())

    def action_toggle_voice(self) -> None:
        self._said(*self.sound.toggle_voice())

    def _said(self, text: str, warning: bool) -> None:
        if warning:
            self.notify(text, severity="warning", markup=False, timeout=6)
        else:
            self.notify(text, markup=False, timeout=2)
        if isinstance(self.screen, RunnerScreen):
            self.screen.catch_up()  # show the new sound state at once, even when paused
