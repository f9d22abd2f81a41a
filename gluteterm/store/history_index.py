"""Reading the whole log fast: an index of every file, checked against the folder.

Parsing 10,000 log files takes a second, so what each file holds is cached in
an index keyed by the file's name, size, mtime and inode. Every load lists the
folder (one `scandir`, a `stat` per file) and re-reads any file whose key
changed, so a file added, edited or deleted by hand or by a sync tool shows up
at once. The index is only a cache: if it is unreadable it is rebuilt, and the
log files are never touched.

The index is JSON, one compact row (a list) per file, newest session first:
`[file, size, mtime_ns, inode, session, title, started, ended, status,
done_steps, planned_steps, active_seconds, levels]`, or `[file, size,
mtime_ns, inode, problem]` for a file that could not be read. It is as hostile
as any file: every row is checked as strictly as a log (`_decode`), and a row
that fails is dropped, so its file is read again.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from gluteterm.core.history import DayTotals, SessionSummary, day_totals
from gluteterm.core.limits import (
    MAX_RECORD_SECONDS,
    MAX_RECORD_STEPS,
    RECORD_YEARS,
    SESSION_STATUSES,
)
from gluteterm.core.record import LogError
from gluteterm.store.atomic import write_cache
from gluteterm.store.files import read_user_file
from gluteterm.store.log import read_summary
from gluteterm.store.log_files import Key, log_files

#: 2: a summary's levels leave out skipped steps. 3: rows, not tables (1 and 2 are rebuilt).
INDEX_VERSION = 3
#: What each place of a session's row holds (a problem's row: the first four, then it).
ROW_FIELDS = (
    "file", "size", "mtime_ns", "inode", "session", "title", "started", "ended", "status",
    "done_steps", "planned_steps", "active_seconds", "levels",
)  # fmt: skip
#: Below this many files to read, this process reads them; above, one helper per idle core.
PARALLEL_FROM = 400
#: From this many files to read, the cyclic GC waits until they are read (`_no_cyclic_gc`).
PAUSE_GC_FROM = 200
#: An index past this (some 300,000 sessions) is not read; the log is read instead.
MAX_INDEX_BYTES = 64_000_000
_loading = threading.Lock()  # home and the history screen may both ask at once

#: What is known of one file: its name, its key, and its summary or why it could not be read.
Entry = tuple[str, Key, "SessionSummary | str"]


@dataclass
class History:
    """Every readable session, newest first, and what could not be read."""

    sessions: list[SessionSummary] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Every file read, with its key, as listed: None when the folder could not be
    #: listed or the index could not be read (then `problems` says more than the files).
    listed: list[tuple[str, Key]] | None = None
    #: `day_totals()` once computed, shared by every History of the same sessions in
    #: this process (the remembered one, an unchanged reload): home computes them off
    #: the UI thread and the history screen draws its numbers from them at once.
    _days: list[DayTotals] = field(default_factory=list, repr=False, compare=False)

    def day_totals(self) -> DayTotals:
        """Each day's totals of `sessions` (computed the first time: O(sessions))."""
        if not self._days:
            self._days.append(day_totals(self.sessions))
        return self._days[0]

    def knows_day_totals(self) -> bool:
        """Whether `day_totals()` is already computed (and so costs nothing)."""
        return bool(self._days)


def _encode(name: str, key: Key, value: SessionSummary | str) -> list[Any]:
    """One file's row of the index."""
    if isinstance(value, str):
        return [name, *key, value]
    return [
        name, *key, value.session, value.title, value.started.isoformat(),
        value.ended.isoformat(), value.status, value.done_steps, value.planned_steps,
        value.active_seconds, [list(pair) for pair in value.levels],
    ]  # fmt: skip


def _decode(row: object) -> Entry:
    """A row of the index back as (file, key, summary or problem), checked as strictly
    as a log file is.

    Raises ValueError (or TypeError) for anything a log file could not have
    produced: wrong types (`true` is not 1), nan or inf, a naive or absurd date,
    so a tampered or stale row is re-read from its file instead of trusted. The
    name is only a string here: a row is used only for the file the folder
    listing (or the request to a helper) names exactly. The checks are those of
    `finite_seconds` and `sane_moment`, inline: this runs for every session.
    """
    if type(row) is not list or len(row) != 13:
        if type(row) is list and len(row) == 5:
            name, size, mtime, inode, problem = row
            if (
                type(name) is type(problem) is str
                and type(size) is type(mtime) is type(inode) is int
            ):
                return name, (size, mtime, inode), problem
        raise ValueError("not a row")
    name, size, mtime, inode = row[:4]
    session, title, started, ended, status, done, planned, active, levels = row[4:]
    if (
        type(name) is not str
        or type(size) is not int
        or type(mtime) is not int
        or type(inode) is not int
        or type(session) is not str
        or type(title) is not str
        or type(started) is not str
        or type(ended) is not str
        or type(status) is not str
        or status not in SESSION_STATUSES
        or type(done) is not int
        or type(planned) is not int
        or not 0 <= done <= MAX_RECORD_STEPS
        or not 0 <= planned <= MAX_RECORD_STEPS
        or (type(active) is not float and type(active) is not int)
        or not 0 <= active <= MAX_RECORD_SECONDS  # false for nan, too
        or type(levels) is not list
    ):
        raise ValueError("not a session's row")
    first, last = _from_iso(started), _from_iso(ended)
    if (
        first.utcoffset() is None
        or last.utcoffset() is None
        or not _YEARS[0] <= first.year <= _YEARS[1]
        or not _YEARS[0] <= last.year <= _YEARS[1]
    ):
        raise ValueError("not a date and time with an offset, in range")
    pairs: tuple[tuple[str, str], ...] = ()
    if levels:
        for pair in levels:
            if type(pair) is not list or len(pair) != 2:
                raise ValueError("levels")
            if type(pair[0]) is not str or type(pair[1]) is not str:
                raise ValueError("levels")
        pairs = tuple((step, level) for step, level in levels)
    summary = SessionSummary(
        name, session, title, first, last, status, done, planned, float(active), pairs
    )
    return name, (size, mtime, inode), summary


