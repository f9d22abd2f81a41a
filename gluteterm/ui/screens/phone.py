"""PhoneScreen: the phone page's address as a QR code, with the address beside it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

WARNING = (
    "Anyone on the same network who has this address can see and steer this session. "
    "It changes each time gluteterm starts; quitting gluteterm closes it."
)


class PhoneScreen(ModalScreen[None]):
    """Shows the QR code and the address; the session runs on beneath it."""

    CSS_PATH = "phone.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,o,enter,q", "close", "Close", id="phone.close"),
    ]

    def __init__(self, url: str, note: str = "") -> None:
        super().__init__()
        self.url = url
        self.note = note

    def compose(self) -> ComposeResult:
        from gluteterm.ui.phone.qr import qr_lines

        with Horizontal(id="phone-dialog"):
            yield Static("\n".join(qr_lines(self.url)), id="phone-qr", markup=False)
            with Vertical(id="phone-text"):
                yield Static("Follow and steer this session from your phone:", markup=False)
                yield Static("scan the code, or open", markup=False)
                yield Static(self.url, id="phone-url", markup=False)
                if self.note:
                    yield Static(self.note, id="phone-note", markup=False)
                yield Static(WARNING, id="phone-warning", markup=False)
                yield Static("o or Esc: close (the page keeps working)", id="phone-keys")

    def action_close(self) -> None:
        self.dismiss(None)
