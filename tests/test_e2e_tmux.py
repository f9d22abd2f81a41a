"""A short plan, written as a user would, run to its summary in a real terminal."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gluteterm.store import paths
from gluteterm.store.log import read_record
from tests.tmux import Terminal, require_tmux

pytestmark = pytest.mark.tmux

PLAN = """\
title = "Tiny warm-up"
prepare = 1

[[step]]
name = "Roll the glutes"
kind = "release"
hold = 3
per_side = true
cue = "Slow passes"

[[step]]
name = "Glute bridge"
kind = "stability"
reps = 2
tempo = 1
"""


@pytest.fixture
def terminal_env() -> dict[str, str]:
    # os.environ already holds the temporary home (the autouse `isolated_home` runs first).
    keep = {
        k: os.environ[k]
        for k in ("PATH", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")
        if k in os.environ
    }
    return {**keep, "TERM": "xterm-256color", "COLORTERM": "truecolor"}


@pytest.fixture
def terminal(tmp_path: Path, terminal_env: dict[str, str]) -> Iterator[Terminal]:
    require_tmux()
    plan = tmp_path / "tiny.toml"
    plan.write_text(PLAN)
    term = Terminal([sys.executable, "-m", "gluteterm", "run", str(plan)], terminal_env)
    yield term
    term.close()


def countdown(screen: str) -> str:
    """The big digits' three rows, as drawn."""
    rows = [line for line in screen.splitlines() if re.search(r"[╭╰│╶╷╵]", line)]
    return "\n".join(rows[:3])


def test_short_plan_runs_to_its_summary_with_pause_and_resume(terminal: Terminal) -> None:
    screen = terminal.wait_for("Roll the glutes")
    assert "Tiny warm-up" in screen and "Step 1 of 2" in screen
    terminal.wait_for("WORK")
    terminal.press("space")
    paused = terminal.wait_for("PAUSED")
    frozen = countdown(paused)
    time.sleep(2.0)
    assert countdown(terminal.screen()) == frozen, "the countdown moved while paused"
    terminal.press("space")
    terminal.wait_for("SWITCH SIDES|Right side")
    terminal.wait_for("Glute bridge")
    # The last step's check-in comes before the summary; answered from the keyboard.
    terminal.wait_for("one last check-in", timeout=20)
    terminal.press("7")
    terminal.wait_for(r"felt 7/9")
    terminal.press("Escape")
    summary = terminal.wait_for("Session complete", timeout=20)
    assert "2 of 2 steps done" in summary
    assert "Roll the glutes" in summary and "done" in summary
    terminal.press("q")
    terminal.wait_for("EXITED=0")


STEPS = """\
title = "Three holds"
prepare = 0
[[step]]
name = "First hold"
kind = "release"
hold = 2
[[step]]
name = "Second hold"
kind = "release"
hold = 2
[[step]]
name = "Third hold"
kind = "release"
hold = 30
"""


@pytest.fixture
def three_holds(tmp_path: Path, terminal_env: dict[str, str]) -> Iterator[Terminal]:
    require_tmux()
    plan = tmp_path / "holds.toml"
    plan.write_text(STEPS)
    term = Terminal([sys.executable, "-m", "gluteterm", "run", str(plan)], terminal_env)
    yield term
    term.close()


def only_log() -> Path:
    files = sorted(paths.log_dir().glob("*.toml"))
    assert len(files) == 1, files
    return files[0]


def test_kill_9_keeps_every_step_finished_before_it(three_holds: Terminal) -> None:
    three_holds.wait_for("Step 3 of 3")
    time.sleep(0.5)
    os.kill(three_holds.app_pid(), signal.SIGKILL)
    three_holds.wait_for("EXITED=")
    record = read_record(only_log())
    assert [(s.name, s.status) for s in record.steps] == [
        ("First hold", "done"),
        ("Second hold", "done"),
    ]
    assert record.status == "partial"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_terminate_saves_a_partial_session(three_holds: Terminal, sig: signal.Signals) -> None:
    three_holds.wait_for("Step 3 of 3")
    time.sleep(1.2)
    os.kill(three_holds.app_pid(), sig)
    screen = three_holds.wait_for("EXITED=")
    assert "Traceback" not in screen
    record = read_record(only_log())
    assert record.status == "partial"
    assert [(s.name, s.status) for s in record.steps] == [
        ("First hold", "done"), ("Second hold", "done"), ("Third hold", "partial"),
    ]  # fmt: skip


def test_closing_the_terminal_saves_a_partial_session(three_holds: Terminal) -> None:
    three_holds.wait_for("Step 3 of 3")
    time.sleep(1.2)
    pid = three_holds.app_pid()
    three_holds.close()  # the terminal goes away: SIGHUP
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists(), "gluteterm outlived its terminal"
    record = read_record(only_log())
    assert record.status == "partial"
    assert [s.name for s in record.steps] == ["First hold", "Second hold", "Third hold"]


def test_closing_the_terminal_on_the_home_screen_ends_the_process(
    terminal_env: dict[str, str],
) -> None:
    require_tmux()
    for _ in range(3):  # it used to hang now and then, waiting on the dead terminal
        term = Terminal([sys.executable, "-m", "gluteterm"], terminal_env)
        term.wait_for("Unlock & Activate")
        pid = term.app_pid()
        term.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.1)
        assert not Path(f"/proc/{pid}").exists(), "gluteterm outlived its terminal"


BRAILLE_CELL = re.compile("[\u2801-\u28ff]")
PACED = 'title = "Paced"\nprepare = 0\n[[step]]\ndrill = "glute-bridge"\nreps = 50\ntempo = 2\n'


def test_moving_figure_frames_reach_the_terminal_and_leave_the_card_whole(
    tmp_path: Path, terminal_env: dict[str, str]
) -> None:
    """Frames go straight to the terminal (FigurePanel._paint_direct): they must show
    in a real terminal, several a second, and the card (i) must read cleanly beside them."""
    require_tmux()
    plan = tmp_path / "paced.toml"
    plan.write_text(PACED)
    term = Terminal(
        [sys.executable, "-m", "gluteterm", "run", str(plan)], terminal_env, size=(120, 40)
    )
    try:
        term.wait_for("WORK")
        figures = set()
        for _ in range(30):  # about 2.5 s: a 2 s rep is 20 frames at 10 a second
            figures.add("".join(BRAILLE_CELL.findall(term.screen())))
            time.sleep(0.08)
        assert len(figures) >= 4, "the figure did not move"  # even on a busy machine
        term.press("i")
        term.wait_for(r"Glute bridge  \(glute-bridge\)")  # the card's title
        time.sleep(1.0)  # ten frames' time with the card open
        screen = term.screen()
        text_rows = [row for row in screen.splitlines() if "(glute-bridge)" in row]
        assert text_rows and not any(BRAILLE_CELL.search(row) for row in text_rows), screen
        term.press("i")  # closed: the whole figure again, and moving
        time.sleep(0.5)
        assert BRAILLE_CELL.search(term.screen())
    finally:
        term.close()
