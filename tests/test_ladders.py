"""Ladders from the drill library: levels kept per ladder, migrated, shown and progressed."""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from gluteterm.core.progression import Levels, at_levels, suggestions
from gluteterm.core.record import SessionRecord, StepLog
from gluteterm.store import paths
from gluteterm.store.log import read_record
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.screens.summary import SummaryScreen
from tests.support import FakeClock, advance, build_app, make_store

V1 = """\
version = 1

[levels.quick]
"Glute bridge" = 1
"Side-lying hip abduction" = 2

[levels.unlock-and-activate]
"Glute bridge, both feet" = 0

[levels.my-own]
"Bridge" = 2
"""


def test_levels_from_before_the_drill_library_survive_the_change() -> None:
    store = make_store()
    store.levels_file.parent.mkdir(parents=True)
    store.levels_file.write_text(V1)
    levels, problem = store.levels()
    assert problem == ""
    # quick's bridge was one up: the bridge ladder is at the single-leg bridge (the higher
    # of the two sessions' levels wins); abduction moved to its third rung
    assert levels.ladders == {
        "glute-bridge": "single-leg-bridge",
        "side-lying-abduction": "standing-band-abduction",
    }
    assert levels.steps == {"my-own": {"Bridge": 2}}  # not a library step: kept as it was
    assert store.levels_file.with_name("levels.v1.toml").read_text() == V1
    assert "version = 2" in store.levels_file.read_text()
    # read again: already migrated, same answer
    assert store.levels() == (levels, "")


def test_a_level_runs_as_its_drill_with_its_sides_and_the_next_step_moves_too() -> None:
    plan = make_store().plan("unlock-and-activate").plan
    today, names = at_levels(plan, Levels({"glute-bridge": "single-leg-bridge"}))
    bridges = [(s.drill, s.per_side) for s in today.steps if s.drill and "bridge" in s.drill]
    assert bridges == [("single-leg-bridge", True), ("bridge-on-ball", False)]
    assert names[7] == "Single-leg bridge" and names[8] != names[7]
    # each rung at its own dose: 6 single-leg bridges a side, not the plan's 2 x 10
    assert (today.steps[7].reps, today.steps[7].sets) == (6, 1) != (plan.steps[7].reps, 2)
    assert today.steps[8].reps == plan.drills["bridge-on-ball"].default.reps  # type: ignore[index]


FRIEND = """
title = "From a friend"
prepare = 0
[[step]]
drill = "monster-walk"
reps = 4
tempo = 1
"""


async def test_a_plan_that_only_names_a_drill_runs_with_its_name_cue_and_logs_the_id() -> None:
    clock = FakeClock()
    app = build_app(clock, FRIEND, plan_id="friend")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        await pilot.pause()
        assert str(screen.query_one("#step-name", Static).content) == "Monster walk, band at knees"
        cue = str(screen.query_one("#cue", Static).content)
        assert "{" not in cue and cue
        await advance(app, clock, 6)
        await pilot.press("escape")  # the last step's check-in, left unanswered
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    [log] = sorted(paths.log_dir().glob("*.toml"))
    step = read_record(log).steps[0]
    assert (step.drill, step.name, step.dose) == (
        "monster-walk",
        "Monster walk, band at knees",
        0.07,
    )


async def test_get_ready_fills_the_how_lines_numbers_from_this_steps_dose() -> None:
    app = build_app(FakeClock(), FRIEND.replace("prepare = 0", "prepare = 5"), plan_id="friend")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        cue = str(app.screen.query_one("#cue", Static).content)
        assert "Walk 4 steps" in cue and "{" not in cue  # a new drill: its first how line


