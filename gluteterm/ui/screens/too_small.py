"""TooSmallScreen: shown instead of a broken layout when the terminal is too small."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 20


class TooSmallScreen(ModalScreen[None]):
    """Covers the app until the terminal is at least MIN_WIDTH x MIN_HEIGHT."""

    DEFAULT_CSS = """
    TooSmallScreen {
        align: center middle;
        background: $background;
    }
    TooSmallScreen > Static {
        width: 100%;
        text-align: center;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small", markup=False)

    def on_mount(self) -> None:
        self.show_size(*self.app.size)

    def on_resize(self, event: events.Resize) -> None:
        self.show_size(event.size.width, event.size.height)

    def show_size(self, width: int, height: int) -> None:
        self.query_one(Static).update(
            f"Make the terminal larger: gluteterm needs {MIN_WIDTH}x{MIN_HEIGHT}, "
            f"this one is {width}x{height}. A session keeps running meanwhile."
        )


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT
