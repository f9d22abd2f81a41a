"""SessionBar: how far through the session, as one line: a bar, a percentage, time left."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from gluteterm.core.text import clock


class SessionBar(Widget):
    """A single-node progress bar (Textual's ProgressBar is several widgets)."""

    DEFAULT_CSS = """
    SessionBar {
        width: 1fr;
        height: 1;
        color: $accent;
    }
    """

    progress: reactive[float] = reactive(0.0)
    seconds_left: reactive[float] = reactive(0.0)

    def render(self) -> Content:
        label = f" {round(self.progress * 100):>3}%  {clock(self.seconds_left)} left"
        width = max(0, self.size.width - len(label))
        filled = round(width * min(1.0, max(0.0, self.progress)))
        return Content.assemble(
            ("━" * filled, "$accent"),
            ("━" * (width - filled), "$panel"),
            (label, "$text"),
        )
