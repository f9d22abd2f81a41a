"""Where the user is on each ladder: `levels.toml` in the user data folder.

Format version 2:

    version = 2
    [ladders]                      # ladder (its easiest drill) = the drill you are at
    glute-bridge = "single-leg-bridge"
    [steps.my-session]             # plans with their own `levels = [...]`: step name = number
    "Bridge" = 1

Version 1 kept a number per session and step name only; it is migrated on
first start, after its exact text is kept beside it under a name nothing else
has (`levels.v1.toml`, else `levels.v1-2.toml`, ...); if it cannot be kept,
the file is not migrated and the warning says why. A file that cannot
be read, or one from a newer gluteterm, gives a warning and first levels
everywhere, and is never rewritten. Updating keeps the file's comments.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gluteterm.core.checks import bad_value
from gluteterm.core.errors import Problem
from gluteterm.core.limits import MAX_DRILL_ID
from gluteterm.core.progression import Levels
from gluteterm.core.suggest import did_you_mean
from gluteterm.core.text import cut
from gluteterm.store.toml_file import Unreadable, read_table, update

LEVELS_VERSION = 2
#: session id, step name -> the step's ladder (drill ids, easiest first), if it has one now
LadderOf = Callable[[str, str], tuple[str, ...]]


def _number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100


#: The keys of a version 2 file.
LEVELS_KEYS = ("version", "ladders", "steps")


def _steps(
    table: object, ignored: list[Problem] | None = None, file: str = ""
) -> dict[str, dict[str, int]]:
    """Session -> step name -> level; what is not one is left out (and noted in `ignored`)."""
    out: dict[str, dict[str, int]] = {}
    noted = ignored if ignored is not None else []
    if not isinstance(table, dict):
        noted.append(Problem(file, bad_value("a table of sessions", table), key="steps"))
        return out
    for session, steps in table.items():
        if not isinstance(steps, dict):
            expected = "a table of step names and level numbers"
            noted.append(Problem(file, bad_value(expected, steps), key=f"steps.{cut(session)}"))
            continue
        out[session] = {}
        for name, value in steps.items():
            if _number(value):
                out[session][name] = value
            else:
                key = f"steps.{cut(session)}.{cut(name)}"
                noted.append(Problem(file, bad_value("a level from 0 to 99", value), key=key))
    return out


def _ladders(table: object, ignored: list[Problem], file: str) -> dict[str, str]:
    """Ladder -> drill; what is not a drill id is left out (and noted in `ignored`)."""
    if not isinstance(table, dict):
        ignored.append(Problem(file, bad_value("a table of ladders", table), key="ladders"))
        return {}
    out: dict[str, str] = {}
    for ladder, drill in table.items():
        if (
            isinstance(drill, str)
            and 0 < len(drill) <= MAX_DRILL_ID
            and len(ladder) <= MAX_DRILL_ID
        ):
            out[ladder] = drill
        else:
            expected = f"a drill id of at most {MAX_DRILL_ID} characters"
            ignored.append(Problem(file, bad_value(expected, drill), key=f"ladders.{cut(ladder)}"))
    return out


def ignored_warning(path: Path, ignored: tuple[str, ...]) -> str:
    """One warning for the values of levels.toml that were left out ("" for none)."""
    if not ignored:
        return ""
    shown = "; ".join(ignored[:3])
    more = f"; and {len(ignored) - 3} more" if len(ignored) > 3 else ""
    return f"levels file {path}: ignored what cannot be a level: {shown}{more}"


def load_levels(path: Path) -> tuple[Levels, str, dict[str, dict[str, int]] | None]:
    """The levels in `path`, a warning if it could not be used, and a version 1 file's
    numbers when it still needs migrating."""
    try:
        data = read_table(path, LEVELS_VERSION)
    except Unreadable as exc:
        return Levels(), f"levels file {exc}; every drill is at its first level", None
    if data is None:
        return Levels(), "", None
    version = data.get("version")
    if version == 1 and isinstance(data.get("levels", {}), dict):
        return Levels(), "", _steps(data.get("levels", {}))
    if version != LEVELS_VERSION:
        return Levels(), f"levels file {path} is not one this gluteterm knows; first levels", None
    file = str(path)
    ignored: list[Problem] = []
    for key in data:
        if key not in LEVELS_KEYS:
            hint = did_you_mean(key, LEVELS_KEYS)
            ignored.append(Problem(file, f"unknown key{hint}", key=cut(key)))
    ladders = _ladders(data.get("ladders", {}), ignored, file)
    steps = _steps(data.get("steps", {}), ignored, file)
    # The file name is said once, in the warning, not in each problem.
    notes = tuple(str(dataclasses.replace(p, file="")).removeprefix(": ") for p in ignored)
    return Levels(ladders, steps, notes), "", None


def migrate(path: Path, old: dict[str, dict[str, int]], ladder_of: LadderOf) -> tuple[Levels, str]:
    """Turn version 1 numbers into version 2 levels, keep the old file beside, write the new.

    A step that is now a library drill with a ladder moves to that ladder (its
    old number is the rung); one that is not keeps its number. Where two
    sessions disagree on a ladder, the higher level wins. Nothing is dropped.
    Returns the levels and, if the new file could not be written, why.
    """
    ladders: dict[str, str] = {}
    steps: dict[str, dict[str, int]] = {}
    for session, numbers in old.items():
        for name, number in numbers.items():
            rungs = ladder_of(session, name)
            if len(rungs) >= 2:
                drill = rungs[min(number, len(rungs) - 1)]
                before = ladders.get(rungs[0])
                if before is None or rungs.index(drill) > rungs.index(before):
                    ladders[rungs[0]] = drill
            else:
                steps.setdefault(session, {})[name] = number
    levels = Levels(ladders, steps)
    from gluteterm.store.atomic import write_atomic

    try:
        kept = keep_old(path)
        if kept is None:
            return levels, (
                f"levels file {path} was not updated to the new format: no free name beside "
                f"it to keep the old one ({path.with_name('levels.v1.toml').name} to "
                f"{path.with_name(f'levels.v1-{MAX_BACKUPS}.toml').name} are taken); "
                "it is left as it is and read as before"
            )
        write_atomic(path, _document(levels).encode("utf-8"))
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        return levels, (
            f"levels file {path} was not updated to the new format:{where} "
            f"{exc.strerror or exc}; it is left as it is and read as before"
        )
    return levels, ""


#: How many names `keep_old` tries: levels.v1.toml, then levels.v1-2.toml ... -99.
MAX_BACKUPS = 99


def keep_old(path: Path) -> Path | None:
    """Keep the version 1 file's exact bytes beside it, under a name nothing else has.

    `levels.v1.toml`, then `levels.v1-2.toml`, `-3`...: each created exclusively,
    so an existing file, folder or link of that name is never replaced or
    followed. The copy's path, or None when every name is taken. Raises OSError.
    """
    from gluteterm.core.limits import MAX_FILE_BYTES
    from gluteterm.store.atomic import create_atomic
    from gluteterm.store.files import read_user_file

    data = read_user_file(path, MAX_FILE_BYTES)
    for n in range(1, MAX_BACKUPS + 1):
        backup = path.with_name("levels.v1.toml" if n == 1 else f"levels.v1-{n}.toml")
        if create_atomic(backup, data):
            return backup
    return None


def _document(levels: Levels) -> str:
    import tomli_w

    doc: dict[str, Any] = {"version": LEVELS_VERSION, "ladders": levels.ladders}
    if levels.steps:
        doc["steps"] = levels.steps
    return "# Where you are on each ladder; gluteterm updates it when you accept a level.\n" + (
        tomli_w.dumps(doc)
    )


def save_levels(path: Path, levels: Levels) -> str:
    """Write every ladder and step level in `levels` into `path`; "" when saved, else why not."""
    import tomlkit

    def change(document: dict[str, Any]) -> None:
        if document.get("version") != LEVELS_VERSION:
            raise Unreadable(f"{path} is in an older format that could not be migrated")
        for key, values in (("ladders", levels.ladders), ("steps", levels.steps)):
            table = document.get(key)
            if not isinstance(table, dict):
                table = document[key] = tomlkit.table()
            for name, value in values.items():
                if isinstance(value, dict):
                    inner = table.get(name)
                    if not isinstance(inner, dict):
                        inner = table[name] = tomlkit.table()
                    for step, number in value.items():
                        inner[step] = number
                else:
                    table[name] = value

    try:
        update(path, change, LEVELS_VERSION)
    except Unreadable as exc:
        return f"not saved: {exc}"
    except OSError as exc:
        return f"not saved to {path}: {exc.strerror or exc}"
    return ""


# -- level changes that could not be written ----------------------------------------
#
# When levels.toml cannot be written (a full disk, a read-only folder) or must
# not be (it is broken, or from a newer gluteterm), accepted levels are kept as
# a small file of their own in the pending folder (`levels_<time>.toml`, the
# format of levels.toml). They count from then on, on every start, and go into
# levels.toml, once, as soon as it can be written.


def overlay(base: Levels, changes: Levels) -> Levels:
    """`base` with every level in `changes` put over it."""
    steps = {k: dict(v) for k, v in base.steps.items()}
    for session, numbers in changes.steps.items():
        steps.setdefault(session, {}).update(numbers)
    return Levels({**base.ladders, **changes.ladders}, steps)


def pending_levels(pending_dir: Path) -> tuple[list[Path], Levels, list[str]]:
    """The pending level files (oldest first), their changes put together, and problems."""
    from gluteterm.store.pending import LEVELS_FILE, pending_folders

    files: list[Path] = []
    for folder in pending_folders(pending_dir):
        try:
            files += [p for p in folder.glob("levels_*.toml") if LEVELS_FILE.fullmatch(p.name)]
        except OSError:
            continue
    files.sort(key=lambda p: p.name)
    changes, problems, read = Levels(), [], []
    for path in files:
        found, problem, old = load_levels(path)
        if problem or old is not None:
            problems.append(problem or f"pending levels {path} are in an old format; left there")
            continue
        read.append(path)
        changes = overlay(changes, found)
    return read, changes, problems


def save_pending_levels(pending_dir: Path, changes: Levels) -> Path | None:
    """Keep `changes` in a new pending file; its path, or None if nowhere could be written."""
    import contextlib
    from datetime import datetime

    from gluteterm.store.atomic import create_atomic
    from gluteterm.store.pending import PRIVATE_FILE_MODE, pending_folders

    data = _document(changes).encode("utf-8")
    stamp = datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    with contextlib.suppress(OSError):
        pending_dir.parent.mkdir(parents=True, exist_ok=True)
        pending_dir.mkdir(mode=0o700, exist_ok=True)
    for folder in pending_folders(pending_dir, create=True):
        mode = PRIVATE_FILE_MODE if folder != pending_dir else None
        for attempt in range(1, 100):
            name = f"levels_{stamp}{'' if attempt == 1 else f'-{attempt}'}.toml"
            try:
                if create_atomic(folder / name, data, mode):
                    return folder / name
            except OSError:
                break
    return None
