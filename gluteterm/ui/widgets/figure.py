"""FigurePanel: a stick figure doing the drill, still or moving in time with the reps."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from gluteterm.core.figure import Figure
from gluteterm.core.figure import render as render_figure

#: The most frames a second the panel draws while moving.
MAX_FPS = 8


class FigurePanel(Widget):
    """Draws `figure` for `side` ("left", "right" or None), still or cycling.

    `still(phase)` shows one pose and runs no timer. `cycle(seconds, origin,
    now)` plays one cycle (start, top, start) every `seconds`, phase 0 at the
    monotonic moment `origin` on the clock `now`; a timer of at most
    `MAX_FPS` a second runs only while the panel is moving, displayed and on
    the top screen, and a frame is redrawn only when its dots change.
    """

    DEFAULT_CSS = """
    FigurePanel {
        width: 1fr;
        height: 1fr;
        color: $accent;
    }
    """

    def __init__(
        self,
        figure: Figure | None = None,
        side: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._figure = figure
        self._side = side
        self._phase = 0.0
        self._period: float | None = None  # seconds a cycle while moving, else None
        self._origin = 0.0
        self._now: Callable[[], float] = time.monotonic
        self._timer: Timer | None = None
        self._lines: list[str] = []

    # --- public face ------------------------------------------------------

    @property
    def figure(self) -> Figure | None:
        return self._figure

    @figure.setter
    def figure(self, figure: Figure | None) -> None:
        if figure is not self._figure:
            self._figure = figure
            self._redraw()
            self._sync_timer()

    @property
    def side(self) -> str | None:
        return self._side

    @side.setter
    def side(self, side: str | None) -> None:
        if side != self._side:
            self._side = side
            self._redraw()

    @property
    def phase(self) -> float:
        """Where in its cycle the figure is now (0 the start pose, 0.5 the top)."""
        return self._phase_now()

    @property
    def moving(self) -> bool:
        """Whether the figure is cycling (it may still be off screen)."""
        return self._period is not None

    @property
    def animating(self) -> bool:
        """Whether a frame timer is running now."""
        return self._timer is not None

    def still(self, pose_phase: float = 0.0) -> None:
        """Hold one pose: 0 the start pose, 0.5 the top; stops any timer."""
        self._period = None
        self._phase = pose_phase % 1.0
        self._sync_timer()
        self._redraw()

    def cycle(
        self,
        seconds_per_cycle: float,
        origin: float,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        """Move through one cycle every `seconds_per_cycle`, phase 0 at `origin` on `now`."""
        if not seconds_per_cycle > 0:
            self.still(0.0)
            return
        self._period = seconds_per_cycle
        self._origin = origin
        self._now = now
        self._phase = self._phase_now()
        self._sync_timer()
        self._redraw()

    # --- drawing ----------------------------------------------------------

    def _phase_now(self) -> float:
        if self._period is None:
            return self._phase
        return ((self._now() - self._origin) / self._period) % 1.0

    def _frame(self) -> list[str]:
        width, height = self.size
        if self._figure is None or width < 1 or height < 1:
            return []
        return render_figure(self._figure, self._phase, self._side, width, height)

    def _redraw(self) -> None:
        lines = self._frame()
        if lines != self._lines:
            self._lines = lines
            self.refresh()

    def render(self) -> Content:
        self._lines = self._frame()
        return Content("\n".join(self._lines))

    def _tick(self) -> None:
        self._phase = self._phase_now()
        self._redraw()

    # --- the timer runs only while moving and seen -------------------------

    def _seen(self) -> bool:
        if not self.is_mounted or not self.display:
            return False
        try:
            # Only the top screen counts: under a dialog the figure holds still.
            return self.screen.is_active and self.is_on_screen
        except Exception:  # no screen yet, or being removed
            return False

    def _sync_timer(self) -> None:
        want = self._period is not None and self._figure is not None and self._seen()
        if want and self._timer is None:
            self._timer = self.set_interval(1 / MAX_FPS, self._tick)
        elif not want and self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._on_screen_change)

    def _on_screen_change(self, screen: Screen[object]) -> None:
        self._sync_timer()

    def on_show(self, event: events.Show) -> None:
        self._sync_timer()

    def on_hide(self, event: events.Hide) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_resize(self, event: events.Resize) -> None:
        self._sync_timer()

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
