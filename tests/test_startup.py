"""Start-up: what the process does before the first frame, and that it undoes it after."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
import tomllib
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from gluteterm.cli.main import main
from gluteterm.ui.sound import SoundPlayer
from tests.support import REPO, FakeClock, build_app

PLAN = 'title = "T"\n[[step]]\nname = "Roll"\nkind = "release"\nhold = 30\n'


@pytest.fixture
def gc_paused() -> Iterator[None]:
    """The GC as `gluteterm.cli.start.run` leaves it: paused; restored afterwards."""
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_command_starts_through_the_gc_pause() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["gluteterm"] == "gluteterm.cli.start:run"
    assert "gluteterm.cli.start import run" in (REPO / "gluteterm" / "__main__.py").read_text()


@pytest.mark.usefixtures("gc_paused")
def test_plain_commands_run_with_the_gc_on() -> None:
    assert main(["list"]) == 0
    assert gc.isenabled()


def test_python_m_gluteterm_runs_a_plain_command_with_the_gc_on() -> None:
    code = "import gc, runpy, sys; sys.argv = ['gluteterm', 'list']\n" + (
        "import gluteterm.cli.main as m\n"
        "real = m._main\n"
        "def spy(argv):\n"
        "    code = real(argv)\n"
        "    print('gc on' if gc.isenabled() else 'gc off')\n"
        "    return code\n"
        "m._main = spy\n"
        "runpy.run_module('gluteterm', run_name='__main__')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.rstrip().endswith("gc on")


@pytest.mark.usefixtures("gc_paused")
async def test_the_app_turns_the_gc_back_on_after_its_first_frame() -> None:
    app = build_app(FakeClock(), PLAN)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # start-up's objects are out of later scans


async def test_the_app_leaves_a_running_gc_alone() -> None:
    frozen = gc.get_freeze_count()
    app = build_app(FakeClock(), PLAN)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_player_that_waits_plays_nothing_until_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    played: list[str] = []
    module = types.ModuleType("playsound3")
    module.DEFAULT_BACKEND = "gstreamer"  # type: ignore[attr-defined]
    module.playsound = lambda path, **_kwargs: played.append(Path(path).name)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "playsound3", module)
    player = SoundPlayer(wait_for_start=True)
    player.play("go")
    time.sleep(0.1)
    assert player._thread is None and played == []  # no import racing the first frame
    player.start()
    deadline = time.monotonic() + 5
    while not played and time.monotonic() < deadline:
        time.sleep(0.01)
    assert played == ["go.wav"]  # the queued cue, played once started
