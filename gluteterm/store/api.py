"""`Store`: the one way the app reaches the disk (plans, the log, history, levels, settings).

Screens and the live session are handed a `Store` and call it; they never
open, write or delete a file themselves. Tests give it temporary folders.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gluteterm.core.errors import GlutetermError
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.plan import Plan
from gluteterm.core.progression import Levels, Suggestion, apply
from gluteterm.store.levels import ignored_warning, load_levels, migrate, save_levels
from gluteterm.store.paths import Folders
from gluteterm.store.plans import DEFAULT_SESSION, Entry, Stamp, discover, load_plan, resolve
from gluteterm.store.settings import Settings, load_settings, save_setting

if TYPE_CHECKING:
    from gluteterm.core.assessment import AssessmentResult
    from gluteterm.core.drill import Drill
    from gluteterm.core.landing import Gate
    from gluteterm.core.record import SessionRecord
    from gluteterm.store.assessments import Assessments as Assessments
    from gluteterm.store.drills import DrillLibrary as DrillLibrary
    from gluteterm.store.history_index import History as History
    from gluteterm.store.log import SaveResult as SaveResult
    from gluteterm.store.log import SessionWriter

__all__ = ["DEFAULT_SESSION", "PLAN_ID_LENGTH", "Entry", "Folders", "Store", "plan_id_for"]

#: The longest session id `plan_id_for` makes (a file name with room to spare).
PLAN_ID_LENGTH = 60


def plan_id_for(name: str) -> str:
    """A file-safe session id for a name a person typed: `My Warm-up!` -> `my-warm-up`."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:PLAN_ID_LENGTH].strip("-") or "my-session"


def plan_id_problem(plan_id: str) -> str:
    """What is wrong with `plan_id` as a session id a person typed ("" when nothing)."""
    from gluteterm.core.text import cut

    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", plan_id) is None:
        return (
            f"'{cut(plan_id)}' cannot be a session id: use lower-case letters, digits and "
            f"hyphens (like {plan_id_for(plan_id)})"
        )
    if len(plan_id) > PLAN_ID_LENGTH:
        return (
            f"'{cut(plan_id)}' cannot be a session id: it is {len(plan_id)} characters long, "
            f"and an id has at most {PLAN_ID_LENGTH}"
        )
    return ""


#: How many of the newest sessions `Store.drill_history` reads.
DRILL_HISTORY_SESSIONS = 200
#: How many of the newest sessions `Store.stopped_today` reads: far more than a day holds.
STOPPED_TODAY_SESSIONS = 50


