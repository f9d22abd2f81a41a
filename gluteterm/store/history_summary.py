"""What `gluteterm history` printed, kept for the next time the log is the same.

A warm `gluteterm history` would otherwise decode and check the index's row
for every session only to print twenty of them and one line of totals. This
keeps what it prints (`HistorySummary`: the count, each day's totals, the
newest rows, the files skipped) under a digest of the log folder's listing:
every file's name, size, mtime and inode, with the folder's path and the
format's versions. Every run still lists the folder and stats every file, so a
file added, removed, renamed, edited or touched changes the digest, and the
summary is not used: the log is read through the index as before, and the
summary written again.

The summary is as hostile as any file: read only if regular and small, JSON
without NaN or Infinity, every value checked (types, ranges, finite numbers,
dates in range, no more rows than sessions). Anything doubtful means it is not
used, and it is rebuilt; it is never trusted over the log.
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import date
from itertools import pairwise
from pathlib import Path

from gluteterm import __version__
from gluteterm.core.history import DayTotals, HistorySummary, Row, history_summary
from gluteterm.core.limits import (
    MAX_RECORD_SECONDS,
    MAX_RECORD_STEPS,
    RECORD_YEARS,
    SESSION_STATUSES,
)
from gluteterm.store.atomic import write_cache
from gluteterm.store.files import read_user_file
from gluteterm.store.log_files import folder_lines, listing_lines
from gluteterm.store.paths import Folders
from gluteterm.store.pending import waiting_records

#: `typing.TYPE_CHECKING` (type checkers read it as true) without importing `typing`,
#: which the warm `gluteterm history` would load for this alone.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from gluteterm.store.history_index import History

#: 1: the first. Part of the digest, with gluteterm's version.
SUMMARY_VERSION = 1
#: Far above what 100,000 sessions need (some 40 bytes a day, a few hundred a row).
MAX_SUMMARY_BYTES = 16_000_000
#: Rows kept at most: a longer `--limit` reads the log.
MAX_ROWS = 1000
#: The rows kept when fewer are asked for: the default `--limit`.
MIN_ROWS = 20
#: A summary with more skipped files than this is not kept.
MAX_PROBLEMS = 1000
#: More sessions than any log holds: a count past this is not believed.
MAX_SESSIONS = 100_000_000
_STARTED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}")
_FIRST_DAY = date(RECORD_YEARS[0], 1, 1).toordinal()
_LAST_DAY = date(RECORD_YEARS[1], 12, 31).toordinal()


def listing_digest(log_dir: Path, lines: list[str]) -> str:
    """A digest of the folder's path and every file's name and key (`listing_lines`,
    `folder_lines`), with the versions of this format and of gluteterm."""
    try:  # the one hash needed, without loading OpenSSL's for it
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b

    head = f"{SUMMARY_VERSION}\0{__version__}\0{log_dir}"
    data = "\0".join([head, *lines]).encode("utf-8", "surrogatepass")
    return blake2b(data, digest_size=20).hexdigest()


def _no_constants(word: str) -> object:
    raise ValueError(f"{word} is not a number")


def read_summary(path: Path, digest: str, limit: int) -> HistorySummary | None:
    """The summary at `path` if it is for the listing `digest`, holds `limit` rows (or
    every session), and passes every check; None otherwise (also when absent)."""
    raw = _raw(path)
    return None if raw is None else _checked(raw, digest, limit)


def _raw(path: Path) -> dict[str, object] | None:
    """The summary file's JSON object, if it is one in this format's version."""
    try:
        data = read_user_file(path, MAX_SUMMARY_BYTES, follow_symlinks=False)
        raw = json.loads(data, parse_constant=_no_constants)
    except (OSError, ValueError, RecursionError):
        return None
    if type(raw) is not dict or raw.get("version") != SUMMARY_VERSION:
        return None
    return raw


def _checked(raw: dict[str, object], digest: str, limit: int) -> HistorySummary | None:
    """The summary in `raw` if it is for `digest` and every value checks; else None."""
    try:
        return _checked_values(raw, digest, limit)
    except (TypeError, ValueError, OverflowError):  # none is expected: still, never trusted
        return None


def _checked_values(raw: dict[str, object], digest: str, limit: int) -> HistorySummary | None:
    if raw.get("digest") != digest:
        return None
    count, problems = raw.get("sessions"), raw.get("problems")
    if type(count) is not int or not 0 <= count <= MAX_SESSIONS:
        return None
    if type(problems) is not list or len(problems) > MAX_PROBLEMS:
        return None
    if any(type(problem) is not str for problem in problems):
        return None
    totals = _totals(raw, count)
    rows = _rows(raw.get("rows"), count, limit)
    if totals is None or rows is None:
        return None
    return HistorySummary(count, totals, rows, problems)


def _increasing_days(values: object) -> list[int] | None:
    """`values` if it is a list of day ordinals in range, each after the one before."""
    if type(values) is not list or any(type(v) is not int for v in values):
        return None
    if values and (values[0] < _FIRST_DAY or values[-1] > _LAST_DAY):
        return None
    if any(a >= b for a, b in pairwise(values)):
        return None
    return values


def _totals(raw: dict[str, object], count: int) -> DayTotals | None:
    """The day totals, if every column checks: days in order and in range, the completed
    days among them, whole counts (at least one session a day, `count` in all, no more
    that did something than were logged), finite seconds."""
    days, completed = _increasing_days(raw.get("days")), _increasing_days(raw.get("completed"))
    logged, sessions = _counts(raw.get("day_logged")), _counts(raw.get("day_sessions"))
    seconds = raw.get("day_seconds")
    if days is None or completed is None or logged is None or sessions is None:
        return None
    if type(seconds) is not list or not len(days) == len(logged) == len(sessions) == len(seconds):
        return None
    if not set(completed) <= set(days) or sum(logged) != count or 0 in logged:
        return None
    if any(done > all_ for done, all_ in zip(sessions, logged, strict=True)):
        return None
    if any(type(x) is not float and type(x) is not int for x in seconds):
        return None
    # A nan makes the sum nan and an inf makes it inf: both fail here.
    if any(x < 0 for x in seconds) or not 0 <= sum(seconds) <= MAX_RECORD_SECONDS * count:
        return None
    return DayTotals(days, completed, logged, sessions, [float(x) for x in seconds])


def _counts(values: object) -> list[int] | None:
    """`values` if it is a list of whole numbers, none negative."""
    if type(values) is not list or any(type(v) is not int or v < 0 for v in values):
        return None
    return values


def _rows(rows: object, count: int, limit: int) -> list[Row] | None:
    """The newest sessions' rows, if each checks and there are as many as asked for."""
    if type(rows) is not list or len(rows) > min(count, MAX_ROWS):
        return None
    if len(rows) < min(count, limit):
        return None  # more asked for than were kept
    out = []
    for row in rows:
        if type(row) is not list or len(row) != 6:
            return None
        started, title, active, status, done, planned = row
        if (
            type(started) is not str
            or _STARTED.fullmatch(started) is None
            or type(title) is not str
            or (type(active) is not float and type(active) is not int)
            or not 0 <= active <= MAX_RECORD_SECONDS  # false for nan, too
            or status not in SESSION_STATUSES
            or type(done) is not int
            or type(planned) is not int
            or not 0 <= done <= MAX_RECORD_STEPS
            or not 0 <= planned <= MAX_RECORD_STEPS
        ):
            return None
        out.append(Row(started, title, float(active), status, done, planned))
    return out


