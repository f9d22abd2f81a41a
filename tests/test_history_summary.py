"""The summary `gluteterm history` keeps for an unchanged log: used only for the log
it was made from, printed exactly as the log would be, and never trusted when
tampered with."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gluteterm.cli.history_quick import quick_limit
from gluteterm.cli.main import main
from gluteterm.core.history import (
    HistorySummary,
    SessionSummary,
    day_totals,
    streak_line,
    streak_line_of,
)
from gluteterm.core.text import duration, plural
from gluteterm.store import history_index, paths
from gluteterm.store.history_summary import (
    MAX_SUMMARY_BYTES,
    default_folders,
    kept_summary,
    read_summary,
)
from gluteterm.store.log import SessionWriter
from gluteterm.store.log_files import folder_lines, listing_lines, log_files
from tests.bench.fake_log import write_log
from tests.support import cli
from tests.test_log import record

CET = timezone(timedelta(hours=1))
END = datetime(2026, 11, 24, 20, 0, tzinfo=CET)


def summary_file() -> Path:
    return default_folders().summary_file


def fresh_output(*args: str) -> tuple[str, str]:
    """`gluteterm history ARGS` with no index and no summary: what the log says."""
    for cache in (paths.history_index_file(), summary_file()):
        cache.unlink(missing_ok=True)
    done = cli("history", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def warm_output(*args: str) -> tuple[str, str]:
    done = cli("history", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def log_of(count: int) -> Path:
    log = paths.log_dir()
    write_log(log, count, end=END)
    return log


def test_warm_history_prints_what_the_log_does_and_keeps_a_summary() -> None:
    log_of(30)
    cold = fresh_output()
    assert "30 sessions" in cold[0]
    assert summary_file().is_file()
    before = summary_file().read_bytes()
    assert warm_output() == cold
    assert warm_output("--limit", "3") == fresh_output("--limit", "3")
    assert summary_file().read_bytes() == before  # a warm run writes nothing


def test_a_warm_history_loads_neither_the_store_nor_the_index() -> None:
    log_of(5)
    fresh_output()
    code = (
        "import sys; sys.argv = ['gluteterm', 'history']\n"
        "from gluteterm.cli.start import run\n"
        "code = run()\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('gluteterm'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = done.stdout.split("\n")[-2].split()
    assert "gluteterm.store.history_summary" in loaded
    for heavy in ("gluteterm.store.api", "gluteterm.store.history_index", "gluteterm.cli.main"):
        assert heavy not in loaded
    # The same with a doubtful summary: the full command line runs, and says the same.
    summary_file().write_text("{")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "gluteterm.store.history_index" in done.stdout.split("\n")[-2].split()


def _edit(log: Path) -> None:
    """Change one file's content (same size, a new mtime)."""
    path = sorted(log.iterdir())[-1]
    text = path.read_text()
    path.write_text(text.replace('status = "completed"', 'status = "partial"  '))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def _rename(log: Path) -> None:
    """The newest session's file renamed, its content the same (what is printed is the
    same: the summary is made again all the same)."""
    path = sorted(log.iterdir())[-1]
    path.rename(log / path.name.replace(".toml", "-2.toml"))


def _remove(log: Path) -> None:
    sorted(log.iterdir())[-1].unlink()


def _add(log: Path) -> None:
    SessionWriter(log, paths.pending_dir()).save(record(END + timedelta(hours=1), "extra"))


def _replace_keeping_size_and_mtime(log: Path) -> None:
    """A file replaced by another of the same size and mtime (a sync tool's atomic
    write): only its inode tells."""
    path = sorted(log.iterdir())[-1]
    stat = path.stat()
    other = path.with_name(".new")
    other.write_text(path.read_text().replace('"completed"', '"partial"  '))
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    other.replace(path)
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def _unreadable(log: Path) -> None:
    path = sorted(log.iterdir())[0]
    path.write_bytes(b"\xff\xfe not text")


@pytest.mark.parametrize(
    "change", [_edit, _rename, _remove, _add, _replace_keeping_size_and_mtime, _unreadable]
)
def test_any_change_to_the_log_is_seen(change: Any) -> None:
    log = log_of(25)
    before = fresh_output()
    assert warm_output() == before
    kept = _kept()["digest"]
    change(log)
    after = warm_output()
    assert _kept()["digest"] != kept  # made again, for the log as it is now
    assert after != before or change is _rename
    assert after == fresh_output()


def test_an_unusable_index_says_so_once_and_the_summary_does_not_hide_it() -> None:
    log_of(3)
    fresh_output()
    paths.history_index_file().write_text("[")  # the summary does not depend on the index
    out, err = warm_output()
    assert "3 sessions" in out and err == ""


