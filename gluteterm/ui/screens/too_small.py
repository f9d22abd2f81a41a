"""TooSmallScreen: shown instead of a broken layout when the terminal is too small."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 20


class TooSmallScreen(ModalScreen[None]):
    """Covers the app until the terminal is at least MIN_WIDTH x MIN_HEIGHT.

    Space and q still reach the screen below (pause and quit a session).
    """

    BINDINGS = [
        Binding("space", "below('toggle_pause')", "Pause/resume", id="small.pause"),
        Binding("q", "below('quit_session')", "Quit", id="small.quit"),
    ]

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

    def on_screen_resume(self) -> None:
        # Shown again after a dialog over it closed: the terminal may have grown meanwhile.
        if not too_small(*self.app.size):
            self.app.pop_screen()

    def on_resize(self, event: events.Resize) -> None:
        self.show_size(event.size.width, event.size.height)

    def action_below(self, action: str) -> None:
        """Run `action` on the screen underneath, if it has it."""
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        method = getattr(below, f"action_{action}", None)
        if callable(method):
            method()
        elif action == "quit_session":
            self.app.exit()

    def show_size(self, width: int, height: int) -> None:
        self.query_one(Static).update(
            f"Make the terminal larger: gluteterm needs {MIN_WIDTH}x{MIN_HEIGHT}, "
            f"this one is {width}x{height}. A session keeps running meanwhile: "
            "space pauses it, q ends it."
        )


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class CoverWhenTooSmall(App[None]):
    """The app's side of the cover: shown when the terminal is too small, gone after."""

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int | None = None, height: int | None = None) -> None:
        """Cover the app with a message when the terminal is too small, uncover it after."""
        small = too_small(width or self.size.width, height or self.size.height)
        covered = isinstance(self.screen, TooSmallScreen)
        if small and not covered:
            self.push_screen(TooSmallScreen())
        elif covered and not small:
            self.pop_screen()
