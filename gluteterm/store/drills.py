"""The drill library on disk: shipped drills and the user's own, read only when asked for.

`gluteterm/drills/<id>.toml` ship with the package; `<config>/drills/<id>.toml`
are the user's and shadow a shipped drill of the same id, as plans do. A
`DrillLibrary` lists ids from file names and parses a file the first time its
id is looked up, so starting a session costs only the drills it uses. A broken
file raises `DrillError` (naming file and key) when looked up; it never stops
anything else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path

from gluteterm.core import toml_guard
from gluteterm.core.drill import DRILL_KEYS, Drill, DrillError, ladder, parse_drill
from gluteterm.core.errors import PlanError, Problem
from gluteterm.store import paths
from gluteterm.store.files import UnreadableText, read_user_text, toml_files


class DrillLibrary(Mapping[str, Drill]):
    """Every drill by id; `library[id]` parses on first use and may raise `DrillError`."""

    def __init__(self, shipped_dir: Path | None, user_dir: Path | None) -> None:
        self.shipped_dir = shipped_dir
        self.user_dir = user_dir
        self._files: dict[str, Path] | None = None
        self._user_ids: frozenset[str] = frozenset()
        self._shipped_ids: frozenset[str] = frozenset()
        self._parsed: dict[str, Drill | DrillError] = {}
        #: How many files have been read and parsed (tests check the library is lazy).
        self.parses = 0

    def _listing(self) -> dict[str, Path]:
        if self._files is None:
            shipped = toml_files(self.shipped_dir)
            user = toml_files(self.user_dir)
            self._shipped_ids, self._user_ids = frozenset(shipped), frozenset(user)
            self._files = {**shipped, **user}
        return self._files

    def __getitem__(self, drill_id: str) -> Drill:
        found = self._parsed.get(drill_id)
        if found is None:
            path = self._listing()[drill_id]  # KeyError: no such drill
            self.parses += 1
            try:
                found = parse_drill(read_drill_text(path), str(path), drill_id)
            except DrillError as exc:
                found = exc
            self._parsed[drill_id] = found
        if isinstance(found, DrillError):
            raise found
        return found

    def __contains__(self, drill_id: object) -> bool:
        return drill_id in self._listing()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._listing()))

    def __len__(self) -> int:
        return len(self._listing())

    def path(self, drill_id: str) -> Path:
        """The file `drill_id` is read from (the user's when both exist)."""
        return self._listing()[drill_id]

    def is_user(self, drill_id: str) -> bool:
        self._listing()
        return drill_id in self._user_ids

    def shadows_shipped(self, drill_id: str) -> bool:
        self._listing()
        return drill_id in self._user_ids and drill_id in self._shipped_ids

    def problems(self) -> list[Problem]:
        """Every problem in the library: each file parsed, then every ladder link checked."""
        found: list[Problem] = []
        good = []
        for drill_id in self:
            try:
                self[drill_id]
            except DrillError as exc:
                found.extend(exc.problems)
            else:
                good.append(drill_id)
        # A ladder through a broken drill raises that drill's problems again: once is enough.
        seen: set[str] = {str(problem) for problem in found}
        for drill_id in good:
            try:
                ladder(drill_id, self)
            except PlanError as exc:
                for problem in map(self._located, exc.problems):
                    if str(problem) not in seen:
                        seen.add(str(problem))
                        found.append(problem)
        return found

    def _located(self, problem: Problem) -> Problem:
        """`problem` naming the drill's real file rather than `<id>.toml`."""
        drill_id = problem.file.removesuffix(".toml")
        if drill_id in self:
            return dataclasses.replace(problem, file=str(self.path(drill_id)))
        return problem


def default_library() -> DrillLibrary:
    """The shipped drills and the user's own, from their usual folders (`Store.drills()`
    uses the store's own)."""
    return DrillLibrary(paths.shipped_drills_dir(), paths.user_drills_dir())


#: Keys only a drill file has: one of these and no `title` or `[[step]]` makes a drill.
DRILL_ONLY_KEYS = tuple(k for k in DRILL_KEYS if k not in ("name", "kind", "per_side", "equipment"))


def is_drill_file(path: Path) -> bool:
    """A file with `[[step]]` (or a plan's `title`) is a plan; one with a drill's keys a drill.

    A file that cannot be read or parsed, or holds neither, counts as a plan:
    the plan loader says what is wrong with it.
    """
    try:
        data = toml_guard.loads(read_user_text(path, "plan", "no such file"))
    except (UnreadableText, toml_guard.TomlRefused):
        return False
    if "step" in data or "title" in data:
        return False
    return any(key in data for key in DRILL_ONLY_KEYS)


def read_drill_text(path: Path) -> str:
    """A drill file's text (regular, bounded, UTF-8); any failure is a `DrillError` naming it."""
    try:
        return read_user_text(path, "drill", "no such file")
    except UnreadableText as exc:
        raise DrillError([Problem(str(path), str(exc))]) from None
