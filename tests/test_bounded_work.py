"""Work linear in what a file holds (issue 22, part 5): each reader, its input grown 10x.

Each test times a reader on an input and on one ten times larger (the best of
a few runs each) and checks the time grew at most about tenfold. The slack is
wide (25x) so a loaded machine does not fail it; a quadratic step grows 100x.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from gluteterm.core.assessment import AssessmentResult
from gluteterm.core.drill import parse_drill
from gluteterm.core.errors import GlutetermError, PlanError
from gluteterm.core.figure import FigureError, parse_figure
from gluteterm.core.loader import parse_plan
from gluteterm.core.suggest import closest, did_you_mean
from gluteterm.store.api import Folders, Store
from gluteterm.store.levels import load_levels
from gluteterm.store.settings import load_settings
from tests.support import REPO

#: How much slower the 10x input may be: linear is 10, quadratic 100.
MOST = 25
#: Times below this are noise, not a measure of growth.
FLOOR = 0.005
CLAMSHELL = (REPO / "gluteterm" / "drills" / "clamshell.toml").read_text(encoding="utf-8")


def _cpu(run: Callable[[], object]) -> float:
    started = time.process_time()
    run()
    return time.process_time() - started


def growth(make: Callable[[int], Callable[[], object]], small: int, repeats: int = 7) -> float:
    """How many times longer the work takes for `10 * small` than for `small`.

    Measured in this process's CPU time, the best of `repeats` runs of each, taken
    in turns: other programs on a busy machine slow the wall clock, not this."""
    little, big = make(small), make(10 * small)
    little()  # warm: imports and caches are not the reader's work
    big()
    small_times, big_times = [], []
    for _ in range(repeats):
        small_times.append(_cpu(little))
        big_times.append(_cpu(big))
    return min(big_times) / max(min(small_times), FLOOR)


def _refused(run: Callable[[], object], *errors: type[Exception]) -> Callable[[], object]:
    def go() -> object:
        try:
            return run()
        except errors as exc:
            return exc

    return go


def test_did_you_mean_is_bounded_whatever_the_word() -> None:
    def make(n: int) -> Callable[[], object]:
        word = "clamshel" + "l" * n
        return lambda: [did_you_mean(word, ["clamshell", "glute-bridge"]) for _ in range(200)]

    assert growth(make, 10_000) < MOST
    started = time.perf_counter()
    assert closest("x" * 100_000, ["x" * 100_000, "y"]) is None
    assert time.perf_counter() - started < 0.5


def test_did_you_mean_is_bounded_whatever_the_choices() -> None:
    def make(n: int) -> Callable[[], object]:
        known = [f"drill-{i}" for i in range(n)]
        return lambda: [closest("drill-1x", known) for _ in range(10)]

    assert growth(make, 1_000) < MOST
    assert closest("drill-1x", [f"drill-{i}" for i in range(100)]) == "drill-1"


def _store(tmp_path: Path, n: int) -> Store:
    root = tmp_path / str(n)
    return Store(Folders.under(root / "config", root / "data", root / "cache"))


def test_migrating_a_version_1_levels_file_is_linear(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], object]:
        store = _store(tmp_path, n)
        lines = ["version = 1", "[levels.quick]"]
        lines += [f'"Step {i}" = {i % 5}' for i in range(n)]
        text = "\n".join(lines) + "\n"

        def run() -> object:
            store.levels_file.parent.mkdir(parents=True, exist_ok=True)
            store.levels_file.write_text(text)
            for old in store.levels_file.parent.glob("levels.v1*"):
                old.unlink()
            return store.levels()

        return run

    assert growth(make, 300) < MOST


def test_reading_a_version_2_levels_file_is_linear(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], object]:
        path = tmp_path / f"levels-{n}.toml"
        ladders = {f"ladder-{i}": (f"drill-{i}" if i % 2 else i) for i in range(n)}
        path.write_text(tomli_w.dumps({"version": 2, "ladders": ladders}))
        return lambda: load_levels(path)

    assert growth(make, 300) < MOST


def _keys(n: int) -> str:
    return "".join(f"unknown-key-{i} = 1\n" for i in range(n))


def test_the_plan_loader_is_linear_in_unknown_keys() -> None:
    plan = 'title = "T"\n[[step]]\nname = "A"\nkind = "release"\nhold = 20\n'

    def make(n: int) -> Callable[[], object]:
        text = _keys(n) + plan
        return _refused(lambda: parse_plan(text, "big.toml", "big"), PlanError)

    assert growth(make, 1_000) < MOST


def test_the_drill_parser_is_linear_in_unknown_keys() -> None:
    def make(n: int) -> Callable[[], object]:
        text = _keys(n) + CLAMSHELL
        return _refused(lambda: parse_drill(text, "big.toml", "big"), PlanError)

    assert growth(make, 1_000) < MOST


def test_the_figure_reader_is_linear_in_a_value() -> None:
    def make(n: int) -> Callable[[], object]:
        table: dict[str, Any] = {"view": "sid" + "e" * n, "poses": {}}
        return _refused(lambda: [parse_figure(table, "f.toml") for _ in range(50)], FigureError)

    assert growth(make, 10_000) < MOST


def test_the_settings_reader_is_linear(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], object]:
        path = tmp_path / f"config-{n}.toml"
        path.write_text(tomli_w.dumps({"equipment": [f"bandd{i}" for i in range(n)]}))
        return lambda: load_settings(path)

    assert growth(make, 300) < MOST


def test_the_assessment_reader_is_linear() -> None:
    def make(n: int) -> Callable[[], object]:
        doc = {
            "version": 1,
            "kind": "assessment",
            "taken": "2026-05-01T09:00:00+00:00",
            "single_leg_bridge": {"left_reps": "x" * n},
        }
        return _refused(lambda: AssessmentResult.from_toml(doc, "a.toml"), GlutetermError)

    assert growth(make, 100_000) < MOST


def test_a_migration_reads_the_sessions_once_whatever_the_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each entry used to read (and check) every plan file again: 15 ms an entry, so a
    44 KB file of 3,000 entries kept `run quick` blank for 46 s."""
    store = _store(tmp_path, 3_000)
    lines = ["version = 1", "[levels.quick]"] + [f'"Step {i}" = {i % 5}' for i in range(3_000)]
    lines += ["[levels.glute-medius]", '"Side-lying abduction" = 1']
    store.levels_file.parent.mkdir(parents=True)
    store.levels_file.write_text("\n".join(lines) + "\n")
    assert store.levels_file.stat().st_size > 40_000
    reads = []
    sessions = Store.sessions

    def counted(self: Store) -> object:
        reads.append(1)
        return sessions(self)

    monkeypatch.setattr(Store, "sessions", counted)
    levels, problem = store.levels()
    assert problem == "" and len(reads) == 1
    assert len(levels.steps["quick"]) == 3_000
