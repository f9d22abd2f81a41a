"""SummaryScreen: what was done, skipped and how long it took, at the end of a session."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from gluteterm.core.progression import Suggestion
from gluteterm.core.runner import Runner
from gluteterm.core.text import duration, printable, seconds_exact

STATUS_LABELS = {"done": "done", "partial": "partly done", "skipped": "skipped", "": "not reached"}


class SummaryScreen(Screen[None]):
    """Shows a finished runner's record; posts `Leave` with `home` or `quit`."""

    class Accept(Message):
        """The user took the level suggestions."""

        def __init__(self, suggestions: list[Suggestion]) -> None:
            super().__init__()
            self.suggestions = suggestions

    class Keep(Message):
        """Keep the durations changed with +/- for next time (step name -> seconds)."""

        def __init__(self, plan_id: str, changes: dict[str, float]) -> None:
            super().__init__()
            self.plan_id = plan_id
            self.changes = changes

    class Leave(Message):
        def __init__(self, where: str) -> None:
            super().__init__()
            self.where = where

    CSS_PATH = "summary.tcss"

    BINDINGS = [
        Binding("enter,h", "leave('home')", "Home", id="summary.home"),
        Binding("q,escape", "leave('quit')", "Quit", id="summary.quit"),
        Binding("l", "accept", "Accept levels", id="summary.accept"),
        Binding("k", "keep", "Keep new times", id="summary.keep"),
    ]

    def __init__(
        self, runner: Runner, notice: str = "", suggestions: list[Suggestion] | None = None
    ) -> None:
        super().__init__()
        self.runner = runner
        self.notice = notice
        self.suggestions = suggestions or []
        steps = runner.plan.steps
        self.changes: dict[str, float] = {
            steps[r.index].name: round(r.hold_change)
            for r in runner.step_records
            if steps[r.index].hold is not None and round(r.hold_change)
        }

    def compose(self) -> ComposeResult:
        runner = self.runner
        plan = runner.plan
        records = {r.index: r for r in runner.step_records}
        done = sum(1 for r in records.values() if r.status == "done")
        skipped = sum(1 for r in records.values() if r.status == "skipped")
        headline = "Session ended early" if runner.ended_early else "Session complete"
        yield Static(f"{headline}: {printable(plan.title)}", id="summary-title", markup=False)
        facts = [
            f"{done} of {len(plan.steps)} steps done",
            f"{skipped} skipped" if skipped else "",
            f"active {duration(runner.active_seconds)}",
            f"paused {duration(runner.paused_total)}" if runner.paused_total >= 1 else "",
        ]
        yield Static("  ·  ".join(f for f in facts if f), id="summary-facts", markup=False)
        if self.notice:
            yield Static(self.notice, id="summary-notice", markup=False)
        if self.changes:
            steps = {s.name: s for s in self.runner.plan.steps}
            lines = "\n".join(
                f"  {printable(name)}: {hold} s -> {hold + delta:g} s"
                for name, delta in self.changes.items()
                for hold in [steps[name].hold or 0]
            )
            yield Static(
                f"You changed:\n{lines}\n  k: keep these next time", id="summary-keep", markup=False
            )
        if self.suggestions:
            lines = "\n".join(f"  {printable(str(s))}" for s in self.suggestions)
            yield Static(
                f"Ready to change level:\n{lines}\n  l: accept", id="summary-levels", markup=False
            )
        table: DataTable[Text] = DataTable(
            id="summary-table", cursor_type="row", zebra_stripes=True
        )
        table.add_columns("#", "Step", "Status", "Planned", "Actual")
        for index, step in enumerate(plan.steps):
            record = records.get(index)
            status = record.status if record else ""
            table.add_row(
                Text(str(index + 1)),
                Text(printable(step.name)),
                Text(STATUS_LABELS[status], style="" if status == "done" else "bold"),
                Text(seconds_exact(record.planned_seconds) if record else "-"),
                Text(seconds_exact(record.actual_seconds) if record else "-"),
            )
        yield table
        yield Footer()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_leave("home")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept":
            return bool(self.suggestions)
        if action == "keep":
            return bool(self.changes)
        return True

    def action_keep(self) -> None:
        if self.changes:
            self.post_message(self.Keep(self.runner.plan.id, self.changes))
            self.changes = {}
            self.query_one("#summary-keep", Static).update("Kept for next time.")
            self.refresh_bindings()

    def action_accept(self) -> None:
        if self.suggestions:
            self.post_message(self.Accept(self.suggestions))
            self.suggestions = []
            self.query_one("#summary-levels", Static).update("Levels changed for next time.")
            self.refresh_bindings()

    def action_leave(self, where: str) -> None:
        self.post_message(self.Leave(where))
