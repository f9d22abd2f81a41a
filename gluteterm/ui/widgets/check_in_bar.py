"""CheckInBar: a one-line check-in after a drill, answered with single keys, never blocking."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from gluteterm.core.progression import CHECK_IN_KEYS


class CheckInBar(Widget):
    """Shows the drill being checked in on, the felt score and the flags so far."""

    DEFAULT_CSS = """
    CheckInBar {
        height: auto;
        max-height: 6;  /* the question, and a drill's fix or the pain advice, whole */
        padding: 0 1;
        background: $boost;
        display: none;
    }
    CheckInBar.-open {
        display: block;
    }
    """

    # layout=True: a longer answer or advice may need more lines (height: auto).
    drill: reactive[str] = reactive("", layout=True)
    felt: reactive[int | None] = reactive(None, layout=True)
    flags: reactive[tuple[str, ...]] = reactive((), layout=True)
    #: The drill's fix for a flagged fault, or what to do after pain.
    advice: reactive[str] = reactive("", layout=True)

    def render(self) -> Content:
        keys = "  ".join(f"{key} {name}" for key, name in CHECK_IN_KEYS.items())
        so_far = []
        if self.felt is not None:
            so_far.append(f"felt {self.felt}/9")
        so_far += list(self.flags)
        answer = f"  [{', '.join(so_far)}]" if so_far else ""
        second = (
            (self.advice, "bold $warning") if self.advice else (f"{keys} · Esc done", "$text-muted")
        )
        return Content.assemble(
            ("Check-in: ", "bold"), (self.drill, "bold"),
            (f". Felt it? 0 none · 5 clearly · 9 burning{answer}\n", ""),
            second,
        )  # fmt: skip
