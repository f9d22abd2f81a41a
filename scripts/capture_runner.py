"""Save the runner as SVG screenshots at 80x24, 100x30 and 160x45 for the README.

usage: python scripts/capture_runner.py [FOLDER]   (default: this repository's docs/)

It runs the Quick session on a fake clock, a few seconds into the paced glute
bridge (the figure mid-rep), in a temporary home, so nothing of yours is used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

SIZES = [(80, 24), (100, 30), (160, 45)]
REPO = Path(__file__).resolve().parent.parent


async def capture(folder: Path, width: int, height: int) -> Path:
    from gluteterm.ui.screens.runner import RunnerScreen
    from tests.support import FakeClock, build_app, make_store

    clock = FakeClock()
    app = build_app(clock, make_store().plan("quick"))
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunnerScreen)
        session = screen.session
        steps = session.plan.steps
        bridge = next(i for i, s in enumerate(steps) if s.drill == "glute-bridge")
        while True:
            view = session.view()
            if view.step_index == bridge and view.state == "work" and view.elapsed >= 7.5:
                break
            clock.advance(0.5)
            screen.catch_up()
        await pilot.press("escape")  # close the check-in about the drill before
        app.clear_notifications()
        await pilot.pause(0.3)  # let the figure draw its frame for this moment of the rep
        path = folder / f"runner-{width}x{height}.svg"
        app.save_screenshot(filename=path.name, path=str(folder))
    return path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Save the runner as SVG screenshots at 80x24, 100x30 and 160x45 "
        "(the Quick session on a fake clock, in a temporary home).",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=REPO / "docs",
        help="where to write runner-WxH.svg (default: this repository's docs folder)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    folder: Path = args.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="gluteterm-capture-"))
    for name in ("CONFIG", "DATA", "CACHE", "STATE"):
        os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())
    sys.path.insert(0, str(REPO))
    for width, height in SIZES:
        print(asyncio.run(capture(folder, width, height)))


if __name__ == "__main__":
    main()