_from_iso = datetime.fromisoformat
_YEARS = RECORD_YEARS


def _decoded(row: object, name: str, key: Key) -> Entry | None:
    """The entry in `row` if it decodes and is for the file `name` as it is now (`key`)."""
    try:
        entry = _decode(row)
    except (TypeError, ValueError, OverflowError):
        return None
    return entry if entry[0] == name and entry[1] == key else None


def _no_constants(word: str) -> object:
    raise ValueError(f"{word} is not a number")


def _parse_json(data: bytes | str) -> object:
    """JSON without NaN or Infinity (which Python's json accepts and JSON does not)."""
    return json.loads(data, parse_constant=_no_constants)


def _rows_by_name(rows: object) -> dict[str, object]:
    """The rows of an index or a helper's answer by file name, not yet decoded."""
    if not isinstance(rows, list):
        return {}
    return {row[0]: row for row in rows if type(row) is list and row and type(row[0]) is str}


def _index_rows(index_path: Path) -> tuple[dict[str, object], str]:
    """The index's rows by file name, and a problem to report if it could not be read."""
    try:
        raw = _parse_json(read_user_file(index_path, MAX_INDEX_BYTES, follow_symlinks=False))
    except FileNotFoundError:
        return {}, ""
    except (OSError, ValueError, RecursionError) as exc:
        return {}, f"the history index {index_path} could not be read ({exc}); rebuilding it"
    if not isinstance(raw, dict) or raw.get("version") != INDEX_VERSION:
        return {}, ""
    return _rows_by_name(raw.get("files")), ""


def _from_file(path: Path, name: str, key: Key) -> Entry:
    try:
        return name, key, read_summary(path, name)
    except LogError as exc:
        return name, key, str(exc)


def load_history(log_dir: Path, index_path: Path) -> History:
    """Every session in `log_dir`, using and refreshing the index at `index_path`."""
    with _loading:
        return _load_history(log_dir, index_path)


#: What the last load in this process found, per (log folder, index): each file's entry.
Known = dict[str, Entry]
#: The last load per (log folder, index): each file's entry, the History it made, and
#: the files it skipped (its problems, but for the folder's and the index's).
_memory: dict[tuple[Path, Path], tuple[Known, History, list[str]]] = {}


def remembered_history(log_dir: Path, index_path: Path) -> History | None:
    """What the last `load_history` in this process found, without looking at the disk.

    None if there was none. For showing at once what was true a moment ago,
    while `load_history` checks the folder again.
    """
    remembered = _memory.get((log_dir, index_path))
    if remembered is None:
        return None
    _, last, skipped = remembered
    return History(list(last.sessions), list(skipped), _days=last._days)


def _load_history(log_dir: Path, index_path: Path) -> History:
    remembered = _memory.get((log_dir, index_path))
    known: Known = {}
    rows: dict[str, object] = {}
    last = None
    if remembered is None:
        rows, index_problem = _index_rows(index_path)
    else:
        (known, last, _), index_problem = remembered, ""
    history = History()
    try:
        listed = log_files(log_dir)
    except OSError as exc:
        history.problems.append(f"the log folder {log_dir} cannot be read: {exc.strerror or exc}")
        listed = []
    else:
        history.listed = None if index_problem else listed
    now: Known = {}
    todo: list[tuple[str, Key]] = []
    for name, key in listed:
        hit = known.get(name)
        if hit is None or hit[1] != key:
            row = rows.get(name)
            hit = None if row is None else _decoded(row, name, key)
        if hit is not None:
            now[name] = hit
        else:
            todo.append((name, key))
    if rows:  # the index's order (newest first), so that sorting finds them sorted
        now = {name: now[name] for name in rows if name in now} | now
    for read in _read_files(log_dir, todo):
        now[read[0]] = read
    unchanged = not todo and len(now) == len(known or rows)
    skipped = [f"skipped {v}" for _, _, v in now.values() if isinstance(v, str)]
    history.problems += skipped
    if unchanged and last is not None:
        history.sessions = list(last.sessions)  # same files, same keys: same order
        history._days = last._days  # and the same totals, once computed
    else:
        # Those from the index are in order already: sorting them only checks that.
        history.sessions = [v for _, _, v in now.values() if not isinstance(v, str)]
        history.sessions.sort(key=attrgetter("started", "file"), reverse=True)
    if index_problem:
        history.problems.insert(0, index_problem)
    if not unchanged or index_problem:
        _write_index(index_path, now, history.sessions)
    _memory[(log_dir, index_path)] = (now, history, skipped)
    return history