@dataclass(frozen=True)
class Store:
    """Every folder and file gluteterm uses, and what can be done with them.

    Its folders are handed to it (`Store(Folders.under(config, data, cache))`);
    nothing it does looks up a folder of its own.
    """

    folders: Folders
    #: Levels accepted while levels.toml could not be written: they last for this run.
    levels_this_run: list[Suggestion] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def default(cls, **overrides: Path) -> Store:
        """The user's real folders (XDG_* honoured), with any folder overridden."""
        return cls(replace(Folders.default(), **overrides))

    @classmethod
    def under(cls, config: Path, data: Path, cache: Path, **overrides: Path) -> Store:
        """The usual layout under these three roots, with any folder overridden."""
        return cls(replace(Folders.under(config, data, cache), **overrides))

    @property
    def shipped_sessions(self) -> Path:
        return self.folders.shipped_sessions

    @property
    def user_sessions(self) -> Path:
        return self.folders.user_sessions

    @property
    def log_dir(self) -> Path:
        return self.folders.log_dir

    @property
    def pending_dir(self) -> Path:
        return self.folders.pending_dir

    @property
    def index_file(self) -> Path:
        return self.folders.index_file

    @property
    def levels_file(self) -> Path:
        return self.folders.levels_file

    @property
    def settings_file(self) -> Path:
        return self.folders.settings_file

    # -- plans ---------------------------------------------------------------

    def sessions(self) -> list[Entry]:
        """Every session on offer, shipped first, then the user's own; broken ones included."""
        return discover(self.shipped_sessions, self.user_sessions, self.drills())

    def plan(self, name: str | None) -> LoadedPlan:
        """A session by id (the user's first) or by path; raises GlutetermError."""
        return resolve(name, self.shipped_sessions, self.user_sessions, self.drills())

    def plan_file(self, path: Path) -> LoadedPlan:
        """The plan file at `path` (anywhere), checked; raises PlanError listing every error."""
        return load_plan(path, drills=self.drills())

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

    def save_plan(self, plan: Plan, expected: Stamp | None = None, overwrite: bool = False) -> Path:
        """Save `plan` where edits of it belong: its own file if the user's, else a user copy.

        A shipped plan is never written: its user copy (same id) shadows it. The
        user's file keeps its comments. Unless `overwrite`, a file that changed
        since it was read as `expected` (or a copy that appeared meanwhile) is
        not touched: raises `ChangedOnDisk`. Raises OSError.
        """
        from gluteterm.store.plan_write import update

        target = self._target(plan)
        update(target, plan, expected, overwrite)
        return target

    def plan_stamp(self, path: Path) -> Stamp | None:
        """What the plan file at `path` is now, to check later that it has not changed."""
        from gluteterm.store.plans import current_stamp

        return current_stamp(path)

    def claim_plan(self, plan: Plan, plan_id: str, title: str | None = None) -> tuple[Path, Plan]:
        """Save `plan` as a new session `plan_id`, only if no session has that id.

        Atomic and exclusive: of two claims of one id at once, exactly one is
        saved; the other raises `GlutetermError` saying the id is taken.
        Raises OSError when it cannot be written.
        """
        from gluteterm.store.plan_write import claim

        target = self.user_file(plan_id)
        copy = replace(plan, id=plan_id, title=title or plan.title, source=target)
        if self.shipped_file(plan_id) is not None or not claim(target, copy):
            raise GlutetermError(f"a session called '{plan_id}' exists already")
        return target, copy

    def replace_plan(self, plan: Plan, plan_id: str) -> Path:
        """Save `plan` as session `plan_id`, replacing the user's file of that id (asked for)."""
        from gluteterm.store.atomic import write_atomic
        from gluteterm.store.plan_write import plan_bytes

        target = self.user_file(plan_id)
        write_atomic(target, plan_bytes(replace(plan, id=plan_id, source=target)))
        return target

    def save_plan_as(self, plan: Plan, plan_id: str, title: str) -> tuple[Path, Plan]:
        """Save a copy of `plan` as a new session; raises GlutetermError if the id is taken."""
        return self.claim_plan(plan, plan_id, title)

    def remove_user_copy(self, plan_id: str) -> Path:
        """Delete the user's copy of a shipped session; raises OSError."""
        target = self.user_file(plan_id)
        target.unlink(missing_ok=True)
        return target

    def shipped_plan(self, plan_id: str) -> LoadedPlan:
        path = self.shipped_file(plan_id)
        if path is None:
            raise GlutetermError(f"no shipped session called '{plan_id}'")
        return load_plan(path, plan_id, self.drills())

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
            from gluteterm.store.plan_write import claim

            kept = set_holds(self.shipped_plan(plan.id).plan, by_file_step).plan
            target = self.user_file(plan.id)
            if not claim(target, kept):
                raise GlutetermError(
                    f"{target} was made since this session started (by another gluteterm?); "
                    "nothing was kept: it is not replaced"
                )
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
        """Move records that could not be saved before into the log (sessions and
        assessments), and level changes into levels.toml."""
        from gluteterm.store.log import flush_pending

        moved, problems = flush_pending(self.log_dir, self.pending_dir)
        levels, more = self.flush_pending_levels()
        return moved + levels, problems + more

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

    def write_export(self, path: Path, data: bytes) -> None:
        """Write an export where the user asked (a file, a FIFO, /dev/stdout); raises OSError."""
        from gluteterm.store.atomic import write_through

        write_through(path, data)

    # -- levels and settings -----------------------------------------------------

    def levels(self, *, gate: bool = True) -> tuple[Levels, str]:
        """Where the user is on every ladder, and a warning if the file is unusable.

        `gate=False` leaves out the landing gate (which reads the last self-test and
        the newest sessions): every landing is allowed until `landing_gate()` says.

        A version 1 file is migrated here, the first time it is read. Levels
        accepted while levels.toml could not be written (kept in the pending
        folder, or for this run) count too.
        """
        from gluteterm.store.levels import overlay, pending_levels

        levels, problem, old = load_levels(self.levels_file)
        if old is not None:
            levels, problem = migrate(self.levels_file, old, self._ladder_finder())
        problem = problem or ignored_warning(self.levels_file, levels.ignored)
        _, waiting, _ = pending_levels(self.pending_dir)
        here = apply(overlay(levels, waiting), self.levels_this_run)
        if gate:
            here = replace(here, landing=self.landing_gate())
        return replace(here, ignored=levels.ignored), problem

    def landing_gate(self) -> Gate:
        """The hardest jump landing allowed today (core/landing.py): from the last
        single-leg squat test and the newest session that did a jump."""
        import re

        from gluteterm.core.landing import landing_gate

        # One listing first: with no self-test (or no session) in the log, their readers
        # are not even imported, which keeps them off a first frame's path.
        try:
            names = [n for n in os.listdir(self.log_dir) if n.endswith(".toml")]
        except OSError:
            names = []
        test_file = re.compile(r".*_assessment(-\d+)?\.toml")
        tests = any(test_file.fullmatch(n) for n in names)
        sessions = any(not test_file.fullmatch(n) for n in names)
        last = self.last_assessment() if tests else None
        knee = None if last is None else (last.knee_inside.left, last.knee_inside.right)
        return landing_gate(knee, self.recent_records(10) if sessions else [], self.drills())

    def drill_levels(self) -> dict[str, str]:
        """Ladder id (its easiest drill) -> the drill the user is at."""
        return self.levels()[0].ladders

    def accept(self, accepted: Iterable[Suggestion]) -> str:
        """Save accepted level changes; "" when saved, else what was done instead.

        When levels.toml cannot be written (or must not be: it is broken, or
        from a newer gluteterm) the changes wait in the pending folder, count
        from then on, and go into levels.toml once it can be written; if even
        that fails, they last for this run. The message says which, and where.
        """
        from gluteterm.store.levels import pending_levels, save_pending_levels

        accepted = list(accepted)
        levels, problem = self.levels()
        if not problem or levels.ignored:  # values left out are a warning: save the rest
            waiting, _, _ = pending_levels(self.pending_dir)
            problem = save_levels(self.levels_file, apply(levels, accepted))
            if not problem:
                self._forget(waiting)
                return ""
        kept = save_pending_levels(self.pending_dir, apply(Levels(), accepted))
        if kept is not None:
            return (
                f"{problem}; the new levels are kept in {kept} and go into "
                f"{self.levels_file} as soon as it can be written"
            )
        self.levels_this_run.extend(accepted)
        return f"{problem}; and nowhere else could be written: the new levels apply until you quit"

    def flush_pending_levels(self) -> tuple[int, list[str]]:
        """Put level changes that could not be saved before into levels.toml, if it can be
        written now; (how many files went in, what is wrong)."""
        from gluteterm.store.levels import pending_levels

        waiting, _, problems = pending_levels(self.pending_dir)
        if not waiting:
            return 0, problems
        levels, problem = self.levels()  # with the waiting changes put over the file's
        if not problem or levels.ignored:  # values left out are a warning: save the rest
            problem = save_levels(self.levels_file, levels)
        if problem:
            return 0, [
                *problems,
                f"levels {problem}; accepted levels still wait in {waiting[0].parent}",
            ]
        self._forget(waiting)
        return len(waiting), problems

    @staticmethod
    def _forget(files: list[Path]) -> None:
        for path in files:
            with contextlib.suppress(OSError):
                path.unlink()

    def _ladder_finder(self) -> Callable[[str, str], tuple[str, ...]]:
        """`ladder_of(session, step name)` for a migration: the sessions are read once,
        on the first call, whatever the number of entries asked about."""
        found: dict[str, dict[str, tuple[str, ...]]] | None = None

        def ladder_of(session: str, step_name: str) -> tuple[str, ...]:
            nonlocal found
            if found is None:
                found = {}
                for entry in self.sessions():
                    if entry.plan is not None:
                        steps = found.setdefault(entry.id, {})
                        for step in entry.plan.steps:
                            steps.setdefault(step.name, step.ladder)  # the first of a name
            return found.get(session, {}).get(step_name, ())

        return ladder_of

    def recent_records(self, limit: int = 20) -> list[SessionRecord]:
        """The newest readable session records of any session, newest first."""
        from gluteterm.store.log import newest_records

        return newest_records(self.log_dir, limit)

    def stopped_today(self, day: date) -> frozenset[str]:
        """Drills (or steps with no drill, by name) pain stopped on `day`, from its logs.

        Pain stops a drill for the rest of the day everywhere: runs, the builder, home.
        """
        # A log's name starts with the local date it started on: only that day's are
        # read, and with none the log's reader is not even loaded (a run's first frame).
        try:
            names = sorted(self.log_dir.glob(f"{day.isoformat()}T*.toml"), reverse=True)
        except OSError:
            return frozenset()
        if not names:
            return frozenset()
        from gluteterm.core.pain import stopped_today
        from gluteterm.core.record import LogError
        from gluteterm.store.log import ASSESSMENT_FILE, read_record

        records = []
        tested: set[str] = set()  # drills of self-tests pain stopped (assessment logs)
        for path in names[:STOPPED_TODAY_SESSIONS]:
            if ASSESSMENT_FILE.fullmatch(path.name):
                tested.update(self._assessment_pain(path, day))
                continue
            try:
                records.append(read_record(path))
            except LogError:  # unreadable: named elsewhere, never changed
                continue
        return stopped_today(records, day) | tested

    @staticmethod
    def _assessment_pain(path: Path, day: date) -> tuple[str, ...]:
        """The drills pain stopped in the self-assessment logged in `path` on `day`."""
        from gluteterm.core.assessment import AssessmentError
        from gluteterm.store.assessments import read_assessment

        try:
            result = read_assessment(path)
        except AssessmentError:  # unreadable: `gluteterm assessments` names it
            return ()
        return result.pain if result.taken.date() == day else ()

    def settings(self) -> tuple[Settings, str]:
        return load_settings(self.settings_file)

    def save_setting(self, key: str, value: bool | list[str]) -> str:
        """Save one setting; "" when saved, else why not (the file is left alone)."""
        return save_setting(self.settings_file, key, value)

    def assessment_plan(self) -> LoadedPlan:
        """The self-assessment, as a plan the runner can run (from the drill library)."""
        from gluteterm.core.assessment import assessment_plan, next_first_side

        first = next_first_side(self.last_assessment())  # the side plank alternates
        return LoadedPlan(assessment_plan(self.drills(), first_side=first))

    # -- self-assessments ----------------------------------------------------------

    def save_assessment(self, result: AssessmentResult) -> SaveResult:
        """Write a new assessment log (`<time>_assessment.toml` in the log), or, if the log
        cannot be written, a pending one that moves into the log at the next start.

        Never raises: the result says where it went (`.path`; None when nowhere
        could be written), whether that is pending, and why (`.problem`).
        """
        from gluteterm.store.assessments import save_assessment

        return save_assessment(self.log_dir, self.pending_dir, result)

    def assessments(self) -> Assessments:
        """Every readable assessment, newest first (`.results`), and what could not be read."""
        from gluteterm.store.assessments import load_assessments

        return load_assessments(self.log_dir)

    def last_assessment(self) -> AssessmentResult | None:
        """The newest readable finished assessment, or None (a partial one decides nothing)."""
        return self.assessments().last

    # -- drills ----------------------------------------------------------------

    def drills(self) -> DrillLibrary:
        """The drill library (shipped and the user's own); files are read when looked up."""
        from gluteterm.store.drills import DrillLibrary

        return DrillLibrary(self.folders.shipped_drills, self.folders.user_drills)

    def drill_file(self, path: Path) -> Drill:
        """The drill file at `path` (anywhere), checked; raises DrillError naming it."""
        from gluteterm.core.drill import parse_drill
        from gluteterm.store.drills import read_drill_text

        return parse_drill(read_drill_text(path), str(path), path.stem)

    def is_drill_file(self, path: Path) -> bool:
        """True when the file at `path` holds a drill rather than a plan (see store.drills)."""
        from gluteterm.store.drills import is_drill_file

        return is_drill_file(path)

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

        library = self.drills()
        last = self.last_assessment()
        weaker = weaker_side(last) if last is not None else None
        names = equipment_names(equipment)
        stopped = self.stopped_today(day)
        levels = self.levels()[0]
        plan = build(
            library, minutes, names, focus, levels.ladders, day, weaker, levels.landing,
            stopped=stopped,
        )  # fmt: skip
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
