"""The plain-text commands: list, check, run's errors, --version, --help."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gluteterm import __version__
from gluteterm.cli.main import main
from tests.support import REPO, cli


def test_list_shows_the_three_sessions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for line in ("unlock-and-activate  Unlock & Activate", "quick", "glute-medius"):
        assert line in out
    assert "18 min" in out and "15" in out and "before-a-run" in out


def test_list_marks_user_plans_and_reports_broken(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = isolated_home / ".config" / "gluteterm" / "sessions"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text('title = "Mine"\n[[step]]\nname="A"\nkind="release"\nhold=20\n')
    (user / "oops.toml").write_text("title = \n")
    assert main(["list"]) == 0
    out, err = capsys.readouterr()
    assert "mine *" in out and "oops" in out and "broken" in out
    assert "oops.toml: not valid TOML" in err


def test_check_good_files(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(p) for p in sorted((REPO / "sessions").glob("*.toml"))]
    assert main(["check", *files]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok: ") == 6 and "warning" not in out


def test_check_reports_every_problem_and_exits_2(
    write_plan: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_plan('title = "T"\n[[step]]\nname = "S"\nkind = "stretch"\nhold = 90\n', "bad.toml")
    good = write_plan(
        'title = "T"\n[[step]]\nname = "A"\nkind = "release"\nhold = 20\n', "good.toml"
    )
    assert main(["check", str(bad), str(good)]) == 2
    out, err = capsys.readouterr()
    assert f"{bad}: step 1 (S): 'hold': static stretching of 90 s" in err
    assert "good.toml: ok" in out


def test_check_warnings_exit_0(
    write_plan: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write_plan('title = "T"\n[[step]]\nname = "S"\nkind = "stretch"\nhold = 40\n')
    assert main(["check", str(plan)]) == 0
    err = capsys.readouterr().err
    assert "warning: a 40 s hold is over 30 s" in err
    assert "warning: no mobility or activation step follows" in err


def test_run_with_a_bad_plan_exits_2_before_any_screen(
    write_plan: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write_plan('title = "T"\n[[step]]\nname = "A"\nkind = "release"\n')
    assert main(["run", str(plan)]) == 2
    assert "needs 'hold' (seconds) or 'reps'" in capsys.readouterr().err


def test_run_unknown_session(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "quik"]) == 2
    assert "did you mean 'quick'" in capsys.readouterr().err


def test_user_text_with_escapes_is_printed_harmlessly(
    write_plan: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write_plan(
        'title = "\\u001b[31mred [bold]x[/"\n[[step]]\nname = "A"\nkind = "release"\nhold = 20\n'
    )
    assert main(["check", str(plan)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[31mred [bold]x[/" in out


def test_version_and_help() -> None:
    assert cli("--version").stdout.strip() == f"gluteterm {__version__}"
    helped = cli("--help")
    assert helped.returncode == 0
    for command in ("run", "list", "check"):
        assert command in helped.stdout


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff\xfe",
        b"title = 'x'\n[[step]]\nkind = 3\n",
        b"[[step]\n",
        "title = 'é'".encode("utf-16"),
    ],
)
def test_no_traceback_from_a_real_process(write_plan: Callable[..., Path], content: bytes) -> None:
    result = cli("check", str(write_plan(content)))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip()


def test_check_a_folder_and_a_missing_file(tmp_path: Path) -> None:
    result = cli("check", str(tmp_path), str(tmp_path / "missing.toml"))
    assert result.returncode == 2
    assert "is a folder" in result.stderr and "no such file" in result.stderr


def test_list_into_one_pipe_keeps_the_table_before_the_problems() -> None:
    from gluteterm.store import paths

    user = paths.user_sessions_dir()
    user.mkdir(parents=True)
    (user / "mine.toml").write_text(
        'title = "Mine"\n[[step]]\nname = "R"\nkind = "release"\nhold = 5\n'
    )
    (user / "weird.toml").write_text('title = "W"\n[[step]]\nname = 3\n')
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as in a shell
    done = subprocess.run(
        [sys.executable, "-m", "gluteterm", "list"], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=60, env=env,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    footnote = next(i for i, line in enumerate(lines) if line.startswith("* your own plan"))
    assert lines[footnote] == f"* your own plan, from {user}"
    assert any("weird.toml" in line for line in lines[footnote + 1 :])
