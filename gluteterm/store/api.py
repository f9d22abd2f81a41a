"""`Store`: the one way the app reaches the disk (plans, the log, history, levels, settings).

Screens and the live session are handed a `Store` and call it; they never
open, write or delete a file themselves. Tests give it temporary folders.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gluteterm.core.errors import GlutetermError
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.plan import Plan
from gluteterm.core.progression import Levels, Suggestion, apply
from gluteterm.store import paths
from gluteterm.store.levels import load_levels, migrate, save_levels
from gluteterm.store.plans import Entry, discover, load_plan, resolve
from gluteterm.store.settings import Settings, load_settings, save_setting

if TYPE_CHECKING:
    from gluteterm.core.assessment import AssessmentResult
    from gluteterm.core.record import SessionRecord
    from gluteterm.store.assessments import Assessments
    from gluteterm.store.drills import DrillLibrary
    from gluteterm.store.history_index import History
    from gluteterm.store.log import SessionWriter


def plan_id_for(name: str) -> str:
    """A file-safe session id for a name a person typed: `My Warm-up!` -> `my-warm-up`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-") or "my-session"


#: How many of the newest sessions `Store.drill_history` reads.
DRILL_HISTORY_SESSIONS = 200


@dataclass(frozen=True)
class Store:
    """Every folder and file gluteterm uses, and what can be done with them."""

    shipped_sessions: Path
    user_sessions: Path
    log_dir: Path
    pending_dir: Path
    index_file: Path
    levels_file: Path
    settings_file: Path
    #: Levels accepted while levels.toml could not be written: they last for this run.
    levels_this_run: list[Suggestion] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def default(cls, **overrides: Path) -> Store:
        """The user's real folders (XDG_* honoured), with any folder overridden."""
        folders: dict[str, Path] = {
            "shipped_sessions": paths.shipped_sessions_dir(),
            "user_sessions": paths.user_sessions_dir(),
            "log_dir": paths.log_dir(),
            "pending_dir": paths.pending_dir(),
            "index_file": paths.history_index_file(),
            "levels_file": paths.levels_file(),
            "settings_file": paths.settings_file(),
        }
        folders.update(overrides)
        return cls(**folders)  # type: ignore[arg-type]

    # -- plans ---------------------------------------------------------------

    def sessions(self) -> list[Entry]:
        """Every session on offer, shipped first, then the user's own; broken ones included."""
        return discover(self.shipped_sessions, self.user_sessions)

    def plan(self, name: str | None) -> LoadedPlan:
        """A session by id (the user's first) or by path; raises GlutetermError."""
        return resolve(name, self.shipped_sessions, self.user_sessions)

    def shipped_file(self, plan_id: str) -> Path | None:
        path = self.shipped_sessions / f"{plan_id}.toml"
        return path if path.is_file() else None

    def user_file(self, plan_id: str) -> Path:
        return self.user_sessions / f"{plan_id}.toml"

    def has_user_file(self, plan_id: str) -> bool:
        """True when the user has a file for this session (their own, or a tweaked copy)."""
        return os.path.lexists(self.user_file(plan_id))

    def is_shipped(self, plan: Plan) -> bool:
        """True when `plan` was read from the shipped sessions (not a user's file)."""
        return plan.source is not None and _same_folder(plan.source, self.shipped_sessions)

    def is_taken(self, plan_id: str) -> bool:
        """True when a session with this id exists, shipped or the user's."""
        return self.shipped_file(plan_id) is not None or self.user_file(plan_id).exists()

    def free_id(self, plan_id: str) -> str:
        """`plan_id`, or `plan_id-2`, `-3`... whichever is not taken."""
        candidate, n = plan_id, 1
        while self.is_taken(candidate):
            n += 1
            candidate = f"{plan_id}-{n}"
        return candidate

    def save_plan(self, plan: Plan) -> Path:
        """Save `plan` where edits of it belong: its own file if the user's, else a user copy.

        A shipped plan is never written: its user copy (same id) shadows it.
        Raises OSError.
        """
        target = self._target(plan)
        _write_plan(target, plan)
        return target

    def save_plan_as(self, plan: Plan, plan_id: str, title: str) -> tuple[Path, Plan]:
        """Save a copy of `plan` as a new session; raises GlutetermError if the id is taken."""
        if self.is_taken(plan_id):
            raise GlutetermError(f"a session called '{plan_id}' exists already")
        target = self.user_file(plan_id)
        copy = replace(plan, id=plan_id, title=title, source=target)
        _write_plan(target, copy)
        return target, copy

    def remove_user_copy(self, plan_id: str) -> Path:
        """Delete the user's copy of a shipped session; raises OSError."""
        target = self.user_file(plan_id)
        target.unlink(missing_ok=True)
        return target

    def shipped_plan(self, plan_id: str) -> LoadedPlan:
        path = self.shipped_file(plan_id)
        if path is None:
            raise GlutetermError(f"no shipped session called '{plan_id}'")
        return load_plan(path, plan_id)

    def keep_holds(self, plan: Plan, holds: dict[int, int]) -> Path:
        """Keep new hold times for next time: `holds` maps a step's number in the
        session (its index in `plan.steps`) to the seconds to keep.

        The user's own file is updated in place, keeping its comments and
        layout; a shipped session gets a user copy. Raises GlutetermError or OSError.
        """
        if plan.source is None:
            raise GlutetermError(
                "this session has no file yet (a built session that was not saved); "
                "save it from the build dialog (b, then s) to keep times in it"
            )
        every = _every_index(plan)
        by_file_step = {every[i]: seconds for i, seconds in holds.items()}
        if self.is_shipped(plan):
            from gluteterm.core.edit import set_holds

            base = self.shipped_plan(plan.id).plan if self.is_shipped(plan) else plan
            kept = set_holds(base, by_file_step).plan
            target = self.user_file(plan.id)
            _write_plan(target, kept)
            return target
        _update_plan_file(plan.source, by_file_step)
        return plan.source

    def _target(self, plan: Plan) -> Path:
        if plan.source is not None and not self.is_shipped(plan):
            return plan.source
        return self.user_file(plan.id)

    # -- the log and history -----------------------------------------------------

    def writer(self) -> SessionWriter:
        """A writer for one new session's log file."""
        from gluteterm.store.log import SessionWriter

        return SessionWriter(self.log_dir, self.pending_dir)

    def flush_pending(self) -> tuple[int, list[str]]:
        """Move records that could not be saved before into the log."""
        from gluteterm.store.log import flush_pending

        return flush_pending(self.log_dir, self.pending_dir)

    def history(self) -> History:
        """Every readable session, newest first, and what could not be read."""
        from gluteterm.store.history_index import load_history

        return load_history(self.log_dir, self.index_file)

    def remembered_history(self) -> History | None:
        """The history as the last `history()` found it, without reading the disk (or None)."""
        from gluteterm.store.history_index import remembered_history

        return remembered_history(self.log_dir, self.index_file)

    def read_session(self, file_name: str) -> SessionRecord:
        """One log file by name; raises LogError naming it."""
        from gluteterm.store.log import read_record

        return read_record(self.log_dir / Path(file_name).name)

    # -- levels and settings -----------------------------------------------------

    def levels(self) -> tuple[Levels, str]:
        """Where the user is on every ladder, and a warning if the file is unusable.

        A version 1 file is migrated here, the first time it is read.
        """
        levels, problem, old = load_levels(self.levels_file)
        if old is not None:
            levels, problem = migrate(self.levels_file, old, self._ladder_of)
        return apply(levels, self.levels_this_run), problem

    def drill_levels(self) -> dict[str, str]:
        """Ladder id (its easiest drill) -> the drill the user is at."""
        return self.levels()[0].ladders

    def accept(self, accepted: Iterable[Suggestion]) -> str:
        """Save accepted level changes; "" when saved, else why not (the file is left
        alone and the change lasts for this run)."""
        accepted = list(accepted)
        levels, problem = self.levels()
        if not problem:
            problem = save_levels(self.levels_file, apply(levels, accepted))
        if problem:
            self.levels_this_run.extend(accepted)
            return f"{problem}; the new levels apply until you quit"
        return ""

    def _ladder_of(self, session: str, step_name: str) -> tuple[str, ...]:
        entry = next((e for e in self.sessions() if e.id == session), None)
        if entry is None or entry.plan is None:
            return ()
        step = next((s for s in entry.plan.steps if s.name == step_name), None)
        return step.ladder if step is not None else ()

    def recent_records(self, limit: int = 20) -> list[SessionRecord]:
        """The newest readable session records of any session, newest first."""
        from gluteterm.store.log import newest_records

        return newest_records(self.log_dir, limit)

    def settings(self) -> tuple[Settings, str]:
        return load_settings(self.settings_file)

    def save_setting(self, key: str, value: bool | list[str]) -> str:
        """Save one setting; "" when saved, else why not (the file is left alone)."""
        return save_setting(self.settings_file, key, value)

    def assessment_plan(self) -> LoadedPlan:
        """The self-assessment, as a plan the runner can run (from the drill library)."""
        from gluteterm.core.assessment import assessment_plan
        from gluteterm.store.drills import default_library

        return LoadedPlan(assessment_plan(default_library()))

    # -- self-assessments ----------------------------------------------------------

    def save_assessment(self, result: AssessmentResult) -> Path:
        """Write a new assessment log (`<time>_assessment.toml` in the log); raises OSError."""
        from gluteterm.store.assessments import save_assessment

        return save_assessment(self.log_dir, result)

    def assessments(self) -> Assessments:
        """Every readable assessment, newest first (`.results`), and what could not be read."""
        from gluteterm.store.assessments import load_assessments

        return load_assessments(self.log_dir)

    def last_assessment(self) -> AssessmentResult | None:
        """The newest readable assessment, or None."""
        results = self.assessments().results
        return results[0] if results else None

    # -- drills ----------------------------------------------------------------

    def drills(self) -> DrillLibrary:
        """The drill library (shipped and the user's own); files are read when looked up."""
        from gluteterm.store.drills import default_library

        return default_library()

    def drill_history(self, limit: int = DRILL_HISTORY_SESSIONS) -> dict[str, tuple[int, date]]:
        """Drill id -> (how many of the newest `limit` sessions did it, the day of the last).

        A drill counts when a step that names it was done, even in part; a skipped one does not.
        """
        found: dict[str, tuple[int, date]] = {}
        for record in self.recent_records(limit):  # newest first
            done = {s.drill for s in record.steps if s.drill and s.status != "skipped"}
            for drill_id in done:
                count, last = found.get(drill_id, (0, record.started.date()))
                found[drill_id] = (count + 1, last)
        return found

    # -- the session builder -------------------------------------------------------

    def build_plan(
        self, minutes: float, equipment: Iterable[str], focus: str, day: date
    ) -> LoadedPlan:
        """A warm-up built from the drill library (`core.builder.build`) at the user's
        levels, with an extra set for the weaker side of the last assessment.

        `equipment` holds the words a user types (`band`, `roller`). The plan is
        checked by the loader, as its saved file would be. Raises GlutetermError
        (a `FitError` says what the shortest possible is).
        """
        import tomli_w

        from gluteterm.core.assessment import weaker_side
        from gluteterm.core.builder import build, equipment_names
        from gluteterm.core.loader import parse_plan
        from gluteterm.core.plan_file import plan_document
        from gluteterm.store.drills import default_library

        library = default_library()
        last = self.last_assessment()
        weaker = weaker_side(last) if last is not None else None
        names = equipment_names(equipment)
        plan = build(library, minutes, names, focus, self.drill_levels(), day, weaker)
        text = tomli_w.dumps(plan_document(plan))
        return parse_plan(text, f"{plan.id}.toml", plan.id, drills=library)


def _same_folder(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().parent == folder.resolve()
    except OSError:
        return False


def _every_index(plan: Plan) -> list[int]:
    """For each step of the session, its index among every step in the file."""
    return [i for i, step in enumerate(plan.every_step) if not step.off]


def _write_plan(target: Path, plan: Plan) -> None:
    import tomli_w

    from gluteterm.core.plan_file import plan_document
    from gluteterm.store.atomic import write_atomic

    write_atomic(target, tomli_w.dumps(plan_document(plan)).encode("utf-8"))


def _update_plan_file(path: Path, holds: dict[int, int]) -> None:
    """Set `hold` on the given steps of the plan file at `path`, keeping everything else."""
    import tomlkit

    from gluteterm.store.atomic import write_atomic
    from gluteterm.store.plans import read_plan_text

    document: Any = tomlkit.parse(read_plan_text(path))
    steps = document.get("step")
    for index, seconds in holds.items():
        if not isinstance(steps, list) or index >= len(steps):
            raise GlutetermError(f"{path} changed since it was loaded; nothing was kept")
        steps[index]["hold"] = seconds
    write_atomic(path, tomlkit.dumps(document).encode("utf-8"))
