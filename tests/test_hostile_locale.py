"""Any locale (issue 22, class 7).

Under `LC_ALL=C PYTHONUTF8=0` or `PYTHONIOENCODING=ascii`, plain output never
ends in a UnicodeEncodeError: what the output cannot carry is escaped. The app
says it needs UTF-8 instead of drawing escapes. Bidirectional controls from a
file are escaped like ESC and BEL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gluteterm.core.text import printable
from gluteterm.store import paths
from gluteterm.store.log import SessionWriter
from tests.support import REPO
from tests.test_log import record

NAME = "Clamshell \u2013 caf\u00e9 \u2192 \u263a"  # en dash, e acute, arrow, smiley
LOCALES = {
    "C": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
}


def non_ascii_everywhere() -> None:
    """A user drill, a plan, a logged session and an assessment, all with non-ASCII text."""
    shipped = (paths.shipped_drills_dir() / "clamshell.toml").read_text(encoding="utf-8")
    drills = paths.user_drills_dir()
    drills.mkdir(parents=True)
    (drills / "clamshell.toml").write_text(
        shipped.replace('name = "Clamshell"', f'name = "{NAME}"'), encoding="utf-8"
    )
    sessions = paths.user_sessions_dir()
    sessions.mkdir(parents=True)
    (sessions / "mine.toml").write_text(
        f'title = "{NAME}"\n[[step]]\ndrill = "clamshell"\nreps = 10\n', encoding="utf-8"
    )
    from dataclasses import replace

    SessionWriter(paths.log_dir(), paths.pending_dir()).save(replace(record(), title=NAME))


def gluteterm(locale: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    env.pop("PYTHONUTF8", None)
    env.update(LOCALES[locale])
    return subprocess.run(
        [sys.executable, "-m", "gluteterm", *args],
        capture_output=True, timeout=60, stdin=subprocess.DEVNULL, env=env, cwd=REPO,
    )  # fmt: skip


COMMANDS = [
    ("drills", "clamshell"),
    ("drills",),
    ("history",),
    ("export",),
    ("export", "--format", "json"),
    ("list",),
    ("assessments",),
    ("check", "--drills"),
]


@pytest.mark.parametrize("locale", list(LOCALES))
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_plain_output_never_fails_on_an_encoding(locale: str, args: tuple[str, ...]) -> None:
    non_ascii_everywhere()
    done = gluteterm(locale, *args)
    said = done.stdout + done.stderr
    assert b"UnicodeEncodeError" not in said and b"Traceback" not in said, said.decode()
    assert done.returncode in (0, 1), said.decode()
    if args[0] in ("drills", "list", "history", "export"):
        assert b"caf\\xe9" in said or b"caf\\u00e9" in said or b"caf?" in said, said.decode()


def test_a_check_of_a_plan_file_names_it_in_any_locale() -> None:
    non_ascii_everywhere()
    plan = paths.user_sessions_dir() / "mine.toml"
    done = gluteterm("ascii", "check", str(plan))
    assert done.returncode == 0 and b"Traceback" not in done.stderr


def test_the_app_says_it_needs_utf8_instead_of_drawing_escapes() -> None:
    script = (
        "import sys; from gluteterm.cli import main as m; "
        "m.require_terminal = lambda: None; sys.exit(m.main([]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    env.update(LOCALES["ascii"])
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60,
        stdin=subprocess.DEVNULL, env=env, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr.decode()
    assert b"needs a UTF-8 terminal" in done.stderr and b"LC_ALL=C.UTF-8" in done.stderr
    assert b"\\u2588" not in done.stderr  # no screen drawn as escapes


BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x61C)]


@pytest.mark.parametrize("control", BIDI)
def test_bidi_controls_are_escaped_like_esc_and_bel(control: str) -> None:
    shown = printable(f"evil{control}txt.toml\x1b\x07")
    assert control not in shown
    assert shown == f"evil\\u{ord(control):04x}txt.toml\\x1b\\x07"


def test_bidi_controls_in_a_title_are_escaped_in_the_shell_and_json() -> None:
    from dataclasses import replace

    SessionWriter(paths.log_dir(), paths.pending_dir()).save(
        replace(record(), title="gpj.\u202eexe")
    )
    done = subprocess.run(
        [sys.executable, "-m", "gluteterm", "history"], capture_output=True, timeout=60,
        stdin=subprocess.DEVNULL, cwd=REPO,
    )  # fmt: skip
    assert "\u202e".encode() not in done.stdout and b"\\u202e" in done.stdout
    exported = subprocess.run(
        [sys.executable, "-m", "gluteterm", "export", "--format", "json"],
        capture_output=True, timeout=60, stdin=subprocess.DEVNULL, cwd=REPO,
    )  # fmt: skip
    assert "\u202e".encode() not in exported.stdout
    assert json.loads(exported.stdout)[0]["title"] == "gpj.\u202eexe"  # the same text back
