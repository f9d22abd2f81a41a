"""GlutetermApp: navigation between the screens; the session, the store and sound do the rest."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.content import Content
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import WorkerFailed

from gluteterm.core.errors import GlutetermError
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.text import printable
from gluteterm.store.api import Store
from gluteterm.ui.leaving import KeepsSessionOnExit, catch_signals
from gluteterm.ui.preferences import PreferenceKeys, SoundPreferences
from gluteterm.ui.screens.leave import Leave
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.screens.too_small import CoverWhenTooSmall, TooSmallScreen
from gluteterm.ui.session import LiveSession, pending_notices, start_session
from gluteterm.ui.sound import CuePlayer, SoundPlayer

if TYPE_CHECKING:
    from textual.command import Provider

    from gluteterm.ui.phone.server import PhoneServer
    from gluteterm.ui.screens.home import HomeScreen


def _app_commands() -> type[Provider]:
    from gluteterm.ui.commands import GlutetermCommands

    return GlutetermCommands


def resume_gc() -> None:
    """After the first frame: the cyclic GC back on, if start-up paused it (`launch`),
    with the objects made so far frozen out of its scans for the rest of the run."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def local_now() -> datetime:
    return datetime.now().astimezone()


class GlutetermApp(KeepsSessionOnExit, PreferenceKeys, CoverWhenTooSmall):
    """The terminal coach. Give it a plan to go straight into the runner."""

    TITLE = "gluteterm"
    CSS_PATH = "screens/runner.tcss"
    COMMANDS = App.COMMANDS | {_app_commands}

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
        phone: bool = False,
        phone_bind: str | None = None,
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
            wait_for_start=True,
        )
        self.sound = SoundPreferences(self.player, self.store)
        self.now = now
        self.wall = wall
        self.trace = trace
        self.session: LiveSession | None = None  # the workout under way, if any
        self.unsaved: list[str] = []  # records that could be saved nowhere, for the exit
        self.farewell: list[str] = []  # said after the screen is gone (see leaving.py)
        #: The phone page's server, once asked for (--phone, o, phone = true).
        self.phone: PhoneServer | None = None
        self.phone_wanted = phone or settings.phone
        self.phone_bind = phone_bind or settings.phone_bind or None
        self._phone_note = ""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """During a session, notices go to the runner's own notice line (over the plan's
        title), where they hide nothing the user needs; elsewhere, Textual's toasts."""
        runner = self._live_runner()
        if runner is None:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
            return
        text = Content.from_markup(message).plain if markup else message
        seconds = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        # call_later posts a message: safe from any thread, as notify is.
        runner.call_later(
            runner.show_notice, f"{title}: {text}" if title else text, severity, seconds
        )

    def _live_runner(self) -> RunnerScreen | None:
        """The runner screen of the session under way, if one is in the screen stack."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, RunnerScreen):
                return screen if self.session is not None and self.session.live else None
        return None

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette entries, but Screenshot: it writes to ~/Downloads or the
        current folder, and gluteterm writes only under its own folders."""
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command

    # -- a file that cannot be used is a notice, never the end of the app ------------
    #
    # Every key on every screen reaches files through the store, whose errors are
    # `GlutetermError`s naming the file. They are handled here, in the places
    # Textual runs the app's code, as the shell commands handle them at their
    # entry: a notice naming the file, and the screen stays. Keys, their actions
    # and the messages screens post to the app run in the app's own message loop
    # (`_dispatch_message`); workers and callbacks report to `_handle_exception`.

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)
        except GlutetermError as exc:
            self.file_problem(exc)

    def _handle_exception(self, error: Exception) -> None:
        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, GlutetermError) and self.is_running:
            self.file_problem(cause)
            return
        super()._handle_exception(error)

    def file_problem(self, error: GlutetermError) -> None:
        """Say what is wrong with a file (the message names it); the screen stays."""
        self.bell()
        self.notify(
            printable(str(error)),
            title="A file could not be used",
            severity="error",
            markup=False,
            timeout=15,
        )

    def get_default_screen(self) -> Screen[Any]:
        # Straight into a session, the runner is the first screen: drawing a
        # blank screen first and pushing the runner over it costs a frame.
        if self.start_with is not None:
            return self._runner_screen(self.start_with)
        return super().get_default_screen()

    def on_mount(self) -> None:
        catch_signals(self._on_signal)
        self.call_after_refresh(resume_gc)  # after the first frame
        self.call_after_refresh(self._move_pending)
        if self._settings_warning:
            self.notify(printable(self._settings_warning), severity="warning", markup=False)
        if isinstance(self.player, SoundPlayer):
            # playsound3's import probes for audio programs: after the first frame.
            self.call_after_refresh(self.player.start)
        if self.start_with is None:
            self.show_home()
        self.call_after_refresh(self._check_size)
        if self.phone_wanted:
            self.call_after_refresh(self.action_phone)

    # -- the phone page ------------------------------------------------------

    async def action_phone(self) -> None:
        """Start the phone page (the first time), then show its QR code and address."""
        from gluteterm.ui.screens.phone import PhoneScreen

        if isinstance(self.screen, PhoneScreen):
            self.screen.dismiss(None)
            return
        if self.phone is None and not await self._start_phone():
            return
        assert self.phone is not None
        self.push_screen(PhoneScreen(self.phone.url, self._phone_note))

    async def _start_phone(self) -> bool:
        """Start the phone page's server; False, with a message saying why, if it cannot."""
        try:
            from gluteterm.ui.phone.server import PhoneServer
        except ImportError as exc:
            self.notify(
                f"The phone page needs the '{exc.name}' package: pip install aiohttp segno",
                severity="error", markup=False, timeout=10,
            )  # fmt: skip
            return False
        from gluteterm.ui.phone.address import BindError, checked_bind, default_bind

        note = ""
        try:
            host = checked_bind(self.phone_bind) if self.phone_bind else ""
        except BindError as exc:
            self.notify(f"phone_bind in config.toml: {exc}", severity="error", markup=False)
            return False
        if not host:
            host, note = default_bind()
        server = PhoneServer(self.now)
        try:
            await server.start(host)
        except OSError as exc:
            self.notify(
                f"The phone page could not listen on {host}: {exc.strerror or exc}. "
                "Give another address with --phone-bind ADDRESS (127.0.0.1: this computer).",
                severity="error", markup=False, timeout=15,
            )  # fmt: skip
            return False
        self.phone, self._phone_note = server, note
        server.follow(self.session)
        return True

    async def on_unmount(self) -> None:
        """Every way out comes here: the phone page stops listening."""
        if self.phone is not None:
            phone, self.phone = self.phone, None
            await phone.stop()

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
            # After `gluteterm run` or `assess` the finished runner stays as the base
            # screen (Textual cannot replace the first screen): nothing looks under it.
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

    def on_home_screen_start(self, message: HomeScreen.Start) -> None:
        self.start_session(message.loaded)

    def start_session(self, loaded: LoadedPlan) -> None:
        """Run `loaded` (home's Enter, the command palette); not while a session is live."""
        if self.session is not None and self.session.live:
            self.notify("A session is under way: finish or quit it first.", markup=False)
            return
        self.push_screen(self._runner_screen(loaded))

    def on_home_screen_assess(self) -> None:
        self.start_session(self.store.assessment_plan())

    def on_gluteterm_leave(self, message: Leave) -> None:
        """The summary or a test's results: go home, or quit."""
        self.exit() if message.where == "quit" else self.show_home()

    def _runner_screen(self, loaded: LoadedPlan) -> Screen[Any]:
        self.session = start_session(
            loaded, self.store, self.player, now=self.now, wall=self.wall, trace=self.trace
        )
        if self.session.not_today:  # pain stopped every drill today: it does not run
            from gluteterm.ui.screens.not_today import NotTodayScreen

            advice, self.session = self.session.not_today, None
            return NotTodayScreen(printable(loaded.plan.title), advice)
        if self.phone is not None:
            self.phone.follow(self.session)
        return RunnerScreen(self.session, flash=self.flash, figure=self.settings.figure)

    def on_runner_screen_finished(self, message: RunnerScreen.Finished) -> None:
        from gluteterm.ui.screens.summary import SummaryScreen

        session, self.session = self.session, None
        if session is None:
            return
        self.unsaved += session.unsaved
        outcome = message.outcome
        if outcome.kind == "assessment":
            from gluteterm.ui.screens.assessment import AssessmentResultScreen

            self._replace_top(
                AssessmentResultScreen(
                    outcome.assessment, outcome.previous, self.store, outcome.notice
                )
            )
        else:
            self._replace_top(SummaryScreen(outcome, session))
