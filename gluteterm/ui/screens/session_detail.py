"""SessionDetailScreen: one logged session, each step planned against actual."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from gluteterm.core.record import LogError
from gluteterm.core.text import duration, printable, seconds_exact
from gluteterm.store.log import read_record


class SessionDetailScreen(Screen[None]):
    """Reads one log file and shows its steps; skipped steps stand out."""

    CSS_PATH = "history.tcss"

    BINDINGS = [Binding("escape,q,enter", "app.pop_screen", "Back", id="detail.back")]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        try:
            record = read_record(self.path)
        except LogError as exc:
            yield Static(printable(str(exc)), id="detail-title", markup=False)
            yield Footer()
            return
        yield Static(
            f"{printable(record.title)}: {record.started.strftime('%A %Y-%m-%d %H:%M')}",
            id="detail-title",
            markup=False,
        )
        yield Static(
            f"{record.status}  ·  {record.done_steps} of {record.planned_steps} steps done  ·  "
            f"active {duration(record.active_seconds)}  ·  {printable(self.path.name)}",
            id="detail-facts",
            markup=False,
        )
        table: DataTable[Text] = DataTable(id="detail-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("#", "Step", "Status", "Planned", "Actual", "Level", "Felt")
        for step in record.steps:
            done = step.status == "done"
            table.add_row(
                Text(str(step.number)),
                Text(printable(step.name)),
                Text(step.status if done else step.status.upper(), style="" if done else "bold"),
                Text(seconds_exact(step.planned_seconds)),
                Text(seconds_exact(step.actual_seconds)),
                Text(printable(step.level or "")),
                Text("" if step.felt is None else f"{step.felt}/9"),
            )
        yield table
        yield Footer()
