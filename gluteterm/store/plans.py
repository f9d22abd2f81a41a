"""Plans on disk: reading plan files, and the sessions a user can run (shipped, their own, broken).

A user plan with the same id as a shipped one shadows it. A plan that fails
validation stays in the catalog as broken, with its message, so the home
screen can show it instead of crashing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gluteterm.core.drill import Drill
from gluteterm.core.errors import GlutetermError, PlanError, Problem
from gluteterm.core.loader import LoadedPlan, parse_plan
from gluteterm.core.plan import Plan
from gluteterm.core.suggest import did_you_mean
from gluteterm.core.text import cut
from gluteterm.core.timeline import plan_seconds
from gluteterm.store.drills import default_library
from gluteterm.store.files import UnreadableText, read_user_text, toml_files
from gluteterm.store.paths import DEFAULT_SESSION as DEFAULT_SESSION  # kept there


@dataclass(frozen=True)
class Stamp:
    """What a plan file was when it was read: an update checks it still is.

    It keeps the bytes read (a plan is small and bounded) and compares them whole,
    so no hash is worked out, or its module imported, on the way to a first frame.
    """

    size: int
    mtime_ns: int
    content: bytes = field(repr=False)

    def same_content(self, other: Stamp | None) -> bool:
        """True when `other` has this content (a touched file that was not changed is)."""
        return other is not None and (self.size, self.content) == (other.size, other.content)


def stamp_of(path: Path, data: bytes) -> Stamp | None:
    """The stamp of `path`, which was read as `data`; None if it cannot be looked at."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return Stamp(len(data), st.st_mtime_ns, data)


def current_stamp(path: Path) -> Stamp | None:
    """`path`'s stamp now (None if there is no such file or it cannot be read)."""
    from gluteterm.core.limits import MAX_FILE_BYTES
    from gluteterm.store.files import read_user_file

    try:
        return stamp_of(path, read_user_file(path, MAX_FILE_BYTES))
    except OSError:
        return None


@dataclass(frozen=True)
class Entry:
    """One session on offer: either a loaded plan or the error that stopped it."""

    id: str
    path: Path
    is_user_plan: bool
    shadows_shipped: bool = False
    loaded: LoadedPlan | None = None
    error: PlanError | None = None
    #: The file as it was read: saving an edit of it checks it has not changed since.
    stamp: Stamp | None = None

    @property
    def plan(self) -> Plan | None:
        return self.loaded.plan if self.loaded else None

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.loaded.warnings if self.loaded else ()

    @property
    def seconds(self) -> float:
        return plan_seconds(self.loaded.plan) if self.loaded else 0.0


def discover(
    shipped_dir: Path, user_dir: Path | None, drills: Mapping[str, Drill] | None = None
) -> list[Entry]:
    """Every session, shipped first in a stable order, then the user's own.

    `drills` is the library their steps use (the usual one when None).
    """
    drills = _library(drills)
    shipped = toml_files(shipped_dir)
    user = toml_files(user_dir)
    entries: list[Entry] = []
    order = [i for i in shipped] + [i for i in user if i not in shipped]
    if DEFAULT_SESSION in order:
        order.remove(DEFAULT_SESSION)
        order.insert(0, DEFAULT_SESSION)
    for plan_id in order:
        is_user = plan_id in user
        path = user[plan_id] if is_user else shipped[plan_id]
        shadows = is_user and plan_id in shipped
        entries.append(_load_entry(plan_id, path, is_user, shadows, drills))
    return entries


def _load_entry(
    plan_id: str, path: Path, user: bool, shadows: bool, drills: Mapping[str, Drill]
) -> Entry:
    try:
        text = read_plan_text(path)
        stamp = stamp_of(path, text.encode("utf-8"))
        loaded = parse_plan(text, str(path), plan_id, source=path, drills=drills)
    except PlanError as exc:
        return Entry(plan_id, path, user, shadows, error=exc)
    return Entry(plan_id, path, user, shadows, loaded=loaded, stamp=stamp)


def resolve(
    name: str | None,
    shipped_dir: Path,
    user_dir: Path | None,
    drills: Mapping[str, Drill] | None = None,
) -> LoadedPlan:
    """Find a session by id (user plans first) or by file path, and load it.

    Raises `GlutetermError` naming close ids when nothing matches.
    """
    name = name or DEFAULT_SESSION
    looks_like_path = name.endswith(".toml") or "/" in name or "\\" in name
    if looks_like_path:
        return load_plan(Path(name).expanduser(), drills=drills)
    for folder in (user_dir, shipped_dir):
        files = toml_files(folder)
        if name in files:
            return load_plan(files[name], name, drills)
    known = sorted(set(toml_files(shipped_dir)) | set(toml_files(user_dir)))
    hint = did_you_mean(name, known)
    raise GlutetermError(
        f"no session called '{cut(name)}'{hint} (sessions: {', '.join(known) or 'none'}; "
        "or give the path of a .toml plan file)"
    )


def read_plan_text(path: Path) -> str:
    """A plan file's text (regular, bounded, UTF-8); any failure is a `PlanError` naming it."""
    try:
        return read_user_text(
            path, "plan", "no such file; check the path, or run 'gluteterm list' for session names"
        )
    except UnreadableText as exc:
        raise PlanError([Problem(str(path), str(exc))]) from None


def load_plan(
    path: Path, plan_id: str | None = None, drills: Mapping[str, Drill] | None = None
) -> LoadedPlan:
    """Load and validate the plan at `path`; raise `PlanError` listing every error.

    Steps that name a drill are resolved against `drills` (the usual library when None).
    """
    text = read_plan_text(path)
    return parse_plan(text, str(path), plan_id or path.stem, source=path, drills=_library(drills))


def _library(drills: Mapping[str, Drill] | None) -> Mapping[str, Drill]:
    return default_library() if drills is None else drills
