"""The build dialog on home (b): minutes, remembered equipment and focus; run or save the plan."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Static

from gluteterm.store import paths
from gluteterm.store.plans import load_plan
from gluteterm.store.settings import load_settings
from gluteterm.ui.screens.ask import AskScreen
from gluteterm.ui.screens.build import KIT, BuildScreen
from gluteterm.ui.screens.home import HomeScreen
from gluteterm.ui.screens.runner import RunnerScreen
from tests.support import FakeClock, build_app, wait_for_workers


def plan_text(screen: Any) -> str:
    return str(screen.query_one("#build-plan-text", Static).content)


def ticked(screen: Any) -> set[str]:
    return {box.name for box in screen.query(Checkbox) if box.value}


async def open_dialog(pilot: Any) -> BuildScreen:
    await wait_for_workers(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("b")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BuildScreen)
    return screen


async def build_for(pilot: Any, minutes: str, kit: set[str], focus: int = 0) -> BuildScreen:
    """Open the dialog, fill it in as a user would, press Enter, wait for the plan."""
    screen = await open_dialog(pilot)
    screen.query_one("#build-minutes", Input).value = minutes
    for box in screen.query(Checkbox):
        box.value = box.name in kit
    focus_set = screen.query_one("#build-focus", RadioSet)
    list(focus_set.query(RadioButton))[focus].value = True
    await pilot.press("enter")
    await wait_for_workers(pilot)
    return screen


async def test_b_opens_the_dialog_with_the_remembered_equipment() -> None:
    paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file().write_text('equipment = ["band", "bench"]\n')
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dialog(pilot)
        assert ticked(screen) == {"band", "box"}  # "bench" is the box-or-bench box
        assert len(list(screen.query(Checkbox))) == len(KIT)
        assert "press Enter to build" in plan_text(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_eight_minutes_with_a_band_has_no_roller_and_enter_runs_it() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await build_for(pilot, "8", {"band"})
        loaded = screen.built
        assert loaded is not None and screen._current() is loaded
        steps = loaded.plan.steps
        assert all("foam roller" not in s.equipment for s in steps)
        assert all(set(s.equipment) <= {"mini band"} for s in steps)
        assert any("mini band" in s.equipment for s in steps)
        shown = plan_text(screen)
        assert "Foam roll" not in shown
        assert "min in all" in shown and f"{len(steps)} steps" in shown
        for number, step in enumerate(steps, start=1):
            assert f"{number:>2} {step.short_dose():<11} {step.name}" in shown
        await pilot.press("enter")
        await wait_for_workers(pilot)
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        assert str(runner.query_one("#step-name", Static).content) == steps[0].name


async def test_a_changed_form_outdates_the_plan_until_built_again() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await build_for(pilot, "8", {"band"})
        screen.query_one("#kit-roller", Checkbox).value = True
        await pilot.pause()
        assert screen._current() is None
        assert "Options changed" in plan_text(screen)
        await pilot.press("r", "s")  # neither runs nor saves an outdated plan
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("enter")
        await wait_for_workers(pilot)
        loaded = screen._current()
        assert loaded is not None
        assert any("foam roller" in s.equipment for s in loaded.plan.steps)


async def test_s_saves_under_the_users_sessions_and_a_shipped_name_is_refused() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await build_for(pilot, "8", {"band"}, focus=1)
        await pilot.press("s")
        await pilot.pause()
        ask = app.screen
        assert isinstance(ask, AskScreen)
        ask.query_one(Input).value = "Quick"  # a shipped session's id
        await pilot.press("enter")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, AskScreen)
        assert "'quick' exists already" in again.question
        assert again.query_one(Input).value == "Quick 2"
        assert not (paths.user_sessions_dir() / "quick.toml").exists()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one(Input).value = "Band day [b]"
        await pilot.press("enter")
        await pilot.pause()
        saved = paths.user_sessions_dir() / "band-day-b.toml"
        assert saved.is_file()
        plan = load_plan(saved).plan
        assert plan.title == "Band day [b]"
        assert all("foam roller" not in s.equipment for s in plan.steps)
        assert app.screen is screen and "Band day [b]" in plan_text(screen)
        await pilot.press("r")  # runs the saved copy: the log files it under its id
        await wait_for_workers(pilot)
        assert isinstance(app.screen, RunnerScreen) and app.screen.session.plan.id == "band-day-b"


async def test_three_minutes_says_what_the_shortest_is() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await build_for(pilot, "2", {"band"})
        shown = plan_text(screen)
        assert shown.startswith("No plan: 2 min is too short")
        assert "ask for at least" in shown
        await pilot.press("r", "s")  # nothing to run or save
        await pilot.pause()
        assert app.screen is screen and screen.built is None


async def test_minutes_out_of_range_are_refused_before_building() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await build_for(pilot, "500", set())
        assert screen.built is None and "press Enter to build" in plan_text(screen)
        assert any("Between 1 and 30" in n.message for n in app._notifications)


async def test_the_equipment_is_remembered_in_config_keeping_comments() -> None:
    config = paths.settings_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("# my settings\nmute = false  # keep it loud\n")
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await build_for(pilot, "10", {"band", "roller"})
    text = config.read_text()
    assert text.startswith("# my settings\nmute = false  # keep it loud\n")
    assert 'equipment = ["band", "roller"]' in text
    assert load_settings(config)[0].equipment == ["band", "roller"]
    assert load_settings(config)[1] == ""
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dialog(pilot)
        assert ticked(screen) == {"band", "roller"}


async def test_a_broken_config_is_never_rewritten_and_the_reason_is_shown() -> None:
    config = paths.settings_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    broken = b"# mine\nmute = tru\n"
    config.write_bytes(broken)
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await build_for(pilot, "8", {"chair"})
        assert screen.built is not None  # the plan is built all the same
        said = [n.message for n in app._notifications if n.message.startswith("Equipment")]
        assert said and "not saved" in said[0] and str(config) in said[0]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("b")  # remembered for this run all the same
        await pilot.pause()
        assert ticked(app.screen) == {"chair"}
    assert config.read_bytes() == broken


def test_unknown_equipment_words_in_config_are_dropped_with_a_warning() -> None:
    config = paths.settings_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('equipment = ["band", "kettlebell", 3]\n')
    settings, warning = load_settings(config)
    assert settings.equipment == ["band"]
    assert "'equipment': expected a list of at most 12 words" in warning
    config.write_text('equipment = "band"\n')
    assert load_settings(config)[0].equipment == []


async def test_enter_typed_right_after_the_minutes_builds_for_those_minutes() -> None:
    from textual import events

    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dialog(pilot)
        assert screen.query_one("#build-minutes", Input).value == "10"  # selected: typing replaces
        for key, character in (("8", "8"), ("enter", "\r")):  # as fast as a paste
            app.post_message(events.Key(key, character))
        await wait_for_workers(pilot)
        assert screen.built_for is not None and screen.built_for.minutes == 8
        assert screen._current() is screen.built


async def test_over_30_minutes_says_the_builder_stops_there() -> None:
    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await build_for(pilot, "45", {"band"})
        assert screen.built is None and "press Enter to build" in plan_text(screen)
        said = [n.message for n in app._notifications]
        assert any("longest warm-up is 30 minutes" in m and "Between 1 and 30" in m for m in said)


async def test_the_summary_of_a_built_plan_offers_to_save_it() -> None:
    from gluteterm.ui.screens.summary import SummaryScreen

    app = build_app(FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await build_for(pilot, "8", {"band"})
        await pilot.press("enter")  # run it
        await wait_for_workers(pilot)
        assert isinstance(app.screen, RunnerScreen)
        await pilot.press("q", "y")  # end early: the summary
        await wait_for_workers(pilot)
        summary: Any = app.screen
        assert isinstance(summary, SummaryScreen) and summary.unsaved
        offer = str(summary.query_one("#summary-save", Static).content)
        assert "s saves it" in offer
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        app.screen.query_one(Input).value = "Tuesday band"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is summary and not summary.unsaved
        assert "Saved as 'tuesday-band'" in str(summary.query_one("#summary-save", Static).content)
        assert load_plan(paths.user_sessions_dir() / "tuesday-band.toml").plan.title == (
            "Tuesday band"
        )
        await pilot.press("s")  # saved once: s does nothing more
        await pilot.pause()
        assert app.screen is summary
