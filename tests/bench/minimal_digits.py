"""The reference for first-frame time: the smallest Textual app that shows a Digits widget."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Digits


class MinimalDigits(App[None]):
    def compose(self) -> ComposeResult:
        yield Digits("0:45")


if __name__ == "__main__":
    MinimalDigits().run()
