"""BigDigits and FigurePanel in a running app: sizes, redraws, and a timer only while moving."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Static

from gluteterm.core.figure import Figure, parse_figure
from gluteterm.ui.widgets.big_digits import BigDigits
from gluteterm.ui.widgets.figure import FigurePanel
from tests.support import FakeClock

STAGING = Path(__file__).resolve().parent.parent / "gluteterm" / "drills"


def monster_walk() -> Figure:
    with (STAGING / "monster-walk.toml").open("rb") as f:
        return parse_figure(tomllib.load(f)["figure"], "monster-walk.toml")


class CountingDigits(BigDigits):
    renders = 0

    def render(self) -> Content:
        CountingDigits.renders += 1
        return super().render()


class DigitsApp(App[None]):
    CSS = "#digits { height: 10; } #rest { height: 1fr; }"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield CountingDigits("0:45", id="digits")
            yield Static("the rest of the runner", id="rest")


class FigureApp(App[None]):
    CSS = "FigurePanel { width: 40; height: 16; }"

    def __init__(self, figure: Figure | None) -> None:
        super().__init__()
        self.figure = figure

    def compose(self) -> ComposeResult:
        yield FigurePanel(self.figure, side="left")


def drawn_rows(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip())


async def test_big_digits_fill_at_least_8_of_10_rows_at_80x24() -> None:
    app = DigitsApp()
    async with app.run_test(size=(80, 24)) as pilot:
        digits = app.query_one(CountingDigits)
        await pilot.pause()
        lines = digits.lines()
        assert digits.size.height == 10
        assert drawn_rows(lines) >= 8
        assert all(len(line) <= 80 for line in lines)
        rendered = str(digits.render()).split("\n")
        assert len(rendered) <= 10
        assert all(len(line) <= 80 for line in rendered)


async def test_big_digits_at_160x45_are_16_rows_or_more() -> None:
    class Big(App[None]):
        CSS = "BigDigits { height: 18; }"

        def compose(self) -> ComposeResult:
            yield BigDigits("10:00")

    app = Big()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert drawn_rows(app.query_one(BigDigits).lines()) >= 16


async def test_big_digits_redraw_only_when_the_text_changes() -> None:
    app = DigitsApp()
    async with app.run_test(size=(80, 24)) as pilot:
        digits = app.query_one(CountingDigits)
        await pilot.pause()
        before = CountingDigits.renders
        digits.text = "0:45"
        await pilot.pause()
        assert CountingDigits.renders == before
        digits.text = "0:44"
        await pilot.pause()
        assert CountingDigits.renders > before


async def test_big_digits_show_text_the_font_lacks_as_plain_text() -> None:
    app = DigitsApp()
    async with app.run_test(size=(80, 24)) as pilot:
        digits = app.query_one(CountingDigits)
        digits.text = "[b]GO[/"
        await pilot.pause()
        assert "[b]GO[/" in str(digits.render())


async def test_still_figure_runs_no_timer() -> None:
    app = FigureApp(monster_walk())
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(FigurePanel)
        panel.still(0.5)
        await pilot.pause()
        assert not panel.animating
        lines = str(panel.render()).split("\n")
        assert len(lines) == 16
        assert all(len(line) == 40 for line in lines)
        assert drawn_rows(lines) > 4


async def test_cycling_figure_redraws_and_stops_when_still(clock: FakeClock) -> None:
    app = FigureApp(monster_walk())
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(FigurePanel)
        panel.cycle(2.0, origin=clock(), now=clock)
        await pilot.pause()
        assert panel.animating
        first = str(panel.render())
        clock.advance(0.5)  # a quarter of the cycle
        await pilot.pause(0.3)
        assert str(panel.render()) != first
        panel.still(0.0)
        await pilot.pause()
        assert not panel.animating


async def test_hidden_or_covered_figure_stops_its_timer(clock: FakeClock) -> None:
    app = FigureApp(monster_walk())
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(FigurePanel)
        panel.cycle(2.0, origin=clock(), now=clock)
        await pilot.pause()
        assert panel.animating
        panel.display = False
        await pilot.pause()
        assert not panel.animating
        panel.display = True
        await pilot.pause()
        assert panel.animating
        await app.push_screen(Screen())
        await pilot.pause()
        assert not panel.animating
        app.pop_screen()
        await pilot.pause()
        assert panel.animating


async def test_no_figure_draws_nothing_and_runs_no_timer(clock: FakeClock) -> None:
    app = FigureApp(None)
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(FigurePanel)
        panel.cycle(2.0, origin=clock(), now=clock)
        await pilot.pause()
        assert not panel.animating
        assert str(panel.render()).strip() == ""
        panel.figure = monster_walk()
        await pilot.pause()
        assert panel.animating


async def test_right_side_mirrors_the_panel() -> None:
    app = FigureApp(monster_walk())
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(FigurePanel)
        panel.still(0.5)
        await pilot.pause()
        left = str(panel.render())
        panel.side = "right"
        await pilot.pause()
        assert str(panel.render()) != left


async def test_a_tempo_goes_up_holds_at_the_top_and_comes_down(clock: FakeClock) -> None:
    app = FigureApp(monster_walk())
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(FigurePanel)
        panel.tempo(1.0, 2.0, 1.0, origin=clock(), now=clock)
        await pilot.pause()
        assert panel.animating and panel.phase == 0.0
        clock.advance(0.5)
        assert panel.phase == pytest.approx(0.25)  # half way up
        clock.advance(0.5)
        assert panel.phase == pytest.approx(0.5)  # the top ...
        clock.advance(1.9)
        assert panel.phase == pytest.approx(0.5)  # ... held for 2 s
        top = str(panel.render())
        clock.advance(0.6)
        assert panel.phase == pytest.approx(0.75)  # half way down
        await pilot.pause(0.3)
        assert str(panel.render()) != top
        clock.advance(0.5)
        assert panel.phase == pytest.approx(0.0)  # the next rep starts
        panel.tempo(float("nan"), 1.0, 1.0, origin=clock(), now=clock)
        await pilot.pause()
        assert not panel.animating and panel.phase == 0.0  # bad seconds hold still


class CoveredFigureApp(FigureApp):
    CSS = """
    Screen { layers: below above; }
    FigurePanel { width: 40; height: 16; layer: below; }
    #cover { layer: above; width: 10; height: 3; }
    """


async def test_direct_frames_only_where_nothing_covers_the_figure(clock: FakeClock) -> None:
    """A frame goes straight to the terminal only when the figure is whole and on
    top; a widget drawn over it (on a layer above) sends frames back through
    Textual's compositor, which paints what is on top."""
    app = CoveredFigureApp(monster_walk())
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(FigurePanel)
        panel.cycle(2.0, origin=clock(), now=clock)
        await pilot.pause()
        assert panel._uncovered()
        cover = Static("over the figure", id="cover")
        await app.mount(cover)
        await pilot.pause()
        assert not panel._uncovered()
        await cover.remove()
        await pilot.pause()
        assert panel._uncovered()
        await app.push_screen(Screen())
        await pilot.pause()
        assert not panel._uncovered()  # another screen on top
        app.pop_screen()
        await pilot.pause()
        # Headless (as here) every frame goes through the compositor.
        assert not panel._paint_direct(Region(0, 0, 4, 1))


