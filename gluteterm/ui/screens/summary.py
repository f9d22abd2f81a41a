"""SummaryScreen: what was done, skipped and how long it took, at the end of a session."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from gluteterm.core.builder import BUILT_ID
from gluteterm.core.plan import Plan
from gluteterm.core.record import STEP_STATUS_WORDS
from gluteterm.core.text import duration, printable, seconds_exact
from gluteterm.ui.screens.leave import Leave
from gluteterm.ui.session import LiveSession, Outcome, accept_levels


class SummaryScreen(Screen[None]):
    """Shows how a session went; posts `Leave` with `home` or `quit`."""

    CSS_PATH = "summary.tcss"

    BINDINGS = [
        Binding("enter,h", "leave('home')", "Home", id="summary.home"),
        Binding("q,escape", "leave('quit')", "Quit", id="summary.quit"),
        Binding("l", "accept", "Accept levels", id="summary.accept"),
        Binding("k", "keep", "Keep new times", id="summary.keep"),
        Binding("s", "save", "Save this warm-up", id="summary.save"),
    ]

    def __init__(self, outcome: Outcome, session: LiveSession) -> None:
        super().__init__()
        self.outcome = outcome
        self.session = session
        self.notice = outcome.notice
        self.suggestions = outcome.suggestions
        steps = outcome.plan.steps
        #: step index -> the hold, in seconds, the user ended up with after +/-
        self.changes: dict[int, int] = {
            r.index: max(1, (steps[r.index].hold or 0) + round(r.hold_change))
            for r in outcome.progress
            if steps[r.index].hold is not None and round(r.hold_change)
        }
        #: A plan the builder made that has no file yet: the summary offers to save it.
        self.unsaved = session.written.id == BUILT_ID and session.written.source is None

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        plan = outcome.plan
        records = {r.index: r for r in outcome.progress}
        done = sum(1 for r in records.values() if r.status == "done")
        skipped = sum(1 for r in records.values() if r.status == "skipped")
        partly = sum(1 for r in records.values() if r.status == "partial")
        if outcome.ended_early:
            headline = "Session ended early"
        elif outcome.completed:
            headline = "Session complete"
        elif partly:
            headline = "Session over, no step done in full"
        else:
            headline = "Nothing done, every step skipped"
        yield Static(f"{headline}: {printable(plan.title)}", id="summary-title", markup=False)
        counts = [
            f"{done} of {len(plan.steps)} steps done",
            f"{partly} partly done" if partly else "",
            f"{skipped} skipped" if skipped else "",
        ]
        times = [
            f"active {duration(outcome.active_seconds)}",
            f"paused {duration(outcome.paused_seconds)}" if outcome.paused_seconds >= 1 else "",
        ]
        # Two lines, so a narrow terminal never wraps one fact in the middle.
        facts = "\n".join("  ·  ".join(f for f in line if f) for line in (counts, times))
        yield Static(facts, id="summary-facts", markup=False)
        if self.notice:
            yield Static(self.notice, id="summary-notice", markup=False)
        if self.changes:
            steps = self.outcome.plan.steps
            lines = "\n".join(
                f"  {printable(self.session.name_of(i))}: {steps[i].hold} s -> {seconds} s"
                for i, seconds in self.changes.items()
            )
            yield Static(
                f"You changed:\n{lines}\n  k: keep these next time", id="summary-keep", markup=False
            )
        if self.unsaved:
            yield Static(
                "Built for today and not saved: s saves it as a session of yours.",
                id="summary-save",
                markup=False,
            )
        if self.suggestions:
            lines = "\n".join(f"  {printable(str(s))}" for s in self.suggestions)
            yield Static(
                f"Ready to change level:\n{lines}\n  l: accept", id="summary-levels", markup=False
            )
        table: DataTable[Text] = DataTable(
            id="summary-table", cursor_type="row", zebra_stripes=True
        )
        table.add_columns("#", "Step", "Status", "Planned", "Actual", "Felt", "Flags")
        for index in range(len(plan.steps)):
            record = records.get(index)
            status = record.status if record else ""
            answer = self.outcome.check_ins.get(index)
            felt = answer.felt if answer else None
            flags = ", ".join(answer.flags) if answer else ""
            table.add_row(
                Text(str(index + 1)),
                Text(printable(self.session.name_of(index))),
                Text(STEP_STATUS_WORDS[status], style="" if status == "done" else "bold"),
                Text(seconds_exact(record.planned_seconds) if record else "-"),
                Text(seconds_exact(record.actual_seconds) if record else "-"),
                Text("" if felt is None else f"{felt}/9"),
                Text(printable(flags), style="bold" if flags else ""),
            )
        yield table
        yield Footer(compact=True)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_leave("home")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        if action == "accept":
            return bool(self.suggestions)
        if action == "keep":
            return bool(self.changes)
        if action == "save":
            return self.unsaved
        return True

    def action_save(self) -> None:
        from gluteterm.ui.screens.ask import save_as_new_session

        if not self.unsaved:
            return
        plan = self.session.written

        def saved(plan_id: str, path: Path, copy: Plan) -> None:  # noqa: ARG001
            self.unsaved = False
            said = f"Saved as '{plan_id}' in {path}; it is on the home list."
            self.query_one("#summary-save", Static).update(printable(said))
            self.refresh_bindings()

        def failed(text: str) -> None:
            self.notify(printable(text), severity="warning", markup=False, timeout=10)

        save_as_new_session(self.app, self.session.store, plan, plan.title, saved, failed)

    def action_keep(self) -> None:
        if self.changes:
            said = self.session.keep_holds(self.changes)
            self.changes = {}
            self.query_one("#summary-keep", Static).update(printable(said))
            self.refresh_bindings()

    def action_accept(self) -> None:
        if self.suggestions:
            said = accept_levels(self.session.store, self.suggestions)
            self.suggestions = []
            self.query_one("#summary-levels", Static).update(printable("\n".join(said)))
            self.refresh_bindings()

    def action_leave(self, where: Literal["home", "quit"]) -> None:
        self.post_message(Leave(where))
