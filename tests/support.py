"""What tests share: a fake clock and player, app and store makers, waits, digests, the CLI.

Fixtures stay in conftest.py; everything a test imports comes from here. The
waits are named for what they wait for:

- `wait_for_workers(pilot)`: the app's background workers have finished and
  the screen has refreshed (home reads plans and the log off the UI thread).
- `advance(app, clock, seconds)`: the fake clock moves on, the runner keeping up.
- `wait_until(condition)`: a condition set by another thread (a sound player, a
  child process) comes true, or 5 s pass; the test's own assert follows.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gluteterm.core.loader import LoadedPlan, parse_plan
from gluteterm.core.plan import Plan

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from gluteterm.store.api import Store
    from gluteterm.ui.app import GlutetermApp
    from gluteterm.ui.session import LiveSession
    from gluteterm.ui.sound import CuePlayer

REPO = Path(__file__).resolve().parent.parent
SHIPPED_SESSIONS = REPO / "sessions"


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingPlayer:
    """A cue player that records what it was asked to play and say."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.muted = False
        self.voice = True

    def play(self, cue: str) -> None:
        self.calls.append(("play", cue))

    def speak(self, text: str) -> None:
        self.calls.append(("speak", text))


def make_plan(toml: str, plan_id: str = "test") -> Plan:
    """A plan from TOML text, which must be valid."""
    return parse_plan(textwrap.dedent(toml), f"{plan_id}.toml", plan_id).plan


def make_store(user_sessions: Path | None = None) -> Store:
    """A store on the shipped sessions and the (temporary) user folders."""
    from gluteterm.store.api import Store

    if user_sessions is None:
        return Store.default(shipped_sessions=SHIPPED_SESSIONS)
    return Store.default(shipped_sessions=SHIPPED_SESSIONS, user_sessions=user_sessions)


def live_session(
    text: str, clock: FakeClock, plan_id: str = "t", *, start: bool = True
) -> LiveSession:
    """A session of the plan `text` (with the drill library) on the fake clock, as the
    app would make it, started unless `start` is False; its wall clock reads 1 Dec 2026."""
    from datetime import UTC

    from gluteterm.store.drills import default_library
    from gluteterm.ui.session import start_session

    loaded = parse_plan(text, f"{plan_id}.toml", plan_id, drills=default_library())
    wall = lambda: datetime(2026, 12, 1, 8, tzinfo=UTC)  # noqa: E731
    live = start_session(loaded, make_store(), RecordingPlayer(), now=clock, wall=wall)
    if start:
        live.start()
    return live


def build_app(
    clock: FakeClock,
    plan: str | LoadedPlan | None = None,
    *,
    player: CuePlayer | None = None,
    user_sessions: Path | None = None,
    plan_id: str = "test",
    wall: Callable[[], datetime] | None = None,
    flash: bool = False,
) -> GlutetermApp:
    """The app on a fake clock: straight into `plan` (TOML text, checked against the
    drill library, or a plan already loaded), or home when it is None.

    The flash at each change of segment is off unless asked for: it lasts 0.3 s
    of real time, so a screenshot could catch it or not."""
    from gluteterm.store.drills import default_library
    from gluteterm.ui.app import GlutetermApp

    if isinstance(plan, str):
        text = textwrap.dedent(plan)
        plan = parse_plan(text, f"{plan_id}.toml", plan_id, drills=default_library())
    store = make_store(user_sessions)
    player = player or RecordingPlayer()
    if wall is None:
        return GlutetermApp(plan, player=player, now=clock, store=store, flash=flash)
    return GlutetermApp(plan, player=player, now=clock, store=store, flash=flash, wall=wall)


async def wait_for_workers(pilot: Pilot[Any]) -> None:
    """Let the app's background workers finish and the screen refresh."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def advance(app: App[Any], clock: FakeClock, seconds: float, step: float = 0.5) -> None:
    """Move the fake clock on `seconds`, letting the runner catch up every `step`."""
    from gluteterm.ui.screens.runner import RunnerScreen

    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, RunnerScreen))
    for _ in range(round(seconds / step)):
        clock.advance(step)
        screen.catch_up()
    await app.workers.wait_for_complete()


def wait_until(condition: Callable[[], object], timeout: float = 5.0) -> None:
    """Poll `condition` until it is true or `timeout` seconds pass (then just return:
    the test's own assert says what did not happen)."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def digest(folder: Path) -> dict[str, str]:
    """Each file directly in `folder`, by name, with the SHA-256 of its bytes: compare
    two digests to prove nothing in it was added, removed or rewritten."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`gluteterm ARGS` in a child process, with no input and its output captured as
    text; a hang fails the test (after `timeout` seconds) instead of stalling it."""
    return subprocess.run(
        [sys.executable, "-m", "gluteterm", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def told(app: App[Any]) -> list[tuple[str, str]]:
    """Every notice the user was shown, (text, severity): Textual's toasts, and the
    runner's own notice line during a session."""
    from gluteterm.ui.widgets.notice_line import NoticeLine

    said = [(str(n.message), str(n.severity)) for n in app._notifications]
    for screen in app.screen_stack:
        for line in screen.query(NoticeLine):
            said += [(n.text, n.severity) for n in line.history]
    return said


#: Braille dot bits by (row, column) within a cell (U+2800 plus these).
BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


def braille_dots(lines: list[str]) -> set[tuple[int, int]]:
    """The raised dots of braille lines as (x, y) on the dot grid (2 by 4 a cell)."""
    found = set()
    for row, line in enumerate(lines):
        for col, char in enumerate(line):
            bits = ord(char) - 0x2800
            if not 0 < bits <= 0xFF:
                continue
            for dy, pair in enumerate(BRAILLE_BITS):
                for dx, bit in enumerate(pair):
                    if bits & bit:
                        found.add((2 * col + dx, 4 * row + dy))
    return found


def lone_dots(lines: list[str]) -> list[tuple[int, int]]:
    """Dots with no raised neighbour (of the eight around): a foot or hand drawn apart."""
    dots = braille_dots(lines)
    near = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if a or b]
    return sorted(p for p in dots if not any((p[0] + a, p[1] + b) in dots for a, b in near))
