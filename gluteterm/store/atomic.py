"""Writing files: atomically where that is possible, and always where the user asked.

`write_atomic` replaces a regular file so that a reader sees the old file or the
new one, never half of one; given a symbolic link, it replaces the link's
target and keeps the link (a config.toml or plan kept in a dotfiles folder).
`write_through` is for output the user points somewhere (`export --output`):
a regular file is written atomically, a FIFO or a terminal or /dev/null is
written straight into, anything else is refused. Every error, a full disk
included, is raised as `OSError`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from gluteterm.store.files import what_it_is


def _file_mode() -> int:
    """What a normally created file gets: 0o666 less the umask (mkstemp uses 0o600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _file_mode()


def _write_temp(folder: Path, data: bytes, prefix: str, mode: int, sync: bool = True) -> Path:
    import tempfile  # only when writing: reading the history starts faster

    fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _target(path: Path) -> tuple[Path, int | None]:
    """The file a write to `path` changes (the end of its links) and that file's mode.

    Raises `OSError` if it exists and is not a regular file: it is never replaced.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target, None
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EEXIST, f"is {what_it_is(st.st_mode)}; not replaced", str(path))
    return target, stat.S_IMODE(st.st_mode)


def naming(path: Path) -> contextlib.AbstractContextManager[None]:
    """Re-raise any `OSError` inside as one naming `path`, the file the user knows.

    A full disk raises with no file name, and a read-only folder names the
    temporary file beside the target: neither tells the user which file it was.
    """
    return _Naming(path)


class _Naming(contextlib.AbstractContextManager[None]):
    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, OSError) and exc.filename != self.path:
            raise OSError(exc.errno, exc.strerror or str(exc), self.path) from exc


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace the file at `path` (or, for a link, its target) with `data`.

    Temporary file beside it, flush, fsync, rename. The file keeps its
    permissions; a new one gets `mode`, or the usual 0o666 less the umask.
    An error names `path`.
    """
    with naming(path):
        _write_atomic(path, data, mode)


def _write_atomic(path: Path, data: bytes, mode: int | None) -> None:
    target, existing = _target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    wanted = existing if existing is not None else (_MODE if mode is None else mode)
    _move_into_place(_write_temp(target.parent, data, f".{target.name}.", wanted), target)
    _sync_folder(target.parent)


def _move_into_place(temp: Path, target: Path) -> None:
    """Rename the written `temp` over `target`; on any failure the temp file goes."""
    try:
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_cache(path: Path, data: bytes) -> None:
    """Replace the cache file at `path` with `data`: whole or not at all, never through a
    link (a link there is replaced, its target left alone), and without waiting for the
    disk (no fsync: a cache lost in a crash, or left half-written, is rebuilt, as its
    reader refuses anything doubtful). An error names `path`."""
    with naming(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        _move_into_place(_write_temp(path.parent, data, f".{path.name}.", _MODE, sync=False), path)


def write_through(path: Path, data: bytes) -> None:
    """Write `data` where `path` points, as the user would expect of `> path`.

    A regular file (or a new one, or the target of a link) is written
    atomically; a FIFO or character device is streamed into; a folder, socket
    or block device is refused. A write that fails, for a full disk too,
    raises `OSError`.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        write_atomic(path, data)
        return
    if stat.S_ISREG(mode):
        write_atomic(path, data)
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        with naming(path):
            fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
    else:
        raise OSError(
            errno.EINVAL,
            f"is {what_it_is(mode)}; write to a file, a FIFO or a character device",
            str(path),
        )


def create_atomic(path: Path, data: bytes, mode: int | None = None) -> bool:
    """Create `path` with `data` only if it does not exist yet; False if it does.

    Never clobbers a file another process wrote, even in a race. The new file
    gets `mode`, or the usual 0o666 less the umask. An error names `path`.
    """
    with naming(path):
        return _create_atomic(path, data, mode)


def _create_atomic(path: Path, data: bytes, mode: int | None) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    wanted = _MODE if mode is None else mode
    temp = _write_temp(path.parent, data, f".{path.name}.", wanted)
    try:
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        except OSError:
            # No hard links here (some synced or FAT folders): reserve the name.
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, wanted))
            except FileExistsError:
                return False
            os.replace(temp, path)
            return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    _sync_folder(path.parent)
    return True
