"""The shape of the code: four rooms with one-way doors, and a wheel that carries its data.

- `core/` is the domain: it imports neither textual nor rich nor any other room,
  and does no file I/O.
- `store/` is everything on disk: it may import `core`, never `ui` or `cli`.
- `ui/` and `cli/` may import both; neither imports the other.
- Screens and widgets never open, write or delete a file: they go through the store.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support import REPO

PACKAGE = REPO / "gluteterm"
#: room -> the rooms it may import from
ALLOWED = {
    "core": {"core"},
    "store": {"core", "store"},
    "ui": {"core", "store", "ui"},
    "cli": {"core", "store", "ui", "cli"},  # `gluteterm` with no command opens the app
}
#: functions that touch the file system when called by name
FILE_FUNCTIONS = {"open", "write_atomic", "create_atomic", "write_through"}
#: methods of Path (and os.*) that touch the file system
FILE_METHODS = {
    "open", "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "mkdir",
    "rmdir", "touch", "glob", "rglob", "iterdir", "scandir", "listdir", "makedirs",
    "fdopen", "symlink_to", "is_file", "is_dir", "exists", "chmod", "lstat",
}  # fmt: skip
#: `os.<name>` calls that touch the file system
OS_FUNCTIONS = {"replace", "rename", "remove", "link", "stat", "walk"}
#: modules whose very import means file I/O
FILE_MODULES = {"shutil", "tempfile", "glob", "gluteterm.store.atomic"}


def _imports(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")[: -node.level]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name.count(".") >= 1:
                found.append((node.lineno, name))
            else:  # `from gluteterm import paths` names the module `gluteterm.paths`
                found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
    return found


def _modules() -> list[tuple[Path, str, ast.AST]]:
    out: list[tuple[Path, str, ast.AST]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        module = ".".join(p for p in parts if p != "__init__")
        out.append((path, module, ast.parse(path.read_text(encoding="utf-8"))))
    return out


def layering_violations(modules: list[tuple[Path, str, ast.AST]]) -> list[str]:
    """Every import that goes through a door the wrong way."""
    bad = []
    for path, module, tree in modules:
        parts = module.split(".")
        room = parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None
        if room is None:
            continue
        for line, name in _imports(tree, module):
            top = name.split(".")[0]
            if room in ("core", "store") and top in ("textual", "rich"):
                bad.append(f"{path.name}:{line} imports {name}")
            target = name.split(".")
            inside = target[0] == "gluteterm" and len(target) > 1 and target[1] in ALLOWED
            if inside and target[1] not in ALLOWED[room]:
                bad.append(f"{path.name}:{line} ({room}) imports {name}")
    return bad


def file_io_violations(modules: list[tuple[Path, str, ast.AST]]) -> list[str]:
    """File I/O in `core`, or in a screen or widget."""
    bad = []
    for path, module, tree in modules:
        if not (
            module.startswith("gluteterm.core")
            or module.startswith("gluteterm.ui.screens")
            or module.startswith("gluteterm.ui.widgets")
        ):
            continue
        for line, name in _imports(tree, module):
            if name in FILE_MODULES or name.split(".")[0] in FILE_MODULES:
                bad.append(f"{path.name}:{line} imports {name}")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in FILE_FUNCTIONS:
                bad.append(f"{path.name}:{node.lineno} calls {func.id}()")
            elif isinstance(func, ast.Attribute):
                on_os = isinstance(func.value, ast.Name) and func.value.id == "os"
                if func.attr in FILE_METHODS or (on_os and func.attr in OS_FUNCTIONS):
                    bad.append(f"{path.name}:{node.lineno} calls {func.attr}()")
    return bad


#: The one module of the store a command may import: `Store` is its door to the disk.
STORE_DOOR = "gluteterm.store.api"
#: A second, light door for one command: the warm `gluteterm history` prints the summary
#: kept for an unchanged log without loading `Store` (and the plans it loads).
LIGHT_DOORS = {"gluteterm.cli.history_quick": "gluteterm.store.history_summary"}


def store_door_violations(modules: list[tuple[Path, str, ast.AST]]) -> list[str]:
    """A command (cli/) that imports a store submodule instead of `gluteterm.store.api`."""
    bad = []
    for path, module, tree in modules:
        if not module.startswith("gluteterm.cli"):
            continue
        for line, name in _imports(tree, module):
            if name == "gluteterm.store":  # `from gluteterm.store import x`: x says which
                names = [f"{name}.{n}" for n in _imported_names(tree, line, name, module)]
            else:
                names = [name]
            for full in names:
                if full in (STORE_DOOR, LIGHT_DOORS.get(module)):
                    continue
                if full.startswith("gluteterm.store"):
                    bad.append(f"{path.name}:{line} imports {full}, not {STORE_DOOR}")
    return bad


def _imported_names(tree: ast.AST, line: int, package: str, module: str) -> list[str]:
    """The names of `from <package> import a, b` on `line`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.lineno == line:
            if node.level:
                base = module.split(".")[: -node.level]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name == package:
                found += [alias.name for alias in node.names]
    return found


