"""PhaseTrack: where the current step sits in the method (Unlock, then Activate)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from gluteterm.core.plan import PHASE_KINDS, Kind


class PhaseTrack(Static):
    """One line: `UNLOCK release · mobility · stretch  ACTIVATE ...`, current marked.

    The current kind is bracketed as well as highlighted, so it reads the same
    on a monochrome terminal.
    """

    DEFAULT_CSS = """
    PhaseTrack {
        width: 1fr;
        height: 1;
        color: $text-muted;
    }
    """

    kind: reactive[Kind | None] = reactive(None)

    def render(self) -> Content:
        full = self._line(compact=False)
        if full.cell_length <= self.size.width or self.kind is None:
            return full
        return self._line(compact=True)  # narrow: the other phase by name only

    def _line(self, compact: bool) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        for phase, kinds in PHASE_KINDS.items():
            active_phase = self.kind is not None and self.kind.phase is phase
            if parts:
                parts.append(" │ ")
            parts.append((phase.value.upper(), "bold $text" if active_phase else "bold"))
            if compact and not active_phase:
                continue
            for kind in kinds:
                parts.append(" ")
                if kind is self.kind:
                    parts.append((f"[{kind.value}]", "bold reverse $accent"))
                else:
                    parts.append(kind.value)
        return Content.assemble(*parts)
