"""DrillBrowserScreen: every drill in the library, filtered as you type; Enter shows its card,
its ladder, where you are on it and when you last did it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from gluteterm.core.drill import Drill, DrillError, ladder
from gluteterm.core.drill_card import card_lines, ladder_line
from gluteterm.core.errors import PlanError
from gluteterm.core.history import days_ago
from gluteterm.core.text import plural, printable
from gluteterm.store.api import Store
from gluteterm.ui.widgets.figure import FigurePanel, app_clock, preview_tempo

#: drill id -> (sessions that did it, the day of the last one)
DrillHistory = dict[str, tuple[int, date]]


@dataclass
class Catalogue:
    """What the browser reads off the UI thread: the drills, the user's levels, the log."""

    drills: dict[str, Drill] = field(default_factory=dict)
    #: drill id -> why its file cannot be used
    broken: dict[str, str] = field(default_factory=dict)
    #: ladder id (its easiest drill) -> the drill the user is at
    levels: dict[str, str] = field(default_factory=dict)
    #: None until the log has been read
    history: DrillHistory | None = None
    #: drill id -> the user's own file for it (theirs, or their copy of a shipped one)
    mine: dict[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return sorted({*self.drills, *self.broken})


def matches(drill: Drill, query: str) -> bool:
    """True when every word of `query` is in the drill's name, id, kind, equipment or muscles."""
    words = [drill.name, drill.id, drill.kind.value, *drill.equipment, *drill.muscles]
    haystack = " ".join(words).lower()
    return all(term in haystack for term in query.lower().split())


def list_prompt(drill: Drill, mine: bool = False) -> Content:
    """The drill's two lines in the list: name (and whether it is the user's own), kind
    and equipment; then the muscles."""
    facts = " · ".join([drill.kind.value, ", ".join(drill.equipment) or "no equipment"])
    muscles = ", ".join(drill.muscles) or "muscles not given"
    return Content.assemble(
        (printable(drill.name), "bold"),
        ("  yours", "bold $accent") if mine else "",
        (f"  {printable(facts)}", "$text-muted"),
        "\n",
        (f"  {printable(muscles)}", "$text-muted"),
    )


def your_lines(drill: Drill, catalogue: Catalogue, today: date) -> list[str]:
    """The ladder by name, where the user is on it, and how often they did the drill."""
    drills = catalogue.drills

    def name(drill_id: str) -> str:
        found = drills.get(drill_id)
        return found.name if found is not None else drill_id

    lines = []
    if drill.id in catalogue.mine:
        lines.append(f"Your own drill, from {catalogue.mine[drill.id]}")
    try:
        rungs = ladder(drill.id, drills)
    except PlanError:
        broken = [d for d in (drill.easier, drill.harder) if d in catalogue.broken]
        if broken:  # not missing: there, but its file cannot be used
            lines.append(f"Ladder: broken at '{broken[0]}', whose file cannot be used")
        else:
            lines += ladder_line(drill, drills).splitlines()
        rungs = (drill.id,)
    if len(rungs) > 1:
        easier = f"{name(drill.easier)} <- " if drill.easier else "(easiest) "
        harder = f" -> {name(drill.harder)}" if drill.harder else " (hardest)"
        lines.append(f"Ladder: {easier}{drill.name}{harder}")
        at = catalogue.levels.get(rungs[0], rungs[0])
        at = at if at in rungs else rungs[0]
        if len(rungs) > len({drill.easier, drill.id, drill.harder} - {None}):
            marked = [f"{name(r)}{' (you)' if r == at else ''}" for r in rungs]
            lines.append(f"  the whole ladder: {' > '.join(marked)}")
        lines.append(f"You are at: {name(at)}{' (this drill)' if at == drill.id else ''}")
    elif not lines:
        lines.append("Ladder: none (no easier or harder drill)")
    history = catalogue.history
    if history is None:
        lines.append("Done: reading the log...")
    elif drill.id in history:
        count, last = history[drill.id]
        lines.append(f"Done: in {plural(count, 'session')}, last {days_ago(last, today)}")
    else:
        lines.append("Done: not in your log yet")
    return lines


def card_text(drill: Drill, catalogue: Catalogue, today: date) -> str:
    """The browser's card: name and facts, the user's ladder and history, then the rest."""
    card = card_lines(drill, catalogue.drills)
    tail = ["", *ladder_line(drill, catalogue.drills).splitlines()]
    if card[-len(tail) :] == tail:
        card = card[: -len(tail)]  # the ladder is told, by name, near the top
    return "\n".join([*card[:2], *your_lines(drill, catalogue, today), "", *card[2:]])


class DrillBrowserScreen(Screen[None]):
    """The drill library: a filter, the list, and the highlighted drill's card."""

    CSS_PATH = "drill_browser.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    BINDINGS = [
        Binding("escape", "back", "Back", id="browser.back", tooltip="Close the card, then leave"),
        Binding("down", "move(1)", "Next", id="browser.down", show=False),
        Binding("up", "move(-1)", "Previous", id="browser.up", show=False),
    ]

    def __init__(
        self, store: Store, show: str | None = None, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__()
        self.store = store
        self.show_first = show
        self.today = today
        self.catalogue = Catalogue()
        self.shown: list[str] = []  # the ids in the list, in order

    def compose(self) -> ComposeResult:
        yield Static("Drills: reading the library...", id="browser-title", markup=False)
        yield Input(placeholder="Filter by name, kind, equipment or muscle", id="drill-filter")
        with Horizontal(id="browser-body"):
            yield OptionList(id="drill-list")
            with VerticalScroll(id="drill-card"):
                yield FigurePanel(id="drill-figure")
                yield Static("", id="drill-card-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#drill-filter", Input).focus()
        self.load()

    @work(thread=True, exclusive=True, group="drill-browser")
    def load(self) -> None:
        """Read every drill, the levels, then the log (files can be slow or hostile)."""
        library = self.store.drills()
        catalogue = Catalogue()
        for drill_id in library:
            if library.is_user(drill_id):
                catalogue.mine[drill_id] = printable(str(library.path(drill_id)))
            try:
                catalogue.drills[drill_id] = library[drill_id]
            except DrillError as exc:
                catalogue.broken[drill_id] = str(exc)
        catalogue.levels = dict(self.store.drill_levels())
        self.app.call_from_thread(self._show, catalogue)
        history = self.store.drill_history()
        self.app.call_from_thread(self._show_history, history)

    def _show(self, catalogue: Catalogue) -> None:
        if not self.is_attached:
            return
        self.catalogue = catalogue
        self._fill(self.query_one("#drill-filter", Input).value)
        if self.show_first is not None:
            self.show_drill(self.show_first)
            self.show_first = None

    def _show_history(self, history: DrillHistory) -> None:
        if self.is_attached:
            self.catalogue.history = history
            self._show_card(keep_scroll=True)

    # -- the list --------------------------------------------------------------

    @on(Input.Changed, "#drill-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        catalogue = self.catalogue
        options = self.query_one("#drill-list", OptionList)
        before = self._highlighted()
        self.shown = [
            drill_id
            for drill_id in catalogue.ids
            if (drill_id in catalogue.drills and matches(catalogue.drills[drill_id], query))
            or (drill_id in catalogue.broken and all(t in drill_id for t in query.lower().split()))
        ]
        self._title(query)
        options.clear_options()
        options.add_options([Option(self._prompt(i), id=i) for i in self.shown])
        if self.shown:
            keep = self.shown.index(before) if before in self.shown else 0
            options.highlighted = keep
        self._show_card()

    def _title(self, query: str) -> None:
        """How many drills there are, or how many the filter kept (and what to do if none)."""
        catalogue = self.catalogue
        count = plural(len(catalogue.drills), "drill")
        broken = f", {len(catalogue.broken)} broken" if catalogue.broken else ""
        if not query.strip():
            text = f"Drills: {count}{broken} · type to filter · Enter: card · Esc: back"
        elif self.shown:
            text = f"Drills: {len(self.shown)} of {count} match '{query.strip()}' · Enter: card"
        else:
            text = f"No drill matches '{query.strip()}' · Backspace to widen · Esc: back"
        self.query_one("#browser-title", Static).update(printable(text))

    def _prompt(self, drill_id: str) -> Content:
        drill = self.catalogue.drills.get(drill_id)
        if drill is not None:
            return list_prompt(drill, drill_id in self.catalogue.mine)
        return Content.assemble(
            (f"{printable(drill_id)}  BROKEN", "bold $error"), ("\n  Enter: why", "$text-muted")
        )

    def _highlighted(self) -> str | None:
        index = self.query_one("#drill-list", OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def action_move(self, by: int) -> None:
        """Up and down move through the list even while the filter has the focus."""
        if self.has_class("-card-open"):
            self.query_one("#drill-card", VerticalScroll).scroll_relative(y=by, animate=False)
            return
        options = self.query_one("#drill-list", OptionList)
        if by > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(OptionList.OptionHighlighted, "#drill-list")
    def _highlight_moved(self) -> None:
        self._show_card()

    # -- the card --------------------------------------------------------------

    def _show_card(self, keep_scroll: bool = False) -> None:
        drill_id = self._highlighted()
        text = "No drill matches the filter." if self.catalogue.ids else ""
        if drill_id in self.catalogue.drills:
            text = card_text(self.catalogue.drills[drill_id], self.catalogue, self.today())
        elif drill_id is not None:
            text = f"{drill_id} cannot be used:\n\n{self.catalogue.broken.get(drill_id, '')}"
        self.query_one("#drill-card-text", Static).update(printable(text))
        self._show_figure(self.catalogue.drills.get(drill_id) if drill_id is not None else None)
        if not keep_scroll:
            self.query_one("#drill-card", VerticalScroll).scroll_home(animate=False)

    def _show_figure(self, drill: Drill | None) -> None:
        """The highlighted drill's figure, moving through its rep (none for a broken drill)."""
        panel = self.query_one("#drill-figure", FigurePanel)
        figure = drill.figure if drill is not None else None
        panel.display = figure is not None
        if drill is None or figure is None:
            panel.figure = None
            panel.still()
        elif panel.figure is not figure:
            panel.figure = figure
            clock = app_clock(self)
            panel.tempo(*preview_tempo(drill), clock(), clock)

    def show_drill(self, drill_id: str) -> None:
        """Open `drill_id`'s card, clearing a filter that hides it."""
        box = self.query_one("#drill-filter", Input)
        if drill_id not in self.shown and box.value:
            with self.prevent(Input.Changed):
                box.value = ""
            self._fill("")
        if drill_id in self.shown:
            self.query_one("#drill-list", OptionList).highlighted = self.shown.index(drill_id)
            self._open_card()

    @on(Input.Submitted, "#drill-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._open_card()

    @on(OptionList.OptionSelected, "#drill-list")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open_card()

    def _open_card(self) -> None:
        """Show the highlighted drill's card: full width when narrow, focused when wide."""
        if self._highlighted() is None:
            return
        self._show_card()
        self.add_class("-card-open")
        self.query_one("#drill-card", VerticalScroll).focus()

    def action_back(self) -> None:
        """Close the card, or leave the browser when no card is open."""
        if self.has_class("-card-open"):
            self.remove_class("-card-open")
            self.query_one("#drill-filter", Input).focus()
        else:
            self.dismiss()
