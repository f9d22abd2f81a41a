"""GlutetermApp: wires the screens together; home, then runner, then summary."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App

from gluteterm import paths
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.runner import Runner
from gluteterm.core.text import printable
from gluteterm.sound import CuePlayer, SilentPlayer


class GlutetermApp(App[None]):
    """The terminal coach. Give it a plan to go straight into the runner."""

    CSS_PATH = "gluteterm.tcss"
    TITLE = "gluteterm"

    def __init__(
        self,
        start_with: LoadedPlan | None = None,
        *,
        player: CuePlayer | None = None,
        now: Callable[[], float] = time.monotonic,
        shipped_dir: Path | None = None,
        user_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.start_with = start_with
        self.player: CuePlayer = player or SilentPlayer()
        self.now = now
        self.shipped_dir = shipped_dir or paths.shipped_sessions_dir()
        self.user_dir = user_dir or paths.user_sessions_dir()

    def on_mount(self) -> None:
        if self.start_with is not None:
            self.start_session(self.start_with)
        else:
            self.show_home()

    def show_home(self) -> None:
        from gluteterm.screens.home import HomeScreen

        homes = [s for s in self.screen_stack if isinstance(s, HomeScreen)]
        if homes:
            while self.screen is not homes[0]:
                self.pop_screen()
            homes[0].action_reload()
            return
        self.push_screen(HomeScreen(self.shipped_dir, self.user_dir))

    def on_home_screen_start(self, message: object) -> None:
        from gluteterm.screens.home import HomeScreen

        assert isinstance(message, HomeScreen.Start)
        if message.entry.loaded is not None:
            self.start_session(message.entry.loaded)

    def start_session(self, loaded: LoadedPlan) -> None:
        from gluteterm.screens.runner import RunnerScreen

        warnings = tuple(printable(str(w)) for w in loaded.warnings)
        self.push_screen(
            RunnerScreen(loaded.plan, self.now, self.player, warnings), self._session_ended
        )

    def _session_ended(self, runner: Runner | None) -> None:
        from gluteterm.screens.summary import SummaryScreen

        if runner is None:
            return
        self.push_screen(SummaryScreen(runner), self._summary_left)

    def _summary_left(self, where: str | None) -> None:
        if where == "quit":
            self.exit()
        else:
            self.show_home()
