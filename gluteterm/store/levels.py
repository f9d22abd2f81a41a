"""Where each drill's current level is kept: `levels.toml` in the user data folder.

Format version 1: one table per session, one whole number per step name (0
is the first, easiest level). A file that cannot be read, or one from a
newer gluteterm, gives a warning and level 0 everywhere, and is never
rewritten: accepting a level then lasts for this run only, and the app says
why. Updating keeps the file's comments and whatever else it holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gluteterm.store.toml_file import Unreadable, read_table, update

LEVELS_VERSION = 1
#: session id -> step name -> level number
LevelNumbers = dict[str, dict[str, int]]


def load_levels(path: Path) -> tuple[LevelNumbers, str]:
    """The level numbers in `path` and a warning if it could not be used."""
    try:
        data = read_table(path, LEVELS_VERSION)
    except Unreadable as exc:
        return {}, f"levels file {exc}; every drill is at its first level"
    if data is None:
        return {}, ""
    if data.get("version") != LEVELS_VERSION or not isinstance(data.get("levels", {}), dict):
        return {}, f"levels file {path} is not one this gluteterm knows; using first levels"
    levels: LevelNumbers = {}
    for session, steps in data.get("levels", {}).items():
        if isinstance(steps, dict):
            levels[session] = {
                name: value for name, value in steps.items()
                if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100
            }  # fmt: skip
    return levels, ""


def save_levels(path: Path, changes: Iterable[tuple[str, str, int]]) -> str:
    """Set each (session, step name, level) in `path`; "" when saved, else why not."""
    import tomlkit

    def change(document: dict[str, Any]) -> None:
        table = document.get("levels")
        if not isinstance(table, dict):
            table = document["levels"] = tomlkit.table()
        for session, step, level in changes:
            inner = table.get(session)
            if not isinstance(inner, dict):
                inner = table[session] = tomlkit.table()
            inner[step] = level

    try:
        update(path, change, LEVELS_VERSION)
    except Unreadable as exc:
        return f"not saved: {exc}"
    except OSError as exc:
        return f"not saved to {path}: {exc.strerror or exc}"
    return ""
