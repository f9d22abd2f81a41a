"""Races on the user's files (issue 22, class 2): claims are exclusive, updates compare.

Claiming an id (build --save, save-as, keeping times in a copy of a shipped
session) creates the file exclusively: of two claims at once exactly one wins,
every time. Saving an edit checks the file is still as it was read and asks
otherwise; every write of a user's plan keeps their comments.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from gluteterm.cli.build import cmd_build
from gluteterm.core.errors import GlutetermError
from gluteterm.core.plan import Plan
from gluteterm.store import paths
from gluteterm.store.api import Store
from gluteterm.store.plan_write import ChangedOnDisk, merged
from gluteterm.store.plans import load_plan
from gluteterm.ui.app import GlutetermApp
from gluteterm.ui.screens.confirm import ConfirmScreen
from gluteterm.ui.screens.editor import EditorScreen
from tests.support import REPO, RecordingPlayer, wait_for_workers

SHIPPED = REPO / "sessions"
ROUNDS = 50


def store() -> Store:
    return Store.default(shipped_sessions=SHIPPED)


def at_once(*calls: Callable[[], Any]) -> list[object]:
    """Run `calls` in threads released together; each one's result or exception."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # the loser's refusal is a result here
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_builds_saving_one_id_at_once_save_exactly_one(capsys: Any) -> None:
    shared = store()
    for n in range(ROUNDS):
        plan_id = f"race-{n}"

        def build(minutes: float, plan_id: str = plan_id) -> int:
            return cmd_build(
                minutes, "", "balanced", save=plan_id, store=shared, today=date(2026, 12, 1)
            )

        results = at_once(lambda: build(6), lambda: build(9))
        won = [r for r in results if r == 0]
        lost = [r for r in results if isinstance(r, GlutetermError)]
        assert len(won) == 1 and len(lost) == 1, (n, results)
        assert "nothing was written" in str(lost[0]) or "exists already" in str(lost[0])
        # The file holds the winner's plan whole: the loser wrote nothing over it.
        saved = load_plan(shared.user_file(plan_id)).plan
        assert saved.id == plan_id
    capsys.readouterr()


def test_two_save_as_of_one_id_at_once_save_exactly_one() -> None:
    shared = store()
    plan = load_plan(SHIPPED / "quick.toml").plan
    for n in range(ROUNDS):
        plan_id = f"mine-{n}"

        def save_as(title: str, plan_id: str = plan_id) -> tuple[Path, Plan]:
            return shared.save_plan_as(plan, plan_id, title)

        results = at_once(lambda: save_as("First"), lambda: save_as("Second"))
        won = [r for r in results if isinstance(r, tuple)]
        assert len(won) == 1, (n, results)
        assert all(isinstance(r, GlutetermError) for r in results if r not in won)
        kept = load_plan(shared.user_file(plan_id)).plan
        assert kept.title == won[0][1].title


def test_keeping_times_never_replaces_a_copy_made_meanwhile() -> None:
    shared = store()
    plan = shared.plan("quick").plan
    mine = shared.user_file("quick")
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("# my own quick, made in another window\n", encoding="utf-8")
    hold = next(i for i, s in enumerate(plan.steps) if s.hold is not None)
    with pytest.raises(GlutetermError, match="nothing was kept"):
        shared.keep_holds(plan, {hold: 50})
    assert mine.read_text(encoding="utf-8") == "# my own quick, made in another window\n"


COMMENTED = """\
# My warm-up: keep these notes.
title = "Mine"  # the title
prepare = 5
rest = 0

# First the roll.
[[step]]
drill = "foam-roll-glutes"
hold = 45  # long on Mondays

# Then bridges.
[[step]]
drill = "glute-bridge"
reps = 12
tempo = 3
"""


def test_an_edit_saved_keeps_the_users_comments() -> None:
    path = paths.user_sessions_dir() / "mine.toml"
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    shared = store()
    entry = next(e for e in shared.sessions() if e.id == "mine")
    assert entry.plan is not None
    from gluteterm.core.edit import change, move

    plan = change(entry.plan, 0, "hold", 1).plan
    plan = move(plan, 1, -1).plan
    shared.save_plan(plan, entry.stamp)
    text = path.read_text(encoding="utf-8")
    for comment in ("# My warm-up", "# the title", "# long on Mondays", "# Then bridges."):
        assert comment in text
    again = load_plan(path).plan
    assert [s.drill for s in again.steps] == ["glute-bridge", "foam-roll-glutes"]
    assert again.steps[1].hold == 50


