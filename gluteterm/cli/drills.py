"""`gluteterm drills [ID]` and the drill half of `gluteterm check`, as plain text.

Everything a user wrote is printed through `printable`, so a drill file cannot
drive the terminal. Problems go to stderr; the caller turns them into exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gluteterm.core import toml_guard
from gluteterm.core.drill import DRILL_KEYS, Drill, DrillError, no_such_drill, parse_drill
from gluteterm.core.drill_card import card_lines
from gluteterm.core.errors import GlutetermError, PlanError
from gluteterm.core.figure import Figure, render
from gluteterm.core.text import printable
from gluteterm.store import paths
from gluteterm.store.drills import DrillLibrary, default_library, read_drill_text
from gluteterm.store.plans import read_plan_text


def cmd_drills(drill_id: str | None, library: DrillLibrary | None = None) -> int:
    """The table of every drill, or one drill's card; 2 for an unknown or broken drill."""
    library = library or default_library()
    if drill_id is None:
        return _table(library)
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
        print("\n".join(figure_lines(drill.figure)))
    return 0


#: The size of each of the two figures `gluteterm drills ID` prints, in cells.
FIGURE_COLS, FIGURE_ROWS = 30, 10


def figure_lines(figure: Figure, cols: int = FIGURE_COLS, rows: int = FIGURE_ROWS) -> list[str]:
    """The start and top poses side by side in braille, under their names."""
    start = render(figure, 0.0, None, cols, rows)
    top = render(figure, 0.5, None, cols, rows)
    gap = "    "
    head = "Start".ljust(cols) + gap + "Top"
    return [head] + [(a + gap + b).rstrip() for a, b in zip(start, top, strict=True)]


def _can_print_braille() -> bool:
    """Whether stdout takes braille (not on an ASCII-only locale or pipe encoding)."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "\u28ff".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _table(library: DrillLibrary) -> int:
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
    widths = [max(len(printable(r[i])) for r in rows) for i in range(3)]
    for row in rows:
        cells = [printable(c).ljust(w) for c, w in zip(row, widths, strict=False)]
        print("  ".join([*cells, printable(row[3])]).rstrip())
    if any(library.is_user(i) for i in library):
        print(f"\n* your own drill, from {printable(str(paths.user_drills_dir()))}")
    for error in broken:
        print(file=sys.stderr)
        _print_problems(error)
    return 0


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


#: Keys only a drill file has: one of these and no `title` or `[[step]]` makes a drill.
DRILL_ONLY_KEYS = tuple(k for k in DRILL_KEYS if k not in ("name", "kind", "per_side", "equipment"))


def is_drill_file(path: Path) -> bool:
    """A file with `[[step]]` (or a plan's `title`) is a plan; one with a drill's keys a drill.

    A file that cannot be read or parsed, or holds neither, counts as a plan:
    the plan loader says what is wrong with it.
    """
    try:
        data = toml_guard.loads(read_plan_text(path))
    except (PlanError, toml_guard.TomlRefused):
        return False
    if "step" in data or "title" in data:
        return False
    return any(key in data for key in DRILL_ONLY_KEYS)


def check_drill_file(path: Path, library: DrillLibrary | None = None) -> bool:
    """Validate one drill file and its ladder links; print the outcome; False on errors."""
    library = library or default_library()
    try:
        drill = parse_drill(read_drill_text(path), str(path), path.stem)
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


def check_library(library: DrillLibrary | None = None) -> bool:
    """Validate every drill in the library and every ladder link; False on errors."""
    library = library or default_library()
    problems = library.problems()
    for problem in problems:
        print(printable(str(problem)), file=sys.stderr)
    where = f"{paths.shipped_drills_dir()} and {paths.user_drills_dir()}"
    verdict = "ok" if not problems else f"{len(problems)} problem(s)"
    print(printable(f"drills: {verdict}: {len(library)} drills checked ({where})"))
    return not problems
