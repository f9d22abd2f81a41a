"""Ways out of the app that must keep a session: signals, a closed terminal, a forced quit."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

from textual.app import App

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
