"""Writing a user's plan: claim a new id exclusively, update one only if it is as it was read.

Two gluteterm processes (or a person with an editor and gluteterm) can reach
the same file at once. So:

- **Claiming** an id (build `--save`, save-as, keeping times in a copy of a
  shipped session) creates the file with `create_atomic` (a hard link of a
  complete temporary file, or `O_EXCL`): of two claims at once exactly one
  wins; the other is told the id is taken. Nothing is ever replaced.
- **Updating** a file the user may have changed (the editor's save) checks
  its content against the `Stamp` taken when it was read; if it changed, the
  caller is told (`ChangedOnDisk`) and asks before overwriting.
- **Comments are kept**: an update edits the user's own document with
  tomlkit, so their comments, key order and blank lines stay; only values
  that changed are written, and steps are reordered as the plan says.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from gluteterm.core.errors import GlutetermError
from gluteterm.core.plan import Plan
from gluteterm.store.plans import Stamp, current_stamp


class ChangedOnDisk(GlutetermError):
    """The file changed since it was read: nothing was written."""

    def __init__(self, path: Path, created: bool = False) -> None:
        self.path = path
        what = "was created" if created else "changed on disk"
        super().__init__(f"{path} {what} since you opened it; nothing was written")


def plan_bytes(plan: Plan) -> bytes:
    """The plan as a new TOML file."""
    import tomli_w

    from gluteterm.core.plan_file import plan_document

    return tomli_w.dumps(plan_document(plan)).encode("utf-8")


def claim(target: Path, plan: Plan, data: bytes | None = None) -> bool:
    """Create `target` holding `plan` (or `data`) only if no file has that name; False if one has.

    Atomic and exclusive: of two claims at once, exactly one returns True.
    Raises OSError.
    """
    from gluteterm.store.atomic import create_atomic

    return create_atomic(target, plan_bytes(plan) if data is None else data)


def update(
    target: Path, plan: Plan, expected: Stamp | None, overwrite: bool = False
) -> Stamp | None:
    """Write `plan` over the user's file `target`, keeping their comments.

    Unless `overwrite`, the file must still be as `expected` says (its stamp
    when it was read), and a file that appeared where none was must not be
    replaced: either raises `ChangedOnDisk` and writes nothing. Returns the
    file's new stamp. Raises OSError.
    """
    import os

    from gluteterm.store.atomic import write_atomic

    if not os.path.lexists(target):
        if claim(target, plan) or overwrite:
            if overwrite:
                write_atomic(target, plan_bytes(plan))
            return current_stamp(target)
        raise ChangedOnDisk(target, created=True)
    now = current_stamp(target)
    if not overwrite and expected is not None and not expected.same_content(now):
        raise ChangedOnDisk(target)
    data = plan_bytes(plan)
    if now is not None:
        from gluteterm.store.plans import read_plan_text

        # A file that cannot be edited in place is written as the plan, anew.
        with contextlib.suppress(GlutetermError, ValueError):
            data = merged(read_plan_text(target), plan).encode("utf-8")
    write_atomic(target, data)
    return current_stamp(target)


def merged(text: str, plan: Plan) -> str:
    """`text` (a plan file) edited to hold `plan`, its comments and layout kept.

    Top-level values that changed are set (nothing the user wrote is removed);
    each step's table is matched to the plan's step by its drill or name, in
    order, set to the step's values (keys the step no longer needs go), and
    the tables are put in the plan's order. Raises ValueError when the file
    cannot be read as TOML.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import AoT, Table

    from gluteterm.core.plan_file import plan_document

    try:
        document: Any = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ValueError(str(exc)) from None
    wanted = plan_document(plan)
    for key, value in wanted.items():
        if key != "step" and document.get(key) != value:
            document[key] = value
    old = document.get("step")
    tables: list[Table] = list(old) if isinstance(old, AoT) else []
    used: set[int] = set()
    ordered: list[Table] = []
    for step in wanted["step"]:
        match = next(
            (i for i, t in enumerate(tables) if i not in used and _same_step(t, step)), None
        )
        if match is None:
            table = tomlkit.table()
        else:
            used.add(match)
            table = tables[match]
        for key in [k for k in table if k not in step]:
            del table[key]
        for key, value in step.items():
            if table.get(key) != value:
                table[key] = value
        ordered.append(table)
    if [id(t) for t in ordered] != [id(t) for t in tables]:  # moved, added or removed
        aot = tomlkit.aot()
        for table in ordered:
            aot.append(table)
        document["step"] = aot
    return str(tomlkit.dumps(document))


def _same_step(table: Any, step: dict[str, Any]) -> bool:
    if "drill" in step or "drill" in table:
        return bool(table.get("drill") == step.get("drill"))
    return bool(table.get("name") == step.get("name"))
