"""Shared fixtures: an isolated home for every test, a fake clock, a recording player."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

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
