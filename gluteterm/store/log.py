"""The session log: one TOML file per session, written so that none is ever lost.

Each file is rewritten atomically after every finished step. Its name (start
time, then session id) is claimed without clobbering, so two gluteterm
processes never overwrite each other. When the log folder cannot be written
(read-only, disk full) the record goes to a pending folder and is moved into
the log on the next start.

The pending folders are the user's own (`pending_dir`) and, as a last resort,
a private one for temporary files (`fallback_pending_dir`: mode 0700, owned by
the user, never a link; never the shared temp folder itself). A lock on each
pending folder makes moving a record and rewriting it one at a time, so a
record moved by another gluteterm during a session is followed, not copied.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from gluteterm.core import log_toml, toml_guard
from gluteterm.core.history import SessionSummary
from gluteterm.core.limits import MAX_FILE_BYTES
from gluteterm.core.record import LogError, SessionRecord, brief_from_toml
from gluteterm.store.atomic import create_atomic, write_atomic
from gluteterm.store.files import read_user_file
from gluteterm.store.log_files import ASSESSMENT_FILE as ASSESSMENT_FILE
from gluteterm.store.pending import (
    LEVELS_FILE,
    PRIVATE_FILE_MODE,
    pending_folders,
)

#: The session part of a log file name, at most: with the time, the collision
#: number and the temporary-file prefix, a name stays far below 255 bytes.
MAX_NAME_PART = 64


def name_part(session: str) -> str:
    """The session id as it appears in a file name: ASCII, safe, short, one per id.

    Long ids are cut and end in a short hash of the whole id, so two long ids
    that share a beginning still get different names.
    """
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in session)
    safe = safe or "session"
    if len(safe) > MAX_NAME_PART:
        import hashlib  # only for a long id: not on the way to a first frame

        digest = hashlib.sha256(session.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        safe = f"{safe[: MAX_NAME_PART - 11]}~{digest}"
    return safe


def file_name(started: datetime, session: str, attempt: int = 1) -> str:
    """`2026-11-24T18-03-12_quick.toml`: sorts by time, safe on every file system.

    A plan whose id would name the file like an assessment's (`assessment`,
    `assessment-2`) logs as `..._assessment_session.toml` instead.
    """
    name = _file_name(started, name_part(session), attempt)
    if ASSESSMENT_FILE.fullmatch(name):
        name = _file_name(started, name_part(session) + "_session", attempt)
    return name


def assessment_file_name(started: datetime, attempt: int = 1) -> str:
    """`2026-11-24T18-03-12_assessment.toml`: an assessment's log file."""
    return _file_name(started, "assessment", attempt)


def _file_name(started: datetime, part: str, attempt: int) -> str:
    stamp = started.strftime("%Y-%m-%dT%H-%M-%S")
    suffix = "" if attempt == 1 else f"-{attempt}"
    return f"{stamp}_{part}{suffix}.toml"


def encode(record: SessionRecord) -> bytes:
    import tomli_w

    return tomli_w.dumps(record.to_toml()).encode("utf-8")


def _decode(data: bytes, path: Path) -> SessionRecord:
    return SessionRecord.from_toml(_document(data, path), str(path))


def _document(data: bytes, path: Path) -> dict[str, Any]:
    try:
        text = data.decode("utf-8")
        # What gluteterm wrote, read fast; anything else goes through the full, guarded parse.
        doc = log_toml.loads(text)
        if doc is None:
            doc = toml_guard.loads(text)
    except UnicodeDecodeError:
        raise LogError(f"{path}: not UTF-8 text") from None
    except toml_guard.TomlRefused as exc:
        raise LogError(f"{path}: {exc}") from None
    return doc


def _read_bytes(path: Path) -> bytes:
    """A log or pending file's bytes: only ever a regular file, never a link."""
    try:
        return read_user_file(path, MAX_FILE_BYTES, follow_symlinks=False)
    except OSError as exc:
        raise LogError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def read_record(path: Path) -> SessionRecord:
    """Read one log file; raise `LogError` (naming it) if it cannot be used."""
    return _decode(_read_bytes(path), path)


