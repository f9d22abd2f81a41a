"""No screen dies from a file (issue 22, class 1).

With a broken copy of a shipped drill, a broken plan, levels file, assessment
and settings in place, every key bound on every screen the user can reach
leaves the app running; where a key reads a broken file, a notice names it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gluteterm.store import paths
from tests.support import FakeClock, build_app, wait_for_workers

REPO = Path(__file__).resolve().parent.parent
#: Keys that leave the app on purpose (home's q); the walk never presses them there.
LEAVES_APP = {"app.quit", "quit", "leave('quit')"}


def _break_every_file() -> dict[str, Path]:
    """A broken file of every kind the app reads, in the (temporary) user folders."""
    drills = paths.user_drills_dir()
    drills.mkdir(parents=True, exist_ok=True)
    shipped = (paths.shipped_drills_dir() / "side-plank.toml").read_text(encoding="utf-8")
    drill = drills / "side-plank.toml"
    # The first pose's trunk angle, whatever it is, becomes nan.
    broken_text = re.sub(r"(?m)^trunk = .*$", "trunk = nan", shipped, count=1)
    assert broken_text != shipped
    drill.write_text(broken_text, encoding="utf-8")
    sessions = paths.user_sessions_dir()
    sessions.mkdir(parents=True, exist_ok=True)
    plan = sessions / "mine.toml"
    plan.write_text('version = 1\ntitle = "Mine"\n[[step]]\nname = 3\n', encoding="utf-8")
    levels = paths.levels_file()
    levels.parent.mkdir(parents=True, exist_ok=True)
    levels.write_text("version = 2\n[ladders\n", encoding="utf-8")
    log = paths.log_dir()
    log.mkdir(parents=True, exist_ok=True)
    assessment = log / "2026-11-01T10-00-00_assessment.toml"
    assessment.write_text('version = 1\nkind = "assessment"\ntaken = nan\n', encoding="utf-8")
    settings = paths.settings_file()
    settings.write_text("mute = \n", encoding="utf-8")
    return {"drill": drill, "plan": plan, "levels": levels, "assessment": assessment,
            "settings": settings}  # fmt: skip


#: Actions that leave a screen: pressed last, so the others are pressed on it first.
LEAVES_SCREEN = ("pop_screen", "back", "leave", "cancel", "close", "answer(False)")


def _keys(screen: Any) -> list[tuple[str, str]]:
    """(key, action) for every binding of `screen`'s class, each key of a binding once,
    those that leave the screen last."""
    found = []
    for binding in type(screen).BINDINGS:
        for key in binding.key.split(","):
            if binding.action not in LEAVES_APP:
                found.append((key.strip(), binding.action))
    return sorted(found, key=lambda k: any(word in k[1] for word in LEAVES_SCREEN))


def _record_notices(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notice shown from now on: the app's, and the runner's own notice line (they
    expire on screen: a slow walk would lose the first ones)."""
    from gluteterm.ui.screens.runner import RunnerScreen

    said: list[str] = []
    show = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(str(message))
        show(message, *args, **kwargs)

    app.notify = notify
    on_line = RunnerScreen.show_notice

    def show_notice(screen: RunnerScreen, text: str, *args: Any, **kwargs: Any) -> None:
        said.append(text)
        on_line(screen, text, *args, **kwargs)

    monkeypatch.setattr(RunnerScreen, "show_notice", show_notice)
    return said


#: Home's keys, and the broken file each must name (settings are named by every walk).
HOME_KEYS = {
    "enter": "plan",  # on the broken plan
    "run": "levels",  # Enter on the first session: the runner, its quit, the summary
    "e": "plan",
    "f": None,
    "b": None,
    "h": "assessment",  # history, then its self-tests (t)
    "t": "drill",  # the self-assessment uses side-plank
    "d": None,
    "l": None,
    "r": None,
}


async def _walk(pilot: Any, screen: Any, seen: set[type], depth: int) -> None:
    """Press every key bound on `screen`, and on each screen that opens, to `depth`."""
    app = pilot.app
    seen.add(type(screen))
    for key, action in _keys(screen):
        if screen not in app.screen_stack:
            return
        while app.screen is not screen:
            app.pop_screen()
            await wait_for_workers(pilot)
        await pilot.press(key)
        await wait_for_workers(pilot)
        assert app.is_running, f"{type(screen).__name__}'s {key!r} ({action}) ended the app"
        opened = app.screen
        if opened is not screen and type(opened) not in seen and depth > 1:
            await _walk(pilot, opened, seen, depth - 1)


@pytest.mark.parametrize("first", list(HOME_KEYS))
async def test_every_key_on_every_screen_survives_broken_files(
    clock: FakeClock, first: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = _break_every_file()
    app = build_app(clock)
    notices = _record_notices(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(pilot)
        home = app.screen
        if first in {"enter", "e"}:
            await pilot.press("end")  # the broken plan: the user's own come last
        await pilot.press("enter" if first == "run" else first)
        await wait_for_workers(pilot)
        assert app.is_running, f"home's {first!r} ended the app"
        if app.screen is not home:
            await _walk(pilot, app.screen, {type(home)}, depth=4)
        assert app.is_running
    said = "\n".join(notices)
    assert str(broken["settings"]) in said
    expected = HOME_KEYS[first]
    if expected is not None:
        assert str(broken[expected]) in said, said