def _write_index(index_path: Path, known: Known, newest_first: list[SessionSummary]) -> None:
    """Write the index: the sessions newest first (so the next sort finds them in order),
    then the files that could not be read."""
    rows = [_encode(s.file, known[s.file][1], s) for s in newest_first]
    rows += [_encode(*entry) for entry in known.values() if isinstance(entry[2], str)]
    data = json.dumps({"version": INDEX_VERSION, "files": rows}, separators=(",", ":"))
    # Only a cache: if it cannot be written, the next load rebuilds what it needs.
    with contextlib.suppress(OSError):
        write_cache(index_path, data.encode())


def _read_files(log_dir: Path, todo: list[tuple[str, Key]]) -> list[Entry]:
    """Read the files in `todo`: in one helper process per core when there are many.

    A helper's answer is checked as strictly as the index (`_decode`); a file it
    did not answer for, or answered for wrongly, is read here.
    """
    workers = _idle_cores()
    if len(todo) < PARALLEL_FROM or workers < 2:
        with _no_cyclic_gc(len(todo) >= PAUSE_GC_FROM):
            return [_from_file(log_dir / name, name, key) for name, key in todo]
    import subprocess  # only here: a warm history starts no process

    chunks = [todo[i::workers] for i in range(workers)]
    outputs: list[object] = [None] * len(chunks)

    def helper(n: int) -> None:
        request = json.dumps({"folder": str(log_dir), "files": chunks[n]}).encode()
        with contextlib.suppress(OSError, ValueError, subprocess.SubprocessError):
            done = subprocess.run(
                worker_command(), input=request, capture_output=True, timeout=300, check=True,
                cwd=log_dir,
            )  # fmt: skip
            outputs[n] = _parse_json(done.stdout)

    threads = [threading.Thread(target=helper, args=(n,)) for n in range(len(chunks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answered: dict[str, object] = {}
    for output in outputs:
        answered.update(_rows_by_name(output))
    out = []
    for name, key in todo:
        row = answered.get(name)
        entry = None if row is None else _decoded(row, name, key)
        out.append(entry or _from_file(log_dir / name, name, key))
    return out


@contextlib.contextmanager
def _no_cyclic_gc(pause: bool) -> Iterator[None]:
    """Pause the cyclic GC while many files are read (if it is on, and `pause`).

    Reading makes some hundred objects a file, none in a cycle, and most live
    on: the GC would scan them again and again, for nothing (about 15 % of the
    first history). It is turned back on only if it was on, so a pause someone
    else began (the app's start-up) is left to them.
    """
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _idle_cores() -> int:
    """How many helpers pay: one per core the load average leaves idle (at most 8).

    A helper costs its start (imports) and the copy of its answer; with the
    reader made for the log, that pays only on a core nobody else is using:
    on a busy machine one process reading everything is faster.
    """
    cores = os.cpu_count() or 1
    try:
        busy = int(os.getloadavg()[0])
    except (AttributeError, OSError):  # no load average here (Windows)
        busy = 0
    return max(1, min(cores - busy, 8))


def worker_command() -> list[str]:
    """How a helper is started: isolated, importing gluteterm only from where this one is.

    `python -m` would put the current folder first on the import path, so a
    folder holding its own `gluteterm/` package would run its code. `-I` keeps
    the current folder, PYTHON* variables and the user's site folder out; the
    folder this gluteterm was imported from is put on the path by hand.
    """
    import gluteterm

    home = str(Path(gluteterm.__file__).resolve().parent.parent)
    code = (
        f"import sys; sys.path.insert(0, {home!r}); "
        "from gluteterm.store.history_index import _worker; _worker()"
    )
    return [sys.executable, "-I", "-c", code]


def _worker() -> None:
    """Read the files named on stdin; print their index rows as a JSON list."""
    gc.disable()  # a short process that makes no cycles: see `_no_cyclic_gc`
    request = json.loads(sys.stdin.read())
    folder = Path(request["folder"])
    rows = [
        _encode(*_from_file(folder / name, name, (key[0], key[1], key[2])))
        for name, key in request["files"]
    ]
    sys.stdout.write(json.dumps(rows, separators=(",", ":")))


if __name__ == "__main__":
    _worker()
