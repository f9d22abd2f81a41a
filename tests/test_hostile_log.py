"""Hostile logs, caches and names: numbers that are not numbers, tampered index
entries, planted code in the current folder, shared temp folders, names that
collide, and a pending record flushed while its session is still running."""

from __future__ import annotations

import json
import math
import os
import stat
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gluteterm.cli.main import main
from gluteterm.core.record import LogError, SessionRecord
from gluteterm.store import history_index, paths
from gluteterm.store.history_index import load_history
from gluteterm.store.log import (
    SessionWriter,
    file_name,
    flush_pending,
    read_record,
    recent_records,
)
from gluteterm.store.pending import fallback_pending_dir
from tests.test_log import T0, record

CET = timezone(timedelta(hours=1))


def log_doc(**changes: Any) -> dict[str, Any]:
    doc = record().to_toml()
    doc.update(changes)
    return doc


def write_doc(folder: Path, name: str, doc: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(tomli_w.dumps(doc))
    return path


# -- numbers that are not numbers (class 5) -------------------------------


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -1.0, 1e12])
@pytest.mark.parametrize("key", ["active_seconds", "paused_seconds"])
def test_a_log_with_a_number_that_is_not_one_is_skipped_and_named(
    tmp_path: Path, key: str, value: float
) -> None:
    path = write_doc(tmp_path, "2026-01-01T00-00-00_x.toml", log_doc(**{key: value}))
    with pytest.raises(LogError, match=rf"_x\.toml: '{key}': expected a number of seconds"):
        read_record(path)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_nan_in_a_step_is_skipped_by_history_and_export(
    value: float, capsys: pytest.CaptureFixture[str]
) -> None:
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(record())
    doc = log_doc(started=T0 + timedelta(days=1), ended=T0 + timedelta(days=1, minutes=7))
    doc["step"][0]["actual_seconds"] = value
    write_doc(paths.log_dir(), "2026-11-25T18-03-12_bad.toml", doc)
    assert main(["history"]) == 0
    out, err = capsys.readouterr()
    assert "1 session " in out and "bad.toml" in err and "actual_seconds" in err
    assert main(["export", "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    assert "NaN" not in out and "Infinity" not in out and len(json.loads(out)) == 1


@pytest.mark.parametrize(
    "started",
    [datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), datetime(2026, 1, 1)],
)
def test_odd_dates_are_refused(tmp_path: Path, started: datetime) -> None:
    path = write_doc(tmp_path, "2026-01-01T00-00-00_x.toml", log_doc(started=started))
    with pytest.raises(LogError, match="'started': expected a date and time"):
        read_record(path)


def test_wrong_types_in_a_step_are_refused_not_guessed(tmp_path: Path) -> None:
    for key, value in [("felt", "7"), ("felt", 99), ("number", True), ("flags", [1]), ("level", 3)]:
        doc = log_doc()
        doc["step"][1][key] = value
        path = write_doc(tmp_path, "2026-01-01T00-00-00_x.toml", doc)
        with pytest.raises(LogError, match=f"'{key}'"):
            read_record(path)


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.text(max_size=10),
    st.datetimes(timezones=st.none() | st.timezones()),
    st.lists(st.integers(), max_size=3),
)
_top_keys = st.sampled_from(
    ["started", "ended", "status", "active_seconds", "paused_seconds", "planned_steps", "title"]
)
_step_keys = st.sampled_from(
    ["number", "name", "status", "planned_seconds", "actual_seconds", "felt", "level", "flags"]
)


def _checked(rec: SessionRecord) -> None:
    """What every reader relies on, once a record was accepted."""
    for seconds in (rec.active_seconds, rec.paused_seconds):
        assert math.isfinite(seconds) and seconds >= 0
    for moment in (rec.started, rec.ended):
        assert moment.utcoffset() is not None
        moment.astimezone(UTC).date()  # no overflow
    for step in rec.steps:
        assert math.isfinite(step.planned_seconds) and math.isfinite(step.actual_seconds)
        assert step.felt is None or 0 <= step.felt <= 9
        assert isinstance(step.name, str) and all(isinstance(f, str) for f in step.flags)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    top=st.dictionaries(_top_keys, _values, max_size=3),
    step=st.dictionaries(_step_keys, _values, max_size=3),
)
def test_any_log_is_a_sane_record_or_a_named_log_error(
    tmp_path: Path, top: dict[str, Any], step: dict[str, Any]
) -> None:
    doc = log_doc()
    doc.update({k: v for k, v in top.items() if v is not None})
    doc["step"][0].update({k: v for k, v in step.items() if v is not None})
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return
    path = tmp_path / "2026-01-01T00-00-00_fuzz.toml"
    path.write_text(text)
    try:
        rec = read_record(path)
    except LogError as exc:
        message = str(exc)
    else:
        _checked(rec)
        return
    assert str(path) in message


# -- caches are not trusted (class 8) -------------------------------------


def _tamper(index: Path, change: dict[str, Any]) -> None:
    raw = json.loads(index.read_text())
    for row in raw["files"]:
        for key, value in change.items():
            row[history_index.ROW_FIELDS.index(key)] = value
    index.write_text(json.dumps(raw))


