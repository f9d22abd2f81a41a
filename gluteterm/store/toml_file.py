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
    try:
        raw = _read(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Unreadable(f"{path} could not be read: {exc.strerror or exc}") from None
    try:
        data = _parse(raw.decode("utf-8"), str(path))
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{path} could not be read: not UTF-8 (byte {exc.start})") from None
    except ValueError as exc:
        raise Unreadable(f"{path} could not be read: {exc}") from None
    found = data.get("version")
    if version is not None and isinstance(found, int) and found > version:
        raise Unreadable(
            f"{path} was written by a newer gluteterm (version {found}); upgrade to change it"
        )
    return data


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

    data = read_table(path, version)
    document: Any = tomlkit.document() if data is None else tomlkit.parse(_read(path).decode())
    if version is not None and "version" not in document:
        document["version"] = version
    change(document)
    from gluteterm.store.atomic import write_atomic

    write_atomic(path, tomlkit.dumps(document).encode("utf-8"))


def _read(path: Path) -> bytes:
    """The file's bytes: only a regular file (a symlink to one is fine), bounded in size."""
    from gluteterm.core.limits import MAX_FILE_BYTES
    from gluteterm.store.files import read_user_file

    return read_user_file(path, MAX_FILE_BYTES)


def _parse(text: str, file: str) -> dict[str, Any]:
    """Parse TOML text within bounds; every failure is a ValueError whose message
    names the line."""
    from gluteterm.core.toml_guard import TomlRefused, loads

    try:
        return loads(text)
    except TomlRefused as exc:
        raise ValueError(str(exc)) from None
