"""Where each drill's current level is kept: `levels.toml` in the user data folder.

One table per session, one whole number per step name (0 is the first,
easiest level). A broken file gives a warning and level 0 everywhere, and is
left alone until the user changes a level.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from gluteterm.core import toml_guard
from gluteterm.core.limits import MAX_FILE_BYTES
from gluteterm.store.atomic import write_atomic
from gluteterm.store.files import read_user_file

LEVELS_VERSION = 1
Levels = dict[str, dict[str, int]]  # session id -> step name -> level


def load_levels(path: Path) -> tuple[Levels, str]:
    """The levels in `path` and a warning if it could not be used."""
    try:
        data = toml_guard.loads(read_user_file(path, MAX_FILE_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return {}, ""
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return (
            {},
            f"levels file {path} could not be read ({exc}); every drill is at its first level",
        )
    if data.get("version") != LEVELS_VERSION or not isinstance(data.get("levels", {}), dict):
        return {}, f"levels file {path} is not one this gluteterm knows; using first levels"
    levels: Levels = {}
    for session, steps in data.get("levels", {}).items():
        if isinstance(steps, dict):
            levels[session] = {
                name: value for name, value in steps.items()
                if isinstance(value, int) and not isinstance(value, bool) and value >= 0
            }  # fmt: skip
    return levels, ""


def save_levels(path: Path, levels: Levels) -> None:
    import tomli_w

    doc: dict[str, Any] = {"version": LEVELS_VERSION, "levels": levels}
    write_atomic(path, tomli_w.dumps(doc).encode("utf-8"))
