"""SessionDetailScreen: one logged session, each step planned against actual, with check-ins."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from gluteterm.core.record import STEP_STATUS_WORDS, LogError, SessionRecord
from gluteterm.core.text import duration, printable, seconds_exact
from gluteterm.store.api import Store


class SessionDetailScreen(Screen[None]):
    """Shows one log file's steps (read off the UI thread); skipped steps stand out."""

    CSS_PATH = "session_detail.tcss"

    BINDINGS = [Binding("escape,q,enter", "app.pop_screen", "Back", id="detail.back")]

    def __init__(self, store: Store, file_name: str) -> None:
        super().__init__()
        self.store = store
        self.file_name = file_name

    def compose(self) -> ComposeResult:
        yield Static(f"Reading {printable(self.file_name)}...", id="detail-title", markup=False)
        yield Static("", id="detail-facts", markup=False)
        table: DataTable[Text] = DataTable(id="detail-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("#", "Step", "Status", "Planned", "Actual", "Level", "Felt", "Flags")
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            record: SessionRecord | str = self.store.read_session(self.file_name)
        except LogError as exc:
            record = str(exc)
        self.app.call_from_thread(self.show, record)

    def show(self, record: SessionRecord | str) -> None:
        title = self.query_one("#detail-title", Static)
        if isinstance(record, str):
            title.update(printable(record))
            return
        title.update(f"{printable(record.title)}: {record.started.strftime('%A %Y-%m-%d %H:%M')}")
        self.query_one("#detail-facts", Static).update(
            f"{record.status}  ·  {record.done_steps} of {record.planned_steps} steps done  ·  "
            f"active {duration(record.active_seconds)}  ·  {printable(self.file_name)}"
        )
        table = self.query_one(DataTable)
        for step in record.steps:
            done = step.status == "done"
            table.add_row(
                Text(str(step.number)),
                Text(printable(step.name)),
                Text(STEP_STATUS_WORDS.get(step.status, step.status), style="" if done else "bold"),
                Text(seconds_exact(step.planned_seconds)),
                Text(seconds_exact(step.actual_seconds)),
                Text(printable(step.level or "")),
                Text("" if step.felt is None else f"{step.felt}/9"),
                Text(printable(", ".join(step.flags)), style="bold" if step.flags else ""),
            )
        table.focus()
