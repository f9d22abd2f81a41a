"""History arithmetic: streaks, week totals, days and weeks for the charts.

A session belongs to the calendar day on which it started, in the time zone
where it was done (the offset in its log). Everything after that works on
dates, never on seconds, so midnight, travel and DST changes cannot split or
merge days.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gluteterm.core.text import duration, plural

#: `typing.TYPE_CHECKING` (type checkers read it as true) without importing `typing`,
#: which the warm `gluteterm history` would load for this alone.
TYPE_CHECKING = False
if TYPE_CHECKING:  # only a type here: `gluteterm history` starts without the record's checks
    from gluteterm.core.record import SessionRecord


@dataclass(frozen=True)
class SessionSummary:
    """What history needs of one session, small enough to index thousands."""

    file: str
    session: str
    title: str
    started: datetime
    ended: datetime
    status: str
    done_steps: int
    planned_steps: int
    active_seconds: float
    levels: tuple[tuple[str, str], ...] = ()

    @property
    def day(self) -> date:
        return self.started.date()

    @property
    def completed(self) -> bool:
        return self.status == "completed"


def summarize(record: SessionRecord, file: str) -> SessionSummary:
    return SessionSummary(
        file=file,
        session=record.session,
        title=record.title,
        started=record.started,
        ended=record.ended,
        status=record.status,
        done_steps=record.done_steps,
        planned_steps=record.planned_steps,
        active_seconds=record.active_seconds,
        # A skipped step was not done at its level: it does not count towards it.
        levels=tuple((s.name, s.level) for s in record.steps if s.level and s.status != "skipped"),
    )


@dataclass(frozen=True)
class Streaks:
    current: int
    best: int


def completed_days(summaries: Iterable[SessionSummary]) -> set[date]:
    return {s.day for s in summaries if s.completed}


def streaks(days: set[date], today: date) -> Streaks:
    """Days in a row with a completed session.

    The current streak still counts when today has no session yet: it ends
    yesterday, and today can still extend it.
    """
    return streaks_of(sorted(day.toordinal() for day in days), today)


def streaks_of(ordinals: list[int], today: date) -> Streaks:
    """`streaks` of the days whose ordinals (`date.toordinal`) are `ordinals`, in order."""
    best = run = 0
    previous = None
    for day in ordinals:
        run = run + 1 if day - 1 == previous else 1
        if run > best:
            best = run
        previous = day
    days = set(ordinals)
    current = 0
    day = today.toordinal()
    if day not in days:
        day -= 1
    while day in days:
        current += 1
        day -= 1
    return Streaks(current, best)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekTotal:
    sessions: int
    minutes: float


@dataclass(frozen=True)
class DayTotals:
    """What the streak line needs of the log, day by day: the days with a session
    (`date.toordinal`, in order), of these the days with a completed session, and for
    each day how many sessions were logged, how many did something (completed, or a
    step done) and its active seconds. `gluteterm history` keeps these instead of
    every session."""

    days: list[int]
    completed: list[int]
    logged: list[int]
    sessions: list[int]
    seconds: list[float]


def day_totals(summaries: Iterable[SessionSummary]) -> DayTotals:
    """The totals of each day with a session."""
    completed: dict[int, bool] = {}
    logged: dict[int, int] = {}
    counted: dict[int, int] = {}
    seconds: dict[int, float] = {}
    for s in summaries:
        day = s.started.toordinal()
        done = s.status == "completed"
        if day in seconds:
            completed[day] = completed[day] or done
            logged[day] += 1
            counted[day] += done or s.done_steps > 0
            seconds[day] += s.active_seconds
        else:
            completed[day] = done
            logged[day] = 1
            counted[day] = int(done or s.done_steps > 0)
            seconds[day] = s.active_seconds
    days = sorted(seconds)
    return DayTotals(
        days, [d for d in days if completed[d]], [logged[d] for d in days],
        [counted[d] for d in days], [seconds[d] for d in days],
    )  # fmt: skip


def this_week(summaries: Iterable[SessionSummary], today: date) -> WeekTotal:
    """Sessions that did something (completed, or a step done, even if ended early)
    and every active minute, from Monday to today."""
    return week_of(day_totals(summaries), today)


def week_of(totals: DayTotals, today: date) -> WeekTotal:
    """`this_week` from each day's totals: the days from Monday to today, in order."""
    first = bisect_left(totals.days, week_start(today).toordinal())
    last = bisect_right(totals.days, today.toordinal())
    count, seconds = 0, 0.0
    for i in range(first, last):
        count += totals.sessions[i]
        seconds += totals.seconds[i]
    return WeekTotal(count, seconds / 60)


def minutes_per_day(
    summaries: Iterable[SessionSummary], first: date, last: date
) -> dict[date, float]:
    """Active minutes on every day from `first` to `last`, zero included."""
    return minutes_per_day_of(day_totals(summaries), first, last)


