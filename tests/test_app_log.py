"""The app writes the log: completed runs, quits, step-by-step saves, history views."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Sparkline, Static

from gluteterm.cli.main import main
from gluteterm.store import paths
from gluteterm.store.log import read_record
from gluteterm.ui.app import GlutetermApp
from gluteterm.ui.screens.history import FIRST_PAINT_ROWS, HistoryScreen
from gluteterm.ui.screens.home import HomeScreen
from gluteterm.ui.screens.session_detail import SessionDetailScreen
from gluteterm.ui.screens.summary import SummaryScreen
from gluteterm.ui.widgets.heatmap import CalendarHeatmap
from tests.bench.fake_log import write_log
from tests.support import FakeClock, advance, build_app, wait_for_workers

THREE = """
title = "Three"
prepare = 0
[[step]]
name = "One"
kind = "release"
hold = 5
[[step]]
name = "Two"
kind = "mobility"
reps = 2
tempo = 2
[[step]]
name = "Three"
kind = "stability"
hold = 5
"""
CET = timezone(timedelta(hours=1))


def app_for(clock: FakeClock, toml: str | None = THREE) -> GlutetermApp:
    wall = iter(
        datetime(2026, 11, 24, 18, 3, 12, tzinfo=CET) + timedelta(seconds=i) for i in range(1000)
    )
    app: GlutetermApp = build_app(
        clock, toml, plan_id="three", user_sessions=Path("/nonexistent"), wall=lambda: next(wall)
    )
    return app


def log_files() -> list[Path]:
    folder = paths.log_dir()
    return sorted(folder.glob("*.toml")) if folder.exists() else []


async def test_a_finished_session_leaves_a_completed_file_with_every_step(clock: FakeClock) -> None:
    app = app_for(clock)
    async with app.run_test() as pilot:
        await advance(app, clock, 14.5)
        await pilot.press("escape")  # the last step's check-in, left unanswered
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    [path] = log_files()
    assert path.name == "2026-11-24T18-03-12_three.toml"
    record = read_record(path)
    assert record.status == "completed"
    assert [(s.name, s.status) for s in record.steps] == [
        ("One", "done"),
        ("Two", "done"),
        ("Three", "done"),
    ]
    assert [s.planned_seconds for s in record.steps] == [5, 4, 5]
    assert record.steps[0].actual_seconds == pytest.approx(5)


async def test_the_file_is_rewritten_after_every_step(clock: FakeClock) -> None:
    app = app_for(clock)
    async with app.run_test() as pilot:
        assert log_files() == []  # nothing finished yet
        await advance(app, clock, 5.5)
        await pilot.pause()
        [path] = log_files()
        assert [s.name for s in read_record(path).steps] == ["One"]
        assert read_record(path).status == "partial"
        await advance(app, clock, 4)
        await pilot.pause()
        assert [s.name for s in read_record(path).steps] == ["One", "Two"]


async def test_quitting_after_two_steps_leaves_a_partial_file_with_those_two(
    clock: FakeClock,
) -> None:
    app = app_for(clock)
    async with app.run_test() as pilot:
        await advance(app, clock, 9)
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    [path] = log_files()
    record = read_record(path)
    assert record.status == "partial"
    assert [(s.name, s.status) for s in record.steps] == [
        ("One", "done"),
        ("Two", "done"),
        ("Three", "skipped"),
    ]
    assert record.done_steps == 2 and record.planned_steps == 3


async def test_quitting_at_once_logs_nothing(clock: FakeClock) -> None:
    app = app_for(clock)
    async with app.run_test() as pilot:
        await pilot.press("q", "y")
        await pilot.pause()
    assert log_files() == []


async def test_an_unwritable_log_is_kept_pending_and_the_user_is_told(clock: FakeClock) -> None:
    paths.data_dir().mkdir(parents=True)
    paths.log_dir().write_text("not a folder")
    app = app_for(clock)
    async with app.run_test() as pilot:
        await advance(app, clock, 14.5)
        await pilot.press("escape")  # the last step's check-in, left unanswered
        await app.workers.wait_for_complete()
        await pilot.pause()
        notice = str(app.screen.query_one("#summary-notice", Static).content)
        assert "could not save" in notice and "next time gluteterm starts" in notice
    [pending] = paths.pending_dir().glob("*.toml")
    assert read_record(pending).status == "completed"
    paths.log_dir().unlink()
    app = app_for(clock, None)
    async with app.run_test() as pilot:
        await wait_for_workers(pilot)  # the move runs in a worker after the first frame
    [moved] = log_files()
    assert read_record(moved).status == "completed"
    assert list(paths.pending_dir().glob("*.toml")) == []


async def open_history(app: Any, pilot: Any) -> HistoryScreen:
    """h on home, once the history has loaded (off the UI thread)."""
    await pilot.press("h")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


async def test_history_screen_shows_streaks_charts_and_a_session(clock: FakeClock) -> None:
    write_log(paths.log_dir(), 40, end=datetime.now(CET))
    corrupt = paths.log_dir() / "2026-01-01T00-00-00_x.toml"
    corrupt.write_bytes(b"version = 1\n[[[")
    app = app_for(clock, None)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        screen = await open_history(app, pilot)
        facts = str(screen.query_one("#history-facts", Static).content)
        assert "Current streak" in facts and "this week" in facts and "40 in all" in facts
        assert sum(screen.query_one(Sparkline).data or []) > 0
        assert sum(screen.query_one(CalendarHeatmap).minutes.values()) > 0
        table = screen.query_one(DataTable)
        assert table.row_count == 40
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionDetailScreen)
        assert app.screen.query_one(DataTable).row_count >= 1


async def test_the_history_table_is_filled_past_its_first_screenful(clock: FakeClock) -> None:
    """A screenful of rows is drawn first, the rest just after: all of them arrive, in order."""
    count = FIRST_PAINT_ROWS + 40
    write_log(paths.log_dir(), count, end=datetime.now(CET))
    app = app_for(clock, None)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(app, pilot)
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert table.row_count == count
        assert screen.history is not None
        oldest = screen.history.sessions[-1].started.strftime("%a %Y-%m-%d %H:%M")
        assert str(table.get_row_at(count - 1)[0]) == oldest


async def test_the_history_screen_shows_what_home_read_then_any_file_added_since(
    clock: FakeClock,
) -> None:
    write_log(paths.log_dir(), 5, end=datetime.now(CET))
    app = app_for(clock, None)
    assert app.store.remembered_history() is None  # nothing read yet in this process
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # home has read the log
        remembered = app.store.remembered_history()
        assert remembered is not None and len(remembered.sessions) == 5
        write_log(paths.log_dir() / "later", 1, end=datetime.now(CET) + timedelta(days=3))
        [added] = (paths.log_dir() / "later").iterdir()
        added.rename(paths.log_dir() / added.name)
        screen = await open_history(app, pilot)
        assert "6 in all" in str(screen.query_one("#history-facts", Static).content)
        assert screen.query_one(DataTable).row_count == 6


async def test_the_history_screen_has_home_numbers_once_mounted_before_any_reading(
    clock: FakeClock,
) -> None:
    """What home read (and the day totals it computed) is on the history screen as soon
    as it is mounted: its first frame has the numbers, not "Reading the log..."."""
    write_log(paths.log_dir(), 12, end=datetime.now(CET))
    app = app_for(clock, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # home has read the log
        remembered = app.store.remembered_history()
        assert remembered is not None and remembered.knows_day_totals()
        screen = HistoryScreen(app.store)
        await app.push_screen(screen)  # mounted: no worker has run, nothing drawn yet
        facts = str(screen.query_one("#history-facts", Static).content)
        assert facts.endswith("12 in all"), facts
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(screen.query_one("#history-facts", Static).content) == facts
        assert screen.query_one(DataTable).row_count == 12


async def test_history_with_nothing_recent_draws_no_empty_chart(clock: FakeClock) -> None:
    write_log(paths.log_dir(), 3, end=datetime.now(CET) - timedelta(days=400))
    app = app_for(clock, None)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(app, pilot)
        assert not screen.query_one(Sparkline).display  # not 16 full bars of nothing
        assert "no minutes logged" in str(screen.query_one("#weekly-range", Static).content)


def test_history_and_export_skip_and_name_a_corrupt_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write_log(paths.log_dir(), 5, end=datetime(2026, 11, 24, 20, tzinfo=CET))
    corrupt = paths.log_dir() / "2026-01-01T00-00-00_x.toml"
    corrupt.write_bytes(b"version = 1\n[[[\x00")
    before = hashlib.sha256(corrupt.read_bytes()).hexdigest()
    assert main(["history", "--limit", "3"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("5 sessions · current streak")
    assert out.count("\n") >= 5 and "and 2 older" in out
    assert "2026-01-01T00-00-00_x.toml" in err
    assert main(["export", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    exported = json.loads(out)
    assert len(exported) == 5 and all(item["steps"] for item in exported)
    assert "2026-01-01T00-00-00_x.toml" in err
    target = tmp_path / "out.csv"
    assert main(["export", "--format", "csv", "--output", str(target)]) == 0
    lines = target.read_text().splitlines()
    assert lines[0].startswith("file,session,title,started") and len(lines) > 5
    named = tmp_path / "out.JSON"  # no --format: the file's name says which
    assert main(["export", "--output", str(named)]) == 0
    assert len(json.loads(named.read_text())) == 5
    assert hashlib.sha256(corrupt.read_bytes()).hexdigest() == before


def test_history_with_an_empty_log(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history"]) == 0
    assert "No sessions logged yet" in capsys.readouterr().out
