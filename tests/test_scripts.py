"""Every script in scripts/ answers `--help` and writes nothing while doing so.

`render_figures.py --help` once took `--help` as its output folder and
committed a picture into a folder named `--help/` (issue 18).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO

SCRIPTS = sorted((REPO / "scripts").glob("*.py"))
#: Folders other processes write to while the suite runs (caches, the venv, git itself).
SKIPPED = {".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
           ".hypothesis"}  # fmt: skip


def files(root: Path) -> dict[str, int]:
    """Every file under `root` (caches aside) with its modification time in nanoseconds."""
    out: dict[str, int] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED and not d.endswith(".egg-info")]
        for name in names:
            path = Path(folder, name)
            out[str(path.relative_to(root))] = path.lstat().st_mtime_ns
    return out


def test_there_are_scripts() -> None:
    assert {p.name for p in SCRIPTS} >= {
        "capture_runner.py",
        "make_cues.py",
        "render_figures.py",
    }


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_help_writes_nothing(script: Path, tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    repo_before = files(REPO)
    done = subprocess.run(
        [sys.executable, str(script), "--help"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: "), done.stdout
    assert done.stderr == ""
    assert list(cwd.iterdir()) == []
    repo_after = files(REPO)
    assert sorted(repo_after.keys() - repo_before.keys()) == []
    changed = [p for p in repo_before if p in repo_after and repo_after[p] != repo_before[p]]
    assert changed == []
