"""The session log: one TOML file per session, written so that none is ever lost.

Each file is rewritten atomically after every finished step. Its name (start
time, then session id) is claimed without clobbering, so two gluteterm
processes never overwrite each other. When the log folder cannot be written
(read-only, disk full) the record goes to a pending folder and is moved into
the log on the next start.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gluteterm.core.record import LogError, SessionRecord
from gluteterm.store.atomic import create_atomic, write_atomic


def file_name(started: datetime, session: str, attempt: int = 1) -> str:
    """`2026-11-24T18-03-12_quick.toml`: sorts by time, safe on every file system."""
    stamp = started.strftime("%Y-%m-%dT%H-%M-%S")
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in session) or "session"
    suffix = "" if attempt == 1 else f"-{attempt}"
    return f"{stamp}_{safe}{suffix}.toml"


def encode(record: SessionRecord) -> bytes:
    import tomli_w

    return tomli_w.dumps(record.to_toml()).encode("utf-8")


def read_record(path: Path) -> SessionRecord:
    """Read one log file; raise `LogError` (naming it) if it cannot be used."""
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise LogError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise LogError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise LogError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    return SessionRecord.from_toml(data, str(path))


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
        self.last: SaveResult | None = None

    def save(self, record: SessionRecord) -> SaveResult:
        data = encode(record)
        try:
            previous = self.path
            self.path = self._write(self.log_dir, self.path, record, data)
            if previous is not None and previous != self.path:
                with contextlib.suppress(OSError):
                    previous.unlink()  # the pending copy is in the log now
            self.last = SaveResult(self.path)
        except OSError as exc:
            problem = f"could not save to {self.log_dir}: {exc.strerror or exc}"
            self.last = self._save_pending(record, data, problem)
        return self.last

    def _write(
        self, folder: Path, current: Path | None, record: SessionRecord, data: bytes
    ) -> Path:
        if current is not None and current.parent == folder:
            write_atomic(current, data)
            return current
        for attempt in range(1, 1000):
            path = folder / file_name(record.started, record.session, attempt)
            if create_atomic(path, data):
                return path
        raise OSError(f"no free file name for {record.session} in {folder}")

    def _save_pending(self, record: SessionRecord, data: bytes, problem: str) -> SaveResult:
        for folder in (self.pending_dir, Path(tempfile.gettempdir()) / "gluteterm-pending"):
            try:
                current = self.path if self.path and self.path.parent == folder else None
                self.path = self._write(folder, current, record, data)
                return SaveResult(self.path, pending=True, problem=problem)
            except OSError:
                continue
        return SaveResult(None, pending=True, problem=problem + "; and nowhere else was writable")


def pending_folders(pending_dir: Path) -> list[Path]:
    return [pending_dir, Path(tempfile.gettempdir()) / "gluteterm-pending"]


def _same_bytes(path: Path, data: bytes) -> bool:
    """True when `path` already holds `data` (a move that was cut off half-way)."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def flush_pending(log_dir: Path, pending_dir: Path) -> tuple[int, list[str]]:
    """Move records that could not be saved earlier into the log.

    Returns how many were moved and a message for each that still could not be.
    """
    moved, problems = 0, []
    for folder in pending_folders(pending_dir):
        try:
            files = sorted(folder.glob("*.toml"))
        except OSError:
            continue
        for pending in files:
            try:
                record = read_record(pending)
                data = pending.read_bytes()
                for attempt in range(1, 1000):
                    target = log_dir / file_name(record.started, record.session, attempt)
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


def recent_records(log_dir: Path, session: str, limit: int = 10) -> list[SessionRecord]:
    """The newest readable records of `session`, newest first (for progression)."""
    try:
        names = sorted((p for p in log_dir.glob("*.toml") if _session_of(p.name) == session),
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


def _session_of(name: str) -> str:
    """The session id in a log file name (`<time>_<id>.toml` or `<time>_<id>-2.toml`)."""
    stem = name.removesuffix(".toml").split("_", 1)[-1]
    head, _, tail = stem.rpartition("-")
    return head if head and tail.isdigit() else stem


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