#: What a display may not reach past the session for: the runner.
RUNNER_MODULE = "gluteterm.core.runner"
#: Session internals a display may not touch (the session's runner, its writer).
SESSION_INSIDES = {"runner", "_run", "_runner", "_writer"}


def display_violations(modules: list[tuple[Path, str, ast.AST]]) -> list[str]:
    """A screen or widget that uses the core runner directly instead of the session's
    view and commands."""
    bad = []
    for path, module, tree in modules:
        if not module.startswith(("gluteterm.ui.screens", "gluteterm.ui.widgets")):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                if RUNNER_MODULE in names:
                    bad.append(f"{path.name}:{node.lineno} imports {RUNNER_MODULE}")
            elif isinstance(node, ast.Import):
                if any(a.name == RUNNER_MODULE for a in node.names):
                    bad.append(f"{path.name}:{node.lineno} imports {RUNNER_MODULE}")
            elif isinstance(node, ast.Attribute) and node.attr in SESSION_INSIDES:
                bad.append(f"{path.name}:{node.lineno} uses .{node.attr}")
    return bad


def test_displays_use_the_session_not_the_runner() -> None:
    assert display_violations(_modules()) == []


def test_the_display_check_catches_a_screen_using_the_runner() -> None:
    reach = ast.parse(
        "from gluteterm.core.runner import RunnerState\n"
        "from gluteterm.core import runner\n"
        "self.session.runner.pause()\n"
    )
    found = display_violations([(Path("s.py"), "gluteterm.ui.screens.s", reach)])
    assert len(found) == 3, found
    assert display_violations([(Path("s.py"), "gluteterm.ui.session.live", reach)]) == []


def test_rooms_import_only_through_their_doors() -> None:
    assert layering_violations(_modules()) == []


def test_core_screens_and_widgets_do_no_file_io() -> None:
    assert file_io_violations(_modules()) == []


def test_the_checks_catch_an_upward_import_and_file_io() -> None:
    upward = ast.parse("from gluteterm.ui.app import GlutetermApp\nimport textual\n")
    assert len(layering_violations([(Path("x.py"), "gluteterm.core.x", upward)])) == 2
    assert layering_violations([(Path("x.py"), "gluteterm.store.x", upward)]) != []
    sideways = ast.parse("from gluteterm.cli import main\n")
    assert layering_violations([(Path("x.py"), "gluteterm.ui.x", sideways)]) != []
    io = ast.parse("path.write_text('x')\nopen('f')\nimport tempfile\n")
    assert len(file_io_violations([(Path("s.py"), "gluteterm.ui.screens.s", io)])) == 3
    assert len(file_io_violations([(Path("w.py"), "gluteterm.ui.widgets.w", io)])) == 3
    assert file_io_violations([(Path("a.py"), "gluteterm.ui.app", io)]) == []


def test_commands_reach_the_disk_only_through_the_store() -> None:
    assert store_door_violations(_modules()) == []


def test_the_store_door_check_catches_a_submodule() -> None:
    for code in (
        "from gluteterm.store import paths\n",
        "from gluteterm.store.log import read_record\n",
        "import gluteterm.store.levels\n",
        "from ..store.paths import log_dir\n",
        "from gluteterm.store import Store\n",  # the package, not its api module
    ):
        tree = ast.parse(code)
        assert store_door_violations([(Path("c.py"), "gluteterm.cli.c", tree)]) != [], code
    door = ast.parse("from gluteterm.store.api import Store\nfrom gluteterm.store import api\n")
    assert store_door_violations([(Path("c.py"), "gluteterm.cli.c", door)]) == []
    # the ui may use store submodules for their types; only commands are held to the door
    assert store_door_violations([(Path("u.py"), "gluteterm.ui.u", tree)]) == []


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
        "import sys\nfrom gluteterm.cli.main import main\nmain(['list'])\n"
        "print('LOADED' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().endswith("CLEAN")


def test_wheel_carries_sessions_drills_and_stylesheets(tmp_path: Path) -> None:
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
    drills = sorted(REPO.joinpath("gluteterm", "drills").glob("*.toml"))
    assert len(drills) >= 24
    for drill in drills:
        assert drill.relative_to(REPO).as_posix() in names
    for tcss in REPO.joinpath("gluteterm").rglob("*.tcss"):
        assert tcss.relative_to(REPO).as_posix() in names
    for wav in REPO.joinpath("gluteterm").rglob("*.wav"):
        assert wav.relative_to(REPO).as_posix() in names
