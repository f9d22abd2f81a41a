"""`gluteterm history` and `gluteterm export`: the log as plain text, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gluteterm.cli.history_quick import print_history
from gluteterm.core.errors import GlutetermError
from gluteterm.core.record import LogError, SessionRecord
from gluteterm.core.text import plural, printable
from gluteterm.store.api import Store

if TYPE_CHECKING:
    from gluteterm.store.api import History

#: Exit status when the export could not be written (a full disk, a closed FIFO).
EXIT_WRITE_FAILED = 1


def _load(store: Store) -> History:
    _moved, problems = store.flush_pending()
    for problem in problems:
        print(f"gluteterm: {printable(problem)}", file=sys.stderr)
    history = store.history()
    for problem in history.problems:
        print(f"gluteterm: {printable(problem)}", file=sys.stderr)
    return history


def cmd_history(limit: int, store: Store | None = None, today: date | None = None) -> int:
    """`gluteterm history`: from the summary kept for the log as it is, or else from the
    log (through its index), keeping the summary for next time."""
    store = store or Store.default()
    today = today or date.today()
    summary = store.kept_history_summary(limit)
    if summary is None:
        summary = store.keep_history_summary(_load(store), limit)
        summary = replace(summary, problems=[])  # _load has printed them
    print_history(summary, limit, today, store.log_dir)
    return 0


CSV_COLUMNS = [
    "file", "session", "title", "started", "ended", "status", "active_seconds",
    "step_number", "step_name", "kind", "step_status", "planned_seconds", "actual_seconds",
    "level", "felt", "flags",
    # added later, at the end, so the columns above keep their places
    "drill", "dose", "paused_seconds",
]  # fmt: skip


def _records(history: History, store: Store) -> list[tuple[str, SessionRecord]]:
    out = []
    for summary in reversed(history.sessions):  # oldest first
        try:
            out.append((summary.file, store.read_session(summary.file)))
        except LogError as exc:
            print(f"gluteterm: skipped {printable(str(exc))}", file=sys.stderr)
    return out


def _as_json(records: list[tuple[str, SessionRecord]]) -> str:
    items: list[dict[str, Any]] = []
    for name, record in records:
        doc = record.to_toml()
        doc["file"] = name
        doc["started"] = record.started.isoformat()
        doc["ended"] = record.ended.isoformat()
        doc["steps"] = doc.pop("step")
        items.append(doc)
    # allow_nan=False: NaN is not JSON; readers refuse it, and this makes sure.
    text = json.dumps(items, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    # JSON escapes C0 controls itself; C1 (such as CSI, \x9b), DEL and the bidi controls
    # (U+202E...) it leaves raw. As \u escapes they read back as the same text.
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_C1 = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A CSV cell that is safe to open: control characters escaped, formulas defused.

    Text is shown as every other command shows it (`printable`), and text that
    a spreadsheet would run as a formula gets a leading `'`. Numbers stay numbers.
    """
    if not isinstance(value, str):
        return value
    text = printable(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _as_csv(records: list[tuple[str, SessionRecord]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for name, r in records:
        head: list[object] = [name, r.session, r.title, r.started.isoformat(), r.ended.isoformat()]
        head += [r.status, round(r.active_seconds, 1)]
        paused = round(r.paused_seconds, 1)
        if not r.steps:
            writer.writerow([safe_cell(cell) for cell in [*head, *[""] * 11, paused]])
        for s in r.steps:
            felt = "" if s.felt is None else s.felt
            step: list[object] = [s.number, s.name, s.kind, s.status, s.planned_seconds]
            step += [s.actual_seconds, s.level or "", felt, ";".join(s.flags)]
            step += [s.drill or "", "" if s.dose is None else s.dose]
            writer.writerow([safe_cell(cell) for cell in [*head, *step, paused]])
    return buffer.getvalue()


def cmd_export(fmt: str, output: Path | None, store: Store | None = None) -> int:
    store = store or Store.default()
    records = _records(_load(store), store)
    try:
        text = _as_json(records) if fmt == "json" else _as_csv(records)
    except ValueError as exc:  # a number that is not one got past the readers
        raise GlutetermError(f"could not export: {exc}") from None
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        store.write_export(output, text.encode("utf-8"))
    except OSError as exc:
        print(
            f"gluteterm: could not write {printable(str(output))}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_WRITE_FAILED
    print(
        f"Exported {plural(len(records), 'session')} to {printable(str(output))}", file=sys.stderr
    )
    return 0
