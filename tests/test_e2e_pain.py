"""Pain, end to end in a real terminal: x at a step of a session or of the self-assessment
is logged, stops that drill for the rest of the day everywhere (home, the next run,
`gluteterm build`) and offers the step below it or its named alternative."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from gluteterm.store import paths
from gluteterm.store.assessments import read_assessment
from gluteterm.store.log import read_record
from tests.support import cli
from tests.tmux import Terminal, require_tmux

pytestmark = pytest.mark.tmux

#: A session of the user's with a band drill whose named alternative is side-lying abduction.
PAIN_TEST = """\
title = "Pain test"
prepare = 1

[[step]]
drill = "monster-walk"
reps = 8
tempo = 1.5

[[step]]
name = "Easy roll"
kind = "release"
hold = 30
"""

#: The builds looked at before and after: every focus, a few lengths, with a band.
BUILDS = [
    (minutes, focus) for minutes in (8, 12, 15) for focus in ("balanced", "medius", "maximus")
]


@pytest.fixture
def terminal_env() -> dict[str, str]:
    # os.environ already holds the temporary home (the autouse `isolated_home` runs first).
    names = ("PATH", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
    keep = {
        k: os.environ[k] for k in (*names, "XDG_CACHE_HOME", "XDG_RUNTIME_DIR") if k in os.environ
    }
    return {**keep, "TERM": "xterm-256color", "COLORTERM": "truecolor"}


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    require_tmux()
    opened: list[Terminal] = []
    yield opened
    for term in opened:
        term.close()


def start(terminals: list[Terminal], env: dict[str, str], *args: str) -> Terminal:
    term = Terminal([sys.executable, "-m", "gluteterm", *args], env, size=(100, 30))
    terminals.append(term)
    return term


def details(screen: str) -> str:
    """Home's right-hand pane (the highlighted session's details), its lines joined."""
    right = [line.split("│", 1)[1] for line in screen.splitlines() if "│" in line]
    return " ".join(" ".join(right).split())


def todays_logs() -> list[Path]:
    return sorted(paths.log_dir().glob(f"{date.today().isoformat()}T*.toml"))


def test_pain_in_a_session_stops_the_drill_today_everywhere_and_offers_its_alternative(
    terminals: list[Terminal], terminal_env: dict[str, str]
) -> None:
    folder = paths.user_sessions_dir()
    folder.mkdir(parents=True)
    (folder / "pain-test.toml").write_text(PAIN_TEST)
    # Whether today's builds would pick it depends on the day (the builder is seeded
    # by the date); the message each build prints below says it was left out.

    # The session: x during the monster walk, the advice, s to stop it, then quit.
    run = start(terminals, terminal_env, "run", "pain-test")
    run.wait_for(r"WORK", timeout=30)
    assert "Monster walk" in run.screen()
    run.press("x")
    screen = run.wait_for(r"stopped for today")
    assert "physiotherapist" in screen
    assert "Side-lying hip abduction" in screen  # the named alternative, offered
    run.press("s")
    run.wait_for(r"skipped for the rest of[\s\S]{0,80}today")  # the notice may wrap
    run.wait_for(r"Easy roll")
    run.press("q")
    run.wait_for(r"End this session now")
    run.press("y")
    run.wait_for(r"Session")
    run.press("q")
    run.wait_for(r"EXITED=0")

    [log] = todays_logs()
    walk = read_record(log).steps[0]
    assert (walk.drill, walk.flags) == ("monster-walk", ("pain",))

    # Home: the default session, which has the monster walk, says what replaces it.
    home = start(terminals, terminal_env)
    screen = home.wait_for(r"pain earlier today")
    said = "Monster walk, band at knees: pain earlier today, Side-lying hip abduction instead"
    assert said in details(screen)
    home.press("q")
    home.wait_for(r"EXITED=0")

    # The same session again: the alternative runs in its place, and it says so.
    again = start(terminals, terminal_env, "run", "pain-test")
    screen = again.wait_for(r"Side-lying hip abduction")
    assert "Monster walk" not in screen.split("\n", 1)[1]  # only the notice may name it
    again.press("q")
    again.wait_for(r"End this session now|Session")
    again.press("y")
    again.wait_for(r"Session|EXITED")

    # The builder, the same day: no monster walk in any build, and it says what can
    # stand in for it.
    for combo in BUILDS:
        out = cli("build", "--minutes", str(combo[0]), "--focus", combo[1], "--equipment", "band")
        assert 'drill = "monster-walk"' not in out.stdout, combo
        said = "Monster walk, band at knees: pain earlier today, left out of today's builds; "
        assert said + "Side-lying hip abduction can stand in for it" in out.stderr


def test_pain_in_the_self_assessment_is_logged_and_stops_those_drills_today(
    terminals: list[Terminal], terminal_env: dict[str, str]
) -> None:
    test = start(terminals, terminal_env, "assess")
    test.wait_for(r"STAND ON THE LEFT LEG|LEFT LEG")
    test.press("n")  # past the stance test (skipped: no figure)
    test.wait_for(r"Single-leg squat")
    test.wait_for(r"WORK", timeout=30)
    test.press("x")  # pain in the squat test: it stops there
    screen = test.wait_for(r"Single-leg bridge")
    test.press("n")  # past the bridge test
    test.wait_for(r"Side plank")
    test.wait_for(r"WORK", timeout=30)
    test.press("x")  # pain in the side plank too
    screen = test.wait_for(r"your results", timeout=20)
    flat = " ".join(screen.split())
    assert "Pain" in flat and "stopped for today" in flat
    test.press("q")
    test.wait_for(r"EXITED=0")

    [log] = todays_logs()
    result = read_assessment(log)
    assert result.pain == ("single-leg-squat", "side-plank") and result.partial

    # Home: the session with a side plank does the rung below it today.
    home = start(terminals, terminal_env)
    home.wait_for(r"Before a change-of-direction sport")
    for _ in range(2):
        home.press("Down")
    screen = home.wait_for(r"pain earlier today")
    assert "Side plank: pain earlier today, Knee side plank instead" in details(screen)
    home.press("q")
    home.wait_for(r"EXITED=0")

    # The builder, the same day: no single-leg squat (which has no easier rung), and
    # it says so.
    for combo in BUILDS:
        out = cli("build", "--minutes", str(combo[0]), "--focus", combo[1], "--equipment", "band")
        assert 'drill = "single-leg-squat"' not in out.stdout, combo
        assert "Single-leg squat" in out.stderr and "nothing stands in for it" in out.stderr
