"""NotTodayScreen: a session pain stopped every drill of earlier today, which does not run."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from gluteterm.ui.screens.leave import Leave


class NotTodayScreen(Screen[None]):
    """Says plainly why the session does not run and what to do; posts `Leave`."""

    DEFAULT_CSS = """
    NotTodayScreen #not-today {
        padding: 1 2;
        height: auto;
    }
    NotTodayScreen #not-today-title {
        text-style: bold;
        color: $warning;
        padding-bottom: 1;
    }
    """

    BINDINGS = [
        Binding("enter,h", "leave('home')", "Home", id="not_today.home"),
        Binding("q,escape", "leave('quit')", "Quit", id="not_today.quit"),
    ]

    def __init__(self, title: str, advice: str) -> None:
        super().__init__()
        self.plan_title = title
        self.advice = advice

    def compose(self) -> ComposeResult:
        with Vertical(id="not-today"):
            yield Static(f"Not today: {self.plan_title}", id="not-today-title", markup=False)
            yield Static(self.advice, id="not-today-advice", markup=False)
        yield Footer(compact=True)

    def action_leave(self, where: str) -> None:
        self.post_message(Leave("quit" if where == "quit" else "home"))
