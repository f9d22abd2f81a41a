"""The phone page in a real browser: headless Chromium at a phone's size, beside the app
in a real terminal (tmux), on 127.0.0.1 only."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gluteterm.core.bigdigits import render
from gluteterm.store import paths
from gluteterm.store.log import read_record
from tests.e2e_phone_helpers import CHROMIUM, CHROMIUM_ARGS, PHONE, url_on
from tests.tmux import Terminal, require_tmux

pytestmark = pytest.mark.tmux

PLAN = """\
title = "Phone warm-up"
prepare = 4

[[step]]
drill = "glute-bridge"
name = "Bridge hold"
kind = "stability"
hold = 9
per_side = false

[[step]]
name = "Roll the glutes"
kind = "release"
hold = 30
"""


def require_chromium() -> Any:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"headless Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright for Python is not installed (pip install -e '.[test]')")
    return sync_playwright


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_playwright = require_chromium()
    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def app_in_tmux(*args: str) -> Terminal:
    """gluteterm `args` in tmux at 160x45 (the address fits on one line), the phone on."""
    require_tmux()
    keep = ("PATH", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env |= {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
    command = [sys.executable, "-m", "gluteterm", *args, "--mute"]
    return Terminal([*command, "--phone", "--phone-bind", "127.0.0.1"], env, size=(160, 45))


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    plan = tmp_path / "phone.toml"
    plan.write_text(PLAN)
    term = app_in_tmux("run", str(plan))
    yield term
    term.close()


@pytest.fixture
def assessment() -> Iterator[Terminal]:
    term = app_in_tmux("assess")
    yield term
    term.close()


def big_digits_shown(text: str, screen: str) -> bool:
    """`text` is drawn in the terminal's big digits, at whatever size the runner chose."""
    lines = screen.splitlines()
    seen: set[tuple[str, ...]] = set()
    for rows in range(3, 46):
        for cols in range(8, 161, 2):
            drawn = tuple(line.rstrip() for line in render(text, rows, cols))
            if drawn in seen or not drawn:
                continue
            seen.add(drawn)
            for top in range(len(lines) - len(drawn) + 1):
                if all(d in lines[top + i] for i, d in enumerate(drawn)):
                    return True
    return False