def test_records_waiting_in_pending_are_moved_in_first() -> None:
    log_of(3)
    fresh_output()
    pending = paths.pending_dir()
    SessionWriter(pending, pending).save(record(END + timedelta(hours=2), "later"))
    out, _ = warm_output()
    assert "4 sessions" in out
    assert not list(pending.glob("*.toml"))
    assert warm_output() == fresh_output()


def test_a_limit_beyond_the_rows_kept_reads_the_log() -> None:
    log_of(30)
    fresh_output()  # keeps 20 rows
    out, _ = warm_output("--limit", "25")
    assert len([line for line in out.splitlines() if line.startswith("20")]) == 25
    assert (out, "") == fresh_output("--limit", "25")
    assert warm_output("--limit=25") == fresh_output("--limit", "25")


def test_an_empty_or_missing_log_reads_the_same_warm() -> None:
    cold = fresh_output()
    assert "No sessions logged yet" in cold[0]
    assert warm_output() == cold
    paths.log_dir().mkdir(parents=True)
    assert warm_output() == fresh_output()


@pytest.mark.parametrize(
    ("args", "limit"),
    [
        ([], 20),
        (["--limit", "5"], 5),
        (["--limit=7"], 7),
        (["--limit", "0"], None),
        (["--limit", "-3"], None),
        (["--limit", "x"], None),
        (["--limit", "\u0663"], None),  # an Arabic-Indic 3: argparse's own message
        (["--lim", "5"], None),
        (["--limit"], None),
        (["--help"], None),
        (["--limit", "5", "extra"], None),
    ],
)
def test_only_the_plain_forms_take_the_quick_way(args: list[str], limit: int | None) -> None:
    assert quick_limit(args) == limit


def test_the_full_parser_still_answers_what_the_quick_way_leaves() -> None:
    log_of(3)
    fresh_output()
    done = cli("history", "--limit", "0")
    assert done.returncode == 2 and "1 or more" in done.stderr and "Traceback" not in done.stderr
    assert "--limit" in cli("history", "--help").stdout


# -- the summary is as hostile as any file ---------------------------------------------


def _kept() -> dict[str, Any]:
    raw = json.loads(summary_file().read_text())
    assert isinstance(raw, dict)
    return raw


def _put(raw: object) -> None:
    summary_file().write_text(json.dumps(raw))


def _first_day_seconds(raw: dict[str, Any], value: object) -> None:
    raw["day_seconds"][0] = value


def _first_row(raw: dict[str, Any], place: int, value: object) -> None:
    raw["rows"][0][place] = value


TAMPERINGS: list[tuple[str, Any]] = [
    ("more sessions", lambda r: r.update(sessions=r["sessions"] + 100)),
    ("sessions as text", lambda r: r.update(sessions="25")),
    ("sessions true", lambda r: r.update(sessions=True)),
    ("negative seconds", lambda r: _first_day_seconds(r, -1.0)),
    ("huge seconds", lambda r: _first_day_seconds(r, 1e300)),
    ("seconds as text", lambda r: _first_day_seconds(r, "60")),
    ("days out of order", lambda r: r["days"].reverse()),
    ("a day twice", lambda r: r["days"].__setitem__(1, r["days"][0])),
    ("a day in year 0", lambda r: r["days"].__setitem__(0, 0)),
    ("a completed day with no session", lambda r: r["completed"].append(r["days"][-1] + 1)),
    ("counts beyond the sessions", lambda r: r["day_sessions"].__setitem__(0, 10**6)),
    ("a day with no session", lambda r: r["day_logged"].__setitem__(0, 0)),
    ("a day with a negative count", lambda r: r["day_logged"].__setitem__(0, -1)),
    ("a column short", lambda r: r["day_sessions"].pop()),
    ("a started time not a time", lambda r: _first_row(r, 0, "2026-11-24 18:03; rm")),
    ("a title not text", lambda r: _first_row(r, 1, 7)),
    ("a length of nan", lambda r: _first_row(r, 2, "NaN")),
    ("a status of its own", lambda r: _first_row(r, 3, "hacked")),
    ("steps as floats", lambda r: _first_row(r, 4, 2.5)),
    ("a row short", lambda r: r["rows"][0].pop()),
    ("rows missing", lambda r: r.update(rows=r["rows"][:3])),
    ("a problem not text", lambda r: r.update(problems=[1])),
    ("no digest", lambda r: r.pop("digest")),
    ("another digest", lambda r: r.update(digest="0" * 40)),
    ("another version", lambda r: r.update(version=2)),
    ("not an object", lambda r: r.clear()),
]


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    """`gluteterm history ARGS` in this process (`main`, as the full command line runs)."""
    history_index._memory.clear()
    assert main(["history", *args]) == 0
    done = capsys.readouterr()
    return done.out, done.err


