"""Messages a hostile file or command line cannot spoil (issue 22, part 8).

Each test fails on the code before the fix it names: a quoted value is cut
short, a table row stays one row, a number is shown as it was given, a failed
write names the file the user knows, and values levels.toml cannot use are
named instead of dropped in silence.
"""

from __future__ import annotations

import errno
import tempfile
from pathlib import Path
from typing import Any

import pytest

from gluteterm.cli.main import main
from gluteterm.core.errors import PlanError, Problem
from gluteterm.core.figure import FigureError, parse_figure
from gluteterm.core.progression import Suggestion
from gluteterm.store import paths
from gluteterm.store.api import Store
from tests.support import REPO

SHIPPED = REPO / "gluteterm" / "drills"


def _fail(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """stderr of a command line argparse refuses (exit status 2)."""
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    return capsys.readouterr().err


# --- values quoted in messages are cut ---------------------------------------------


def test_a_figure_error_quotes_at_most_about_80_characters_of_a_huge_table() -> None:
    poses: dict[str, Any] = {"down": {"trunk": "x" * 480_000}, "up": {"trunk": 1}}
    with pytest.raises(FigureError) as caught:
        parse_figure({"poses": poses}, "big.toml")
    assert "expected a number, found text 'xxx" in str(caught.value)
    assert len(str(caught.value)) < 200
    with pytest.raises(FigureError) as caught:
        parse_figure({"poses": {"only": {"trunk": [1.0] * 60_000}}}, "big.toml")
    assert len(str(caught.value)) < 200


def test_an_unknown_drill_id_of_100000_characters_is_cut_and_quick(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["drills", "clamshel" + "l" * 100_000]) == 2
    err = capsys.readouterr().err
    assert "no drill called 'clamshell" in err and "…" in err and len(err) < 400


# --- tables keep one row per entry and a sane width ----------------------------------


def _user_drill(drill_id: str) -> None:
    folder = paths.user_drills_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{drill_id}.toml").write_text((SHIPPED / "clamshell.toml").read_text())


def test_a_newline_in_a_drill_files_name_does_not_split_its_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _user_drill("wall\nsit")
    assert main(["drills"]) == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(line for line in lines if "wall" in line)
    assert row.startswith("wall\\x0asit *")
    assert not any(line.startswith("sit") for line in lines)


def test_a_newline_in_a_plan_files_name_does_not_split_its_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = Store.default().user_sessions
    folder.mkdir(parents=True)
    (folder / "my\nplan.toml").write_text((REPO / "sessions" / "quick.toml").read_text())
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("my\\x0aplan *") for line in lines)
    assert not any(line.startswith("plan") for line in lines)


def test_a_200_character_id_is_cut_with_an_ellipsis_in_the_tables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    long_id = "a" * 200
    _user_drill(long_id)
    assert main(["drills"]) == 0
    out = capsys.readouterr().out
    assert long_id not in out and "aaaa…" in out
    table = out.split("\n\n")[0]  # not the footer, which names the (long) folder
    assert max(len(line) for line in table.splitlines()) < 120
    folder = Store.default().user_sessions
    folder.mkdir(parents=True)
    (folder / f"{long_id}.toml").write_text((REPO / "sessions" / "quick.toml").read_text())
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert long_id not in out and "aaaa…" in out
    table = out.split("\n\n")[0]  # not the footer, which names the (long) folder
    assert max(len(line) for line in table.splitlines()) < 120


# --- numbers as given --------------------------------------------------------------


def test_minutes_just_over_the_limit_are_shown_as_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _fail(capsys, ["build", "--minutes", "180.0000001"])
    assert "expected 1 to 180 minutes, found 180.0000001" in err
    err = _fail(capsys, ["run", "--minutes", "0,5"])
    assert "found 0,5" in err


def test_build_takes_a_comma_as_the_decimal_mark_like_the_dialogs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gluteterm.ui.screens.ask import parse_minutes

    assert parse_minutes("12,5") == 12.5
    assert main(["build", "--minutes", "12,5"]) == 0
    assert 'title = "Built warm-up, 12.5 min"' in capsys.readouterr().out


# --- session ids ---------------------------------------------------------------------


def test_a_64_character_id_is_told_about_the_limit_not_its_characters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["build", "--minutes", "10", "--save", "a" * 64]) == 2
    err = capsys.readouterr().err
    assert "64 characters long" in err and "at most 60" in err
    assert "lower-case" not in err
    assert main(["build", "--minutes", "10", "--save", "My Plan"]) == 2
    assert "lower-case letters, digits and hyphens (like my-plan)" in capsys.readouterr().err


