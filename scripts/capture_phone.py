"""Phone-sized screenshots of the phone page for the README: at work, at rest, at a
check-in. Runs the app in tmux on 127.0.0.1 and the page in Debian's headless Chromium.

    .venv/bin/python scripts/capture_phone.py docs/
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.e2e_phone_helpers import CHROMIUM, CHROMIUM_ARGS, PHONE, url_on
from tests.tmux import Terminal

PLAN = """\
title = "Glute warm-up"
prepare = 4

[[step]]
drill = "banded-clamshell"
reps = 8
tempo = 2
sets = 2
rest = 15
per_side = false

[[step]]
drill = "glute-bridge"
reps = 10
tempo = 2
"""


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="capture_phone.py",
        description="Phone-sized PNG screenshots of the phone page at work, at rest and at "
        "a check-in (needs tmux and Debian's chromium; the app listens on 127.0.0.1 only).",
    )
    parser.add_argument("folder", type=Path, help="where the PNG files go (docs/ for the README)")
    capture(parser.parse_args(argv).folder)
    return 0


def capture(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as home:
        env = {
            "PATH": os.environ["PATH"], "HOME": home, "TERM": "xterm-256color",
            "XDG_CONFIG_HOME": f"{home}/c", "XDG_DATA_HOME": f"{home}/d",
            "XDG_CACHE_HOME": f"{home}/k",
        }  # fmt: skip
        plan = Path(home) / "warm-up.toml"
        plan.write_text(PLAN)
        command = [sys.executable, "-m", "gluteterm", "run", str(plan), "--mute", "--voice"]
        term = Terminal([*command, "--phone", "--phone-bind", "127.0.0.1"], env, (160, 45))
        try:
            term.wait_for("Anyone on the same network")
            found = url_on(term.screen())
            assert found is not None
            term.press("Escape")
            with sync_playwright() as play:
                browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(
                    viewport={"width": PHONE["width"], "height": PHONE["height"]},
                    device_scale_factor=2,
                    is_mobile=True,
                    has_touch=True,
                )
                page.goto(found)
                page.tap("#start-button")
                page.wait_for_function("() => document.body.classList.contains('s-work')")
                time.sleep(2.3)
                page.screenshot(path=str(out / "phone-work.png"))
                page.tap("#b-done")  # the first set, done: its rest
                page.wait_for_function("() => document.body.classList.contains('s-rest')")
                time.sleep(1.2)
                page.screenshot(path=str(out / "phone-rest.png"))
                page.tap("#b-next")  # the rest of the step: the check-in opens
                page.wait_for_selector("#question:not([hidden])")
                page.tap("#q-felt button:text-is('6')")
                time.sleep(0.5)
                page.screenshot(path=str(out / "phone-check-in.png"))
                page.tap("#b-card")
                time.sleep(0.3)
                page.screenshot(path=str(out / "phone-card.png"))
                browser.close()
        finally:
            term.close()


if __name__ == "__main__":
    sys.exit(main())
