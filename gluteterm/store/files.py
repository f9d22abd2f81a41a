"""The one way gluteterm reads a file a user (or a sync tool) can put in its folders.

A sessions, log or pending folder may hold anything with a `.toml` name: a
FIFO (reading it would wait forever), a device, a socket, a folder, a huge
file. `read_user_file` opens without blocking, checks with `fstat` that what it
opened is a regular file, and reads at most `max_bytes`. Anything else is
refused with an `OSError` whose `strerror` says what the entry is, so every
caller's existing "cannot be read: <reason>" message names it.

Symbolic links: plans, settings and levels may be links the user made (a
dotfiles folder is the usual reason), so they are followed to their target,
which must itself be a regular file. Log and pending records are only ever
written by gluteterm as regular files, so a link there is refused
(`follow_symlinks=False`, `O_NOFOLLOW`).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class RefusedFile(OSError):
    """An entry that is not a regular file, or is too large: never read."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, str(path))


def what_it_is(mode: int) -> str:
    """A person's name for the kind of entry `mode` describes."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _refuse_unless_regular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise RefusedFile(path, f"is {what_it_is(mode)}, not a regular file; skipped")


def read_user_file(path: Path, max_bytes: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at `path`, at most `max_bytes` of them.

    Raises `FileNotFoundError` and the other `OSError`s of opening and reading
    as they are, and `RefusedFile` (an `OSError`) for anything that is not a
    regular file or is larger than `max_bytes`. Never blocks on a FIFO or device.
    """
    # Look before opening, so a device is never even opened; fstat after
    # opening closes the race with an entry swapped in between.
    before = os.stat(path, follow_symlinks=follow_symlinks)
    _refuse_unless_regular(path, before.st_mode)
    flags = os.O_RDONLY | _NONBLOCK | _BINARY | (0 if follow_symlinks else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise RefusedFile(path, "is a symbolic link, not a regular file; skipped") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(fd)
        _refuse_unless_regular(path, opened.st_mode)
        if opened.st_size > max_bytes:
            raise RefusedFile(path, _too_large(max_bytes))
        # Ask for the size it has, not the bound: a read of `max_bytes` allocates
        # that much (1 MB for a 1 kB log): 45 us a log file where 17 us will do.
        data = handle.read(opened.st_size + 1)
        if len(data) > opened.st_size:  # it grew since, or its size says nothing
            data += handle.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise RefusedFile(path, _too_large(max_bytes))
    return data


def _too_large(max_bytes: int) -> str:
    size = f"{max_bytes // 1_000_000} MB" if max_bytes >= 1_000_000 else f"{max_bytes // 1000} kB"
    return f"is larger than {size}; skipped"


class UnreadableText(Exception):
    """A text file that could not be read; the message says why, for a person."""


def read_user_text(path: Path, what: str, missing: str = "no such file") -> str:
    """A user's TOML file as text: a regular file, bounded, not binary, UTF-8.

    `what` names the file for people ("plan", "drill"); `missing` is said when
    there is no such file. Every way it can fail raises `UnreadableText`.
    """
    from gluteterm.core.limits import MAX_FILE_BYTES

    try:
        if path.is_dir():
            raise UnreadableText(f"is a folder, not a {what} file; name a .toml file inside it")
        data = read_user_file(path, MAX_FILE_BYTES)
    except RefusedFile as exc:
        raise UnreadableText(str(exc.strerror or exc)) from None
    except FileNotFoundError:
        raise UnreadableText(missing) from None
    except PermissionError:
        raise UnreadableText("cannot be read: permission denied") from None
    except OSError as exc:
        raise UnreadableText(f"cannot be read: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise UnreadableText(f"is a binary file, not a TOML {what}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableText(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None


def toml_files(folder: Path | None) -> dict[str, Path]:
    """The `.toml` files in `folder` by stem (id), sorted; none if it cannot be listed."""
    if folder is None:
        return {}
    try:
        return {p.stem: p for p in sorted(folder.glob("*.toml"))}
    except OSError:
        return {}
