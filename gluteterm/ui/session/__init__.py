"""The session side: one workout or self-assessment under way, behind one API for every display.

A display (the terminal's runner screen, a phone page) reads `SessionView`s
from the session and sends it commands (pause, next, done, answer...); it
never reaches the runner, the log or the levels itself.
"""

from __future__ import annotations

from gluteterm.ui.session.live import (
    MIN_LOGGED_SECONDS,
    LiveSession,
    Outcome,
    SessionListener,
    Severity,
    accept_levels,
    pending_notices,
    save_notice,
    start_session,
)

__all__ = [
    "MIN_LOGGED_SECONDS",
    "LiveSession",
    "Outcome",
    "SessionListener",
    "Severity",
    "accept_levels",
    "pending_notices",
    "save_notice",
    "start_session",
]
