"""The command palette finds the app's own things: sessions, drills, history, fit, sound."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandList, CommandPalette

from gluteterm.ui.commands import GlutetermCommands
from gluteterm.ui.screens.ask import AskScreen
from gluteterm.ui.screens.drill_browser import DrillBrowserScreen
from gluteterm.ui.screens.history import HistoryScreen
from gluteterm.ui.screens.runner import RunnerScreen
from tests.support import FakeClock, RecordingPlayer, build_app, wait_for_workers


async def palette(pilot: Any, query: str) -> list[str]:
    """Open the palette, type `query`, and return what it offers, best first."""
    await wait_for_workers(pilot)
    await pilot.press("ctrl+p")
    await wait_for_workers(pilot)
    assert CommandPalette.is_open(pilot.app)
    await pilot.press(*query)
    shown: list[str] = []
    for _ in range(40):  # the palette gathers hits in a worker, in batches: wait for the last
        await pilot.pause(0.05)
        found = pilot.app.screen.query_one(CommandList)
        now = [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]
        if now and now == shown:
            break
        shown = now
    return shown


async def choose_first(pilot: Any) -> None:
    """Run the best hit (the one `palette` returned first)."""
    pilot.app.screen.query_one(CommandList).highlighted = 0
    await pilot.press("enter")
    await wait_for_workers(pilot)


async def test_start_quick_from_the_palette_runs_it() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        offered = await palette(pilot, "Start: Quick")
        assert offered[0].startswith("Start: Quick (")
        await choose_first(pilot)
        assert isinstance(app.screen, RunnerScreen)
        assert app.session is not None and app.session.plan.id == "quick"


async def test_drill_from_the_palette_opens_its_card() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        offered = await palette(pilot, "Drill: Monster walk")
        assert offered[0].startswith("Drill: Monster walk")
        await choose_first(pilot)
        screen = app.screen
        assert isinstance(screen, DrillBrowserScreen)
        assert screen.has_class("-card-open")
        assert str(screen.query_one("#drill-card-text").render()).startswith("Monster walk")


async def test_mute_toggles_and_voice_too() -> None:
    player = RecordingPlayer()
    app = build_app(FakeClock(), player=player)
    async with app.run_test(size=(80, 24)) as pilot:
        assert not player.muted
        offered = await palette(pilot, "mute sound")
        assert offered[0].startswith("Mute sound cues")
        await choose_first(pilot)
        assert player.muted
        offered = await palette(pilot, "unmute")
        assert offered[0].startswith("Unmute sound cues")
        await choose_first(pilot)
        assert not player.muted
        offered = await palette(pilot, "voice off")
        await choose_first(pilot)
        assert not player.voice


async def test_history_browser_and_fit_from_home() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await palette(pilot, "History")
        await choose_first(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        offered = await palette(pilot, "Fit the highlighted")
        assert offered[0].startswith("Fit the highlighted session to N minutes")
        await choose_first(pilot)
        assert isinstance(app.screen, AskScreen)


async def test_edit_build_and_test_from_home() -> None:
    from gluteterm.ui.screens.build import BuildScreen
    from gluteterm.ui.screens.editor import EditorScreen

    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        for query, screen in [
            ("Edit the highlighted", EditorScreen),
            ("Build a warm", BuildScreen),
        ]:
            offered = await palette(pilot, query)
            assert offered[0].startswith(query)
            await choose_first(pilot)
            assert isinstance(app.screen, screen), query
            await pilot.press("escape")
            await wait_for_workers(pilot)
        offered = await palette(pilot, "Test where you stand")
        assert offered[0].startswith("Test where you stand")
        await choose_first(pilot)
        assert isinstance(app.screen, RunnerScreen) and app.session is not None
        assert app.session.KIND == "assessment"


async def test_empty_palette_shows_the_apps_things() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        offered = await palette(pilot, "")
        assert any(o.startswith("Start: Quick") for o in offered)
        assert any(o.startswith("Drill: ") for o in offered)
        assert "Drill browser" in " ".join(offered) and "Quit" in " ".join(offered)


async def test_no_screenshot_entry_writes_outside_the_apps_folders() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        offered = await palette(pilot, "")
        assert "Quit" in " ".join(offered) and "Screenshot" not in " ".join(offered)


async def test_during_a_session_only_sound_and_voice_are_offered() -> None:
    app = build_app(
        FakeClock(), 'title = "T"\n[[step]]\nname = "Bridge"\nkind = "stability"\nhold = 30\n'
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(pilot)
        provider = GlutetermCommands(app.screen)
        await provider.startup()
        assert provider.offer.sessions  # read, yet not offered while the session is live
        texts = [c.text for c in provider.commands()]
        assert texts == ["Mute sound cues", "Voice off"]


async def test_a_session_title_with_markup_is_shown_literally(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "odd.toml").write_text(
        'title = "[bold]Odd[/"\n[[step]]\nname = "Bridge"\nkind = "stability"\nhold = 30\n',
        encoding="utf-8",
    )
    app = build_app(FakeClock(), user_sessions=mine)
    async with app.run_test(size=(100, 30)) as pilot:
        offered = await palette(pilot, "Odd")
        assert any(o.startswith("Start: [bold]Odd[/ (") for o in offered)
