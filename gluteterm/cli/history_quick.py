"""`gluteterm history` printed, and printed at once when the log has not changed.

`print_history` prints a `HistorySummary`, whether it was just made from the log
(`cli/history.py`) or kept from the last run (`store/history_summary.py`), so
the two print the same. `quick` is the command's own start: it lists the log
folder and stats every file, and prints the kept summary when its digest
matches, without loading the argument parser, the plans, the index or the
log's reader. Anything it does not handle itself (other arguments, pending
records to move in, no summary, any doubt) returns None, and the full command
line runs as before.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from gluteterm.core.history import HistorySummary, streak_line_of
from gluteterm.core.text import duration, plural, printable


def print_history(summary: HistorySummary, limit: int, today: date, log_dir: Path) -> None:
    """What `gluteterm history` prints: skipped files on stderr, the totals and the
    newest `limit` sessions on stdout."""
    for problem in summary.problems:
        print(f"gluteterm: {printable(problem)}", file=sys.stderr)
    if not summary.sessions:
        print(f"No sessions logged yet (the log is {printable(str(log_dir))}).")
        return
    print(f"{plural(summary.sessions, 'session')} · {streak_line_of(summary.days, today)}")
    print()
    rows = [("WHEN", "SESSION", "LENGTH", "STATUS", "STEPS")]
    for r in summary.rows[:limit]:
        rows.append(
            (
                r.started,
                printable(r.title),
                duration(r.active_seconds),
                r.status,
                f"{r.done_steps}/{r.planned_steps}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if summary.sessions > limit:
        print(f"\n... and {summary.sessions - limit} older (use --limit to see more)")


#: `gluteterm history`'s default --limit.
DEFAULT_LIMIT = 20


def quick_limit(args: list[str]) -> int | None:
    """The --limit of `history`'s arguments when they are the plain forms (none,
    `--limit N`, `--limit=N` with a whole N of 1 or more); None for anything else,
    which the full parser then reads (and explains)."""
    if not args:
        return DEFAULT_LIMIT
    if len(args) == 2 and args[0] == "--limit":
        text = args[1]
    elif len(args) == 1 and args[0].startswith("--limit="):
        text = args[0].removeprefix("--limit=")
    else:
        return None
    if not text.isascii() or not text.isdigit():
        return None
    limit = int(text)
    return limit if limit >= 1 else None


def quick(args: list[str]) -> int | None:
    """`gluteterm history ARGS` from the kept summary: its exit status, or None when the
    full command line must run."""
    limit = quick_limit(args)
    if limit is None:
        return None
    from gluteterm.store.history_summary import default_folders, kept_summary

    folders = default_folders()
    try:
        summary = kept_summary(folders, limit)
    except KeyboardInterrupt:
        return 130
    if summary is None:
        return None
    # The cyclic GC stays paused (cli/start.py): turned on, its first pass would scan
    # every object start-up made (some 5 ms), and this process ends in a moment.
    from gluteterm.cli.plain import plain_command

    def command() -> int:
        try:
            print_history(summary, limit, date.today(), folders.log_dir)
        except KeyboardInterrupt:
            return 130
        return 0

    return plain_command(command)
