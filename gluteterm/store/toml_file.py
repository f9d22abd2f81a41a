"""Small TOML files the user may also edit by hand (settings, levels): read them, update a key.

An update never throws away what the user wrote: the file is read again
first, and if it cannot be read (broken TOML, not a file, a newer version)
it is left exactly as it is and the caller is told why, naming the file and
the line. A readable file is updated with tomlkit, which keeps comments,
key order and keys gluteterm does not know.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


class Unreadable(Exception):
    """The file exists but could not be used; the message says why, for a person."""


def read_table(path: Path, version: int | None = None) -> dict[str, Any] | None:
    """The parsed file, or None if there is none; raises `Unreadable` if it is unusable.

    With `version`, a file whose `version` key is higher is unusable too: a
    newer gluteterm wrote it, and this one must not rewrite it.
    """
    read = _read_checked(path, version)
    return None if read is None else read[1]


def _read_checked(path: Path, version: int | None) -> tuple[str, dict[str, Any]] | None:
    """The file's text and its parsed table (None if there is no file), checked once."""
    try:
        raw = _read(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Unreadable(f"{path} could not be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
        data = _parse(text)
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{path} could not be read: not UTF-8 (byte {exc.start})") from None
    except ValueError as exc:
        raise Unreadable(f"{path} could not be read: {exc}") from None
    found = data.get("version")
    if version is not None and isinstance(found, int) and found > version:
        raise Unreadable(
            f"{path} was written by a newer gluteterm (version {found}); upgrade to change it"
        )
    return text, data


def update(
    path: Path,
    change: Callable[[dict[str, Any]], None],
    version: int | None = None,
) -> None:
    """Re-read `path`, apply `change` to its document, write it back atomically.

    `change` edits a tomlkit document (a dict-like that keeps comments). A
    missing file is created. Raises `Unreadable` (file untouched) or OSError.
    """
    import tomlkit

    from gluteterm.store.atomic import write_atomic

    for _ in range(_TRIES):
        seen = _identity(path)
        read = _read_checked(path, version)
        # tomlkit parses the very text the guard let through, never a second read.
        document: Any = tomlkit.document() if read is None else tomlkit.parse(read[0])
        if version is not None and "version" not in document:
            document["version"] = version
        change(document)
        if _identity(path) != seen:
            continue  # written meanwhile (another gluteterm, an editor, a sync): start again
        write_atomic(path, tomlkit.dumps(document).encode("utf-8"))
        return
    raise Unreadable(f"{path} kept changing while gluteterm was updating it; try again")


_TRIES = 3


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one version of the file from the next (None when there is none)."""
    import os

    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return (-1, -1, -1, -1)  # reading it says why, naming the file
    return (found.st_ino, found.st_dev, found.st_size, found.st_mtime_ns)


def _read(path: Path) -> bytes:
    """The file's bytes: only a regular file (a symlink to one is fine), bounded in size."""
    from gluteterm.core.limits import MAX_FILE_BYTES
    from gluteterm.store.files import read_user_file

    return read_user_file(path, MAX_FILE_BYTES)


def _parse(text: str) -> dict[str, Any]:
    """Parse TOML text within bounds; every failure is a ValueError whose message
    names the line."""
    from gluteterm.core.toml_guard import TomlRefused, loads

    try:
        return loads(text)
    except TomlRefused as exc:
        raise ValueError(str(exc)) from None