def wait_until(test: Any, timeout: float = 10.0, what: str = "") -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = test()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_page_follows_and_steers_the_session(
    terminal: Terminal, browser: Any, tmp_path: Path
) -> None:
    screen = terminal.wait_for("Anyone on the same network")
    url = wait_until(lambda: url_on(terminal.screen()), 5, "the address")
    terminal.press("Escape")  # the runner beneath
    page = browser.new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.tap("#start-button")  # one tap: sound, vibration, screen kept on
    page.wait_for_function("() => document.getElementById('link').textContent === 'live'")
    assert page.text_content("#step-name") == "Bridge hold"
    assert page.text_content("#count") == "Step 1 of 2"
    # 127.0.0.1 is a secure context: the Wake Lock API keeps the screen on.
    assert page.evaluate("document.documentElement.dataset.awake") == "wake-lock"
    # A local network address is not: without the API, the page's silent video does.
    plain = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    plain.add_init_script("delete Navigator.prototype.wakeLock")
    plain.goto(url)
    plain.tap("#start-button")
    plain.wait_for_function("() => document.documentElement.dataset.awake !== undefined")
    assert plain.evaluate("document.documentElement.dataset.awake") == "video"
    assert plain.evaluate("document.getElementById('awake').paused") is False
    plain.close()

    # A tap on pause pauses the session in the terminal; both show the same number.
    page.wait_for_function("() => document.body.classList.contains('s-work')", timeout=10000)
    page.tap("#b-pause")
    screen = terminal.wait_for("PAUSED")
    page.wait_for_function("() => document.body.classList.contains('s-paused')")
    number = page.text_content("#big")
    assert re.fullmatch(r"0:0\d", number or ""), number
    assert "Bridge hold" in screen and big_digits_shown(number, terminal.screen())
    assert page.text_content("#b-pause") == "Resume"
    time.sleep(1.5)
    assert page.text_content("#big") == number  # paused on both
    page.screenshot(path=str(tmp_path / "paused.png"))

    # Space on the laptop resumes; the page follows and counts down by itself.
    terminal.press("Space")
    page.wait_for_function("() => document.body.classList.contains('s-work')")
    wait_until(lambda: page.text_content("#big") != number, 3, "the page's countdown")

    # The hold ends: the check-in is answered on the page and lands in the log.
    page.wait_for_selector("#question:not([hidden])", timeout=15000)
    assert "Felt it?" in (page.text_content("#q-prompt") or "")
    page.tap("#q-felt button:text-is('7')")
    page.tap("#q-flags button:text-is('Knees caving in')")
    page.wait_for_selector("#q-flags button.on")

    def logged() -> Any:
        files = sorted(paths.log_dir().glob("*.toml"))
        if not files:
            return None
        step = read_record(files[0]).steps[0]
        return step if step.felt == 7 and "knees caving in" in step.flags else None

    wait_until(logged, 10, "the check-in in the log")
    page.wait_for_function(
        "() => document.getElementById('step-name').textContent === 'Roll the glutes'"
    )
    page.screenshot(path=str(tmp_path / "check-in.png"))
    page.tap("#b-next")  # skips the last step: the session is over
    terminal.wait_for("Session complete", timeout=10)
    page.wait_for_function("() => document.body.classList.contains('s-finished')")
    assert errors == []
    terminal.press("q")
    terminal.wait_for("EXITED=0")
    # The server stopped with the app.
    assert page.evaluate("fetch(location.href).then(() => 'up', () => 'down')") == "down"


def press(page: Any, selector: str) -> None:
    """A tap by its click event: the buttons shift as questions open and close, and
    Playwright's tap waits for a still element (the workout test taps for real)."""
    page.locator(selector).dispatch_event("click")


def test_a_whole_self_assessment_from_the_page(assessment: Terminal, browser: Any) -> None:
    """Every test ended, and every question answered, by taps on the page alone."""
    assessment.wait_for("Anyone on the same network")
    url = wait_until(lambda: url_on(assessment.screen()), 5, "the address")
    assessment.press("Escape")
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(url)
    page.tap("#start-button")
    page.wait_for_function("() => document.getElementById('link').textContent === 'live'")
    failed_at = set()
    for _ in range(80):
        state = page.evaluate(
            "() => [document.body.className, document.getElementById('count').textContent,"
            " document.getElementById('band-text').textContent,"
            " document.getElementById('question').hidden,"
            " document.getElementById('b-fail').hidden,"
            " document.getElementById('q-prompt').textContent]"
        )
        if "s-finished" in state[0]:
            break
        if not state[3]:  # a yes/no question: a level pelvis, the squat's five criteria
            press(page, "#q-no")
        elif not state[4]:  # a test to failure: "Can't keep going"
            time.sleep(1.5)
            failed_at.add(state[1])
            press(page, "#b-fail")
        else:  # get ready, switch sides, rest, or a timed test: done now
            press(page, "#b-done")
        page.wait_for_function(
            "(before) => [document.body.className, document.getElementById('count').textContent,"
            " document.getElementById('band-text').textContent,"
            " document.getElementById('question').hidden,"
            " document.getElementById('q-prompt').textContent].join('|') !== before",
            arg="|".join(
                str(v).lower() if isinstance(v, bool) else v for v in (*state[:4], state[5])
            ),
        )
    results = assessment.wait_for("Side plank time", timeout=20)
    assert len(failed_at) == 2, failed_at  # the bridge and the side plank
    assert "Nothing was measured" not in results and "Traceback" not in results
    page.close()
