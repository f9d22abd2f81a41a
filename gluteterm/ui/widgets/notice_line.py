"""NoticeLine: notices in a line of their own, each for its time, newest shown."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.timer import Timer
from textual.widgets import Static

from gluteterm.core.text import printable


@dataclass(frozen=True)
class Notice:
    text: str
    severity: str  # "information", "warning" or "error"
    until: float  # time.monotonic() when it goes


class NoticeLine(Static):
    """Shows the newest notice still due (with how many others are), and nothing when
    there is none; its parent has the class `-notice` while it shows one."""

    DEFAULT_CSS = """
    NoticeLine {
        width: 1fr;
        height: auto;
        max-height: 2;  /* a long notice (pain advice) wraps once rather than being cut */
        text-style: bold;
    }
    NoticeLine.-none {
        display: none;
    }
    NoticeLine.-warning {
        color: $text-warning;
    }
    NoticeLine.-error {
        color: $text-error;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False, classes="-none")
        self._notices: list[Notice] = []
        self._timer: Timer | None = None
        #: Every notice shown, oldest first (what the user was told).
        self.history: list[Notice] = []

    @property
    def shown(self) -> bool:
        return bool(self._notices)

    def add(self, text: str, severity: str = "information", timeout: float = 5.0) -> None:
        """Show `text` (literally, on one line) for `timeout` seconds."""
        one_line = " ".join(printable(text).split())
        notice = Notice(one_line, severity, time.monotonic() + timeout)
        self._notices.append(notice)
        self.history.append(notice)
        self._show()

    def _show(self) -> None:
        now = time.monotonic()
        self._notices = [n for n in self._notices if n.until > now]
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._notices:
            self.set_classes("-none")
        else:
            newest = self._notices[-1]
            more = f"  (+{len(self._notices) - 1})" if len(self._notices) > 1 else ""
            self.update(f"{newest.text}{more}")
            self.set_classes(f"-{newest.severity}")
            soonest = min(n.until for n in self._notices)
            self._timer = self.set_timer(max(0.05, soonest - now), self._show)
        if self.parent is not None:
            # The parent can give the line's room to something else when it is empty.
            self.parent.set_class(bool(self._notices), "-notice")
