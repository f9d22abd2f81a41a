"""HomeScreen: the sessions on offer, the default highlighted, Enter to start."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from gluteterm.core.assessment import retest_due
from gluteterm.core.history import days_ago, last_done, streak_line_of
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.plan import Plan
from gluteterm.core.progression import Levels, Suggestion, at_levels, has_jumps, suggestions
from gluteterm.core.progression import today as today_plan
from gluteterm.core.text import duration, plural, printable
from gluteterm.core.timeline import plan_seconds
from gluteterm.store.api import Store
from gluteterm.store.plans import DEFAULT_SESSION, Entry


@dataclass
class Found:
    """What home reads off the UI thread: the sessions, and what the log says of them."""

    entries: list[Entry]
    last_done: dict[str, date] = field(default_factory=dict)
    suggestions: dict[str, list[Suggestion]] = field(default_factory=dict)
    streak: str = ""
    #: The user's levels: the list and the steps show each ladder's drill as done today.
    levels: Levels | None = None
    #: Drills pain stopped today: home shows their stand-ins, or leaves them out.
    stopped: frozenset[str] = frozenset()


#: Seconds home's reading of the log waits at most for its first frame to be drawn.
DRAWN_TIMEOUT = 1.0


class HomeScreen(Screen[None]):
    """Lists every session; posts `HomeScreen.Start` when one is chosen."""

    CSS_PATH = "home.tcss"

    BINDINGS = [
        Binding("enter", "start", "Start", id="home.start", priority=True),
        Binding("e", "edit", "Edit", id="home.edit", tooltip="Tweak durations, turn steps off"),
        Binding("f", "fit", "Fit", id="home.fit", tooltip="Fit the session to N minutes"),
        Binding("b", "build", "Build", id="home.build", tooltip="Build a warm-up for N minutes"),
        Binding("h", "history", "History", id="home.history"),
        Binding(
            "t",
            "assess",
            "Test",
            id="home.assess",
            tooltip="A 7-minute self-assessment: where to start, and whether one side lags",
        ),
        Binding("d", "drills", "Drills", id="home.drills", tooltip="How to do each drill"),
        Binding("l", "accept_levels", "Accept levels", id="home.levels"),
        # Out of the footer, which is full at 80 columns; the README and --help say it.
        Binding(
            "o",
            "app.phone",
            "Phone",
            id="home.phone",
            show=False,
            tooltip="Follow and steer a session from a phone",
        ),
        Binding("r", "reload", "Reload plans", id="home.reload", show=False),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    @dataclass
    class Start(Message):
        """The user chose a session to run (maybe fitted to some minutes)."""

        loaded: LoadedPlan

    class Assess(Message):
        """The user wants to run the self-assessment."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.entries: list[Entry] = []
        self.last_done: dict[str, date] = {}
        self.suggestions: dict[str, list[Suggestion]] = {}
        self.levels: Levels | None = None  # read with the log; the plans as written until then
        self.stopped: frozenset[str] = frozenset()  # drills pain stopped today
        #: Set once home's first frame with the sessions is drawn: the log waits for it.
        self.drawn = threading.Event()

    def compose(self) -> ComposeResult:
        with Horizontal(id="home-top"):
            yield Static("gluteterm: unlock, then activate", id="home-title", markup=False)
            yield Static("", id="home-streak", markup=False)
        with Horizontal(id="home-body"):
            yield OptionList(id="sessions")
            with VerticalScroll(id="details"):
                yield Static("", id="details-text", markup=False)
        yield Footer(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100, "-narrow")

    def on_screen_resume(self) -> None:
        # Each time home is shown (first, and back from the editor or a session),
        # the plans and the log may have changed: read them, keeping the highlight.
        self.action_reload()

    def action_reload(self) -> None:
        """Read the plans and the log again, off the UI thread (files can be slow or hostile)."""
        self.load()

    def _fill(self, keep: int | None) -> None:
        options = self.query_one("#sessions", OptionList)
        options.clear_options()
        today = date.today()
        options.add_options(
            [
                Option(
                    _entry_prompt(e, self.last_done.get(e.id), today, self.levels, self.stopped),
                    id=e.id,
                )
                for e in self.entries
            ]
        )
        default = next((i for i, e in enumerate(self.entries) if e.id == DEFAULT_SESSION), 0)
        if self.entries:
            options.highlighted = default if keep is None else keep
        options.focus()

    @work(thread=True, exclusive=True, group="home")
    def load(self) -> None:
        store = self.store
        entries = store.sessions()
        self.app.call_from_thread(self._show, Found(entries), first=True)
        # The log once the sessions are on screen: read meanwhile (some 10,000 files the
        # first time, in helper processes), it would take the CPU from that first frame.
        self.drawn.wait(timeout=DRAWN_TIMEOUT)
        history = store.history()
        levels, _ = store.levels()
        found = Found(entries, last_done(history.sessions), levels=levels)
        found.stopped = store.stopped_today(date.today())
        recent = store.recent_records()
        for entry in entries:
            plan = entry.plan
            if plan is not None and any(s.levels or len(s.ladder) > 1 for s in plan.steps):
                found.suggestions[entry.id] = suggestions(plan, levels, recent)
        today = date.today()
        # Through the history's own day totals: the history screen draws from them at once.
        days = history.day_totals()
        parts = [streak_line_of(days, today, short=True)] if history.sessions else []
        last = store.last_assessment()
        if retest_due(last.taken if last else None, today):
            parts.append("self-test due: t" if last else "t: test where you stand")
        found.streak = " · ".join(parts)
        self.app.call_from_thread(self._show, found)
        # The history screen's code (and the table's), loaded here while nothing else is
        # under way, rather than on the UI thread when h is pressed.
        import gluteterm.ui.screens.history  # noqa: F401

    def _show(self, found: Found, first: bool = False) -> None:
        options = self.query_one("#sessions", OptionList)
        keep = options.highlighted if self.entries else None
        self.entries = found.entries
        if not first:
            self.suggestions = {k: v for k, v in found.suggestions.items() if v}
            self.last_done = found.last_done
            self.levels = found.levels
            self.stopped = found.stopped
            self.query_one("#home-streak", Static).update(found.streak)
        self._fill(keep=keep if keep is not None and keep < len(self.entries) else None)
        self._show_details()
        self.refresh_bindings()
        if first and not self.drawn.is_set():
            self.call_after_refresh(self.drawn.set)

    def action_edit(self) -> None:
        from gluteterm.ui.screens.editor import EditorScreen

        entry = self._highlighted()
        if entry is None or entry.plan is None:
            where = printable(str(entry.path)) if entry is not None else "this plan's file"
            self.notify(
                f"Fix {where} first: Enter says what is wrong with it.",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(EditorScreen(entry.plan, self.store, entry.stamp))

    def action_fit(self) -> None:
        from dataclasses import replace

        from gluteterm.core.fit import FitError, fit
        from gluteterm.ui.screens.ask import AskScreen, minutes_problem, parse_minutes

        entry = self._highlighted()
        if entry is None or entry.loaded is None or entry.plan is None:
            return
        loaded = entry.loaded

        def chosen(answer: str | None) -> None:
            if answer is None:
                return
            minutes = parse_minutes(answer)
            assert minutes is not None  # the dialog checked it (minutes_problem)
            # Fitted as it will run: each ladder at its level, each rung at its own dose.
            levels, _ = self.store.levels()
            try:
                plan = fit(at_levels(loaded.plan, levels)[0], minutes)
            except FitError as exc:
                self.notify(printable(str(exc)), severity="warning", markup=False, timeout=10)
                return
            self.post_message(self.Start(replace(loaded, plan=plan)))

        question = (
            f"Fit '{entry.plan.title}' (usually {entry.seconds / 60:.0f} min) to how many minutes?"
        )
        ask = AskScreen(question, placeholder="minutes, e.g. 8", number=True, check=minutes_problem)
        self.app.push_screen(ask, chosen)

    def action_assess(self) -> None:
        self.post_message(self.Assess())

    def action_build(self) -> None:
        from gluteterm.ui.screens.build import BuildScreen

        def chosen(loaded: LoadedPlan | None) -> None:
            if loaded is not None:
                self.post_message(self.Start(loaded))

        self.app.push_screen(BuildScreen(self.store), chosen)

    def action_history(self) -> None:
        from gluteterm.ui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.store))

    def action_drills(self) -> None:
        from gluteterm.ui.screens.drill_browser import DrillBrowserScreen

        self.app.push_screen(DrillBrowserScreen(self.store))

    def _highlighted(self) -> Entry | None:
        index = self.query_one("#sessions", OptionList).highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    def on_option_list_option_highlighted(self) -> None:
        self._show_details()

    def _show_details(self) -> None:
        entry = self._highlighted()
        if entry is not None:
            text = _entry_details(entry, self.levels, self.stopped)
            found = self.suggestions.get(entry.id)
            if found:
                lines = "\n".join(f"  {printable(str(s))}" for s in found)
                text = f"Ready to change level (l: accept):\n{lines}\n\n{text}"
            self.query_one("#details-text", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        if action == "accept_levels":
            entry = self._highlighted()
            return entry is not None and bool(self.suggestions.get(entry.id))
        return True

    def action_accept_levels(self) -> None:
        entry = self._highlighted()
        found = self.suggestions.pop(entry.id, []) if entry is not None else []
        if found:
            from gluteterm.ui.session import accept_levels

            for said in accept_levels(self.store, found):
                self.notify(printable(said), markup=False)
            self._show_details()
            self.load()  # a ladder is shared: other sessions' suggestions change too
            self.refresh_bindings()

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
        if entry.loaded is not None:
            self.post_message(self.Start(entry.loaded))


def as_done_today(
    entry: Entry, levels: Levels | None, stopped: frozenset[str] = frozenset()
) -> tuple[Plan, float]:
    """The entry's plan at the user's levels (each ladder's drill as run today, drills
    pain stopped today swapped or left out), and its length; the plan as written
    until the levels are read."""
    assert entry.plan is not None
    if levels is None:
        return entry.plan, entry.seconds
    plan = at_levels(entry.plan, levels, stopped)[0]
    return plan, plan_seconds(plan)


def _entry_prompt(
    entry: Entry,
    last: date | None = None,
    today: date | None = None,
    levels: Levels | None = None,
    stopped: frozenset[str] = frozenset(),
) -> Content:
    if entry.error is not None or entry.plan is None:
        first = entry.error.errors[0] if entry.error and entry.error.errors else None
        reason = printable(first.message if first else "cannot be loaded")
        return Content.assemble(
            (f"{printable(entry.id)}  BROKEN\n", "bold $error"),
            (f"  {reason}", "$text-muted"),
        )
    plan, seconds = as_done_today(entry, levels, stopped)
    tags = []
    if entry.id == DEFAULT_SESSION:
        tags.append("default")
    if entry.is_user_plan:
        tags.append("tweaked" if entry.shadows_shipped else "yours")
    tag = f"  ({', '.join(tags)})" if tags else ""
    facts = f"  {duration(seconds)} · {plural(len(plan.steps), 'step')}"
    if last is not None and today is not None:
        facts += f" · done {days_ago(last, today)}"
    if plan.equipment:
        facts += "\n  needs " + ", ".join(printable(e) for e in plan.equipment)
    return Content.assemble(
        (printable(plan.title), "bold"), (tag, "$text-muted"), "\n", (facts, "$text-muted")
    )


def _gated(written: Plan, today: Plan, levels: Levels, stopped: frozenset[str]) -> bool:
    """True when today's landing gate changed the jumps of `written` (run as `today`)."""
    from dataclasses import replace

    from gluteterm.core.landing import Gate

    if not levels.landing.reason or not has_jumps(written):
        return False
    ungated = at_levels(written, replace(levels, landing=Gate()), stopped)[0]
    return [s.drill for s in ungated.steps] != [s.drill for s in today.steps]


def _entry_details(
    entry: Entry, levels: Levels | None = None, stopped: frozenset[str] = frozenset()
) -> str:
    if entry.error is not None:
        return f"{printable(entry.id)} cannot be run:\n\n{printable(str(entry.error))}"
    plan, _ = as_done_today(entry, levels, stopped)
    lines = [printable(plan.title), ""]
    if levels is not None and entry.plan is not None and _gated(entry.plan, plan, levels, stopped):
        # The gate stepped the jumps down or left them out: say why, as `build` does.
        reason = levels.landing.reason
        lines += [printable(reason[:1].upper() + reason[1:]) + ".", ""]
    if levels is not None and stopped and entry.plan is not None:
        swaps = today_plan(entry.plan, levels, stopped)[2]
        lines += [printable(str(swap)) for swap in swaps]
        if swaps:
            lines.append("")
    if plan.description:
        lines += [printable(plan.description), ""]
    phase = None
    for number, step in enumerate(plan.steps, start=1):
        if step.kind.phase is not phase:
            phase = step.kind.phase
            lines.append(f"{phase.value.upper()}")
        lines.append(f"{number:>2} {step.short_dose():<11}{printable(step.name)}")
    for warning in entry.warnings:
        lines += ["", f"warning: {printable(warning.message)}"]
    where = f"From {printable(str(entry.path))}" if entry.is_user_plan else "Shipped with gluteterm"
    lines += ["", where]
    return "\n".join(lines)
