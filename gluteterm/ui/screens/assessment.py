"""The self-assessment's screens: the results at the end, and every assessment over time."""

from __future__ import annotations

from typing import Any, Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from gluteterm.core.assessment import (
    NOT_A_DIAGNOSIS,
    SIDES,
    TESTS,
    AssessmentResult,
    Measure,
    Test,
    difference,
    proposals,
    readings,
    squat_faults_text,
    weaker_side,
)
from gluteterm.core.errors import GlutetermError
from gluteterm.core.progression import Suggestion
from gluteterm.core.text import printable
from gluteterm.store.api import Store
from gluteterm.store.assessments import Assessments
from gluteterm.ui.screens.leave import Leave


def figure_text(test: Test, value: Any) -> str:
    """One side's figure for a person: `23 reps`, `41.5 s`, `yes`, or `-` when not tested."""
    if value is None:
        return "-"
    if test.measure is Measure.YES_NO:
        return "yes" if value else "no"
    if test.measure is Measure.REPS:
        return f"{value} reps"
    return f"{value:g} s"


def _difference(test: Test, result: AssessmentResult) -> str:
    figures = result.figures(test)
    left, right = figures.left, figures.right
    if test.measure is Measure.YES_NO or left is None or right is None:
        return ""
    return f"{difference(float(left), float(right)):.0f} %"


class AssessmentResultScreen(Screen[None]):
    """The figures per side, the left/right difference, a plain reading, starting levels."""

    CSS_PATH = "assessment.tcss"

    BINDINGS = [
        Binding("enter,h", "leave('home')", "Home", id="assessment.home"),
        Binding("q,escape", "leave('quit')", "Quit", id="assessment.quit"),
        Binding("l", "accept", "Start at these levels", id="assessment.accept"),
    ]

    def __init__(
        self,
        result: AssessmentResult | None,
        previous: AssessmentResult | None,
        store: Store,
        notice: str = "",
    ) -> None:
        super().__init__()
        self.result = result
        self.previous = previous
        self.store = store
        self.notice = notice
        self.proposed = proposals(result) if result is not None else []

    def compose(self) -> ComposeResult:
        yield Static("Self-assessment: your results", id="results-title", markup=False)
        yield Static(NOT_A_DIAGNOSIS, id="results-facts", markup=False)
        if self.notice:
            yield Static(printable(self.notice), markup=False)
        result = self.result
        if result is None:
            yield Static("Nothing was measured, so nothing was saved.", markup=False)
            yield Footer(compact=True)
            return
        table: DataTable[Text] = DataTable(id="results-table", cursor_type="row")
        columns = ["Test", "Left", "Right", "Difference"]
        if self.previous is not None:
            columns += [f"Last time ({self.previous.taken:%Y-%m-%d})"]
        table.add_columns(*columns)
        for test in TESTS:
            figures = result.figures(test)
            row = [Text(test.what.capitalize())]
            row += [Text(figure_text(test, figures.get(side))) for side in SIDES]
            row.append(Text(_difference(test, result)))
            if self.previous is not None:
                before = self.previous.figures(test)
                row.append(Text(" / ".join(figure_text(test, before.get(s)) for s in SIDES)))
            table.add_row(*row)
        yield table
        lines = [f"- {reading.text}" for reading in readings(result)]
        seen = squat_faults_text(result)
        if seen:
            lines.append(f"- {seen}")
        if result.pain:
            stopped = ", ".join(self._drill_name(drill) for drill in result.pain)
            lines += [
                "",
                f"Pain: {stopped} {'is' if len(result.pain) == 1 else 'are'} stopped for today, "
                "in every session and built plan. "
                "If it is sharp, stays after you stop or comes back, see a physiotherapist "
                "or doctor.",
            ]
        if result.partial:
            lines += [
                "",
                "Not finished: saved marked partial. It does not set starting levels, "
                "a weaker side or a built session's extra set; t on home runs all four tests.",
            ]
        weaker = weaker_side(result)
        if weaker is not None:
            lines.append(f"Weaker side: {weaker}. Built sessions give it an extra set.")
        if self.proposed:
            lines += ["", "Where to start (l accepts):"]
            lines += [f"- {self._drill_name(p.drill)}: {p.reason}" for p in self.proposed]
        yield Static(printable("\n".join(lines)), id="assessment-reading", markup=False)
        yield Footer(compact=True)

    def _drill_name(self, drill_id: str) -> str:
        """The name of the drill a proposal starts at (its id if its file cannot be read)."""
        try:
            return self.store.drills()[drill_id].name
        except (GlutetermError, KeyError, OSError):
            return drill_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        if action == "accept":
            return bool(self.proposed)
        return True

    def action_accept(self) -> None:
        if not self.proposed:
            return
        accepted = [
            Suggestion(
                "assessment",
                p.ladder,
                0,
                0,
                p.ladder,
                p.drill,
                p.reason,
                ladder=p.ladder,
                to_drill=p.drill,
            )
            for p in self.proposed
        ]
        problem = self.store.accept(accepted)
        self.proposed = []
        self.notify(printable(problem) if problem else "Starting levels saved.", markup=False)
        self.refresh_bindings()

    def action_leave(self, where: Literal["home", "quit"]) -> None:
        self.post_message(Leave(where))


class AssessmentsScreen(Screen[None]):
    """Every self-assessment, newest first: each test's figures per side over time."""

    CSS_PATH = "assessment.tcss"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="assessments.back")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Static("Self-assessments over time", id="assessments-title", markup=False)
        yield Static("Reading the log...", id="assessments-facts", markup=False)
        table: DataTable[Text] = DataTable(id="assessments-table", cursor_type="row")
        table.add_column("Taken")
        for test in TESTS:
            table.add_column(f"{test.what.capitalize()} L / R")
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        found = self.store.assessments()
        self.app.call_from_thread(self.show, found)

    def show(self, found: Assessments) -> None:
        facts = self.query_one("#assessments-facts", Static)
        if not found.results:
            facts.update("No self-assessment yet: t on home runs one (about 7 minutes).")
        else:
            facts.update(f"{len(found.results)} in all. {NOT_A_DIAGNOSIS}")
        table = self.query_one(DataTable)
        for result in found.results:
            partial = " (partial)" if result.partial else ""
            row = [Text(f"{result.taken:%a %Y-%m-%d %H:%M}{partial}")]
            for test in TESTS:
                figures = result.figures(test)
                row.append(Text(" / ".join(figure_text(test, figures.get(s)) for s in SIDES)))
            table.add_row(*row)
        for problem in found.problems[:5]:
            self.notify(printable(problem), severity="warning", markup=False)
