"""The shape of the code: a pure core, and a wheel that carries its data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_core_imports_neither_textual_nor_rich() -> None:
    code = (
        "import sys, pkgutil, importlib, gluteterm.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('gluteterm.core.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_plain_commands_do_not_import_textual() -> None:
    code = (
        "import sys\nfrom gluteterm.cli import main\nmain(['list'])\n"
        "print('LOADED' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().endswith("CLEAN")


def test_wheel_carries_sessions_and_stylesheets(tmp_path: Path) -> None:
    hatchling = pytest.importorskip("hatchling")
    del hatchling
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for plan in ("quick", "glute-medius", "unlock-and-activate"):
        assert f"gluteterm/sessions/{plan}.toml" in names
    for tcss in REPO.joinpath("gluteterm").rglob("*.tcss"):
        assert tcss.relative_to(REPO).as_posix() in names
