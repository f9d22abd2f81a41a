"""GlutetermApp: wires the screens together (home, runner, summary, history) and the log."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from gluteterm.core.loader import LoadedPlan
from gluteterm.core.progression import Suggestion, suggestions
from gluteterm.core.record import record_from_runner
from gluteterm.core.runner import RunnerState
from gluteterm.core.text import printable
from gluteterm.store import paths
from gluteterm.store.levels import load_levels, save_levels
from gluteterm.store.log import SaveResult, SessionWriter, flush_pending, recent_records
from gluteterm.store.settings import Settings, load_settings, save_settings
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.screens.too_small import TooSmallScreen, too_small
from gluteterm.ui.sound import CuePlayer, SoundPlayer

#: After a signal, how long an orderly shutdown may take before the process just ends.
SHUTDOWN_GRACE = 2.0
#: A session shorter than this, with no step done, is not worth a log entry.
MIN_LOGGED_SECONDS = 10.0


def local_now() -> datetime:
    return datetime.now().astimezone()


class GlutetermApp(App[None]):
    """The terminal coach. Give it a plan to go straight into the runner."""

    TITLE = "gluteterm"
    CSS_PATH = "screens/runner.tcss"
    BINDINGS = [
        Binding("m", "toggle_mute", "Mute", id="app.mute", tooltip="Sound cues on or off"),
        Binding("v", "toggle_voice", "Voice", id="app.voice", tooltip="Speak step names"),
    ]

    def __init__(
        self,
        start_with: LoadedPlan | None = None,
        *,
        player: CuePlayer | None = None,
        now: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = local_now,
        shipped_dir: Path | None = None,
        user_dir: Path | None = None,
        trace: Path | None = None,
        mute: bool = False,
        voice: bool = False,
    ) -> None:
        super().__init__()
        self.start_with = start_with
        self.settings, self._settings_warning = load_settings(paths.settings_file())
        self.player: CuePlayer = player or SoundPlayer(
            muted=mute or self.settings.mute,
            voice=voice or self.settings.voice,
            bell=lambda: self.call_from_thread(self.bell),
            notice=lambda text: self.call_from_thread(self._quiet_notice, text),
        )
        self.now = now
        self.wall = wall
        self.shipped_dir = shipped_dir or paths.shipped_sessions_dir()
        self.user_dir = user_dir or paths.user_sessions_dir()
        self.trace = trace
        self._session: RunnerScreen | None = None  # the screen of the session under way
        self._writer: SessionWriter | None = None
        self._started: datetime | None = None
        self._told_pending = False
        self.unsaved: list[str] = []  # records that could be saved nowhere, for the exit

    def get_default_screen(self) -> Screen[Any]:
        # Straight into a session, the runner is the first screen: drawing a
        # blank screen first and pushing the runner over it costs a frame.
        if self.start_with is not None:
            return self._runner_screen(self.start_with)
        return super().get_default_screen()

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._on_signal)
        moved, problems = flush_pending(paths.log_dir(), paths.pending_dir())
        if moved:
            self.notify(
                f"{moved} session(s) that could not be saved before are in the log now.",
                markup=False,
            )
        for problem in problems:
            self.notify(printable(problem), severity="warning", markup=False, timeout=10)
        if self._settings_warning:
            self.notify(printable(self._settings_warning), severity="warning", markup=False)
        if isinstance(self.player, SoundPlayer):
            # playsound3's import probes for audio programs: after the first frame.
            self.call_after_refresh(self.player.start)
        if self.start_with is None:
            self.show_home()
        self.call_after_refresh(self._check_size)

    # -- navigation --------------------------------------------------------

    def show_home(self) -> None:
        from gluteterm.ui.screens.home import HomeScreen

        homes = [s for s in self.screen_stack if isinstance(s, HomeScreen)]
        if homes:
            while self.screen is not homes[0]:
                self.pop_screen()  # home reloads itself when it is shown again
            self._check_size()
        else:
            self._replace_top(HomeScreen(self.shipped_dir, self.user_dir))

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

    def on_home_screen_start(self, message: object) -> None:
        from gluteterm.ui.screens.home import HomeScreen

        assert isinstance(message, HomeScreen.Start)
        if message.entry.loaded is not None:
            self.push_screen(self._runner_screen(message.entry.loaded))

    def _runner_screen(self, loaded: LoadedPlan) -> RunnerScreen:
        """A runner for `loaded`, with a fresh log writer for its session."""
        warnings = tuple(printable(str(w)) for w in loaded.warnings)
        levels, problem = load_levels(paths.levels_file())
        if problem:
            warnings += (printable(problem),)
        screen = RunnerScreen(
            loaded.plan, self.now, self.player, warnings, self.trace,
            levels=levels.get(loaded.plan.id, {}),
        )  # fmt: skip
        self._session = screen
        self._writer = SessionWriter(paths.log_dir(), paths.pending_dir())
        self._started = self.wall()
        self._told_pending = False
        return screen

    def on_runner_screen_finished(self, message: RunnerScreen.Finished) -> None:
        from gluteterm.ui.screens.summary import SummaryScreen

        if self._session is None or message.runner is not self._session.runner:
            return
        result = self._save(final=True)
        self._session = None
        plan = message.runner.plan
        levels, _ = load_levels(paths.levels_file())
        recent = recent_records(paths.log_dir(), plan.id)
        found = suggestions(plan, levels.get(plan.id, {}), recent)
        self._replace_top(SummaryScreen(message.runner, _save_notice(result), found))

    def on_summary_screen_accept(self, message: object) -> None:
        from gluteterm.ui.screens.summary import SummaryScreen

        assert isinstance(message, SummaryScreen.Accept)
        self.accept_levels(message.suggestions)

    def on_summary_screen_keep(self, message: object) -> None:
        """Save the +/- changes as the user's copy of the plan (never the shipped file)."""
        import tomli_w

        from gluteterm.core.edit import keep_holds
        from gluteterm.core.errors import GlutetermError
        from gluteterm.core.plan_file import plan_document
        from gluteterm.store.atomic import write_atomic
        from gluteterm.store.plans import resolve
        from gluteterm.ui.screens.summary import SummaryScreen

        assert isinstance(message, SummaryScreen.Keep)
        target = self.user_dir / f"{message.plan_id}.toml"
        try:
            base = resolve(message.plan_id, self.shipped_dir, self.user_dir).plan
            kept = keep_holds(base, message.changes).plan
            write_atomic(target, tomli_w.dumps(plan_document(kept)).encode("utf-8"))
        except GlutetermError as exc:
            self.notify(f"Not kept: {printable(str(exc))}", severity="warning", markup=False)
        except OSError as exc:
            self.notify(
                f"Could not save {target}: {exc.strerror or exc}", severity="error", markup=False
            )
        else:
            self.notify(f"Kept in {printable(str(target))}; e on home edits it.", markup=False)

    def on_home_screen_accept_levels(self, message: object) -> None:
        from gluteterm.ui.screens.home import HomeScreen

        assert isinstance(message, HomeScreen.AcceptLevels)
        self.accept_levels(message.suggestions)

    def accept_levels(self, accepted: Sequence[Suggestion]) -> None:
        """Move each drill to its suggested level, for next time."""
        levels, problem = load_levels(paths.levels_file())
        if problem:
            levels = {}  # unreadable: the user changes a level now, so it is rewritten
        for s in accepted:
            levels.setdefault(s.session, {})[s.step_name] = s.to_level
        try:
            save_levels(paths.levels_file(), levels)
        except OSError as exc:
            self.notify(
                f"Could not save levels to {paths.levels_file()}: {exc.strerror or exc}",
                severity="error", markup=False,
            )  # fmt: skip
            return
        for s in accepted:
            self.notify(f"{s.step_name}: next time '{s.to_name}'", markup=False)

    def on_summary_screen_leave(self, message: object) -> None:
        from gluteterm.ui.screens.summary import SummaryScreen

        assert isinstance(message, SummaryScreen.Leave)
        if message.where == "quit":
            self.exit()
        else:
            self.show_home()

    # -- sound -------------------------------------------------------------

    def _quiet_notice(self, text: str) -> None:
        self.notify(text, title="Sound", markup=False, timeout=6)

    def action_toggle_mute(self) -> None:
        self.player.muted = not self.player.muted
        self._remember(Settings(mute=self.player.muted, voice=self.player.voice))
        self.notify("Sound off" if self.player.muted else "Sound on", markup=False, timeout=2)

    def action_toggle_voice(self) -> None:
        self.player.voice = not self.player.voice
        if self.player.voice and self.player.muted:
            self.player.muted = False
        self._remember(Settings(mute=self.player.muted, voice=self.player.voice))
        self.notify("Voice on" if self.player.voice else "Voice off", markup=False, timeout=2)

    def _remember(self, settings: Settings) -> None:
        self.settings = settings
        try:
            save_settings(paths.settings_file(), settings)
        except OSError as exc:
            self.notify(
                f"Could not save your settings to {paths.settings_file()}: "
                f"{exc.strerror or exc}. They apply until you quit.",
                severity="warning", markup=False,
            )  # fmt: skip
        if isinstance(self.screen, RunnerScreen):
            self.screen.catch_up()  # show the new sound state at once, even when paused

    # -- the log -----------------------------------------------------------

    def on_runner_screen_checked_in(self, message: RunnerScreen.CheckedIn) -> None:
        if self._session is not None and self._session.runner.state is not RunnerState.FINISHED:
            self._save(final=False)

    def on_runner_screen_step_over(self, message: RunnerScreen.StepOver) -> None:
        live = self._session is not None and message.runner is self._session.runner
        if live and message.runner.state is not RunnerState.FINISHED:
            result = self._save(final=False)
            if result is not None and result.pending and not self._told_pending:
                self._told_pending = True
                self.notify(_save_notice(result), severity="warning", markup=False, timeout=15)

    def _save(self, final: bool) -> SaveResult | None:
        writer, started = self._writer, self._started
        if self._session is None or writer is None or started is None:
            return None
        runner = self._session.runner
        record = record_from_runner(
            runner, started, self.wall(), final=final,
            levels=self._session.levels, check_ins=self._session.check_ins,
        )  # fmt: skip
        if writer.path is None and final:
            worth = record.done_steps > 0 or runner.active_seconds >= MIN_LOGGED_SECONDS
            if not worth:
                return None
        if writer.path is None and not record.steps:
            return None
        result = writer.save(record)
        if result.path is None and final:
            from gluteterm.store.log import encode

            self.unsaved.append(encode(record).decode())
        return result

    def _on_signal(self) -> None:
        """Terminal closed, or asked to stop: keep what was done, then leave."""
        if self._session is not None and self._session.runner.state is not RunnerState.FINISHED:
            self._session.runner.stop()
            self._save(final=True)
            self._session = None
        # With its terminal gone, Textual's orderly shutdown can wait forever on a
        # dead tty. Everything worth keeping is saved: leave for sure, soon.
        deadline = threading.Timer(SHUTDOWN_GRACE, os._exit, args=(1,))
        deadline.daemon = True
        deadline.start()
        self.exit(return_code=1)


def _save_notice(result: SaveResult | None) -> str:
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
