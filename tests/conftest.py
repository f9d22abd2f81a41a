"""Shared fixtures: an isolated home for every test, a fake clock, a recording player."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gluteterm.core.loader import parse_plan
from gluteterm.core.plan import Plan

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every user folder at a temporary one: no test touches the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    # The private fallback for pending records lives here: one per test, never shared.
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    return home


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


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


@pytest.fixture
def player() -> RecordingPlayer:
    return RecordingPlayer()


def make_plan(toml: str, plan_id: str = "test") -> Plan:
    """A plan from TOML text, which must be valid."""
    return parse_plan(textwrap.dedent(toml), f"{plan_id}.toml", plan_id).plan


@pytest.fixture
def write_plan(tmp_path: Path) -> Callable[..., Path]:
    def write(text: str | bytes, name: str = "plan.toml") -> Path:
        path = tmp_path / "plans" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


async def settle(pilot: Any) -> None:
    """Let background workers finish (home reads plans and the log off the UI thread)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def make_store(user_sessions: Path | None = None) -> Any:
    """A store on the shipped sessions and the (temporary) user folders."""
    from gluteterm.store.api import Store

    extra = {"user_sessions": user_sessions} if user_sessions is not None else {}
    return Store.default(shipped_sessions=REPO / "sessions", **extra)


def build_app(
    clock: FakeClock,
    toml: str | None = None,
    *,
    player: RecordingPlayer | None = None,
    user_sessions: Path | None = None,
    plan_id: str = "test",
    wall: Callable[[], Any] | None = None,
    flash: bool = False,
) -> Any:
    """The app on a fake clock: straight into the plan `toml`, or home when it is None.

    The flash at each change of segment is off unless asked for: it lasts 0.3 s
    of real time, so a screenshot could catch it or not."""
    from gluteterm.store.drills import default_library
    from gluteterm.ui.app import GlutetermApp

    text = textwrap.dedent(toml) if toml else None
    loaded = (
        parse_plan(text, f"{plan_id}.toml", plan_id, drills=default_library()) if text else None
    )
    extra = {"wall": wall} if wall is not None else {}
    return GlutetermApp(
        loaded, player=player or RecordingPlayer(), now=clock,
        store=make_store(user_sessions), flash=flash, **extra,
    )  # fmt: skip


async def advance(app: Any, clock: FakeClock, seconds: float, step: float = 0.5) -> None:
    """Move the fake clock on `seconds`, letting the runner catch up every `step`."""
    from gluteterm.ui.screens.runner import RunnerScreen

    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, RunnerScreen))
    for _ in range(round(seconds / step)):
        clock.advance(step)
        screen.catch_up()
    await app.workers.wait_for_complete()


def told(app: Any) -> list[tuple[str, str]]:
    """Every notice the user was shown, (text, severity): Textual's toasts, and the
    runner's own notice line during a session."""
    from gluteterm.ui.widgets.notice_line import NoticeLine

    said = [(str(n.message), str(n.severity)) for n in app._notifications]
    for screen in app.screen_stack:
        for line in screen.query(NoticeLine):
            said += [(n.text, n.severity) for n in line.history]
    return said


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run every real-terminal test on one worker, one after the other: they share
    the tmux server, which exits when its last session closes."""
    for item in items:
        if item.get_closest_marker("tmux") is not None:
            item.add_marker(pytest.mark.xdist_group("tmux"))