async def test_the_card_opens_scrolls_with_the_keys_and_closes() -> None:
    from gluteterm.ui.widgets.drill_card import DrillCard

    app = build_app(FakeClock(), FRIEND.replace("prepare = 0", "prepare = 30"), plan_id="friend")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        card = app.screen.query_one(DrillCard)
        assert card.has_class("-open") and app.focused is card
        text = str(card.query_one("#card-text", Static).content)
        assert "Monster walk" in text
        # this step's dose, as the get-ready says, not the drill's default
        assert "Dose (this session): 4 reps, 1 s each" in text and "Cue: Walk 4 steps" in text
        from gluteterm.ui.widgets.figure import FigurePanel

        figure = card.query_one("#card-figure", FigurePanel)  # the drill, moving at its tempo
        assert figure.figure is not None and figure.moving and figure.animating
        assert card.max_scroll_y > 3  # at 80x24 the card is longer than its half screen
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert card.scroll_y == 3
        await pilot.press("end")
        await pilot.pause()
        assert card.scroll_y == card.max_scroll_y  # the faults and the ladder can be read
        assert not app.screen.show_vertical_scrollbar  # only the card scrolls
        await pilot.press("escape")
        await pilot.pause()
        assert not card.has_class("-open") and app.focused is None
        await pilot.press("i", "i")  # i opens and closes it too
        await pilot.pause()
        assert not card.has_class("-open")


def record(
    day: int,
    drill: str,
    *,
    dose: float = 1.0,
    flags: tuple[str, ...] = (),
    felt: int | None = 6,
) -> SessionRecord:
    """A session that did `drill`, its check-in answered (felt 6/9) unless `felt` is None."""
    started = datetime(2026, 11, 24, 8, tzinfo=UTC) - timedelta(days=day)
    log = StepLog(1, "Bridge", "stability", "done", 40, 40, level="Glute bridge, both feet",
                  drill=drill, dose=dose, flags=flags, felt=felt)  # fmt: skip
    return SessionRecord("quick", "Quick", started, started, "completed", 1, 40, steps=(log,))


def test_only_full_dose_sessions_on_different_days_move_a_ladder_up() -> None:
    plan = make_store().plan("quick").plan
    none = Levels()
    # fitted down to a fifth of the dose: not evidence
    assert suggestions(plan, none, [record(0, "glute-bridge", dose=0.2)] * 2) == []
    # two on the same day are one session's worth
    same_day = [record(0, "glute-bridge"), record(0, "glute-bridge")]
    assert [s for s in suggestions(plan, none, same_day) if s.ladder == "glute-bridge"] == []
    found = suggestions(plan, none, [record(0, "glute-bridge"), record(1, "glute-bridge")])
    [bridge] = [s for s in found if s.ladder == "glute-bridge"]
    assert bridge.up and bridge.to_drill == "single-leg-bridge"
    # a flagged session at a fifth of the dose still counts as evidence to step back
    flagged = [record(0, "single-leg-bridge", dose=0.2, flags=("hip drop",)),
               record(1, "single-leg-bridge", flags=("hip drop",))]  # fmt: skip
    at_one = Levels({"glute-bridge": "single-leg-bridge"})
    [back] = [s for s in suggestions(plan, at_one, flagged) if s.ladder == "glute-bridge"]
    assert not back.up and back.to_drill == "glute-bridge"


def test_accepting_a_ladder_level_carries_to_every_session() -> None:
    store = make_store()
    plan = store.plan("quick").plan
    found = suggestions(plan, Levels(), [record(0, "glute-bridge"), record(1, "glute-bridge")])
    assert store.accept([s for s in found if s.ladder == "glute-bridge"]) == ""
    other = store.plan("unlock-and-activate").plan
    today, _ = at_levels(other, store.levels()[0])
    assert today.steps[7].drill == "single-leg-bridge"


def test_user_drill_shadows_and_check_reports(tmp_path: Path) -> None:
    drills = paths.config_dir() / "drills"
    drills.mkdir(parents=True)
    shipped = Path(__file__).resolve().parent.parent / "gluteterm" / "drills" / "monster-walk.toml"
    text = re.sub(r'^name = ".*"$', 'name = "Crab walk"', shipped.read_text(), flags=re.M)
    (drills / "monster-walk.toml").write_text(text)
    plan = make_store().plan(str(_write(tmp_path, FRIEND))).plan
    assert plan.steps[0].name == "Crab walk"


def _write(folder: Path, text: str) -> Path:
    path = folder / "friend.toml"
    path.write_text(textwrap.dedent(text))
    return path