def read_summary(path: Path, name: str) -> SessionSummary:
    """`summarize(read_record(path), name)`: every check made, no record made."""
    return summary_of(_document(_read_bytes(path), path), str(path), name)


def summary_of(doc: dict[str, Any], file: str, name: str) -> SessionSummary:
    """`summarize(SessionRecord.from_toml(doc, file), name)`, the same `LogError` included."""
    session, title, started, ended, status, planned, active, steps = brief_from_toml(doc, file)
    done = sum(1 for _, step_status, _ in steps if step_status == "done")
    # A skipped step was not done at its level: it does not count towards it.
    levels = tuple(
        (n, level) for n, step_status, level in steps if level and step_status != "skipped"
    )
    return SessionSummary(
        name, session, title, started, ended, status, done, planned, active, levels
    )


@contextlib.contextmanager
def _locked(folders: list[Path]) -> Iterator[None]:
    """Hold the lock of every existing folder in `folders`, always in the same order.

    The lock is on the folder itself (no lock file is left behind). Best
    effort: a folder that cannot be opened is not locked.
    """
    try:
        import fcntl
    except ImportError:  # not on this system: no locking
        yield
        return
    held: list[int] = []
    try:
        for folder in folders:
            try:
                fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError:
                continue
            held.append(fd)
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in held:
            os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class SaveResult:
    """Where a record went: the log (ok) or the pending folder, and why."""

    path: Path | None
    pending: bool = False
    problem: str = ""


class SessionWriter:
    """Writes one session's record, again after every step, always to the same file."""

    def __init__(self, log_dir: Path, pending_dir: Path) -> None:
        self.log_dir = log_dir
        self.pending_dir = pending_dir
        self.path: Path | None = None
        self._written: bytes | None = None  # what self.path holds, to find it if moved

    def save(self, record: SessionRecord) -> SaveResult:
        data = encode(record)
        with contextlib.suppress(OSError):
            # So it can be locked; the user's alone, as the README says (0700 when made).
            self.pending_dir.parent.mkdir(parents=True, exist_ok=True)
            self.pending_dir.mkdir(mode=0o700, exist_ok=True)
        with _locked(pending_folders(self.pending_dir)):
            self._follow(record)
            try:
                previous = self.path
                self.path = self._write(self.log_dir, self.path, record, data)
                if previous is not None and previous != self.path:
                    with contextlib.suppress(OSError):
                        previous.unlink()  # the pending copy is in the log now
                result = SaveResult(self.path)
            except OSError as exc:
                problem = f"could not save to {self.log_dir}: {exc.strerror or exc}"
                result = self._save_pending(record, data, problem)
        if result.path is not None:
            self._written = data
        return result

    def _follow(self, record: SessionRecord) -> None:
        """If another gluteterm moved our pending file into the log, write there from now on."""
        if self.path is None or self.path.parent == self.log_dir or self._written is None:
            return
        if os.path.lexists(self.path):
            return
        for attempt in range(1, 1000):
            moved = self.log_dir / file_name(record.started, record.session, attempt)
            if not os.path.lexists(moved):
                return  # flush_pending takes the first free name: ours would be before this
            if _same_bytes(moved, self._written):
                self.path = moved
                return

    def _write(
        self,
        folder: Path,
        current: Path | None,
        record: SessionRecord,
        data: bytes,
        mode: int | None = None,
    ) -> Path:
        if current is not None and current.parent == folder:
            write_atomic(current, data, mode)
            return current
        for attempt in range(1, 1000):
            path = folder / file_name(record.started, record.session, attempt)
            if create_atomic(path, data, mode):
                return path
        raise OSError(f"no free file name for {record.session} in {folder}")

    def _save_pending(self, record: SessionRecord, data: bytes, problem: str) -> SaveResult:
        for folder in pending_folders(self.pending_dir, create=True):
            private = folder != self.pending_dir
            try:
                current = self.path if self.path and self.path.parent == folder else None
                mode = PRIVATE_FILE_MODE if private else None
                self.path = self._write(folder, current, record, data, mode)
                return SaveResult(self.path, pending=True, problem=problem)
            except OSError:
                continue
        return SaveResult(None, pending=True, problem=problem + "; and nowhere else was writable")