def minutes_per_day_of(totals: DayTotals, first: date, last: date) -> dict[date, float]:
    """`minutes_per_day` from each day's totals: only the days asked for are looked at."""
    days = {first + timedelta(days=i): 0.0 for i in range((last - first).days + 1)}
    start = bisect_left(totals.days, first.toordinal())
    end = bisect_right(totals.days, last.toordinal())
    for i in range(start, end):
        days[date.fromordinal(totals.days[i])] = totals.seconds[i] / 60
    return days


def minutes_per_week(summaries: Iterable[SessionSummary], today: date, weeks: int) -> list[float]:
    """Active minutes for each of the last `weeks` weeks, oldest first, this week last."""
    return minutes_per_week_of(day_totals(summaries), today, weeks)


def minutes_per_week_of(totals: DayTotals, today: date, weeks: int) -> list[float]:
    """`minutes_per_week` from each day's totals: only the weeks asked for are looked at."""
    first = (week_start(today) - timedelta(weeks=weeks - 1)).toordinal()
    seconds = [0.0] * weeks
    start = bisect_left(totals.days, first)
    end = bisect_left(totals.days, first + 7 * weeks)
    for i in range(start, end):
        seconds[(totals.days[i] - first) // 7] += totals.seconds[i]
    return [s / 60 for s in seconds]


def last_done(summaries: Iterable[SessionSummary]) -> dict[str, date]:
    """For each session id, the day it was last done (completed, or with a step done)."""
    latest: dict[str, date] = {}
    for s in summaries:
        if not s.completed and s.done_steps == 0:
            continue
        if s.session not in latest or s.day > latest[s.session]:
            latest[s.session] = s.day
    return latest


def streak_line(summaries: Iterable[SessionSummary], today: date, short: bool = False) -> str:
    """The streak and this week in one line, as home, history and the CLI show it.

    `current streak 3 days (best 9) · this week 2 sessions, 31 min`, or with
    `short`, `streak 3 days · this week 2`.
    """
    return streak_line_of(day_totals(summaries), today, short)


def streak_line_of(totals: DayTotals, today: date, short: bool = False) -> str:
    """`streak_line` from each day's totals (`day_totals`)."""
    streak = streaks_of(totals.completed, today)
    week = week_of(totals, today)
    if short:
        return f"streak {plural(streak.current, 'day')} · this week {week.sessions}"
    return (
        f"current streak {plural(streak.current, 'day')} (best {streak.best}) · this week "
        f"{plural(week.sessions, 'session')}, {duration(week.minutes * 60)}"
    )


def days_ago(day: date, today: date) -> str:
    """`today`, `yesterday`, `3 days ago`, or the date when it is long ago."""
    delta = (today - day).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta < 14:
        return f"{delta} days ago"
    return day.isoformat()


@dataclass(frozen=True)
class LevelSpan:
    """A step (by its name in the plan) at one level, from one day to another, over some
    sessions."""

    step: str
    level: str
    first: date
    last: date
    sessions: int


def level_spans(summaries: Iterable[SessionSummary]) -> list[LevelSpan]:
    """Each laddered step's levels over time, oldest first within a step."""
    by_step: dict[str, list[LevelSpan]] = {}
    for s in sorted(summaries, key=lambda s: s.started):
        for step, level in s.levels:
            spans = by_step.setdefault(step, [])
            if spans and spans[-1].level == level:
                last = spans[-1]
                spans[-1] = LevelSpan(step, level, last.first, s.day, last.sessions + 1)
            else:
                spans.append(LevelSpan(step, level, s.day, s.day, 1))
    return [span for step in sorted(by_step) for span in by_step[step]]


@dataclass(frozen=True)
class Row:
    """One session as `gluteterm history` lists it."""

    started: str  # `2026-11-24 18:03`
    title: str
    active_seconds: float
    status: str
    done_steps: int
    planned_steps: int


@dataclass(frozen=True)
class HistorySummary:
    """What `gluteterm history` prints, whatever the date: how many sessions, each day's
    totals (for the streak line of any day), the newest sessions, and the files skipped."""

    sessions: int
    days: DayTotals
    rows: list[Row]
    problems: list[str]


def history_summary(
    newest_first: list[SessionSummary], problems: list[str], rows: int
) -> HistorySummary:
    """The summary of these sessions (newest first), listing the newest `rows`."""
    when = "%Y-%m-%d %H:%M"
    listed = [
        Row(
            s.started.strftime(when),
            s.title,
            s.active_seconds,
            s.status,
            s.done_steps,
            s.planned_steps,
        )
        for s in newest_first[:rows]
    ]
    return HistorySummary(len(newest_first), day_totals(newest_first), listed, list(problems))
