"""Streaks and week totals across midnight, time zones and DST changes."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from gluteterm.core.history import (
    SessionSummary,
    day_totals,
    days_ago,
    minutes_per_day,
    minutes_per_day_of,
    minutes_per_week,
    minutes_per_week_of,
    streaks,
    this_week,
    week_start,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def session(started: datetime, status: str = "completed", minutes: float = 10) -> SessionSummary:
    return SessionSummary(
        file="f", session="quick", title="Quick", started=started,
        ended=started + timedelta(minutes=minutes), status=status, done_steps=7,
        planned_steps=7, active_seconds=minutes * 60,
    )  # fmt: skip


def days(*ds: date) -> set[date]:
    return set(ds)


def test_streak_counts_days_in_a_row() -> None:
    d = date(2026, 11, 24)
    assert streaks(days(d, d - timedelta(1), d - timedelta(2)), d).current == 3
    s = streaks(days(d, d - timedelta(1), d - timedelta(2), d - timedelta(5)), d)
    assert (s.current, s.best) == (3, 3)


def test_streak_survives_until_today_is_over() -> None:
    today = date(2026, 11, 24)
    s = streaks(days(today - timedelta(1), today - timedelta(2)), today)
    assert s.current == 2
    assert streaks(days(today - timedelta(2)), today).current == 0


def test_best_streak_can_be_in_the_past() -> None:
    today = date(2026, 11, 24)
    past = {date(2026, 1, 1) + timedelta(i) for i in range(10)}
    s = streaks(past | {today}, today)
    assert (s.current, s.best) == (1, 10)


def test_sessions_either_side_of_midnight_are_two_days() -> None:
    late = session(datetime(2026, 11, 23, 23, 50, tzinfo=PARIS))
    early = session(datetime(2026, 11, 24, 0, 10, tzinfo=PARIS))
    assert late.day == date(2026, 11, 23) and early.day == date(2026, 11, 24)
    assert streaks({late.day, early.day}, date(2026, 11, 24)).current == 2


def test_a_session_keeps_the_day_where_it_was_done() -> None:
    # 23:30 in New York is 05:30 next morning in Paris: it is still the 23rd.
    trip = session(datetime(2026, 11, 23, 23, 30, tzinfo=NEW_YORK))
    assert trip.day == date(2026, 11, 23)
    fixed = session(datetime(2026, 11, 23, 23, 30, tzinfo=timezone(timedelta(hours=-5))))
    assert fixed.day == date(2026, 11, 23)


def test_dst_changes_do_not_break_a_streak() -> None:
    # Europe leaves summer time on 25 October 2026: that day has 25 hours.
    sessions = [session(datetime(2026, 10, d, 7, 0, tzinfo=PARIS)) for d in (24, 25, 26)]
    assert streaks({s.day for s in sessions}, date(2026, 10, 26)).current == 3
    # and enters it on 29 March 2026: 23 hours, and a session at 23:30 on each side.
    spring = [session(datetime(2026, 3, d, 23, 30, tzinfo=PARIS)) for d in (28, 29, 30)]
    assert streaks({s.day for s in spring}, date(2026, 3, 30)).current == 3


def test_partial_sessions_do_not_count_for_streaks_but_count_for_the_week() -> None:
    today = date(2026, 11, 26)  # a Thursday
    sessions = [
        session(datetime(2026, 11, 23, 8, tzinfo=PARIS), minutes=15),  # Monday
        session(datetime(2026, 11, 25, 8, tzinfo=PARIS), "partial", 4),
        session(datetime(2026, 11, 22, 23, 59, tzinfo=PARIS), minutes=50),  # Sunday: last week
    ]
    week = this_week(sessions, today)
    assert (week.sessions, week.minutes) == (2, 19)
    quit_at_once = replace(
        session(datetime(2026, 11, 26, 7, tzinfo=PARIS), "partial", 1), done_steps=0
    )
    week = this_week([*sessions, quit_at_once], today)
    assert (week.sessions, week.minutes) == (2, 20)  # its minute counts, not as a session
    from gluteterm.core.history import completed_days

    assert completed_days(sessions) == {date(2026, 11, 23), date(2026, 11, 22)}


def test_week_starts_on_monday_even_across_a_dst_change() -> None:
    assert week_start(date(2026, 10, 25)) == date(2026, 10, 19)
    assert week_start(date(2026, 10, 26)) == date(2026, 10, 26)
    sessions = [
        session(datetime(2026, 10, 25, 2, 30, tzinfo=PARIS)),
        session(datetime(2026, 10, 26, 0, 5, tzinfo=PARIS)),
    ]
    assert minutes_per_week(sessions, date(2026, 10, 27), 2) == [10, 10]


def test_minutes_per_day_and_week() -> None:
    today = date(2026, 11, 24)
    sessions = [
        session(datetime(2026, 11, 24, 7, tzinfo=PARIS), minutes=12),
        session(datetime(2026, 11, 24, 19, tzinfo=PARIS), minutes=6),
    ]
    per_day = minutes_per_day(sessions, today - timedelta(days=6), today)
    assert len(per_day) == 7 and per_day[today] == 18 and sum(per_day.values()) == 18
    weeks = minutes_per_week(sessions, today, 4)
    assert weeks == [0, 0, 0, 18]


_MOMENTS = st.datetimes(
    min_value=datetime(2026, 6, 1),
    max_value=datetime(2027, 1, 31),
    timezones=st.sampled_from([PARIS, NEW_YORK, timezone(timedelta(hours=13))]),
)
_SESSIONS = st.lists(
    st.builds(session, _MOMENTS, st.sampled_from(["completed", "partial"]),
              st.floats(0, 300, allow_nan=False)),
    max_size=60,
)  # fmt: skip


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=300, deadline=None)
@given(
    sessions=_SESSIONS, today=st.dates(date(2026, 5, 20), date(2027, 2, 10)),
    weeks=st.integers(1, 20), span=st.integers(0, 150),
)  # fmt: skip
def test_the_charts_from_each_days_totals_are_the_charts_of_every_session(
    sessions: list[SessionSummary], today: date, weeks: int, span: int
) -> None:
    """The history screen's heatmap and minutes per week, drawn from each day's totals,
    are those counted plainly from the sessions themselves (sums in another order: equal
    to the last bits)."""
    totals = day_totals(sessions)
    first = today - timedelta(days=span)
    per_day = minutes_per_day_of(totals, first, today)
    assert list(per_day) == [first + timedelta(days=i) for i in range(span + 1)]
    for day, minutes in per_day.items():
        plain = sum(s.active_seconds for s in sessions if s.started.date() == day) / 60
        assert close(minutes, plain), (day, minutes, plain)
    assert per_day == minutes_per_day(sessions, first, today)
    newest = today - timedelta(days=today.weekday())
    per_week = minutes_per_week_of(totals, today, weeks)
    assert len(per_week) == weeks
    for i, minutes in enumerate(per_week):
        monday = newest - timedelta(weeks=weeks - 1 - i)
        plain = sum(
            s.active_seconds for s in sessions
            if monday <= s.started.date() <= monday + timedelta(days=6)
        ) / 60  # fmt: skip
        assert close(minutes, plain), (monday, minutes, plain)
    assert per_week == minutes_per_week(sessions, today, weeks)


def test_days_ago() -> None:
    today = date(2026, 11, 24)
    assert days_ago(today, today) == "today"
    assert days_ago(today - timedelta(1), today) == "yesterday"
    assert days_ago(today - timedelta(3), today) == "3 days ago"
    assert days_ago(date(2026, 1, 2), today) == "2026-01-02"


def test_a_skipped_step_does_not_count_towards_its_level() -> None:
    from gluteterm.core.history import level_spans, summarize
    from gluteterm.core.record import SessionRecord, StepLog

    started = datetime(2026, 11, 24, 18, tzinfo=PARIS)
    record = SessionRecord(
        session="quick", title="Quick", started=started, ended=started + timedelta(minutes=7),
        status="completed", planned_steps=2, active_seconds=420,
        steps=(
            StepLog(1, "Bridge", "stability", "done", 60, 60, level="Single-leg bridge"),
            StepLog(2, "Abduction", "analytic", "skipped", 60, 3, level="Side-lying abduction"),
        ),
    )  # fmt: skip
    summary = summarize(record, "f.toml")
    assert summary.levels == (("Bridge", "Single-leg bridge"),)
    assert [(s.step, s.sessions) for s in level_spans([summary])] == [("Bridge", 1)]
