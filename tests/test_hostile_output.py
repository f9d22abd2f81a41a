"""Output that goes where it was meant to: programs that never read text as an
option, exports through links and into FIFOs and devices, closed pipes, CSV a
spreadsheet can open safely, and an app that will not start without a terminal."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from gluteterm.cli.history import safe_cell
from gluteterm.cli.main import main
from gluteterm.core.errors import PlanError
from gluteterm.store import paths
from gluteterm.store.atomic import write_atomic, write_through
from gluteterm.store.log import SessionWriter
from gluteterm.ui.sound import SoundPlayer, cue_file, speech_command
from tests.support import cli, wait_until
from tests.test_log import T0, record

HOSTILE = "--phonout=/tmp/gluteterm-victim"


# -- text from a file is never an option (class 2) -----------------------


@pytest.mark.parametrize("program", ["espeak-ng", "espeak", "say"])
def test_a_step_name_that_looks_like_an_option_is_never_an_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, program: str
) -> None:
    argv, said = tmp_path / "argv", tmp_path / "said"
    stand_in = tmp_path / program
    stand_in.write_text(
        f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {argv}.part\n/bin/mv {argv}.part {argv}\n"
        f"/bin/cat > {said}.part\n/bin/mv {said}.part {said}\n"
    )
    stand_in.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("gluteterm.ui.sound.SPEECH_PROGRAMS", (program,))
    player = SoundPlayer(voice=True)
    player.speak(HOSTILE)
    wait_until(said.exists)
    assert HOSTILE not in argv.read_text()
    assert argv.read_text().splitlines() == speech_command(program)[1:]
    assert said.read_text() == HOSTILE + "\n"  # spoken as words, on stdin


def test_sound_players_are_only_given_absolute_paths_of_shipped_cues() -> None:
    for cue in ("go", "rest", "complete"):
        path = cue_file(cue)
        assert path is not None and path.is_absolute() and str(path).startswith("/")
    assert cue_file("--output=x") is None and cue_file("../../etc/passwd") is None


def test_voice_without_a_speech_program_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to speak with
    notices: list[str] = []
    player = SoundPlayer(voice=True, notice=notices.append, muted=False)
    monkeypatch.setattr(player, "_load_backend", lambda: None)
    player.speak("One")
    player.speak("Two")
    wait_until(lambda: bool(notices))
    time.sleep(0.1)
    assert len(notices) == 1 and "no speech program" in notices[0]


# -- output goes where the user asked (class 3) --------------------------


def test_writing_through_a_link_changes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "config.toml"
    target.parent.mkdir()
    target.write_text("mute = false\n")
    target.chmod(0o600)
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    write_atomic(link, b"mute = true\n")
    assert link.is_symlink() and target.read_text() == "mute = true\n"
    assert target.stat().st_mode & 0o777 == 0o600  # the file keeps its permissions
    write_through(link, b"x\n")
    assert link.is_symlink() and target.read_text() == "x\n"


def test_saving_settings_and_plans_through_links_keeps_the_links(tmp_path: Path) -> None:
    from gluteterm.store.settings import load_settings, save_setting

    real = tmp_path / "real.toml"
    real.write_text("other = 1\n")
    paths.config_dir().mkdir(parents=True)
    paths.settings_file().symlink_to(real)
    assert save_setting(paths.settings_file(), "mute", True) == ""
    assert paths.settings_file().is_symlink() and "mute = true" in real.read_text()
    assert load_settings(paths.settings_file())[0].mute


def test_export_into_a_fifo_streams_and_into_a_link_writes_its_target(tmp_path: Path) -> None:
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(record())
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert main(["export", "--output", str(fifo)]) == 0
    reader.join(10)
    assert fifo.is_fifo() and b"Foam roll glutes" in got[0]
    target, link = tmp_path / "real.csv", tmp_path / "link.csv"
    target.write_text("old")
    link.symlink_to(target)
    assert main(["export", "--output", str(link)]) == 0
    assert link.is_symlink() and "Foam roll glutes" in target.read_text()
    assert main(["export", "--output", "/dev/null"]) == 0
    assert Path("/dev/null").is_char_device()


def test_export_to_a_full_disk_fails_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(record())
    assert main(["export", "--output", "/dev/full"]) == 1
    assert "could not write /dev/full: No space left on device" in capsys.readouterr().err
    assert Path("/dev/full").is_char_device()


@pytest.mark.parametrize("command", [["list"], ["history"], ["drills"], ["export"]])
def test_plain_output_to_a_full_disk_is_one_line_and_exit_1(command: list[str]) -> None:
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(record())
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "gluteterm", *command], stdout=full, stderr=subprocess.PIPE,
            text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == "gluteterm: could not write the output: No space left on device\n"
    assert Path("/dev/full").is_char_device()


def test_export_refuses_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--output", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


# -- pipes close (class 9) ------------------------------------------------


@pytest.mark.parametrize(
    "args", [("list",), ("history",), ("check", "sessions/quick.toml"), ("--help",)]
)
def test_a_reader_that_goes_away_ends_the_command_quietly(args: tuple[str, ...]) -> None:
    for day in range(60):
        SessionWriter(paths.log_dir(), paths.pending_dir()).save(record(T0 + timedelta(hours=day)))
    done = subprocess.run(
        f"{sys.executable} -m gluteterm {' '.join(args)} | head -c 1 >/dev/null",
        shell=True, capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr


# -- exports that are safe to open (class 10) ------------------------------


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_defused_in_csv(name: str) -> None:
    cell = safe_cell(name)
    assert isinstance(cell, str) and not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.startswith(("'", "\\x0d"))  # defused, or CR shown as every command shows it


def test_csv_export_has_no_raw_control_bytes_and_no_formulas(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dataclasses import replace

    bad = replace(record(), title="=cmd|' /C calc'!A0\x1b[31m", session="@x")
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(bad)
    assert main(["export"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[31m" in out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["title"].startswith("'=") and rows[0]["session"] == "'@x"
    assert rows[0]["active_seconds"] == "420.0"  # numbers stay numbers


def test_csv_export_has_the_drill_the_dose_and_the_pause_as_json_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dataclasses import replace

    base = record()
    step = replace(base.steps[0], drill="foam-roll-glutes", dose=0.5)
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(
        replace(base, steps=(step, *base.steps[1:]), paused_seconds=12.0)
    )
    assert main(["export"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[:16] == ["file", "session", "title", "started", "ended", "status",
        "active_seconds", "step_number", "step_name", "kind", "step_status", "planned_seconds",
        "actual_seconds", "level", "felt", "flags"]  # fmt: skip
    assert (rows[0]["drill"], rows[0]["dose"], rows[0]["paused_seconds"]) == (
        "foam-roll-glutes", "0.5", "12.0",
    )  # fmt: skip
    assert (rows[1]["drill"], rows[1]["dose"]) == ("", "")


def test_json_export_escapes_c1_controls(capsys: pytest.CaptureFixture[str]) -> None:
    from dataclasses import replace

    SessionWriter(paths.log_dir(), paths.pending_dir()).save(replace(record(), title="a\x9bb"))
    assert main(["export", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "\x9b" not in out and "a\\u009bb" in out


# -- the app needs a terminal; check reports everything (class 13) --------


@pytest.mark.parametrize("args", [("run", "quick"), ()])
def test_the_app_refuses_to_start_without_a_terminal(args: tuple[str, ...]) -> None:
    started = time.monotonic()
    done = cli(*args)
    assert done.returncode == 2 and time.monotonic() - started < 30
    assert "needs a terminal" in done.stderr and "Traceback" not in done.stderr


def test_check_reports_the_stretch_limit_with_every_other_error(
    write_plan: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_plan(
        'title = "T"\n'
        '[[step]]\nname = "Long"\nkind = "stretch"\nhold = 40\nsets = 3\n'
        '[[step]]\nname = "Typo"\nkind = "activaton"\nreps = 5\n'
        '[[step]]\nname = "Go"\nkind = "mobility"\nreps = 5\n'
    )
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "step 1 (Long): 'hold': static stretching of 120 s" in err
    assert "step 2 (Typo): 'kind'" in err
    from gluteterm.store.plans import load_plan

    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert len(caught.value.errors) == 2
