"""HistoryScreen: streaks, this week, a calendar heatmap, minutes per week, every session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Sparkline, Static

from gluteterm.core.history import (
    SessionSummary,
    level_spans,
    minutes_per_day_of,
    minutes_per_week_of,
    streak_line_of,
    week_start,
)
from gluteterm.core.text import duration, printable
from gluteterm.store.api import Store
from gluteterm.store.history_index import History
from gluteterm.ui.widgets.heatmap import CalendarHeatmap

WEEKS = 16
#: Rows put in the table at first; a decade of daily sessions is thousands.
FIRST_ROWS = 500
#: The rows put in the table before the screen is first drawn: more than a screenful.
FIRST_PAINT_ROWS = 60


class HistoryScreen(Screen[None]):
    """Every logged session, newest first; Enter opens one."""

    CSS_PATH = "history.tcss"

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="history.back"),
        Binding("a", "show_all", "Show all", id="history.all"),
        Binding("d", "drills", "Drill levels", id="history.drills"),
        Binding("t", "assessments", "Self-tests", id="history.assessments"),
    ]

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.history: History | None = None
        self.showing_all = False  # the whole log in the table (a), not the newest FIRST_ROWS
        self._filling = 0  # how many times the table was filled: a late rest is dropped

    def compose(self) -> ComposeResult:
        yield Static("History", id="history-title", markup=False)
        yield Static("Reading the log...", id="history-facts", markup=False)
        with Horizontal(id="charts"):
            yield CalendarHeatmap(id="heatmap")
            with Vertical(id="weekly"):
                yield Static("Minutes per week", id="weekly-label", markup=False)
                yield Sparkline([0.0] * WEEKS, id="weekly-chart")
                yield Static("", id="weekly-range", markup=False)
        table: DataTable[Text] = DataTable(
            id="history-table", cursor_type="row", zebra_stripes=True
        )
        table.add_columns("When", "Session", "Length", "Status", "Steps")
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # What home read a moment ago, with each day's totals home computed (off the UI
        # thread): the numbers are in the screen's first frame, and nothing here goes
        # over every session. The folder is checked again once that frame is drawn.
        shown = self.store.remembered_history()
        if shown is not None and shown.knows_day_totals():
            self.show(shown, tell=False)
            self.call_after_refresh(self.load, shown, True)
        else:
            self.load(shown, False)

    @work(thread=True, exclusive=True)
    def load(self, shown: History | None, drawn: bool) -> None:
        """Show what home read a moment ago (`shown`, unless `drawn` already), then check
        the folder and show any change. Each day's totals are computed here, off the UI
        thread (once for the same sessions: `History.day_totals`)."""
        if shown is not None and not drawn:
            shown.day_totals()
            self.app.call_from_thread(self.show, shown, tell=False)
        history = self.store.history()
        history.day_totals()
        if shown is None or not _same(shown, history):
            self.app.call_from_thread(self.show, history)
        else:
            self.app.call_from_thread(self.tell, history)

    def show(self, history: History, tell: bool = True) -> None:
        """The numbers and charts from each day's totals (computed already: `load`), and
        the table once they are drawn."""
        self.history = history
        today = self.today()
        days = history.day_totals()
        count = len(history.sessions)
        line = streak_line_of(days, today)
        facts = f"{line[0].upper()}{line[1:]} · {count} in all"
        if not count:
            facts = "No sessions yet: finish a warm-up and it shows up here."
        self.query_one("#history-facts", Static).update(facts)
        first = week_start(today) - timedelta(weeks=WEEKS - 1)
        heatmap = self.query_one(CalendarHeatmap)
        heatmap.today = today
        heatmap.minutes = minutes_per_day_of(days, first, today)
        weekly = minutes_per_week_of(days, today, WEEKS)
        chart = self.query_one("#weekly-chart", Sparkline)
        chart.data = weekly
        most, now = round(max(weekly)), round(weekly[-1])
        # With nothing in it, Textual would draw every week as a full bar.
        chart.display = max(weekly) > 0
        self.query_one("#weekly-range", Static).update(
            f"last {WEEKS} weeks · most {most} min · this week {now} min"
            if max(weekly) > 0
            else f"no minutes logged in the last {WEEKS} weeks"
        )
        # The table once the numbers are drawn (the first rows, then the rest: `_fill_table`).
        self._filling += 1
        self.call_after_refresh(self._fill_later, self._filling)
        if tell:
            self.tell(history)

    def tell(self, history: History) -> None:
        """How many sessions the table leaves out, and a notice for each file that could
        not be read (the first five)."""
        if not self.showing_all and len(history.sessions) > FIRST_ROWS:
            self.notify(
                f"Showing the newest {FIRST_ROWS} of {len(history.sessions)} sessions; "
                "press a for all.",
                markup=False,
            )
        for problem in history.problems[:5]:
            self.notify(printable(problem), severity="warning", markup=False, timeout=8)
        if len(history.problems) > 5:
            self.notify(
                f"... and {len(history.problems) - 5} more unreadable files", severity="warning"
            )

    def _fill_table(self, limit: int | None) -> None:
        """The newest `limit` sessions (all: None) in the table: a screenful at once, the
        rest once that is drawn (measuring and drawing 500 rows took longer than reading
        the whole log from the index)."""
        sessions = self.history.sessions if self.history else []
        table = self.query_one(DataTable)
        table.clear()
        self._filling += 1
        shown = sessions[:limit]
        table.add_rows(_rows(shown[:FIRST_PAINT_ROWS]))
        if len(shown) > FIRST_PAINT_ROWS:
            self.call_after_refresh(self._add_rest, self._filling, shown[FIRST_PAINT_ROWS:])
        table.focus()

    def _fill_later(self, filling: int) -> None:
        if filling == self._filling:  # not shown or filled again since
            self._fill_table(None if self.showing_all else FIRST_ROWS)

    def _add_rest(self, filling: int, rest: list[SessionSummary]) -> None:
        if filling == self._filling:  # not filled again since
            self.query_one(DataTable).add_rows(_rows(rest))

    def action_drills(self) -> None:
        if self.history is None:
            return
        from gluteterm.ui.screens.level_history import LevelHistoryScreen

        self.app.push_screen(LevelHistoryScreen(level_spans(self.history.sessions)))

    def action_assessments(self) -> None:
        from gluteterm.ui.screens.assessment import AssessmentsScreen

        self.app.push_screen(AssessmentsScreen(self.store))

    def action_show_all(self) -> None:
        if self.history is not None:
            self.showing_all = True
            self._fill_table(None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.history is None or event.cursor_row >= len(self.history.sessions):
            return
        from gluteterm.ui.screens.session_detail import SessionDetailScreen

        summary = self.history.sessions[event.cursor_row]
        self.app.push_screen(SessionDetailScreen(self.store, summary.file))


def _rows(sessions: list[SessionSummary]) -> Iterator[tuple[Text, ...]]:
    for s in sessions:
        yield (
            Text(s.started.strftime("%a %Y-%m-%d %H:%M")),
            Text(printable(s.title)),
            Text(duration(s.active_seconds)),
            Text(s.status, style="" if s.completed else "bold"),
            Text(f"{s.done_steps}/{s.planned_steps}"),
        )


def _same(a: History, b: History) -> bool:
    """The same sessions (the very same summaries, as a load with nothing changed gives)."""
    return (
        a.problems == b.problems
        and len(a.sessions) == len(b.sessions)
        and all(x is y for x, y in zip(a.sessions, b.sessions, strict=True))
    )
