"""The drill browser: filtered as you type, the card with its ladder, level and history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from gluteterm.core.record import SessionRecord, StepLog
from gluteterm.store.log import encode, file_name
from gluteterm.ui.screens.drill_browser import Catalogue, DrillBrowserScreen, card_text, matches
from tests.support import REPO, FakeClock, build_app, make_store, wait_for_workers

LEVELS = """\
version = 2
[ladders]
glute-bridge = "single-leg-bridge"
"""


def write_levels() -> None:
    store = make_store()
    store.levels_file.parent.mkdir(parents=True, exist_ok=True)
    store.levels_file.write_text(LEVELS, encoding="utf-8")


def write_session(days_ago: int, steps: list[tuple[str | None, str]]) -> None:
    """A session in the log `days_ago` days back, its steps as (drill id, status)."""
    store = make_store()
    started = datetime.now().astimezone().replace(hour=8) - timedelta(days=days_ago)
    record = SessionRecord(
        session="quick", title="Quick", started=started,
        ended=started + timedelta(minutes=6), status="completed",
        planned_steps=len(steps), active_seconds=360.0,
        steps=tuple(
            StepLog(n, f"Step {n}", "stability", status, 30.0, 30.0, drill=drill)
            for n, (drill, status) in enumerate(steps, start=1)
        ),
    )  # fmt: skip
    store.log_dir.mkdir(parents=True, exist_ok=True)
    (store.log_dir / file_name(started, "quick")).write_bytes(encode(record))


def card(app: App[Any]) -> str:
    screen = app.screen
    return str(screen.query_one("#drill-card-text", Static).render())


async def open_browser(pilot: Pilot[Any]) -> DrillBrowserScreen:
    await wait_for_workers(pilot)
    await pilot.press("d")
    await wait_for_workers(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DrillBrowserScreen)
    return screen


def test_every_word_must_match_name_id_kind_equipment_or_muscle() -> None:
    library = make_store().drills()
    walk = library["monster-walk"]
    assert matches(walk, "monster")
    assert matches(walk, "BAND medius")  # equipment and muscle, any case
    assert matches(walk, "stability")
    assert not matches(walk, "monster ball")
    assert not matches(library["glute-bridge"], "band")


def test_the_card_tells_the_ladder_by_name_once_with_the_level_and_history() -> None:
    library = make_store().drills()
    drills = {i: library[i] for i in library}
    catalogue = Catalogue(
        drills, levels={"glute-bridge": "single-leg-bridge"},
        history={"glute-bridge": (3, date(2026, 11, 22))},
    )  # fmt: skip
    text = card_text(drills["glute-bridge"], catalogue, date(2026, 11, 24))
    assert "Ladder: (easiest) Glute bridge -> Single-leg bridge" in text
    assert "You are at: Single-leg bridge\n" in text
    assert "Done: in 3 sessions, last 2 days ago" in text
    assert text.count("Ladder:") == 1
    assert "  the whole ladder: Glute bridge > Single-leg bridge (you) > " in text
    # still reading the log; a drill on no ladder
    text = card_text(drills["foam-roll-glutes"], Catalogue(drills), date(2026, 11, 24))
    assert "Done: reading the log..." in text
    assert "Ladder: none" in text and "You are at" not in text


def test_drill_history_counts_sessions_that_did_it_not_skipped_steps() -> None:
    write_session(1, [("glute-bridge", "done"), ("glute-bridge", "done")])
    write_session(3, [("glute-bridge", "partial"), ("monster-walk", "skipped")])
    write_session(5, [(None, "done")])
    history = make_store().drill_history()
    today = datetime.now().astimezone().date()
    assert history == {"glute-bridge": (2, today - timedelta(days=1))}


async def test_typing_filters_the_list() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(pilot)
        everything = list(screen.shown)
        assert len(everything) >= 24
        await pilot.press(*"band")
        await pilot.pause()
        assert 0 < len(screen.shown) < len(everything)
        assert all(matches(screen.catalogue.drills[i], "band") for i in screen.shown)
        assert "glute-bridge" not in screen.shown
        await pilot.press(*" medius monster")
        await pilot.pause()
        assert screen.shown == ["monster-walk"]
        assert screen.query_one("#drill-list", OptionList).option_count == 1
        title = screen.query_one("#browser-title", Static)
        assert "1 of 43 drills match 'band medius monster'" in str(title.content)
        await pilot.press(*"zz")
        await pilot.pause()
        assert screen.shown == [] and "No drill matches" in str(title.content)


async def test_enter_shows_the_card_with_ladder_level_and_history_and_esc_goes_back() -> None:
    write_levels()
    write_session(2, [("glute-bridge", "done")])
    app = build_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(pilot)
        card_box = screen.query_one("#drill-card")
        assert not card_box.display or card_box.region.width == 0  # narrow: the list only
        await pilot.press(*"glute-bridge")
        await pilot.pause()
        assert screen.shown[0] == "glute-bridge"
        await pilot.press("enter")
        await wait_for_workers(pilot)
        assert screen.query_one("#drill-card").region.width >= 70  # the card, full width
        text = card(app)
        assert text.startswith("Glute bridge  (glute-bridge)")
        assert "Ladder: (easiest) Glute bridge -> Single-leg bridge" in text
        assert "You are at: Single-leg bridge" in text
        assert "Done: in 1 session, last 2 days ago" in text
        await pilot.press("escape")  # closes the card
        await pilot.pause()
        assert app.screen is screen and not screen.has_class("-card-open")
        await pilot.press("escape")  # leaves
        await pilot.pause()
        assert not isinstance(app.screen, DrillBrowserScreen)


async def test_wide_shows_list_and_card_side_by_side_following_the_highlight() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_browser(pilot)
        listing, card_box = screen.query_one("#drill-list"), screen.query_one("#drill-card")
        assert listing.region.width >= 36 and card_box.region.width >= 80
        first = card(app)
        await pilot.press("down")  # from the filter: moves in the list
        await pilot.pause()
        assert card(app) != first
        assert card(app).startswith(screen.catalogue.drills[screen.shown[1]].name)


async def test_the_users_own_drill_is_marked_as_theirs() -> None:
    drills = make_store().drills()
    folder = drills.user_dir
    assert folder is not None
    folder.mkdir(parents=True)
    shipped = (REPO / "gluteterm" / "drills" / "glute-bridge.toml").read_text()
    (folder / "glute-bridge.toml").write_text(shipped.replace('"Glute bridge"', '"My bridge"'))
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_browser(pilot)
        assert set(screen.catalogue.mine) == {"glute-bridge"}
        await pilot.press(*"my bridge")
        await pilot.pause()
        prompt = str(screen.query_one("#drill-list", OptionList).get_option_at_index(0).prompt)
        assert prompt.startswith("My bridge  yours")
        await pilot.press("enter")
        await pilot.pause()
        assert f"Your own drill, from {folder / 'glute-bridge.toml'}" in card(app)


async def test_a_ladder_through_a_broken_drill_says_which() -> None:
    folder = make_store().drills().user_dir
    assert folder is not None
    folder.mkdir(parents=True)
    (folder / "monster-walk.toml").write_text('version = 1\nname = "[/"\n', encoding="utf-8")
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_browser(pilot)
        await pilot.press(*"lateral band walk", "enter")
        await pilot.pause()
        text = card(app)
        assert "Ladder: broken at 'monster-walk', whose file cannot be used" in text, text
        assert "not in the library" not in text


async def test_a_broken_user_drill_is_listed_and_says_why() -> None:
    drills = make_store().drills()
    folder = drills.user_dir
    assert folder is not None
    folder.mkdir(parents=True)
    (folder / "wobbly.toml").write_text('version = 1\nname = "[/"\n', encoding="utf-8")
    app = build_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browser(pilot)
        assert "wobbly" in screen.catalogue.broken
        await pilot.press(*"wobbly", "enter")
        await pilot.pause()
        assert card(app).startswith("wobbly cannot be used")


async def test_the_card_shows_the_drill_moving_in_time_with_its_rep() -> None:
    from gluteterm.ui.widgets.figure import FigurePanel

    clock = FakeClock()
    app = build_app(clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_browser(pilot)
        panel = screen.query_one("#drill-figure", FigurePanel)
        drill = screen.catalogue.drills[screen.shown[0]]
        assert panel.figure is drill.figure and panel.moving and panel.animating
        start = list(panel._lines)
        assert any(c.strip() for c in "".join(start))
        clock.advance((drill.default.tempo or 3.0) / 2)  # half a rep: the top pose
        await pilot.pause(0.5)
        assert panel._lines != start
        await pilot.press("down")  # another drill, another figure
        await pilot.pause()
        assert panel.figure is screen.catalogue.drills[screen.shown[1]].figure
