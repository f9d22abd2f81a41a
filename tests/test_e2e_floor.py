"""Large type from the floor, in a real terminal: a get-ready that puts a band on shows
"BAND AT KNEES" in block capitals below the digits where there is room (100x30), and
keeps the capitals line alone where there is not (80x24)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tmux import Terminal, require_tmux

pytestmark = pytest.mark.tmux

PLAN = """\
title = "Band on"
prepare = 1

[[step]]
drill = "monster-walk"
reps = 8
tempo = 1.5
"""
#: The top row of "BAND" in the block font at its smallest (one pixel per cell).
BLOCK_ROW = re.compile(r"█▀▀▀▀▄ ▄▀▀▀▀▄ █▄▄  █ █▀▀▀▀▄")


@pytest.fixture
def run(tmp_path: Path) -> Iterator[list[Terminal]]:
    require_tmux()
    names = ("PATH", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
    env = {k: os.environ[k] for k in (*names, "XDG_STATE_HOME") if k in os.environ}
    env |= {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
    plan = tmp_path / "band.toml"
    plan.write_text(PLAN)
    command = [sys.executable, "-m", "gluteterm", "run", str(plan)]
    terms = [Terminal(command, env, size=(100, 30)), Terminal(command, env, size=(80, 24))]
    yield terms
    for term in terms:
        term.close()


def test_band_at_knees_in_block_capitals_where_there_is_room(run: list[Terminal]) -> None:
    wide, small = run
    screen = wide.wait_for(BLOCK_ROW.pattern)
    rows = screen.splitlines()
    at = next(i for i, row in enumerate(rows) if BLOCK_ROW.search(row))
    assert "8 reps" in rows[at - 1]  # under the counters, below the digits and figure
    assert "MINI BAND JUST ABOVE THE KNEES" in rows[at + 4]  # the full set-up line stays
    assert "GET READY" in screen
    digits = [row for row in rows[:at] if "███" in row]
    assert len(digits) >= 10  # the countdown keeps its size above
    screen = small.wait_for("MINI BAND JUST ABOVE THE KNEES")
    assert not BLOCK_ROW.search(screen) and "GET READY" in screen
    work = wide.wait_for(r"■ ■ ■  WORK", timeout=20)
    assert not BLOCK_ROW.search(work)  # only at the get-ready
