"""FigurePanel: a stick figure doing the drill, still or moving in time with the reps."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual._compositor import LayoutUpdate
from textual.content import Content
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from gluteterm.core.drill import Drill
from gluteterm.core.figure import Figure, tempo_phase
from gluteterm.core.figure import render as render_figure
from gluteterm.core.plan import Step, phase_split

#: The most frames a second the panel draws while moving. Through Textual's
#: compositor a frame cost about 2 ms of CPU (every widget whose clip overlaps the
#: change is asked for its lines), which held the figure to 3 a second under the
#: 2 % limit; written straight to the terminal (`FigurePanel._paint_direct`) a
#: frame costs about 0.1 % of a core a second: 10 a second took 1.72 % with the
#: countdown's own 0.83 % (`python -m tests.bench --only cpu`), and a 2 s rep is 20 frames.
MAX_FPS = 10
#: Seconds a preview cycle takes when neither the step nor the drill paces its reps.
PREVIEW_SECONDS = 3.0
#: Frames kept for reuse (a cycle at MAX_FPS keeps MAX_FPS a second of its length).
MAX_KEPT_FRAMES = 256


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
    FigurePanel > .figurepanel--band {
        color: #F0E442;
    }
    """
    #: The band's colour (where colour is on): Okabe-Ito yellow, apart from every
    #: state colour the runner gives the figure.
    COMPONENT_CLASSES = {"figurepanel--band"}
    #: Send moving frames straight to the terminal where nothing covers the figure
    #: (`_paint_direct`); False makes every frame go through Textual's compositor.
    direct_frames = True

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
        self._tempo: tuple[float, float, float] | None = None  # up, hold, down seconds
        self._origin = 0.0
        self._now: Callable[[], float] = time.monotonic
        self._timer: Timer | None = None
        self._lines: list[str] = []
        self._drawn_size = Size(0, 0)  # the size `_lines` was drawn for
        self._strips: dict[int, Strip] = {}  # rows of `_lines` as strips, made on demand
        self._strip_style: RichStyle | None = None  # the style `_strips` were made in
        self._band: frozenset[int] = frozenset()  # cells of `_lines` the band is in
        self._frames: dict[float, tuple[list[str], frozenset[int]]] = {}  # by phase, for ...
        self._frames_key: tuple[object, ...] = ()  # ... this figure, side and size

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
        if not seconds_per_cycle > 0 or not math.isfinite(seconds_per_cycle):
            self.still(0.0)
            return
        self._tempo = None
        self._start(seconds_per_cycle, origin, now)

    def tempo(
        self,
        up: float,
        hold: float,
        down: float,
        origin: float,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        """Move rep by rep: `up` seconds to the top pose, `hold` there, `down` back to
        the start, then again; the first rep starts at `origin` on `now`.

        A plan's `tempo = [up, hold, down]` plays through this. Seconds that are not
        finite, negative or add up to nothing hold the start pose instead."""
        parts = (up, hold, down)
        if not all(math.isfinite(p) and p >= 0 for p in parts) or not sum(parts) > 0:
            self.still(0.0)
            return
        self._tempo = parts
        self._start(sum(parts), origin, now)

    def _start(self, seconds_per_cycle: float, origin: float, now: Callable[[], float]) -> None:
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
        if self._tempo is not None:
            return tempo_phase(self._now() - self._origin, *self._tempo)
        return ((self._now() - self._origin) / self._period) % 1.0

    def _frame(self) -> tuple[list[str], frozenset[int]]:
        """The frame for the current phase and size; while moving, one of a cycle's
        frames (a cycle is cut into as many steps as it has frames at `MAX_FPS`),
        each drawn once and kept, so a long set of reps costs no drawing after its first."""
        width, height = self.size
        if self._figure is None or width < 1 or height < 1:
            return [], frozenset()
        phase = self._phase
        if self._period is not None:
            steps = max(2, round(self._period * MAX_FPS))
            phase = round(phase * steps) % steps / steps
        key = (self._figure, self._side, width, height)
        if key != self._frames_key or len(self._frames) > MAX_KEPT_FRAMES:
            self._frames, self._frames_key = {}, key
        frame = self._frames.get(phase)
        if frame is None:
            band: set[int] = set()
            lines = render_figure(self._figure, phase, self._side, width, height, band)
            frame = self._frames[phase] = (lines, frozenset(band))
        return frame

    def _redraw(self) -> None:
        """Draw the frame for the current phase; refresh only the rows whose dots changed."""
        lines, band = self._frame()
        if lines == self._lines and band == self._band and self._drawn_size == self.size:
            return
        old, resized = self._lines, self._drawn_size != self.size
        old_band = self._band
        self._lines, self._band, self._drawn_size = lines, band, self.size
        if resized or len(old) != len(lines):
            self._strips = {}
            self.refresh()
            return
        width = self.size.width
        band_rows = {cell // width for cell in band ^ old_band} if width else set()
        changed = [
            y
            for y, (was, now) in enumerate(zip(old, lines, strict=True))
            if was != now or y in band_rows
        ]
        for y in changed:
            self._strips.pop(y, None)
        top = changed[0]
        rows = Region(0, top, self.size.width, changed[-1] - top + 1)
        if not self._paint_direct(rows):
            # Only the band of rows that changed is composited and sent to the terminal.
            self.refresh(rows)

    def _paint_direct(self, rows: Region) -> bool:
        """Send `rows` (of the content) straight to the terminal; False if Textual must.

        Textual's compositor asks every widget whose clip overlaps a change for its
        lines, so a frame through `refresh` costs the runner's other widgets too
        (about 2 ms of CPU a frame). A figure frame needs none of them: where the
        figure is on the top screen, whole and uncovered, its changed rows are
        written as one update, the strips cached per row; the styles cache is told
        they changed, so any later repaint by Textual draws the same frame.
        """
        if not self.direct_frames:
            return False
        app = self.app
        try:
            if app.is_headless or app._batch_count or not self._uncovered():
                return False
            box = self.content_region
            strips: list[Iterable[Strip]] = [
                [self.render_line(y)] for y in range(rows.y, rows.bottom)
            ]
            self._styles_cache.set_dirty(rows.translate(self.content_offset))
            update = LayoutUpdate(strips, Region(box.x, box.y + rows.y, box.width, rows.height))
            app._display(self.screen, update)
        except Exception:  # Textual's internals moved: the ordinary path still works
            return False
        return True

    def _uncovered(self) -> bool:
        """Whether the figure is on the top screen and nothing is drawn over it."""
        screen = self.screen
        if self.app.screen is not screen or self._repaint_required or self._layout_required:
            return False
        box = self.content_region
        if box.width < 1 or box.height < 1:
            return False
        corners = (
            (box.x, box.y),
            (box.right - 1, box.y),
            (box.x, box.bottom - 1),
            (box.right - 1, box.bottom - 1),
        )
        try:
            return all(screen.get_widget_at(x, y)[0] is self for x, y in corners)
        except Exception:  # off screen, or the layout is being rebuilt
            return False

    def render(self) -> Content:
        """The frame as text (what `render_line` draws, row by row)."""
        return Content("\n".join(self._frame()[0]))

    def render_line(self, y: int) -> Strip:
        """One row of the frame, drawn straight to a strip: no text layout per frame."""
        if self._drawn_size != self.size:
            (self._lines, self._band), self._drawn_size = self._frame(), self.size
            self._strips = {}
        style = self.visual_style.rich_style  # a state's colour, or the flash
        if style != self._strip_style:
            self._strips, self._strip_style = {}, style
        strip = self._strips.get(y)
        if strip is None:
            width = self.size.width
            text = self._lines[y] if y < len(self._lines) else ""
            strip = Strip(self._segments(text[:width].ljust(width), y, style), width)
            self._strips[y] = strip
        return strip

    def _segments(self, text: str, y: int, style: RichStyle) -> list[Segment]:
        """A row as segments: the band's cells in the band's colour, the rest in `style`."""
        width = self.size.width
        start = y * width
        marked = [x for x in range(len(text)) if start + x in self._band]
        if not marked:
            return [Segment(text, style)]
        band_style = style + self.get_component_rich_style("figurepanel--band", partial=True)
        segments, x = [], 0
        for col in marked:
            if col > x:
                segments.append(Segment(text[x:col], style))
            segments.append(Segment(text[col], band_style))
            x = col + 1
        if x < len(text):
            segments.append(Segment(text[x:], style))
        return segments

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

    def _on_screen_change(self, screen: Screen[object]) -> None:  # noqa: ARG002
        # A Signal hands its callback the new screen; any change is only a cue to
        # re-check whether the figure is seen, which `_seen` asks the widget itself.
        self._sync_timer()

    # Textual calls a handler without its event when it takes none: these need none.
    def on_show(self) -> None:
        self._sync_timer()

    def on_hide(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_resize(self) -> None:
        self._sync_timer()

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


def preview_tempo(drill: Drill, step: Step | None = None) -> tuple[float, float, float]:
    """Up, hold and down seconds of one rep of a drill's preview: the step's paced rep,
    else the drill's default one (`tempo = [up, hold, down]` keeps its hold), else
    PREVIEW_SECONDS, half up and half down."""
    phases = step.rep_phases() if step is not None else None
    if phases is None and drill.default.tempo is not None and drill.default.tempo > 0:
        phases = phase_split(drill.default.tempo, drill.default.phases)
    if phases is None or not sum(phases) > 0:
        return (PREVIEW_SECONDS / 2, 0.0, PREVIEW_SECONDS / 2)
    return phases


def app_clock(widget: Widget) -> Callable[[], float]:
    """The app's monotonic clock (a test's fake one), else `time.monotonic`."""
    now = getattr(widget.app, "now", None)
    return now if callable(now) else time.monotonic
