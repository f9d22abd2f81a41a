"""Ways out of the app that must keep a session: signals, a closed terminal, Ctrl+Q, Ctrl+C."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from gluteterm.ui.session import MIN_LOGGED_SECONDS

if TYPE_CHECKING:
    from gluteterm.ui.session import LiveSession

#: After a signal, how long an orderly shutdown may take before the process just ends.
SHUTDOWN_GRACE = 2.0
SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def catch_signals(handler: Callable[[], None]) -> None:
    """Call `handler` on SIGTERM, SIGHUP (terminal closed) and SIGINT, in the event loop."""
    loop = asyncio.get_running_loop()
    for sig in SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, handler)


def leave_for_sure(app: App[Any]) -> None:
    """Exit now; if Textual's shutdown hangs on a dead terminal, end the process soon after.

    Call only once everything worth keeping is saved.
    """
    deadline = threading.Timer(SHUTDOWN_GRACE, os._exit, args=(1,))
    deadline.daemon = True
    deadline.start()
    app.exit(return_code=1)


class KeepsSessionOnExit(App[None]):
    """The app's ways out: during a session, Ctrl+Q and Ctrl+C ask as q does, and a
    signal or a closed terminal ends the session keeping what was done."""

    session: LiveSession | None = None  # the workout under way, if any
    unsaved: list[str]  # records that could be saved nowhere, printed at the exit
    #: What to print once the screen is gone, after leaving in the middle of a session.
    farewell: list[str]

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
        from gluteterm.ui.screens.runner import RunnerScreen

        stack = reversed(self.screen_stack)  # the newest runner: an older one is over
        runner_screen = next((s for s in stack if isinstance(s, RunnerScreen)), None)
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
            self.farewell += farewell(self.session)
            self.session = None


def farewell(session: LiveSession) -> list[str]:
    """What to say after leaving in the middle of `session`: truthfully, what was kept where."""
    where = session.saved_to
    assessment = session.KIND == "assessment"
    what = "the unfinished self-assessment" if assessment else "what you did"
    if where is not None:
        if where.parent != session.store.log_dir:
            return [
                f"gluteterm: {what} could not be saved in the log; it waits in {where} "
                "and moves into the log the next time gluteterm starts"
            ]
        if assessment:
            return [
                f"gluteterm: {what} is saved in {where}, marked partial: "
                "it does not set levels or a weaker side"
            ]
        return [f"gluteterm: {what} is saved in {where}"]
    if session.unsaved:
        return []  # printed whole at the exit, to keep by hand
    if assessment:
        return ["gluteterm: nothing to save: no test of the self-assessment was measured"]
    return [
        "gluteterm: nothing to save: the session ended before a step was done "
        f"or {MIN_LOGGED_SECONDS:g} s had passed"
    ]