def write_summary(path: Path, digest: str, summary: HistorySummary) -> None:
    """Keep `summary` for the listing `digest` (only a cache: a failure is ignored)."""
    if len(summary.problems) > MAX_PROBLEMS or len(summary.rows) > MAX_ROWS:
        return
    rows = [
        [r.started, r.title, r.active_seconds, r.status, r.done_steps, r.planned_steps]
        for r in summary.rows
    ]
    doc = {
        "version": SUMMARY_VERSION, "digest": digest, "sessions": summary.sessions,
        "days": summary.days.days, "completed": summary.days.completed,
        "day_logged": summary.days.logged, "day_sessions": summary.days.sessions,
        "day_seconds": summary.days.seconds,
        "rows": rows, "problems": summary.problems,
    }  # fmt: skip
    try:
        data = json.dumps(doc, separators=(",", ":"), allow_nan=False).encode()
    except ValueError:  # a number that is not one: nothing is kept
        return
    if len(data) > MAX_SUMMARY_BYTES:
        return
    with contextlib.suppress(OSError):
        write_cache(path, data)


def default_folders() -> Folders:
    """The user's real folders (for the warm `gluteterm history`, which loads no `Store`)."""
    return Folders.default()


def kept_summary(folders: Folders, limit: int) -> HistorySummary | None:
    """The summary kept for the log as it is now, with `limit` rows; None if there is
    none, it is for another listing or fails a check, or records wait in pending
    (the full command moves them into the log first)."""
    raw = _raw(folders.summary_file)  # first: the first time, nothing else is looked at
    if raw is None or waiting_records(folders.pending_dir):
        return None
    try:
        lines = folder_lines(folders.log_dir)
    except OSError:
        return None  # the full command says why
    return _checked(raw, listing_digest(folders.log_dir, lines), limit)


def keep_summary(folders: Folders, history: History, limit: int) -> HistorySummary:
    """The summary of `history` with `limit` rows (at least `MIN_ROWS`), kept for the
    listing it was read from (not when that is in doubt: `History.listed`)."""
    rows = min(max(limit, MIN_ROWS), MAX_ROWS)
    summary = history_summary(history.sessions, history.problems, rows)
    if history.listed is not None:
        digest = listing_digest(folders.log_dir, listing_lines(history.listed))
        write_summary(folders.summary_file, digest, summary)
    return summary