def _index_titles(index: Path) -> list[str]:
    return [row[history_index.ROW_FIELDS.index("title")] for row in _index_rows(index)]


def _index_rows(index: Path) -> list[list[Any]]:
    rows = json.loads(index.read_text())["files"]
    assert isinstance(rows, list)
    return rows


@pytest.mark.parametrize(
    "change",
    [
        {"active_seconds": "lots"},
        {"active_seconds": None},
        {"done_steps": 2.5},
        {"started": "2026-11-24T18:03:12"},  # no offset
        {"started": "0001-01-01T00:00:00+01:00"},
        {"status": ["completed"]},
        {"levels": [[1, 2, 3]]},
        {"file": "../elsewhere.toml"},
        {"title": 7},
    ],
)
def test_a_tampered_index_entry_is_rebuilt_from_its_file(
    change: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(record())
    index = paths.history_index_file()
    assert len(load_history(paths.log_dir(), index).sessions) == 1
    history_index._memory.clear()
    _tamper(index, change)
    history = load_history(paths.log_dir(), index)
    [summary] = history.sessions
    assert summary.title == "Quick" and summary.active_seconds == 420
    assert main(["history"]) == 0 and "Quick" in capsys.readouterr().out
    history_index._memory.clear()
    assert _index_titles(index) == ["Quick"]  # written back whole


def test_nan_in_the_index_json_is_not_trusted() -> None:
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(record())
    index = paths.history_index_file()
    load_history(paths.log_dir(), index)
    history_index._memory.clear()
    assert ",420.0," in index.read_text()
    index.write_text(index.read_text().replace(",420.0,", ",NaN,"))
    [summary] = load_history(paths.log_dir(), index).sessions
    assert summary.active_seconds == 420


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda x: st.lists(x, max_size=3) | st.dictionaries(st.text(max_size=5), x, max_size=2),
    max_leaves=5,
)


@settings(max_examples=300, deadline=None)
@given(
    changes=st.dictionaries(st.sampled_from(history_index.ROW_FIELDS), _ANY_JSON),
    problem=st.booleans(),
    cut=st.integers(0, 14),
)
def test_any_index_row_decodes_to_a_sane_entry_or_is_refused(
    changes: dict[str, Any], problem: bool, cut: int
) -> None:
    row: list[Any] = [
        "f.toml", 420, 1_700_000_000_000_000_000, 12, "q", "Q", "2026-11-24T18:03:12+01:00",
        "2026-11-24T18:10:12+01:00", "completed", 1, 2, 60.0, [["Bridge", "glute-bridge"]],
    ]  # fmt: skip
    for key, value in changes.items():
        row[history_index.ROW_FIELDS.index(key)] = value
    if problem:
        row = [*row[:4], row[5]]
    elif cut < 13:
        row = row[:cut]
    try:
        decoded: tuple[Any, Any, Any] = history_index._decode(row)
    except ValueError:
        return
    name, key, value = decoded
    assert name == row[0] and isinstance(name, str)
    assert all(type(k) is int for k in key)
    if len(row) == 5:  # a file that could not be read, and why
        assert isinstance(value, str)
        return
    assert len(row) == 13 and not isinstance(value, str)
    assert math.isfinite(value.active_seconds) and value.started.utcoffset() is not None
    assert value.ended.utcoffset() is not None and value.started.astimezone(UTC).year
    assert type(value.done_steps) is int and 0 <= value.done_steps <= 1000
    assert isinstance(value.title, str) and value.file == name
    assert all(type(a) is str and type(b) is str for a, b in value.levels)


def test_an_index_row_a_log_could_not_have_made_is_refused() -> None:
    good: list[Any] = [
        "f.toml", 420, 1, 12, "q", "Q", "2026-11-24T18:03:12+01:00",
        "2026-11-24T18:10:12+01:00", "completed", 1, 2, 60.0, [],
    ]  # fmt: skip
    assert history_index._decode(good)[0] == "f.toml"
    for place, value in [
        (0, 7), (1, True), (2, 1.5), (4, None), (6, "2026-11-24T18:03:12"), (7, "9999-12-31T00:00:00+01:00"),
        (8, "done"), (9, -1), (10, 1001), (11, math.nan), (11, -1.0), (12, [["a"]]), (12, "x"),
    ]:  # fmt: skip
        row = list(good)
        row[place] = value
        with pytest.raises(ValueError, match=r"."):
            history_index._decode(row)
    with pytest.raises(ValueError, match=r"."):
        history_index._decode(good[:12])
    with pytest.raises(ValueError, match=r"."):
        history_index._decode({"file": "f.toml"})


# -- no code from the current folder, no shared temp folders (class 11) ----


