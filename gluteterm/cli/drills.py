"""`gluteterm drills [ID]` and the drill half of `gluteterm check`, as plain text.

Everything a user wrote is printed through `printable`, so a drill file cannot
drive the terminal. Problems go to stderr; the caller turns them into exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gluteterm.core.display import timed_cycle
from gluteterm.core.drill import Drill, DrillError, no_such_drill
from gluteterm.core.drill_card import card_lines
from gluteterm.core.errors import GlutetermError, PlanError
from gluteterm.core.figure import Figure, render
from gluteterm.core.text import cut, one_line, printable
from gluteterm.store.api import Store

if TYPE_CHECKING:
    from gluteterm.store.api import DrillLibrary


def cmd_drills(drill_id: str | None, store: Store | None = None) -> int:
    """The table of every drill, or one drill's card; 2 for an unknown or broken drill."""
    store = store or Store.default()
    library = store.drills()
    if drill_id is None:
        return _table(library, store)
    if drill_id not in library:
        raise GlutetermError(no_such_drill(drill_id, library))
    try:
        drill = library[drill_id]
    except DrillError as exc:
        _print_problems(exc)
        return 2
    print(card(drill, library))
    if drill.figure is not None and _can_print_braille():
        print()
        held = drill.default.hold if timed_cycle(drill.kind) is None else None
        print("\n".join(figure_lines(drill.figure, held=held)))
    return 0


#: The size of each of the two figures `gluteterm drills ID` prints, in cells.
FIGURE_COLS, FIGURE_ROWS = 30, 10


def figure_lines(
    figure: Figure, cols: int = FIGURE_COLS, rows: int = FIGURE_ROWS, held: int | None = None
) -> list[str]:
    """The start and top poses side by side in braille, under their names; a drill
    that holds its top pose (`held` seconds) says so, since a still picture cannot."""
    start = render(figure, 0.0, None, cols, rows)
    top = render(figure, 0.5, None, cols, rows)
    gap = "    "
    head = "Start".ljust(cols) + gap + ("Top" if held is None else f"Held {held} s")
    return [head] + [(a + gap + b).rstrip() for a, b in zip(start, top, strict=True)]


def _can_print_braille() -> bool:
    """Whether stdout takes braille (not on an ASCII-only locale or pipe encoding)."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "\u28ff".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


#: The widest an id or a name may make a column of a table (longer ones are cut).
CELL_LIMIT = 40


def _table(library: DrillLibrary, store: Store) -> int:
    rows = [("ID", "NAME", "KIND", "EQUIPMENT")]
    broken: list[DrillError] = []
    for drill_id in library:
        mark = " *" if library.is_user(drill_id) else ""
        try:
            drill = library[drill_id]
        except DrillError as exc:
            rows.append((drill_id + mark, "(broken: see below)", "-", "-"))
            broken.append(exc)
            continue
        equipment = ", ".join(drill.equipment) or "none"
        rows.append((drill_id + mark, drill.name, drill.kind.value, equipment))
    print_table(rows)
    if any(library.is_user(i) for i in library):
        print(f"\n* your own drill, from {printable(str(store.folders.user_drills))}")
    for error in broken:
        print(file=sys.stderr)
        _print_problems(error)
    return 0


def cell(text: str) -> str:
    """A table cell: controls escaped (a newline cannot split the row) and cut to fit."""
    return cut(one_line(text), CELL_LIMIT)


def print_table(rows: Sequence[Sequence[str]]) -> None:
    """Rows of cells in columns, the last column left ragged."""
    shown = [[cell(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in shown) for i in range(len(shown[0]) - 1)]
    for row in shown:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())


def card(drill: Drill, library: DrillLibrary) -> str:
    """The drill's card as plain text, with where it comes from if it is the user's."""
    lines = card_lines(drill, library)
    if library.is_user(drill.id):
        where = "shadows the shipped one" if library.shadows_shipped(drill.id) else "your own"
        lines.append(f"From {library.path(drill.id)} ({where})")
    return printable("\n".join(lines))


def _print_problems(exc: PlanError) -> None:
    for problem in exc.problems:
        print(printable(str(problem)), file=sys.stderr)


def check_drill_file(path: Path, store: Store) -> bool:
    """Validate one drill file and its ladder links; print the outcome; False on errors."""
    library = store.drills()
    try:
        drill: Drill = store.drill_file(path)
    except DrillError as exc:
        _print_problems(exc)
        return False
    for key in ("easier", "harder"):
        link = getattr(drill, key)
        if link is not None and link not in library:
            print(
                printable(f"{path}: '{key}': warning: '{link}' is not in the drill library"),
                file=sys.stderr,
            )
    print(printable(f"{path}: ok: drill {drill.name}, {drill.kind.value}"))
    return True


def check_library(store: Store) -> bool:
    """Validate every drill in the library and every ladder link; False on errors."""
    library = store.drills()
    problems = library.problems()
    for problem in problems:
        print(printable(str(problem)), file=sys.stderr)
    where = f"{store.folders.shipped_drills} and {store.folders.user_drills}"
    verdict = "ok" if not problems else f"{len(problems)} problem(s)"
    print(printable(f"drills: {verdict}: {len(library)} drills checked ({where})"))
    return not problems