def test_a_preview_moves_at_the_steps_tempo_then_the_drills_then_3_s() -> None:
    from gluteterm.store.drills import default_library
    from gluteterm.ui.widgets.figure import PREVIEW_SECONDS, preview_tempo

    library = default_library()
    bridge = library["glute-bridge"]
    assert bridge.default.tempo is not None
    up, hold, down = preview_tempo(bridge)  # the drill's own rep, with its hold
    assert up + hold + down == pytest.approx(bridge.default.tempo)
    assert hold == pytest.approx(bridge.default.tempo * (bridge.default.phases or (0, 0, 1))[1]
                                 / sum(bridge.default.phases or (1,)))  # fmt: skip
    hold_drill = library["glute-bridge-hold"]  # a timed hold: no tempo of its own
    assert preview_tempo(hold_drill) == (PREVIEW_SECONDS / 2, 0.0, PREVIEW_SECONDS / 2)


@pytest.mark.parametrize("today", ["2026-12-09", "2026-12-13", "2027-03-02", "2026-11-24"])
def test_the_heatmap_never_draws_past_its_width(today: str) -> None:
    """A month that starts in the newest week puts its name in the last column: the
    width has room for it, so at 80 columns the month row never wraps."""
    from datetime import date

    from textual.geometry import Size

    from gluteterm.ui.widgets.heatmap import CalendarHeatmap

    heatmap = CalendarHeatmap()
    heatmap.today = date.fromisoformat(today)
    width = heatmap.get_content_width(Size(80, 24), Size(80, 24))
    lines = heatmap.render().split("\n")
    assert max(line.cell_length for line in lines) <= width
