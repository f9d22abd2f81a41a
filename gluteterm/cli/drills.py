"""`gluteterm drills [ID]` and the drill half of `gluteterm check`, as plain text.

Everything a user wrote is printed through `printable`, so a drill file cannot
drive the terminal. Problems go to stderr; the caller turns them into exit 2.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from gluteterm.core.drill import DRILL_KEYS, Dose, Drill, DrillError, ladder, parse_drill
from gluteterm.core.errors import GlutetermError, PlanError
from gluteterm.core.plan import fill_dose
from gluteterm.core.suggest import closest
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
        close = closest(drill_id, list(library))
        hint = f"did you mean '{close}'? " if close else ""
        raise GlutetermError(f"no drill called '{drill_id}'; {hint}('gluteterm drills' lists them)")
    try:
        drill = library[drill_id]
    except DrillError as exc:
        _print_problems(exc)
        return 2
    print(card(drill, library))
    return 0


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


def dose_text(dose: Dose, per_side: bool) -> str:
    """`10 reps per side, 2 s each, 2 sets, 30 s rest` style."""
    side = " per side" if per_side else ""
    parts = [f"{dose.hold} s{side}" if dose.hold is not None else f"{dose.reps} reps{side}"]
    if dose.tempo is not None:
        parts.append(f"{dose.tempo:g} s each")
    if dose.sets > 1:
        parts.append(f"{dose.sets} sets")
    if dose.rest:
        parts.append(f"{dose.rest} s rest")
    return ", ".join(parts)


def card(drill: Drill, library: DrillLibrary) -> str:
    """The drill's card as plain text: what, how, feel, faults and its ladder."""
    lines = [f"{drill.name}  ({drill.id})"]
    facts = [drill.kind.value, ", ".join(drill.equipment) or "no equipment"]
    if drill.per_side:
        facts.append("each side")
    lines.append(" · ".join(facts))
    if drill.muscles:
        lines.append(f"Muscles: {', '.join(drill.muscles)}")
    if drill.setup:
        lines.append(f"Set-up: {drill.setup}")
    lines.append(f"Dose: {dose_text(drill.default, drill.per_side)}")
    lines += ["", "How"]
    lines += [f"  {n}. {fill_dose(line, drill.default)}" for n, line in enumerate(drill.how, 1)]
    lines += ["", f"Feel: {drill.feel}"]
    if drill.unilateral_note:
        lines.append(f"Side: {drill.unilateral_note}")
    lines += ["", "If this happens"]
    for fault in drill.faults:
        flag = f"  [{fault.flag}]" if fault.flag else ""
        lines += [f"  - {fault.fault}{flag}", f"    fix: {fault.fix}"]
    lines += ["", _ladder_line(drill, library)]
    if library.is_user(drill.id):
        where = "shadows the shipped one" if library.shadows_shipped(drill.id) else "your own"
        lines.append(f"From {library.path(drill.id)} ({where})")
    return printable("\n".join(lines))


def _ladder_line(drill: Drill, library: DrillLibrary) -> str:
    try:
        rungs = ladder(drill.id, library)
    except PlanError as exc:
        return f"Ladder: broken ({'; '.join(str(p) for p in exc.errors)})"
    if len(rungs) == 1:
        return "Ladder: none (no easier or harder drill)"
    easier = f"{drill.easier} <- " if drill.easier else "(easiest) "
    harder = f" -> {drill.harder}" if drill.harder else " (hardest)"
    line = f"Ladder: {easier}{drill.id}{harder}"
    if len(rungs) > 3:
        line += f"\n  the whole ladder: {' > '.join(rungs)}"
    return line


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
        data = tomllib.loads(read_plan_text(path))
    except (PlanError, tomllib.TOMLDecodeError):
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
