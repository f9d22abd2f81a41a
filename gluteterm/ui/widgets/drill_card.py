"""DrillCard: a drill's card (its figure moving, how, feel, faults and fixes, ladder)
over the lower screen."""

from __future__ import annotations

from collections.abc import Mapping

from textual.containers import VerticalScroll
from textual.widgets import Static

from gluteterm.core.drill import Drill
from gluteterm.core.drill_card import card_lines
from gluteterm.core.plan import Step
from gluteterm.core.text import printable
from gluteterm.ui.widgets.figure import FigurePanel, app_clock, preview_tempo


class DrillCard(VerticalScroll):
    """Shows one drill's card; the screen opens it with the `-open` class."""

    DEFAULT_CSS = """
    DrillCard {
        display: none;
        dock: bottom;
        height: 50%;
        min-height: 8;
        padding: 0 1;
        background: $surface;
        border-top: thick $accent;
    }
    DrillCard.-open {
        display: block;
    }
    DrillCard #card-figure {
        height: 40%;  /* of the card: its words still show at 80x24 */
        min-height: 5;
        max-height: 10;
        width: 1fr;
        max-width: 48;
    }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield FigurePanel(id="card-figure")
        yield Static("", id="card-text", markup=False)

    def show(
        self, drill: Drill | None, library: Mapping[str, Drill] | None, step: Step | None = None
    ) -> None:
        """Fill the card with `drill` as done in `step` (or say there is no drill)."""
        panel = self.query_one("#card-figure", FigurePanel)
        figure = drill.figure if drill is not None else None
        panel.display = figure is not None
        panel.figure = figure
        if drill is not None and figure is not None:
            clock = app_clock(self)
            panel.tempo(*preview_tempo(drill, step), clock(), clock)
        else:
            panel.still()
        if drill is None:
            text = "This step names no drill from the library, so it has no card."
        else:
            text = "\n".join(card_lines(drill, library or {drill.id: drill}, step))
        self.query_one("#card-text", Static).update(printable(text))
        self.scroll_home(animate=False)