@pytest.mark.parametrize(("what", "tamper"), TAMPERINGS, ids=[t[0] for t in TAMPERINGS])
def test_a_tampered_summary_is_rebuilt_not_trusted(
    what: str, tamper: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    log_of(25)
    truth = in_process(capsys)
    raw = _kept()
    tamper(raw)
    _put(raw)
    assert read_summary(summary_file(), _kept_digest(), 20) is None, what
    assert in_process(capsys) == truth
    assert read_summary(summary_file(), _kept_digest(), 20) is not None  # rebuilt


def _kept_digest() -> str:
    from gluteterm.store.history_summary import listing_digest

    return listing_digest(paths.log_dir(), folder_lines(paths.log_dir()))


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b"\xff\xfe\x00garbage",
        b"[" * 100_000,  # deeper than the JSON reader goes
        b'{"version": 1, "sessions": NaN}',
        b'{"version": 1, "sessions": Infinity}',
        b'{"version": 1, "sessions": 1e999}',
    ],
)
def test_a_garbage_summary_is_rebuilt(text: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    log_of(5)
    truth = in_process(capsys)
    summary_file().write_bytes(text)
    assert in_process(capsys) == truth
    assert _kept()["sessions"] == 5


def test_a_huge_summary_is_not_read() -> None:
    log_of(5)
    truth = fresh_output()
    with summary_file().open("ab") as handle:
        handle.truncate(MAX_SUMMARY_BYTES + 1)
    assert read_summary(summary_file(), _kept_digest(), 20) is None
    assert warm_output() == truth


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_summary_that_is_a_fifo_a_folder_or_a_link_is_not_read(tmp_path: Path) -> None:
    log_of(5)
    truth = fresh_output()
    target = summary_file()
    forged = tmp_path / "forged.json"
    shutil.copy(target, forged)
    target.unlink()
    target.symlink_to(forged)
    assert kept_summary(default_folders(), 20) is None  # a link is never followed
    target.unlink()
    os.mkfifo(target)
    assert warm_output() == truth  # no hang
    target.unlink()
    target.mkdir()
    assert warm_output() == truth


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda x: st.lists(x, max_size=3) | st.dictionaries(st.text(max_size=5), x, max_size=2),
    max_leaves=6,
)


