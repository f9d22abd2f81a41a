"""BigDigits: a countdown in block digits as large as the widget's space allows."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from gluteterm.core import bigdigits


def centred(lines: list[str], size: Size) -> Content:
    """Block lines placed in the middle of a widget of `size`, as plain text."""
    width, height = size
    top = max(0, (height - len(lines)) // 2)
    left = max(0, (width - max((len(line) for line in lines), default=0)) // 2)
    return Content("\n" * top + "\n".join(" " * left + line for line in lines))


class BigDigits(Widget):
    """`text` ("0:45", "12") drawn in the largest block digits that fit, centred.

    Its colour is the CSS `color` (give the state a class, e.g.
    `BigDigits.-work { color: $success; }`). It redraws only when the text or
    its size changes: setting the same text again does nothing. Text the font
    cannot draw is shown as one plain line, never as markup.
    """

    DEFAULT_CSS = """
    BigDigits {
        width: 1fr;
        height: 1fr;
        color: $text;
        text-style: bold;
    }
    """

    text: reactive[str] = reactive("", layout=False)

    def __init__(
        self,
        text: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(BigDigits.text, text)
        self._drawn_for: tuple[str, Size] | None = None  # the text and size `_rows` show
        self._rows: list[str] = []
        self._strips: dict[int, Strip] = {}  # rows of `_rows` as strips, made on demand
        self._strip_style: RichStyle | None = None  # the style `_strips` were made in

    def lines(self) -> list[str]:
        """The digits as drawn at the current size, before centring."""
        width, height = self.size
        if bigdigits.supports(self.text):
            return bigdigits.render(self.text, height, width)
        return [self.text[:width]] if height > 0 else []

    def render(self) -> Content:
        return centred(self.lines(), self.size)

    def render_line(self, y: int) -> Strip:
        """One row of `render()`, made into a strip directly: big digits are many long
        lines, and Textual's text layout of them cost more than the rest of a second's redraw."""
        key = (self.text, self.size)
        if key != self._drawn_for:
            self._rows, self._drawn_for, self._strips = self.render().plain.split("\n"), key, {}
        style = self.visual_style.rich_style  # the state's colour
        if style != self._strip_style:
            self._strips, self._strip_style = {}, style
        strip = self._strips.get(y)
        if strip is None:
            width = self.size.width
            text = self._rows[y] if y < len(self._rows) else ""
            strip = Strip([Segment(text[:width].ljust(width), style)], width)
            self._strips[y] = strip
        return strip