def test_build_save_checks_the_plan_through_the_loader_as_the_dialog_does(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(*_: object) -> object:
        raise PlanError([Problem("built.toml", "the loader refused it", key="step")])

    monkeypatch.setattr(Store, "build_plan", refused)
    assert main(["build", "--minutes", "10", "--save", "checked"]) == 2
    assert "the loader refused it" in capsys.readouterr().err
    assert not Store.default().user_file("checked").exists()


# --- failed writes name the file ----------------------------------------------------


def test_a_full_disk_names_the_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("gluteterm.store.atomic.os.fsync", full)
    assert main(["build", "--minutes", "10", "--save", "full"]) == 1
    err = capsys.readouterr().err
    target = Store.default().user_file("full")
    assert f"could not write {target}: No space left on device" in err
    assert not target.exists()


def test_a_read_only_folder_names_the_target_not_the_temporary_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def denied(*, dir: Path, prefix: str, suffix: str) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", f"{dir}/{prefix}x{suffix}")

    monkeypatch.setattr(tempfile, "mkstemp", denied)  # root ignores a folder's mode
    assert main(["build", "--minutes", "10", "--save", "locked"]) == 1
    err = capsys.readouterr().err
    assert f"could not write {Store.default().user_file('locked')}: Permission denied" in err
    assert ".tmp" not in err


def test_an_assessment_that_is_not_toml_says_so_once(capsys: pytest.CaptureFixture[str]) -> None:
    log = Store.default().log_dir
    log.mkdir(parents=True)
    (log / "2026-05-01T09-00-00_assessment.toml").write_text("version = \n")
    assert main(["assessments"]) == 0
    err = capsys.readouterr().err
    assert err.count("not valid TOML") == 1 and "2026-05-01T09-00-00_assessment.toml" in err


# --- levels.toml -------------------------------------------------------------------


HOSTILE_LEVELS = """version = 2
colour = "blue"
[ladders]
glute-bridge = 5
clamshell = "banded-clamshell"
[steps.quick]
"Bridge" = "high"
"Hold" = 2
"""


def test_hostile_values_in_a_version_2_levels_file_are_named_not_dropped_silently() -> None:
    store = Store.default()
    store.levels_file.parent.mkdir(parents=True)
    store.levels_file.write_text(HOSTILE_LEVELS)
    levels, warning = store.levels()
    assert levels.ladders == {"clamshell": "banded-clamshell"}
    assert levels.steps == {"quick": {"Hold": 2}}
    assert warning.startswith(f"levels file {store.levels_file}: ignored")
    assert "'colour': unknown key" in warning
    assert "'ladders.glute-bridge': expected a drill id" in warning and "found 5" in warning
    assert "'steps.quick.Bridge': expected a level from 0 to 99, found text 'high'" in warning
    # The warning does not stop an accepted level from being saved.
    move = Suggestion(
        "quick", "Bridge", 0, 1, "Glute bridge", "Single-leg bridge", "two clean sessions",
        ladder="glute-bridge", to_drill="single-leg-bridge",
    )  # fmt: skip
    assert store.accept([move]) == ""
    assert Store.default().levels()[0].ladders["glute-bridge"] == "single-leg-bridge"
    assert 'colour = "blue"' in store.levels_file.read_text()  # the user's text is kept


def test_a_clean_levels_file_gives_no_warning() -> None:
    store = Store.default()
    store.levels_file.parent.mkdir(parents=True)
    store.levels_file.write_text('version = 2\n[ladders]\nclamshell = "banded-clamshell"\n')
    assert store.levels()[1] == ""


def test_a_100000_character_key_in_a_plan_is_quoted_cut_short() -> None:
    from gluteterm.core.loader import parse_plan

    key = "k" * 100_000
    plan = f'title = "T"\n[[step]]\nname = "A"\nkind = "release"\nhold = 20\n{key} = 1\n'
    with pytest.raises(PlanError) as caught:
        parse_plan(plan, "long.toml", "long")
    assert "'kkkk" in str(caught.value) and len(str(caught.value)) < 300


def test_a_log_with_a_huge_version_is_named_briefly(tmp_path: Path) -> None:
    from gluteterm.core.record import LogError
    from gluteterm.store.log import read_record

    path = tmp_path / "2026-01-01T00-00-00_x.toml"
    path.write_text(f'version = "{"v" * 100_000}"\n')
    with pytest.raises(LogError) as caught:
        read_record(path)
    assert "not a gluteterm session log" in str(caught.value) and len(str(caught.value)) < 300