@settings(
    max_examples=200, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(key=st.sampled_from(["sessions", "days", "completed", "day_logged", "day_sessions", "day_seconds",
                            "rows", "problems", "version"]), value=_ANY_JSON)  # fmt: skip
def test_any_value_anywhere_is_checked_or_refused(
    key: str, value: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever one value is replaced with, reading gives None or a summary whose every
    number is finite and in range: never an exception, never nan."""
    folder = tmp_path_factory.mktemp("summary")
    raw = {
        "version": 1, "digest": "d", "sessions": 3, "days": [739000, 739001],
        "completed": [739001], "day_logged": [1, 2], "day_sessions": [1, 2],
        "day_seconds": [60.0, 120.5],
        "rows": [["2026-11-24 18:03", "Quick", 60.0, "completed", 2, 2]] * 3, "problems": [],
    }  # fmt: skip
    raw[key] = value
    path = folder / "summary.json"
    path.write_text(json.dumps(raw))  # NaN and Infinity too: the reader refuses them
    summary = read_summary(path, "d", 20)
    if summary is not None:
        _assert_sane(summary)


def _assert_sane(summary: HistorySummary) -> None:
    totals = summary.days
    assert sum(totals.logged) == summary.sessions
    assert all(0 <= n <= m for n, m in zip(totals.sessions, totals.logged, strict=True))
    assert all(0 <= s < float("inf") for s in totals.seconds)
    assert totals.days == sorted(set(totals.days))
    assert set(totals.completed) <= set(totals.days)
    assert all(0 <= r.active_seconds < float("inf") for r in summary.rows)
    assert len(summary.rows) <= summary.sessions


# -- the listing the digest is made of ------------------------------------------------


def test_the_quick_listing_is_the_index_listing(tmp_path: Path) -> None:
    log = tmp_path / "log"
    write_log(log, 5, end=END)
    (log / "2026-11-24T18-03-12_assessment.toml").write_text("x")
    (log / ".hidden.toml").write_text("x")
    (log / "notes.txt").write_text("x")
    (log / "folder.toml").mkdir()
    (log / "link.toml").symlink_to(log / "notes.txt")
    (log / "dangling.toml").symlink_to(log / "nowhere")
    lines = folder_lines(log)
    assert lines == listing_lines(log_files(log))
    names = {line.split("\0")[0] for line in lines}
    assert "folder.toml" in names and "link.toml" in names  # read, and named as skipped
    assert not names & {"2026-11-24T18-03-12_assessment.toml", ".hidden.toml", "notes.txt"}
    assert "dangling.toml" not in names  # cannot be stat'ed: gone, as far as anyone knows
    assert folder_lines(tmp_path / "missing") == [] == log_files(tmp_path / "missing")


def test_the_full_path_keeps_the_summary_only_for_a_listing_it_trusts() -> None:
    log_of(3)
    history_index._memory.clear()
    paths.history_index_file().parent.mkdir(parents=True)
    paths.history_index_file().write_text("not json")
    out, err = fresh_output_keeping_index()
    assert "could not be read" in err and "3 sessions" in out
    assert not summary_file().exists()  # the index said something: not kept this time
    assert warm_output()[0] == out
    assert summary_file().exists()


def fresh_output_keeping_index() -> tuple[str, str]:
    done = cli("history")
    assert done.returncode == 0
    return done.stdout, done.stderr


# -- the streak line from day totals --------------------------------------------------


def _summary(started: datetime, status: str, done: int, seconds: int) -> SessionSummary:
    return SessionSummary(
        "f.toml", "quick", "Quick", started, started + timedelta(seconds=seconds), status,
        done, 3, float(seconds),
    )  # fmt: skip


_SESSIONS = st.lists(
    st.builds(
        _summary,
        st.datetimes(
            min_value=datetime(2026, 10, 1),
            max_value=datetime(2026, 12, 1),
            timezones=st.sampled_from([UTC, CET, timezone(timedelta(hours=-8))]),
        ),
        st.sampled_from(["completed", "partial"]),
        st.integers(0, 3),
        st.integers(0, 4000),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(sessions=_SESSIONS, today=st.dates(date(2026, 9, 25), date(2026, 12, 10)))
def test_the_streak_line_from_day_totals_is_the_streak_line(
    sessions: list[SessionSummary], today: date
) -> None:
    """Counted plainly, day by day, from the sessions themselves."""
    days = {s.started.date() for s in sessions if s.status == "completed"}
    current, day = 0, today if today in days else today - timedelta(days=1)
    while day in days:
        current, day = current + 1, day - timedelta(days=1)
    best = 0
    for end in days:
        run = 0
        while end - timedelta(days=run) in days:
            run += 1
        best = max(best, run)
    monday = today - timedelta(days=today.weekday())
    week = [s for s in sessions if monday <= s.started.date() <= today]
    count = sum(s.status == "completed" or s.done_steps > 0 for s in week)
    minutes = sum(s.active_seconds for s in week) / 60
    expected = (
        f"current streak {plural(current, 'day')} (best {best}) · this week "
        f"{plural(count, 'session')}, {duration(minutes * 60)}"
    )
    assert streak_line(sessions, today) == expected
    assert streak_line_of(day_totals(sessions), today) == expected


@pytest.mark.parametrize("cache", ["history-index.json", "history-summary.json"])
def test_a_link_in_place_of_a_cache_is_replaced_never_written_through(
    cache: str, tmp_path: Path
) -> None:
    log_of(3)
    truth = fresh_output()
    precious = tmp_path / "precious.txt"
    precious.write_text("mine")
    summary_file().unlink()  # so that the index is read
    link = summary_file().with_name(cache)
    link.unlink(missing_ok=True)
    link.symlink_to(precious)
    assert fresh_output_keeping_index()[0] == truth[0]
    assert precious.read_text() == "mine"
    assert link.is_file() and not link.is_symlink()


_HUGE = "1" + "0" * 400  # a whole number no float can hold


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("active_seconds", _HUGE),
        ("planned_seconds", _HUGE),
        ("actual_seconds", "-" + _HUGE),
        ("dose", _HUGE),
        ("felt", _HUGE),
    ],
)
def test_a_number_too_large_for_a_float_is_skipped_and_named(key: str, value: str) -> None:
    log = paths.log_dir()
    log.mkdir(parents=True)
    top = {"active_seconds": "60.0"}
    step = {"planned_seconds": "60.0", "actual_seconds": "60.0"}
    (top if key in top else step)[key] = value
    text = (
        'version = 2\nsession = "quick"\ntitle = "Quick"\n'
        "started = 2026-11-24T18:03:12+01:00\nended = 2026-11-24T18:10:12+01:00\n"
        'status = "completed"\nplanned_steps = 1\n'
        + "".join(f"{k} = {v}\n" for k, v in top.items())
        + '\n[[step]]\nnumber = 1\nname = "Bridge"\nkind = "stability"\nstatus = "done"\n'
        + "".join(f"{k} = {v}\n" for k, v in step.items())
    )
    (log / "2026-11-24T18-03-12_quick.toml").write_text(text)
    out, err = fresh_output()
    assert "No sessions logged yet" in out
    assert f"_quick.toml: step 1: '{key}'" in err or f"_quick.toml: '{key}'" in err, err
    assert "Traceback" not in err


# -- the history's reading of a log makes every check the record's does ----------------


def _same_reading(doc: dict[str, Any]) -> None:
    from gluteterm.core.history import summarize
    from gluteterm.core.record import LogError, SessionRecord
    from gluteterm.store.log import summary_of

    try:
        expected: object = summarize(SessionRecord.from_toml(doc, "f.toml"), "f.toml")
    except LogError as exc:
        expected = str(exc)
    try:
        found: object = summary_of(doc, "f.toml", "f.toml")
    except LogError as exc:
        found = str(exc)
    assert found == expected


_VALUES = (
    _ANY_JSON
    | st.datetimes(timezones=st.sampled_from([UTC, CET]))
    | st.sampled_from(["done", "skipped", "partial", "completed", "hip drop", "u", "Level 2"])
    | st.integers(-2, 12)
)
_TOP_KEYS = ["version", "session", "title", "started", "ended", "status", "planned_steps",
             "active_seconds", "paused_seconds", "step"]  # fmt: skip
_STEP_KEYS = ["number", "name", "kind", "status", "planned_seconds", "actual_seconds", "level",
              "felt", "flags", "drill", "dose", "felt_where", "extra"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    top=st.dictionaries(st.sampled_from(_TOP_KEYS), _VALUES, max_size=2),
    steps=st.lists(st.dictionaries(st.sampled_from(_STEP_KEYS), _VALUES, max_size=2), max_size=3),
    gone=st.sets(st.sampled_from(_TOP_KEYS + _STEP_KEYS), max_size=2),
)
def test_the_history_reads_a_log_as_the_record_does(
    top: dict[str, Any], steps: list[dict[str, Any]], gone: set[str]
) -> None:
    """Any change to a log's values (or keys gone): the same summary, or the same error."""
    doc = record().to_toml()
    doc["step"][1]["status"] = "done"  # a level that counts, then one that does not
    doc["step"].append(doc["step"][1] | {"number": 3, "status": "skipped", "level": "L"})
    for key in gone:
        doc.pop(key, None)
        for step in doc.get("step", []) if isinstance(doc.get("step"), list) else []:
            if isinstance(step, dict):
                step.pop(key, None)
    doc.update(top)
    for i, change in enumerate(steps):
        listed = doc.get("step")
        if isinstance(listed, list) and i < len(listed) and isinstance(listed[i], dict):
            listed[i].update(change)
    _same_reading(doc)


def test_the_history_reads_every_usual_log_as_the_record_does() -> None:
    from tests.bench.fake_log import fake_records

    for rec in fake_records(200, END):
        _same_reading(rec.to_toml())


@pytest.mark.parametrize(
    "path",
    ["side_plank.left_seconds", "single_leg_bridge.left_reps", "single_leg_bridge.right_reps"],
)
def test_an_assessment_with_a_number_too_large_for_a_float_is_refused(path: str) -> None:
    from gluteterm.core.assessment import AssessmentError, AssessmentResult
    from tests.test_assessment import hostile

    with pytest.raises(AssessmentError, match="found a number too large to use"):
        AssessmentResult.from_toml(hostile(path, int(_HUGE)), "log/a.toml")


@pytest.mark.parametrize(
    ("step", "found"),
    [
        (f"hold = {_HUGE}\n", "'hold': expected a whole number of seconds"),
        (f"reps = 5\ntempo = [1, {_HUGE}, 1]\n", "found [1, a number too large to use, 1]"),
    ],
)
def test_a_plan_with_a_number_too_large_for_a_float_is_named(
    step: str, found: str, tmp_path: Path
) -> None:
    plan = tmp_path / "huge.toml"
    plan.write_text(f'title = "T"\n[[step]]\ndrill = "glute-bridge"\n{step}')
    done = cli("check", str(plan))
    assert done.returncode == 2 and found in done.stderr and "Traceback" not in done.stderr