def _same_bytes(path: Path, data: bytes) -> bool:
    """True when `path` already holds `data` (a move that was cut off half-way)."""
    try:
        return read_user_file(path, MAX_FILE_BYTES, follow_symlinks=False) == data
    except OSError:
        return False


def flush_pending(log_dir: Path, pending_dir: Path) -> tuple[int, list[str]]:
    """Move records that could not be saved earlier into the log.

    Each record moves once: under the pending folders' lock, it is created in
    the log (never over another file) and only then removed from pending.
    Returns how many were moved and a message for each that still could not be.
    """
    moved, problems = 0, []
    folders = pending_folders(pending_dir)
    with _locked(folders):
        for folder in folders:
            try:
                files = sorted(folder.glob("*.toml"))
            except OSError:
                continue
            for pending in files:
                if LEVELS_FILE.fullmatch(pending.name):
                    continue  # level changes: the store applies these to levels.toml
                try:
                    data = _read_bytes(pending)
                    names = _names_in_log(pending, data)
                    for attempt in range(1, 1000):
                        target = log_dir / names(attempt)
                        if create_atomic(target, data) or _same_bytes(target, data):
                            break
                    os.unlink(pending)
                    moved += 1
                except LogError as exc:
                    problems.append(f"pending record {exc} (left where it is)")
                except OSError as exc:
                    problems.append(
                        f"could not move {pending} into {log_dir}: {exc.strerror or exc}; "
                        "will try again next time"
                    )
    return moved, problems


def _names_in_log(pending: Path, data: bytes) -> Callable[[int], str]:
    """The names a pending record takes in the log, by attempt; raises LogError if it is
    not a record (a session's, or an assessment's) that can be read."""
    if ASSESSMENT_FILE.fullmatch(pending.name):
        from gluteterm.store.assessments import read_assessment

        taken = read_assessment(pending).taken
        return lambda attempt: assessment_file_name(taken, attempt)
    record = _decode(data, pending)
    return lambda attempt: file_name(record.started, record.session, attempt)


def recent_records(log_dir: Path, session: str, limit: int = 10) -> list[SessionRecord]:
    """The newest readable records of `session`, newest first (for progression).

    The file name only narrows the search; the record's own `session` decides.
    """
    part = name_part(session)
    try:
        names = sorted((p for p in log_dir.glob("*.toml") if _may_hold(p.name, part)),
                       key=lambda p: p.name, reverse=True)  # fmt: skip
    except OSError:
        return []
    out = []
    for path in names[: limit * 2]:
        try:
            record = read_record(path)
        except LogError:
            continue
        if record.session == session:
            out.append(record)
        if len(out) >= limit:
            break
    return out


def _may_hold(name: str, part: str) -> bool:
    """Could the log file `name` hold a session whose name part is `part`?

    `<time>_<part>.toml`, or `<time>_<part>-<n>.toml` for the n-th session of
    that id in the same second. Never strips anything from the name: an id
    such as `week-2` is compared whole.
    """
    stem = name.removesuffix(".toml").partition("_")[2]
    if stem == part:
        return True
    head, dash, tail = stem.rpartition("-")
    return bool(dash) and head == part and tail.isdigit()


def newest_records(log_dir: Path, limit: int = 20) -> list[SessionRecord]:
    """The newest readable session records of any session, newest first (for ladders)."""
    try:
        names = sorted((p for p in log_dir.glob("*.toml")), key=lambda p: p.name, reverse=True)
    except OSError:
        return []
    out = []
    for path in names[: limit * 2]:
        try:
            out.append(read_record(path))
        except LogError:
            continue
        if len(out) >= limit:
            break
    return out
