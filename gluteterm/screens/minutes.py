"""MinutesScreen: ask how many minutes someone has today; returns the number or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class MinutesScreen(ModalScreen[float | None]):
    """A one-field dialog: Enter fits the session, Esc cancels."""

    DEFAULT_CSS = """
    MinutesScreen { align: center middle; }
    MinutesScreen > Vertical {
        width: 50; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    MinutesScreen Static { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="minutes.cancel")]

    def __init__(self, title: str, usual_minutes: float) -> None:
        super().__init__()
        self.session_title = title
        self.usual = usual_minutes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Fit '{self.session_title}' (usually {self.usual:.0f} min) to how many minutes?",
                markup=False,
            )
            yield Input(placeholder="minutes, e.g. 8", type="number", id="minutes-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            value = float(event.value)
        except ValueError:
            self.notify("Type a number of minutes, like 8.", severity="warning", markup=False)
            return
        if not 1 <= value <= 180:
            self.notify("Between 1 and 180 minutes, please.", severity="warning", markup=False)
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
