"""LevelHistoryScreen: each laddered step's level over time, from the log."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from gluteterm.core.history import LevelSpan
from gluteterm.core.text import printable


class LevelHistoryScreen(Screen[None]):
    """A table: drill, level, from, to, sessions at that level."""

    CSS_PATH = "level_history.tcss"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="level_history.back")]

    def __init__(self, spans: list[LevelSpan]) -> None:
        super().__init__()
        self.spans = spans

    def compose(self) -> ComposeResult:
        yield Static("Drill levels over time", id="levels-title", markup=False)
        if not self.spans:
            yield Static(
                "No drill with levels has been logged yet. Steps with a `levels` ladder "
                "show here once you have done them.",
                id="levels-facts", markup=False,
            )  # fmt: skip
        table: DataTable[Text] = DataTable(id="levels-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("Drill", "Level", "From", "To", "Sessions")
        previous = None
        for span in self.spans:
            table.add_row(
                Text(printable(span.step) if span.step != previous else ""),
                Text(printable(span.level)),
                Text(span.first.isoformat()),
                Text(span.last.isoformat()),
                Text(str(span.sessions)),
            )
            previous = span.step
        yield table
        yield Footer(compact=True)
