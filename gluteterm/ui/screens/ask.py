"""AskScreen: a one-field question (minutes to fit, a name to save as); returns the answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gluteterm.core.errors import GlutetermError
from gluteterm.core.limits import FIT_MINUTES
from gluteterm.core.plan import Plan
from gluteterm.core.text import parse_decimal, printable
from gluteterm.store.api import Store, plan_id_for


def no_check(answer: str) -> str:
    return "" if answer else "Type an answer, or Esc to cancel."


class AskScreen(ModalScreen[str | None]):
    """Enter answers, unless `check` returns a message saying what is wrong; Esc cancels."""

    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > Vertical {
        width: 56; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    AskScreen Static { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    def __init__(
        self,
        question: str,
        value: str = "",
        *,
        placeholder: str = "",
        number: bool = False,
        check: Callable[[str], str] = no_check,
    ) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.number = number
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            yield Input(
                value=self.value, placeholder=self.placeholder, max_length=80,
                restrict=NUMBER_FIELD if self.number else None,
            )  # fmt: skip

    def on_input_submitted(self, event: Input.Submitted) -> None:
        answer = event.value.strip()
        problem = self.check(answer)
        if problem:
            self.notify(problem, severity="warning", markup=False)
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)


#: What a number field lets through as it is typed: digits and one decimal mark, a
#: point or a comma ("1,5" is one and a half minutes, not 15).
NUMBER_FIELD = r"[0-9]*[.,]?[0-9]*"


def parse_minutes(answer: str) -> float | None:
    """`answer` as minutes (a comma may be the decimal mark), or None if not a number."""
    return parse_decimal(answer)


def minutes_problem(answer: str) -> str:
    """What is wrong with `answer` as a number of minutes ("" when nothing)."""
    value = parse_minutes(answer)
    if value is None:
        return "Type a number of minutes, like 8."
    low, high = FIT_MINUTES.low, FIT_MINUTES.high
    return "" if low <= value <= high else f"Between {low:g} and {high:g} minutes, please."


def save_as_new_session(
    app: App[Any],
    store: Store,
    plan: Plan,
    suggested: str,
    saved: Callable[[str, Path, Plan], None],
    failed: Callable[[str], None],
    taken: str = "",
) -> None:
    """Ask for a name and save `plan` as a new session of the user's.

    A name that is taken (shipped or the user's) is never written over: the
    question comes again, saying so and offering a free name. `saved` gets the
    new id, the file and the saved plan; `failed` what went wrong.
    """

    def named(name: str | None) -> None:
        if not name:
            return
        plan_id = plan_id_for(name)
        if store.is_taken(plan_id):
            free = store.free_id(plan_id)
            offer = f"{name} {free.rsplit('-', 1)[-1]}"
            again = f"A session called '{plan_id}' exists already. "
            save_as_new_session(app, store, plan, offer, saved, failed, again)
            return
        try:
            path, copy = store.save_plan_as(plan, plan_id, name)
        except (GlutetermError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            failed(f"Not saved: {printable(str(reason or exc))}")
            return
        saved(plan_id, path, copy)

    app.push_screen(AskScreen(f"{taken}Name for the new session:", suggested[:80]), named)
