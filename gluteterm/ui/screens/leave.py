"""Leave: the message a last screen (a session's summary, a test's results) posts to go on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.message import Message


@dataclass
class Leave(Message, namespace="gluteterm"):
    """Go home, or quit the app (the app handles it as `on_gluteterm_leave`)."""

    where: Literal["home", "quit"]
