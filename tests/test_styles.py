"""Each screen's rules apply to that screen only: a dialog looks the same in the app,
over a running session, as in a bare Textual app."""

from __future__ import annotations

from typing import Any

from textual.app import App

from gluteterm.ui.screens.confirm import ConfirmScreen
from tests.support import FakeClock, build_app

PLAN = """
title = "Two holds"
prepare = 2

[[step]]
name = "Hold one"
kind = "stability"
hold = 20
"""


def looks(screen: Any) -> dict[str, tuple[str, ...]]:
    """Every widget of `screen` by id, with what its rules decide about its look."""
    out = {}
    for widget in screen.query("*"):
        if widget.id is None:
            continue
        s = widget.styles
        out[widget.id] = tuple(
            str(v)
            for v in (s.padding, s.width, s.height, s.background, s.color, s.text_style, s.border)
        )
    return out


async def test_the_quit_dialog_over_a_session_looks_as_in_a_bare_app(clock: FakeClock) -> None:
    app = build_app(clock, PLAN)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        in_app = looks(app.screen)

    class Bare(App[None]):
        def on_mount(self) -> None:
            self.push_screen(
                ConfirmScreen("End this session now?", "What you have done so far is kept.")
            )

    bare = Bare()
    async with bare.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(bare.screen, ConfirmScreen)
        alone = looks(bare.screen)
    assert in_app == alone
    assert "question" in in_app  # the id the runner's old #question rules leaked into


def test_every_rule_names_its_screen() -> None:
    """A stylesheet loaded with a screen stays in the app's stylesheet: each rule must
    start with its screen's name, or it would style the same id on other screens."""
    from pathlib import Path

    import gluteterm.ui.screens as screens

    folder = Path(screens.__file__).parent
    loose = []
    for sheet in sorted(folder.glob("*.tcss")):
        for number, line in enumerate(sheet.read_text(encoding="utf-8").splitlines(), 1):
            if line and line[0] not in " /*}" and line.rstrip().endswith("{"):
                for selector in line.rstrip()[:-1].split(","):
                    if not selector.strip()[:1].isupper():
                        loose.append(f"{sheet.name}:{number} {selector.strip()}")
    assert loose == []