def test_merging_an_unchanged_plan_changes_nothing() -> None:
    path = paths.user_sessions_dir() / "mine.toml"
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    assert merged(COMMENTED, load_plan(path).plan) == COMMENTED


def test_saving_over_a_file_changed_since_it_was_read_is_refused() -> None:
    path = paths.user_sessions_dir() / "mine.toml"
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    shared = store()
    entry = next(e for e in shared.sessions() if e.id == "mine")
    assert entry.plan is not None and entry.stamp is not None
    changed = COMMENTED.replace("reps = 12", "reps = 14")
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(ChangedOnDisk, match="changed on disk"):
        shared.save_plan(entry.plan, entry.stamp)
    assert path.read_text(encoding="utf-8") == changed
    shared.save_plan(entry.plan, entry.stamp, overwrite=True)
    assert load_plan(path).plan.steps[1].reps == 12


async def test_the_editor_asks_before_saving_over_a_file_changed_on_disk() -> None:
    path = paths.user_sessions_dir() / "mine.toml"
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    app = GlutetermApp(player=RecordingPlayer(), store=store())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("end", "e")  # the user's own come last
        await wait_for_workers(pilot)
        assert isinstance(app.screen, EditorScreen)
        changed = COMMENTED.replace("reps = 12", "reps = 14")
        path.write_text(changed, encoding="utf-8")
        await pilot.press("plus", "s")
        await wait_for_workers(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#question", Static).render())
        assert "changed on disk since you opened it: overwrite?" in question
        await pilot.press("n")
        await wait_for_workers(pilot)
        assert path.read_text(encoding="utf-8") == changed
        await pilot.press("s", "y")
        await wait_for_workers(pilot)
        assert isinstance(app.screen, EditorScreen)
        text = path.read_text(encoding="utf-8")
        assert "# long on Mondays" in text and "reps = 14" not in text
        await pilot.press("plus", "s")  # the file is as saved: no question now
        await wait_for_workers(pilot)
        assert isinstance(app.screen, EditorScreen)


# -- settings and levels: an update applies on top of what is there when it writes --


def test_a_settings_update_written_meanwhile_is_kept_and_the_change_applied_on_top(
    tmp_path: Path,
) -> None:
    from gluteterm.store.toml_file import update

    path = tmp_path / "config.toml"
    path.write_text("# mine\nmute = false\n")
    calls = 0

    def change(document: dict[str, Any]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:  # another gluteterm (or an editor) writes while this one changes
            path.write_text("# mine\nmute = false\nflash = false\n")
        document["voice"] = True

    update(path, change)
    text = path.read_text()
    assert calls == 2
    assert "flash = false" in text and "voice = true" in text and "# mine" in text


def test_a_file_that_keeps_changing_is_left_as_the_other_writer_left_it(tmp_path: Path) -> None:
    from gluteterm.store.toml_file import Unreadable, update

    path = tmp_path / "levels.toml"
    path.write_text("version = 2\n")
    writes = iter(range(100))

    def change(document: dict[str, Any]) -> None:
        path.write_text(f"version = 2\n# write {next(writes)}\n")
        document["ladders"] = {"bridge": 3}

    with pytest.raises(Unreadable, match="kept changing"):
        update(path, change, 2)
    assert "ladders" not in path.read_text()
    assert path.read_text().startswith("version = 2\n# write ")


def test_an_update_parses_the_text_the_guard_checked_not_a_second_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file swapped for a pathological one between two reads is never parsed unguarded."""
    from gluteterm.store import toml_file

    path = tmp_path / "config.toml"
    path.write_text("mute = false\n")
    reads: list[Path] = []
    real_read = toml_file._read

    def counting_read(p: Path) -> bytes:
        reads.append(p)
        return real_read(p)

    monkeypatch.setattr(toml_file, "_read", counting_read)
    toml_file.update(path, lambda document: document.__setitem__("flash", False))
    assert reads == [path]
    assert "flash = false" in path.read_text()