def test_history_helpers_never_import_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "planted-ran"
    planted = tmp_path / "cwd" / "gluteterm"
    (planted / "store").mkdir(parents=True)
    (planted / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    (planted / "store" / "__init__.py").write_text("")
    (planted / "store" / "history_index.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setattr(history_index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    for day in range(6):
        SessionWriter(paths.log_dir(), paths.pending_dir()).save(record(T0 + timedelta(days=day)))
    command = history_index.worker_command()
    assert "-I" in command and "-m" not in command
    done = subprocess.run(
        command,
        input=json.dumps({"folder": str(paths.log_dir()), "files": []}).encode(),
        capture_output=True,
        check=True,
    )
    assert json.loads(done.stdout) == []
    history = load_history(paths.log_dir(), paths.history_index_file())
    assert len(history.sessions) == 6 and not history.problems
    assert not marker.exists()


def test_the_pending_fallback_is_private_and_never_the_shared_temp_folder() -> None:
    paths.data_dir().mkdir(parents=True)
    paths.log_dir().write_text("not a folder")
    paths.pending_dir().write_text("not a folder either")
    result = SessionWriter(paths.log_dir(), paths.pending_dir()).save(record())
    assert result.pending and result.path is not None
    folder = result.path.parent
    assert folder != Path(tempfile.gettempdir()) / "gluteterm-pending"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert folder == fallback_pending_dir()


def test_a_fallback_folder_others_can_write_or_a_link_is_not_used(tmp_path: Path) -> None:
    folder = Path(os.environ["XDG_RUNTIME_DIR"]) / "gluteterm-pending"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    write_doc(folder, file_name(T0, "planted"), record(session="planted").to_toml())
    assert fallback_pending_dir() is None
    assert flush_pending(paths.log_dir(), paths.pending_dir()) == (0, [])
    folder.rename(tmp_path / "moved")
    (tmp_path / "moved").chmod(0o700)
    folder.symlink_to(tmp_path / "moved")
    assert fallback_pending_dir() is None
    assert flush_pending(paths.log_dir(), paths.pending_dir()) == (0, [])
    assert not paths.log_dir().exists() or not list(paths.log_dir().iterdir())


def test_the_old_shared_folder_is_never_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shared = tmp_path / "tmp"
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    write_doc(
        shared / "gluteterm-pending", file_name(T0, "planted"), record(session="planted").to_toml()
    )
    assert flush_pending(paths.log_dir(), paths.pending_dir()) == (0, [])


# -- names that collide (class 12) ----------------------------------------


def test_a_plan_id_ending_in_a_number_finds_its_own_records() -> None:
    writer = SessionWriter(paths.log_dir(), paths.pending_dir())
    writer.save(record(session="week-2"))
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(record(session="week"))
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(record(session="week"))  # week-2.toml
    found = recent_records(paths.log_dir(), "week-2")
    assert [r.session for r in found] == ["week-2"]
    assert [r.session for r in recent_records(paths.log_dir(), "week")] == ["week", "week"]


@pytest.mark.parametrize("length", [230, 300, 1000])
def test_a_long_plan_id_still_saves_with_a_short_unique_name(length: int) -> None:
    long_id, other = "x" * length, "x" * (length - 1) + "y"
    one = SessionWriter(paths.log_dir(), paths.pending_dir()).save(record(session=long_id))
    two = SessionWriter(paths.log_dir(), paths.pending_dir()).save(record(session=other))
    assert not one.pending and not two.pending and one.path != two.path
    assert one.path is not None and len(one.path.name.encode()) < 120
    assert [r.session for r in recent_records(paths.log_dir(), long_id)] == [long_id]


@given(st.text(min_size=1, max_size=300))
def test_every_log_name_fits_every_file_system(session: str) -> None:
    name = file_name(T0, session, 999)
    assert len(name.encode("utf-8")) < 255 - 20  # room for the temporary-file prefix
    assert name.isascii() and "/" not in name and not name.startswith(".")


# -- one session, logged once (class 13) ----------------------------------


def test_a_flush_during_a_running_session_does_not_log_it_twice() -> None:
    paths.data_dir().mkdir(parents=True)
    paths.log_dir().write_text("not a folder")
    writer = SessionWriter(paths.log_dir(), paths.pending_dir())
    first = record(status="partial")
    assert writer.save(first).pending
    paths.log_dir().unlink()  # the log comes back, and another gluteterm starts
    assert flush_pending(paths.log_dir(), paths.pending_dir())[0] == 1
    result = writer.save(record(status="completed"))  # the running session goes on
    assert not result.pending
    [only] = paths.log_dir().glob("*.toml")
    assert read_record(only).status == "completed"
    assert not list(paths.pending_dir().glob("*.toml"))


def test_the_app_log_test_no_longer_depends_on_a_shared_folder() -> None:
    # What made test_an_unwritable_log_is_kept_pending_and_the_user_is_told flaky:
    # a record left in the shared $TMPDIR/gluteterm-pending by another run was
    # flushed into this test's log. That folder is no longer read at all.
    shared = Path(tempfile.gettempdir()) / "gluteterm-pending"
    assert shared not in [fallback_pending_dir()]
    SessionWriter(paths.log_dir(), paths.pending_dir()).save(record())
    assert flush_pending(paths.log_dir(), paths.pending_dir()) == (0, [])


def test_sys_executable_is_used_for_workers() -> None:
    assert history_index.worker_command()[0] == sys.executable
    assert "datetime" in repr(datetime)  # keep the import honest
