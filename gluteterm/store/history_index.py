"""Reading the whole log fast: an index of every file, checked against the folder.

Parsing 10,000 TOML files takes seconds, so what each file holds is cached in
a JSON index keyed by the file's name, size, mtime and inode. Every load lists
the folder and re-reads any file whose key changed, so a file added, edited or
deleted by hand or by a sync tool shows up at once. The index is only a
cache: if it is unreadable it is rebuilt, and the log files are never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gluteterm.core.history import SessionSummary, summarize
from gluteterm.core.limits import MAX_RECORD_STEPS
from gluteterm.core.record import SESSION_STATUSES, LogError, finite_seconds, sane_moment
from gluteterm.store.atomic import write_atomic
from gluteterm.store.files import read_user_file
from gluteterm.store.log import read_record

#: 2: a summary's levels leave out skipped steps (an index of 1 is rebuilt).
INDEX_VERSION = 2
#: Below this many files to read, one process parses them; above, one per core.
PARALLEL_FROM = 400
#: An index past this (some 150,000 sessions) is not read; the log is read instead.
MAX_INDEX_BYTES = 64_000_000
_loading = threading.Lock()  # home and the history screen may both ask at once


@dataclass
class History:
    """Every readable session, newest first, and what could not be read."""

    sessions: list[SessionSummary] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _encode(summary: SessionSummary) -> dict[str, Any]:
    return {
        "file": summary.file,
        "session": summary.session,
        "title": summary.title,
        "started": summary.started.isoformat(),
        "ended": summary.ended.isoformat(),
        "status": summary.status,
        "done_steps": summary.done_steps,
        "planned_steps": summary.planned_steps,
        "active_seconds": summary.active_seconds,
        "levels": [list(pair) for pair in summary.levels],
    }


def _decode(data: object, name: str) -> SessionSummary:
    """An index entry back as a summary, checked as strictly as a log file is.

    Raises ValueError for anything a log file could not have produced (wrong
    types, nan or inf, a naive or absurd date, another file's name), so a
    tampered or stale entry is re-read from its file instead of trusted.
    """
    if not isinstance(data, dict):
        raise ValueError("not a table")

    def text(key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str):
            raise ValueError(key)
        return value

    def moment(key: str) -> datetime:
        checked = sane_moment(datetime.fromisoformat(text(key)))
        if checked is None:
            raise ValueError(key)
        return checked

    def count(key: str) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(key)
        if not 0 <= value <= MAX_RECORD_STEPS:
            raise ValueError(key)
        return value

    seconds = finite_seconds(data.get("active_seconds"))
    levels = data.get("levels", [])
    if seconds is None or not isinstance(levels, list):
        raise ValueError("active_seconds or levels")
    pairs = []
    for pair in levels:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        ):
            raise ValueError("levels")
        pairs.append((pair[0], pair[1]))
    if text("file") != name or text("status") not in SESSION_STATUSES:
        raise ValueError("file or status")
    return SessionSummary(
        file=name,
        session=text("session"),
        title=text("title"),
        started=moment("started"),
        ended=moment("ended"),
        status=text("status"),
        done_steps=count("done_steps"),
        planned_steps=count("planned_steps"),
        active_seconds=seconds,
        levels=tuple(pairs),
    )


def _no_constants(word: str) -> object:
    raise ValueError(f"{word} is not a number")


def _parse_json(data: bytes | str) -> object:
    """JSON without NaN or Infinity (which Python's json accepts and JSON does not)."""
    return json.loads(data, parse_constant=_no_constants)


def _read_index(path: Path) -> tuple[dict[str, Any], str]:
    try:
        raw = _parse_json(read_user_file(path, MAX_INDEX_BYTES, follow_symlinks=False))
    except FileNotFoundError:
        return {}, ""
    except (OSError, ValueError, RecursionError) as exc:
        return {}, f"the history index {path} could not be read ({exc}); rebuilding it"
    if not isinstance(raw, dict) or raw.get("version") != INDEX_VERSION:
        return {}, ""
    files = raw.get("files")
    return (files, "") if isinstance(files, dict) else ({}, "")


def _from_cache(
    item: object, key: list[int], name: str
) -> tuple[dict[str, Any] | None, SessionSummary | None]:
    """The cached entry if it still matches the file (and decodes), else (None, None)."""
    if not isinstance(item, dict) or item.get("key") != key:
        return None, None
    if "problem" in item:
        return (item, None) if isinstance(item["problem"], str) else (None, None)
    try:
        return item, _decode(item.get("summary"), name)
    except (TypeError, ValueError):
        return None, None


def _from_file(
    path: Path, name: str, key: list[int]
) -> tuple[dict[str, Any], SessionSummary | None]:
    try:
        summary = summarize(read_record(path), name)
    except LogError as exc:
        return {"key": key, "problem": str(exc)}, None
    return {"key": key, "summary": _encode(summary)}, summary


def load_history(log_dir: Path, index_path: Path) -> History:
    """Every session in `log_dir`, using and refreshing the index at `index_path`."""
    with _loading:
        return _load_history(log_dir, index_path)


#: What the last load in this process found, per (log folder, index): for each
#: file, its key and its summary (or the problem that made it unreadable).
Known = dict[str, tuple[list[int], SessionSummary | str]]
_memory: dict[tuple[Path, Path], tuple[Known, list[SessionSummary]]] = {}


def _known_from_index(index_path: Path) -> tuple[Known, str]:
    raw, problem = _read_index(index_path)
    known: Known = {}
    for name, item in raw.items():
        if not isinstance(item, dict) or not _is_key(item.get("key")):
            continue  # not in the index: the file is read again
        kept, summary = _from_cache(item, item["key"], name)
        if kept is not None and summary is None:
            known[name] = (item["key"], kept["problem"])
        elif summary is not None:
            known[name] = (item["key"], summary)
    return known, problem


def _is_key(value: object) -> bool:
    """A file's key as the index stores it: size, mtime_ns and inode, three whole numbers."""
    return (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    )


def _load_history(log_dir: Path, index_path: Path) -> History:
    remembered = _memory.get((log_dir, index_path))
    if remembered is None:
        (known, index_problem), last_sorted = _known_from_index(index_path), None
    else:
        (known, last_sorted), index_problem = remembered, ""
    history = History()
    try:
        entries = list(os.scandir(log_dir))
    except FileNotFoundError:
        entries = []
    except OSError as exc:
        history.problems.append(f"the log folder {log_dir} cannot be read: {exc.strerror or exc}")
        entries = []
    from gluteterm.store.assessments import is_assessment_file  # in the log, not sessions

    now: Known = {}
    todo: list[tuple[str, list[int]]] = []
    for entry in entries:
        name = entry.name
        if not name.endswith(".toml") or name.startswith(".") or is_assessment_file(name):
            continue
        try:
            st = entry.stat()
        except OSError:
            continue
        key = [st.st_size, st.st_mtime_ns, st.st_ino]
        hit = known.get(entry.name)
        if hit is not None and hit[0] == key:
            now[entry.name] = hit
        else:
            todo.append((entry.name, key))
    read = _read_files(log_dir, todo)
    for name, (item, summary) in read.items():
        now[name] = (item["key"], summary if summary is not None else str(item["problem"]))
    unchanged = not todo and len(now) == len(known)
    history.problems += [f"skipped {v}" for _, v in now.values() if isinstance(v, str)]
    if unchanged and last_sorted is not None:
        history.sessions = list(last_sorted)  # same files, same keys: same order
    else:
        history.sessions = [v for _, v in now.values() if not isinstance(v, str)]
        history.sessions.sort(key=lambda s: (s.started, s.file), reverse=True)
    if index_problem:
        history.problems.insert(0, index_problem)
    if not unchanged or index_problem:
        _write_index(index_path, now, {name: item for name, (item, _) in read.items()})
    _memory[(log_dir, index_path)] = (now, history.sessions)
    return history


def _write_index(index_path: Path, known: Known, encoded: dict[str, Any]) -> None:
    """Write the index; `encoded` holds entries already in index form (just read)."""
    files = {
        name: encoded.get(name) or (
            {"key": key, "problem": value} if isinstance(value, str)
            else {"key": key, "summary": _encode(value)}
        )
        for name, (key, value) in known.items()
    }  # fmt: skip
    # Only a cache: if it cannot be written, the next load rebuilds what it needs.
    with contextlib.suppress(OSError):
        write_atomic(index_path, json.dumps({"version": INDEX_VERSION, "files": files}).encode())


Parsed = dict[str, tuple[dict[str, Any], SessionSummary | None]]


def _read_files(log_dir: Path, todo: list[tuple[str, list[int]]]) -> Parsed:
    """Parse the files in `todo`: in one subprocess per core when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or workers < 2:
        return {name: _from_file(log_dir / name, name, key) for name, key in todo}
    chunks = [todo[i::workers] for i in range(workers)]
    outputs: list[dict[str, Any] | None] = [None] * len(chunks)

    def helper(n: int) -> None:
        request = json.dumps({"folder": str(log_dir), "files": chunks[n]}).encode()
        with contextlib.suppress(OSError, ValueError, subprocess.SubprocessError):
            done = subprocess.run(
                worker_command(), input=request, capture_output=True, timeout=300, check=True,
                cwd=log_dir,
            )  # fmt: skip
            result = _parse_json(done.stdout)
            outputs[n] = result if isinstance(result, dict) else None

    threads = [threading.Thread(target=helper, args=(n,)) for n in range(len(chunks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    parsed: Parsed = {}
    for chunk, results in zip(chunks, outputs, strict=True):
        if not isinstance(results, dict):  # the helper failed: read this chunk here
            parsed.update({name: _from_file(log_dir / name, name, key) for name, key in chunk})
            continue
        for name, key in chunk:
            item = results.get(name)
            summary = None
            if isinstance(item, dict) and "summary" in item:
                with contextlib.suppress(TypeError, ValueError):
                    summary = _decode(item["summary"], name)
            problem = isinstance(item, dict) and isinstance(item.get("problem"), str)
            if (
                not isinstance(item, dict)
                or item.get("key") != key
                or (not problem and summary is None)
            ):
                item, summary = _from_file(log_dir / name, name, key)
            parsed[name] = (item, summary)
    return parsed


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
    """Parse the files named on stdin; print their index entries as JSON."""
    request = json.loads(sys.stdin.read())
    folder = Path(request["folder"])
    out = {name: _from_file(folder / name, name, key)[0] for name, key in request["files"]}
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    _worker()
