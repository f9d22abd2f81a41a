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
from gluteterm.core.record import LogError
from gluteterm.store.atomic import write_atomic
from gluteterm.store.log import read_record

INDEX_VERSION = 1
#: Below this many files to read, one process parses them; above, one per core.
PARALLEL_FROM = 400
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


def _decode(data: dict[str, Any]) -> SessionSummary:
    return SessionSummary(
        file=data["file"],
        session=data["session"],
        title=data["title"],
        started=datetime.fromisoformat(data["started"]),
        ended=datetime.fromisoformat(data["ended"]),
        status=data["status"],
        done_steps=data["done_steps"],
        planned_steps=data["planned_steps"],
        active_seconds=data["active_seconds"],
        levels=tuple((a, b) for a, b in data.get("levels", [])),
    )


def _read_index(path: Path) -> tuple[dict[str, Any], str]:
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}, ""
    except (OSError, ValueError) as exc:
        return {}, f"the history index {path} could not be read ({exc}); rebuilding it"
    if not isinstance(raw, dict) or raw.get("version") != INDEX_VERSION:
        return {}, ""
    files = raw.get("files")
    return (files, "") if isinstance(files, dict) else ({}, "")


def _from_cache(
    item: object, key: list[int]
) -> tuple[dict[str, Any] | None, SessionSummary | None]:
    """The cached entry if it still matches the file (and decodes), else (None, None)."""
    if not isinstance(item, dict) or item.get("key") != key:
        return None, None
    if "problem" in item:
        return item, None
    try:
        return item, _decode(item["summary"])
    except (KeyError, TypeError, ValueError):
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
        if not isinstance(item, dict) or not isinstance(item.get("key"), list):
            continue
        _, summary = _from_cache(item, item["key"])
        if "problem" in item and isinstance(item["problem"], str):
            known[name] = (item["key"], item["problem"])
        elif summary is not None:
            known[name] = (item["key"], summary)
    return known, problem


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
                [sys.executable, "-m", "gluteterm.store.history_index"],
                input=request, capture_output=True, timeout=300, check=True,
            )  # fmt: skip
            result = json.loads(done.stdout)
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
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    summary = _decode(item["summary"])
            if not isinstance(item, dict) or ("problem" not in item and summary is None):
                item, summary = _from_file(log_dir / name, name, key)
            parsed[name] = (item, summary)
    return parsed


def _worker() -> None:
    """Parse the files named on stdin; print their index entries as JSON."""
    request = json.loads(sys.stdin.read())
    folder = Path(request["folder"])
    out = {name: _from_file(folder / name, name, key)[0] for name, key in request["files"]}
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    _worker()
