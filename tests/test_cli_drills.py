"""`gluteterm drills`, `gluteterm drills ID`, and `gluteterm check` on drill files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gluteterm.cli.main import main
from gluteterm.store import paths
from tests.support import REPO

SHIPPED = REPO / "gluteterm" / "drills"


def test_drills_lists_every_drill_and_marks_the_users(
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = paths.user_drills_dir()
    user.mkdir(parents=True)
    (user / "wall-sit.toml").write_text((SHIPPED / "glute-bridge-hold.toml").read_text())
    (user / "broken.toml").write_text("version = 1\n")
    assert main(["drills"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "KIND", "EQUIPMENT"]
    row = next(line for line in lines if line.startswith("monster-walk "))
    assert "Monster walk, band at knees" in row and "stability" in row and "mini band" in row
    assert any(line.startswith("wall-sit *") for line in lines)
    assert "broken *" in out and "broken.toml: 'name': is missing" in err


def test_drill_card_shows_how_feel_faults_and_ladder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drills", "lateral-band-walk"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Lateral band walk, band at ankles  (lateral-band-walk)")
    assert "stability · mini band" in out and "Muscles: gluteus medius" in out
    assert "Cue: Side-step 20 steps: half one way, half back" in out  # dose filled in
    assert "Feel: Outside of the hips" in out
    assert "- Knees cave inwards  [knees]" in out and "fix: Push the knees out" in out
    assert "Ladder: monster-walk <- lateral-band-walk -> lateral-band-walk-feet" in out


def test_unknown_drill_suggests_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drills", "clamshel"]) == 2
    assert "no drill called 'clamshel'; did you mean 'clamshell'? (" in capsys.readouterr().err
    assert main(["drills", "zzzzzz"]) == 2
    err = capsys.readouterr().err
    assert "no drill called 'zzzzzz' ('gluteterm drills' lists them)" in err, err


def test_check_tells_plans_from_drills_and_checks_the_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad-drill.toml"
    bad.write_text(
        (SHIPPED / "clamshell.toml").read_text().replace('kind = "analytic"', 'kind = "analitic"')
    )
    plan = REPO / "sessions" / "quick.toml"
    assert main(["check", str(plan), str(SHIPPED / "clamshell.toml")]) == 0
    out = capsys.readouterr().out
    assert "clamshell.toml: ok: drill Clamshell" in out and "quick.toml: ok: Quick" in out
    assert main(["check", str(bad)]) == 2
    assert "bad-drill.toml: 'kind': expected one of" in capsys.readouterr().err
    assert main(["check", "--drills"]) == 0
    assert "drills: ok: 44 drills checked" in capsys.readouterr().out


def test_check_drills_finds_a_one_way_ladder_link(
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = paths.user_drills_dir()
    user.mkdir(parents=True)
    text = (
        (SHIPPED / "bridge-on-ball.toml").read_text().replace('easier = "single-leg-bridge"\n', "")
    )
    (user / "bridge-on-ball.toml").write_text(text)
    assert main(["check", "--drills"]) == 2
    err = capsys.readouterr().err
    assert "single-leg-bridge.toml: 'harder': says 'harder = \"bridge-on-ball\"'" in err


def test_check_drills_names_a_broken_drill_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = paths.user_drills_dir()
    user.mkdir(parents=True)
    text = (SHIPPED / "monster-walk.toml").read_text()
    (user / "monster-walk.toml").write_text(text.replace('kind = "stability"', "kind = 3"))
    assert main(["check", "--drills"]) == 2
    err = capsys.readouterr().err
    # its ladder neighbours reach it too, but it is reported once
    assert err.count("monster-walk.toml: 'kind'") == 1, err


def test_check_with_nothing_to_check_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert "--drills" in capsys.readouterr().err


def test_drills_command_does_not_import_textual() -> None:
    code = (
        "import sys\nfrom gluteterm.cli.main import main\nmain(['drills', 'clamshell'])\n"
        "print('LOADED' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().endswith("CLEAN")


def test_drill_card_prints_the_start_and_top_poses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drills", "glute-bridge"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Start"))
    assert lines[head].split() == ["Start", "Top"]
    figure = lines[head + 1 : head + 11]
    assert len(figure) == 10
    start = [line[:30] for line in figure]
    top = [line[34:] for line in figure]
    assert any(c.strip() and 0x2800 < ord(c) <= 0x28FF for c in "".join(start))
    assert start != top  # the hips are up at the top


def test_a_held_drill_says_its_top_pose_is_held(capsys: pytest.CaptureFixture[str]) -> None:
    """Two still pictures cannot tell a hold from a rep; the caption does."""
    assert main(["drills", "single-leg-bridge-hold"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = next(line for line in lines if line.startswith("Start"))
    assert head.split() == ["Start", "Held", "20", "s"]


@pytest.mark.parametrize("drill_id", ["skip-and-jog", "foam-roll-glutes"])
def test_a_timed_drill_that_moves_is_not_called_held(
    drill_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Skips, a jog and a roll last a time but keep moving: their top pose is a top."""
    assert main(["drills", drill_id]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert next(line for line in lines if line.startswith("Start")).split() == ["Start", "Top"]


def test_drill_card_leaves_the_figure_out_where_braille_cannot_print(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    out = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["drills", "glute-bridge"]) == 0
    out.flush()
    text = out.buffer.getvalue().decode("latin-1")
    assert "Glute bridge" in text and "Start" not in text
