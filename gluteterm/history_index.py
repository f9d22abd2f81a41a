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
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gluteterm.atomic import write_atomic
from gluteterm.core.history import SessionSummary, summarize
from gluteterm.core.record import LogError
from gluteterm.log import read_record

INDEX_VERSION = 1


@dataclass
class History:
    """Every readable session, newest first, and what could not be read."""

    sessions: list[SessionSummary] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _encode(summary: SessionSummary) -> dict[str, Any]:
    data = asdict(summary)
    data["started"] = summary.started.isoformat()
    data["ended"] = summary.ended.isoformat()
    data["levels"] = [list(pair) for pair in summary.levels]
    return data


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
    cached, index_problem = _read_index(index_path)
    fresh: dict[str, Any] = {}
    history = History()
    changed = bool(index_problem)
    try:
        entries = list(os.scandir(log_dir))
    except FileNotFoundError:
        entries = []
    except OSError as exc:
        history.problems.append(f"the log folder {log_dir} cannot be read: {exc.strerror or exc}")
        entries = []
    for entry in entries:
        if not entry.name.endswith(".toml") or entry.name.startswith("."):
            continue
        try:
            st = entry.stat()
        except OSError:
            continue
        key = [st.st_size, st.st_mtime_ns, st.st_ino]
        item, summary = _from_cache(cached.get(entry.name), key)
        if item is None:
            changed = True
            item, summary = _from_file(Path(entry.path), entry.name, key)
        fresh[entry.name] = item
        if summary is None:
            history.problems.append(f"skipped {item['problem']}")
        else:
            history.sessions.append(summary)
    if index_problem:
        history.problems.insert(0, index_problem)
    if changed or len(fresh) != len(cached):
        # Only a cache: if it cannot be written, the next load rebuilds what it needs.
        with contextlib.suppress(OSError):
            write_atomic(
                index_path, json.dumps({"version": INDEX_VERSION, "files": fresh}).encode()
            )
    history.sessions.sort(key=lambda s: (s.started, s.file), reverse=True)
    return history
