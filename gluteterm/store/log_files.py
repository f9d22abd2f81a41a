"""The log folder's entries the history reads, and each one's key.

Kept apart from the log's module (which reads and writes records) so that a
warm `gluteterm history`, which only lists the folder, loads neither.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

#: An assessment's log file name. No session's file is ever given one (`file_name`):
#: the history leaves these out, and would lose that session.
ASSESSMENT_FILE = re.compile(r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d_assessment(-\d+)?\.toml")

#: A log file's key: size, mtime_ns and inode. Any change to the file changes it.
Key = tuple[int, int, int]


@contextlib.contextmanager
def _listing(folder: Path) -> Iterator[Iterable[os.DirEntry[str]]]:
    """The entries of `folder` (none if it does not exist), listed through a descriptor of
    the folder where the system allows, so that each `stat` looks up one name, not the
    whole path again (some 10 % of listing 10,000 files)."""
    if os.scandir not in os.supports_fd:  # pragma: no cover - Windows
        try:
            listing = os.scandir(folder)
        except FileNotFoundError:
            yield ()
            return
        with listing:
            yield listing
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except FileNotFoundError:
        yield ()
        return
    try:
        with os.scandir(fd) as listing:
            yield listing
    finally:
        os.close(fd)


def is_log_name(name: str) -> bool:
    """Whether the history reads the folder entry `name`: a `.toml` file, not hidden,
    not an assessment's."""
    if not name.endswith(".toml") or name[0] == ".":
        return False
    return "_assessment" not in name or ASSESSMENT_FILE.fullmatch(name) is None


def log_files(log_dir: Path) -> list[tuple[str, Key]]:
    """Every file of the log the history reads, with its key: one `scandir`, one `stat`
    each (following a link, as reading would find what it names).

    A missing folder is an empty log; any other failure raises OSError. An entry
    that cannot be stat'ed (removed meanwhile) is left out.
    """
    out: list[tuple[str, Key]] = []
    with _listing(log_dir) as listing:
        for entry in listing:
            name = entry.name
            if not is_log_name(name):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue
            out.append((name, (st.st_size, st.st_mtime_ns, st.st_ino)))
    return out


def listing_lines(files: list[tuple[str, Key]]) -> list[str]:
    """Each file's name and key as one line (NUL-separated: a name holds no NUL), sorted."""
    lines = [f"{name}\0{size}\0{mtime}\0{inode}" for name, (size, mtime, inode) in files]
    lines.sort()
    return lines


def folder_lines(log_dir: Path) -> list[str]:
    """`listing_lines(log_files(log_dir))` in one pass, for the warm `gluteterm history`."""
    lines: list[str] = []
    with _listing(log_dir) as listing:
        for entry in listing:
            name = entry.name
            if not name.endswith(".toml") or name[0] == ".":
                continue
            if "_assessment" in name and ASSESSMENT_FILE.fullmatch(name):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue
            lines.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}")
    lines.sort()
    return lines
