"""The session log: the format, crash-safe writing, pending records, the index."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gluteterm.core.record import LogError, SessionRecord, StepLog, record_from_runner
from gluteterm.core.runner import Runner
from gluteterm.store.history_index import load_history
from gluteterm.store.log import (
    SessionWriter,
    assessment_file_name,
    file_name,
    flush_pending,
    read_record,
)
from tests.support import FakeClock, digest, make_plan

CET = timezone(timedelta(hours=1))
T0 = datetime(2026, 11, 24, 18, 3, 12, tzinfo=CET)


def record(
    started: datetime = T0, session: str = "quick", status: str = "completed", minutes: float = 7
) -> SessionRecord:
    return SessionRecord(
        session=session,
        title="Quick",
        started=started,
        ended=started + timedelta(minutes=minutes),
        status=status,
        planned_steps=2,
        active_seconds=minutes * 60,
        steps=(
            StepLog(1, "Foam roll glutes", "release", "done", 90, 91.2),
            StepLog(
                2,
                "Bridge",
                "stability",
                "skipped",
                40,
                0,
                level="Single-leg bridge",
                felt=7,
                flags=("hip drop",),
            ),
        ),
    )


def test_file_name_sorts_by_time() -> None:
    assert file_name(T0, "quick") == "2026-11-24T18-03-12_quick.toml"
    assert file_name(T0, "a/b c") == "2026-11-24T18-03-12_a-b-c.toml"
    assert file_name(T0, "quick", 2) == "2026-11-24T18-03-12_quick-2.toml"


def test_a_plan_named_like_an_assessment_keeps_its_sessions_in_the_history(
    tmp_path: Path,
) -> None:
    assert file_name(T0, "assessment") == "2026-11-24T18-03-12_assessment_session.toml"
    assert file_name(T0, "assessment", 2) == "2026-11-24T18-03-12_assessment_session-2.toml"
    assert file_name(T0, "assessment-2") == "2026-11-24T18-03-12_assessment-2_session.toml"
    assert assessment_file_name(T0, 2) == "2026-11-24T18-03-12_assessment-2.toml"
    log = tmp_path / "log"
    for session in ("assessment", "assessment", "assessment-2"):
        SessionWriter(log, tmp_path / "pending").save(record(session=session))
    history = load_history(log, tmp_path / "index.json")
    assert sorted(s.session for s in history.sessions) == [
        "assessment",
        "assessment",
        "assessment-2",
    ]
    assert not history.problems


def test_written_file_has_the_documented_keys(tmp_path: Path) -> None:
    writer = SessionWriter(tmp_path / "log", tmp_path / "pending")
    result = writer.save(record())
    assert result.path == tmp_path / "log" / "2026-11-24T18-03-12_quick.toml"
    data = tomllib.loads(result.path.read_text())
    assert data["version"] == 2 and data["session"] == "quick" and data["title"] == "Quick"
    assert data["started"] == T0 and data["ended"] == T0 + timedelta(minutes=7)
    assert data["status"] == "completed"
    first = data["step"][0]
    assert first == {
        "number": 1, "name": "Foam roll glutes", "kind": "release", "status": "done",
        "planned_seconds": 90.0, "actual_seconds": 91.2,
    }  # fmt: skip
    assert data["step"][1]["level"] == "Single-leg bridge" and data["step"][1]["flags"] == [
        "hip drop"
    ]
    assert read_record(result.path) == record()
    assert oct(result.path.stat().st_mode & 0o777) != oct(0o600)


def test_where_it_was_felt_is_kept_and_version_1_logs_are_still_read(tmp_path: Path) -> None:
    import dataclasses

    import tomli_w

    base = record()
    felt = dataclasses.replace(base.steps[1], felt_where="front of hip or thigh")
    mine = dataclasses.replace(base, steps=(base.steps[0], felt))
    writer = SessionWriter(tmp_path / "log", tmp_path / "pending")
    path = writer.save(mine).path
    assert path is not None
    assert tomllib.loads(path.read_text())["step"][1]["felt_where"] == "front of hip or thigh"
    assert read_record(path).steps[1].felt_where == "front of hip or thigh"
    # a version 1 log (before felt_where) reads as it always did
    old = base.to_toml()
    old["version"] = 1
    path.write_text(tomli_w.dumps(old))
    assert read_record(path) == base
    # an answer that is not one of the four is refused, naming the key
    bad = mine.to_toml()
    bad["step"][1]["felt_where"] = "elbow"
    path.write_text(tomli_w.dumps(bad))
    with pytest.raises(LogError, match="felt_where"):
        read_record(path)
    # and a version no gluteterm wrote is refused
    bad["version"] = 0
    path.write_text(tomli_w.dumps(bad))
    with pytest.raises(LogError, match="expected 1 or 2"):
        read_record(path)


def test_rewrites_go_to_the_same_file_and_never_clobber_another(tmp_path: Path) -> None:
    log = tmp_path / "log"
    one, two = SessionWriter(log, tmp_path / "p"), SessionWriter(log, tmp_path / "p")
    first = one.save(record(status="partial")).path
    second = two.save(record(status="partial")).path  # same second, same session
    assert first is not None and second is not None and first != second
    one.save(record())
    assert read_record(first).status == "completed"
    assert read_record(second).status == "partial"
    assert sorted(p.name for p in log.iterdir()) == [
        "2026-11-24T18-03-12_quick-2.toml", "2026-11-24T18-03-12_quick.toml",
    ]  # fmt: skip


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    log = tmp_path / "log"
    log.mkdir()
    mine = log / "2026-11-24T18-03-12_quick.toml"
    mine.write_text("my notes")
    path = SessionWriter(log, tmp_path / "p").save(record()).path
    assert (
        mine.read_text() == "my notes" and path is not None and path.name.endswith("quick-2.toml")
    )


def test_unwritable_log_goes_to_pending_and_is_moved_on_next_start(tmp_path: Path) -> None:
    log, pending = tmp_path / "log", tmp_path / "pending"
    log.write_text(
        "a file where the folder should be"
    )  # makes the log folder unwritable, even for root
    writer = SessionWriter(log, pending)
    result = writer.save(record(status="partial"))
    assert result.pending and result.path is not None and result.path.parent == pending
    assert "could not save" in result.problem
    assert stat.S_IMODE(pending.stat().st_mode) == 0o700  # the user's records, theirs alone
    writer.save(record())
    assert len(list(pending.iterdir())) == 1
    log.unlink()
    log.mkdir()
    moved, problems = flush_pending(log, pending)
    assert (moved, problems) == (1, [])
    assert list(pending.iterdir()) == []
    [kept] = log.iterdir()
    assert read_record(kept).status == "completed"
    assert flush_pending(log, pending) == (0, [])


def test_log_becoming_writable_again_moves_the_pending_copy(tmp_path: Path) -> None:
    log, pending = tmp_path / "log", tmp_path / "pending"
    log.write_text("blocked")
    writer = SessionWriter(log, pending)
    assert writer.save(record(status="partial")).pending
    log.unlink()
    result = writer.save(record())
    assert not result.pending and result.path is not None and result.path.parent == log
    assert list(pending.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"version = 1\nsession = ", "not valid TOML"),
        (b"\xff\xfe", "not UTF-8"),
        (b'version = 7\nsession = "x"', "newer gluteterm (log version 7)"),
        (b'session = "x"', "not a gluteterm session log"),
        (
            b'version = 1\nsession = 3\ntitle = "t"\nstatus = "completed"\nstarted = 2026-01-01T10:00:00+01:00\nended = 2026-01-01T10:10:00+01:00',
            "'session': expected text, found 3",
        ),
        (
            b'version = 1\nsession = "x"\ntitle = "t"\nstatus = "done"\nstarted = 2026-01-01T10:00:00+01:00\nended = 2026-01-01T10:10:00+01:00',
            "'status': expected completed or partial, found text 'done'",
        ),
        (
            b'version = 1\nsession = "x"\ntitle = "t"\nstatus = "partial"\nstarted = 2026-01-01T10:00:00\nended = 2026-01-01T10:10:00',
            "UTC offset",
        ),
    ],
)
def test_unreadable_records_name_the_problem(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(content)
    with pytest.raises(LogError, match=re.escape(message)):
        read_record(path)


def test_history_skips_a_corrupt_file_names_it_and_leaves_it_alone(tmp_path: Path) -> None:
    log = tmp_path / "log"
    writer = SessionWriter(log, tmp_path / "p")
    writer.save(record())
    (log / "2026-11-20T08-00-00_quick.toml").write_bytes(b"version = 1\n[[[broken")
    before = digest(log)
    history = load_history(log, tmp_path / "index.json")
    assert len(history.sessions) == 1
    assert len(history.problems) == 1 and "2026-11-20T08-00-00_quick.toml" in history.problems[0]
    again = load_history(log, tmp_path / "index.json")  # from the index: still reported
    assert again.problems == history.problems
    assert digest(log) == before


def test_the_index_is_never_stale(tmp_path: Path) -> None:
    log, index = tmp_path / "log", tmp_path / "index.json"
    for day in range(3):
        SessionWriter(log, tmp_path / "p").save(record(T0 + timedelta(days=day)))
    assert len(load_history(log, index).sessions) == 3
    assert index.exists()
    newest = sorted(log.iterdir())[-1]
    newest.write_text(newest.read_text().replace('status = "completed"', 'status = "partial"'))
    os.utime(newest, ns=(1, 1))  # even with an old mtime: the size changed
    history = load_history(log, index)
    assert [s.status for s in history.sessions] == ["partial", "completed", "completed"]
    sorted(log.iterdir())[0].unlink()
    assert len(load_history(log, index).sessions) == 2
    SessionWriter(log, tmp_path / "p").save(record(T0 + timedelta(days=9)))
    assert load_history(log, index).sessions[0].started == T0 + timedelta(days=9)


def test_each_days_totals_are_kept_for_the_same_sessions_and_never_for_others(
    tmp_path: Path,
) -> None:
    """Computed once for the sessions (home's), found by the history screen with the
    remembered history and an unchanged reload; a changed folder computes its own."""
    from gluteterm.core.history import day_totals
    from gluteterm.store.history_index import remembered_history

    log, index = tmp_path / "log", tmp_path / "index.json"
    for day in range(3):
        SessionWriter(log, tmp_path / "p").save(record(T0 + timedelta(days=day)))
    first = load_history(log, index)
    assert not first.knows_day_totals()
    totals = first.day_totals()
    assert totals == day_totals(first.sessions) and len(totals.days) == 3
    remembered = remembered_history(log, index)
    assert remembered is not None and remembered.knows_day_totals()
    assert remembered.day_totals() is totals
    again = load_history(log, index)  # nothing changed
    assert again.knows_day_totals() and again.day_totals() is totals
    SessionWriter(log, tmp_path / "p").save(record(T0 + timedelta(days=5)))
    changed = load_history(log, index)
    assert not changed.knows_day_totals()
    assert len(changed.day_totals().days) == 4
    assert changed.day_totals() == day_totals(changed.sessions)
    remembered = remembered_history(log, index)
    assert remembered is not None and remembered.day_totals() is changed.day_totals()


def test_a_corrupt_index_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    log, index = tmp_path / "log", tmp_path / "index.json"
    SessionWriter(log, tmp_path / "p").save(record())
    index.write_text("{not json")
    history = load_history(log, index)
    assert len(history.sessions) == 1 and "could not be read" in history.problems[0]
    assert load_history(log, index).problems == []


def test_record_from_runner_leaves_out_the_step_in_progress(clock: FakeClock) -> None:
    plan = make_plan(
        'title="T"\nprepare=0\n[[step]]\nname="A"\nkind="release"\nhold=5\n[[step]]\nname="B"\nkind="release"\nhold=5\n[[step]]\nname="C"\nkind="release"\nhold=5'
    )
    runner = Runner(plan, clock)
    clock.advance(7)
    runner.poll()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    partial = record_from_runner(runner, now, now, final=False)
    assert [s.name for s in partial.steps] == ["A"] and partial.status == "partial"
    clock.advance(3)
    runner.poll()
    assert [s.name for s in record_from_runner(runner, now, now, final=False).steps] == ["A", "B"]
    runner.stop()
    final = record_from_runner(runner, now, now, final=True)
    assert [s.status for s in final.steps] == ["done", "done", "skipped"]
    assert final.status == "partial" and final.planned_steps == 3


def test_many_files_are_read_in_parallel_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gluteterm.store.history_index as index_module
    from tests.bench.fake_log import write_log

    log = tmp_path / "log"
    write_log(log, 30, end=T0)
    (log / "2026-01-01T00-00-00_bad.toml").write_bytes(b"version = 1\n[[[")
    serial = load_history(log, tmp_path / "serial.json")
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 5)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr("os.getloadavg", lambda: (0.0, 0.0, 0.0))
    started: list[list[str]] = []
    command = index_module.worker_command

    def counted() -> list[str]:
        started.append(command())
        return command()

    monkeypatch.setattr(index_module, "worker_command", counted)
    parallel = load_history(log, tmp_path / "parallel.json")
    assert len(started) == 2  # one helper per idle core
    assert parallel.sessions == serial.sessions and len(parallel.sessions) == 30
    assert parallel.problems == serial.problems and len(parallel.problems) == 1
    # On a busy machine (load 1.5 on two cores) this process reads them all itself.
    monkeypatch.setattr("os.getloadavg", lambda: (1.5, 1.0, 1.0))
    busy = load_history(log, tmp_path / "busy.json")
    assert len(started) == 2 and busy.sessions == serial.sessions
