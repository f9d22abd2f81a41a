"""Sound in a real terminal: a stand-in gst-play-1.0 records what it is asked to play."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.tmux import Terminal, require_tmux

pytestmark = pytest.mark.tmux

PLAN = """\
title = "Beeps"
prepare = 1
[[step]]
name = "Roll"
kind = "release"
hold = 2
per_side = true
"""


def stand_in(folder: Path, log: Path) -> None:
    """A gst-play-1.0 that answers --version and records every other call."""
    folder.mkdir()
    program = folder / "gst-play-1.0"
    program.write_text(
        '#!/bin/sh\n[ "$1" = "--version" ] && exit 0\n'
        f'echo "$(basename "$(echo "$@" | awk \'{{print $NF}}\')") $*" >> {log}\n'
    )
    program.chmod(0o755)


def run_plan(tmp_path: Path, path_dirs: list[Path], *flags: str) -> str:
    require_tmux()
    plan = tmp_path / "beeps.toml"
    plan.write_text(PLAN)
    env = {
        "PATH": os.pathsep.join(str(d) for d in path_dirs),
        "HOME": os.environ["HOME"],
        "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "TERM": "xterm-256color",
    }
    term = Terminal([sys.executable, "-m", "gluteterm", "run", str(plan), *flags], env)
    try:
        screen = term.wait_for("Session complete", timeout=20)
        time.sleep(0.5)
        term.press("q")
        term.wait_for("EXITED=0")
        return screen
    finally:
        term.close()


def test_a_real_run_calls_the_audio_program_for_each_cue(tmp_path: Path) -> None:
    log = tmp_path / "calls.txt"
    stand_in(tmp_path / "bin", log)
    run_plan(tmp_path, [tmp_path / "bin", Path("/usr/bin"), Path("/bin")])
    calls = [line.split()[0] for line in log.read_text().splitlines()]
    # Get ready 1 s and switch 1 s are too short for a tick; each 2 s side ticks at 1 s left.
    assert calls == [
        "next.wav", "go.wav", "countdown.wav", "switch.wav",
        "go.wav", "countdown.wav", "complete.wav",
    ]  # fmt: skip
    assert "--no-interactive --quiet" in log.read_text()


def test_mute_plays_nothing(tmp_path: Path) -> None:
    log = tmp_path / "calls.txt"
    stand_in(tmp_path / "bin", log)
    run_plan(tmp_path, [tmp_path / "bin", Path("/usr/bin"), Path("/bin")], "--mute")
    assert not log.exists() or log.read_text() == ""


def test_no_audio_program_at_all_runs_to_the_end_with_one_notice(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    require_tmux()
    plan = tmp_path / "beeps.toml"
    plan.write_text(PLAN)
    env = {"PATH": str(empty), "HOME": os.environ["HOME"], "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
           "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"], "TERM": "xterm-256color"}  # fmt: skip
    term = Terminal([sys.executable, "-m", "gluteterm", "run", str(plan)], env)
    try:
        notice = term.wait_for("No sound")
        assert "Traceback" not in notice
        screen = term.wait_for("Session complete", timeout=20)
        assert screen.count("No sound") <= 1 and "Error" not in screen
    finally:
        term.close()
