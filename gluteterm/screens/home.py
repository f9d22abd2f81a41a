"""HomeScreen: the sessions on offer, the default highlighted, Enter to start."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from gluteterm.core.catalog import DEFAULT_SESSION, Entry, discover
from gluteterm.core.history import completed_days, days_ago, last_done, streaks, this_week
from gluteterm.core.text import duration, printable
from gluteterm.history_index import History


class HomeScreen(Screen[None]):
    """Lists every session; posts `HomeScreen.Start` when one is chosen."""

    CSS_PATH = "home.tcss"

    BINDINGS = [
        Binding("enter", "start", "Start", id="home.start", priority=True),
        Binding("f", "fit", "Fit to time", id="home.fit", tooltip="Fit the session to N minutes"),
        Binding("h", "history", "History", id="home.history"),
        Binding("r", "reload", "Reload plans", id="home.reload"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    class Start(Message):
        """The user chose a session to run."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, shipped_dir: Path, user_dir: Path) -> None:
        super().__init__()
        self.shipped_dir = shipped_dir
        self.user_dir = user_dir
        self.entries: list[Entry] = []
        self.last_done: dict[str, date] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="home-top"):
            yield Static("gluteterm: unlock, then activate", id="home-title", markup=False)
            yield Static("", id="home-streak", markup=False)
        with Horizontal(id="home-body"):
            yield OptionList(id="sessions")
            with VerticalScroll(id="details"):
                yield Static("", id="details-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        """Read the plans again (and the log, in the background)."""
        self.entries = discover(self.shipped_dir, self.user_dir)
        self._fill(keep=None)
        self.load_history()

    def _fill(self, keep: int | None) -> None:
        options = self.query_one("#sessions", OptionList)
        options.clear_options()
        today = date.today()
        options.add_options(
            [
                Option(_entry_prompt(e, self.last_done.get(e.id), today), id=e.id)
                for e in self.entries
            ]
        )
        default = next((i for i, e in enumerate(self.entries) if e.id == DEFAULT_SESSION), 0)
        if self.entries:
            options.highlighted = default if keep is None else keep
        options.focus()

    @work(thread=True, exclusive=True, group="history")
    def load_history(self) -> None:
        from gluteterm import paths
        from gluteterm.history_index import load_history

        history = load_history(paths.log_dir(), paths.history_index_file())
        self.app.call_from_thread(self._show_history, history)

    def _show_history(self, history: History) -> None:
        today = date.today()
        self.last_done = last_done(history.sessions)
        streak = streaks(completed_days(history.sessions), today)
        week = this_week(history.sessions, today)
        if history.sessions:
            self.query_one("#home-streak", Static).update(
                f"streak {streak.current} day{'s' * (streak.current != 1)} · "
                f"this week {week.sessions} · h: history"
            )
        self._fill(keep=self.query_one("#sessions", OptionList).highlighted)

    def action_fit(self) -> None:
        from dataclasses import replace

        from gluteterm.core.fit import FitError, fit
        from gluteterm.screens.minutes import MinutesScreen

        entry = self._highlighted()
        if entry is None or entry.loaded is None or entry.plan is None:
            return
        loaded = entry.loaded

        def chosen(minutes: float | None) -> None:
            if minutes is None:
                return
            try:
                plan = fit(loaded.plan, minutes)
            except FitError as exc:
                self.notify(printable(str(exc)), severity="warning", markup=False, timeout=10)
                return
            fitted = replace(entry, loaded=replace(loaded, plan=plan))
            self.post_message(self.Start(fitted))

        self.app.push_screen(MinutesScreen(entry.plan.title, entry.seconds / 60), chosen)

    def action_history(self) -> None:
        from gluteterm import paths
        from gluteterm.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(paths.log_dir(), paths.history_index_file()))

    def _highlighted(self) -> Entry | None:
        index = self.query_one("#sessions", OptionList).highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self._highlighted()
        if entry is not None:
            self.query_one("#details-text", Static).update(_entry_details(entry))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        entry = self._highlighted()
        if entry is None:
            return
        if entry.error is not None:
            self.notify(
                printable(str(entry.error)),
                title="This plan is broken",
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        self.post_message(self.Start(entry))


def _entry_prompt(entry: Entry, last: date | None = None, today: date | None = None) -> Content:
    if entry.error is not None or entry.plan is None:
        first = entry.error.errors[0] if entry.error and entry.error.errors else None
        reason = printable(first.message if first else "cannot be loaded")
        return Content.assemble(
            (f"{printable(entry.id)}  BROKEN\n", "bold $error"),
            (f"  {reason}", "$text-muted"),
        )
    plan = entry.plan
    tags = []
    if entry.id == DEFAULT_SESSION:
        tags.append("default")
    if entry.user:
        tags.append("tweaked" if entry.shadows_shipped else "yours")
    tag = f"  ({', '.join(tags)})" if tags else ""
    facts = f"  {duration(entry.seconds)} · {len(plan.steps)} steps"
    if last is not None and today is not None:
        facts += f" · done {days_ago(last, today)}"
    if plan.equipment:
        facts += "\n  needs " + ", ".join(printable(e) for e in plan.equipment)
    return Content.assemble(
        (printable(plan.title), "bold"), (tag, "$text-muted"), "\n", (facts, "$text-muted")
    )


def _entry_details(entry: Entry) -> str:
    if entry.error is not None:
        return f"{printable(entry.id)} cannot be run:\n\n{printable(str(entry.error))}"
    plan = entry.plan
    assert plan is not None
    lines = [printable(plan.title), ""]
    if plan.description:
        lines += [printable(plan.description), ""]
    phase = None
    for number, step in enumerate(plan.steps, start=1):
        if step.kind.phase is not phase:
            phase = step.kind.phase
            lines.append(f"{phase.value.upper()}")
        lines.append(f"{number:>3}  {step.short_dose():<11} {printable(step.name)}")
    for warning in entry.warnings:
        lines += ["", f"warning: {printable(warning.message)}"]
    lines += ["", f"From {printable(str(entry.path))}"]
    return "\n".join(lines)
