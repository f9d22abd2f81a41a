"""BigWords: a few set-up words ("LEFT LEG", "BAND AT KNEES") in the big block font, for
reading from the floor at a get-ready. Hidden when there are none."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from gluteterm.core import bigdigits
from gluteterm.ui.widgets.big_digits import centred


class BigWords(Widget):
    """`text` in the largest block capitals that fit its size, centred; plain capitals
    when even the smallest do not fit. Hidden (display: none) while `text` is ""."""

    DEFAULT_CSS = """
    BigWords {
        width: 100%;
        height: 4;
        text-style: bold;
        display: none;
    }
    BigWords.-on {
        display: block;
    }
    """

    # layout=True: showing or hiding it changes the height of what is around it.
    text: reactive[str] = reactive("", layout=True)

    def watch_text(self, text: str) -> None:
        self.set_class(bool(text), "-on")

    def lines(self) -> list[str]:
        """The words as drawn at the current size, before centring."""
        width, height = self.size
        if not self.text or width < 1 or height < 1:
            return []
        if bigdigits.supports(self.text):
            return bigdigits.render(self.text, height, width)
        return [self.text[:width]]

    def render(self) -> Content:
        return centred(self.lines(), self.size)
