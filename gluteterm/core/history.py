"""History arithmetic: streaks, week totals, days and weeks for the charts.

A session belongs to the calendar day on which it started, in the time zone
where it was done (the offset in its log). Everything after that works on
dates, never on seconds, so midnight, travel and DST changes cannot split or
merge days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gluteterm.core.record import SessionRecord
from gluteterm.core.text import duration, plural


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
    best = run = 0
    previous: date | None = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return Streaks(current, best)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekTotal:
    sessions: int
    minutes: float


def this_week(summaries: Iterable[SessionSummary], today: date) -> WeekTotal:
    """Sessions that did something (completed, or a step done, even if ended early)
    and every active minute, from Monday to today."""
    monday = week_start(today)
    count, seconds = 0, 0.0
    for s in summaries:
        if monday <= s.day <= today:
            count += s.completed or s.done_steps > 0
            seconds += s.active_seconds
    return WeekTotal(count, seconds / 60)


def minutes_per_day(
    summaries: Iterable[SessionSummary], first: date, last: date
) -> dict[date, float]:
    """Active minutes on every day from `first` to `last`, zero included."""
    days = {first + timedelta(days=i): 0.0 for i in range((last - first).days + 1)}
    for s in summaries:
        if s.day in days:
            days[s.day] += s.active_seconds / 60
    return days


def minutes_per_week(summaries: Iterable[SessionSummary], today: date, weeks: int) -> list[float]:
    """Active minutes for each of the last `weeks` weeks, oldest first, this week last."""
    newest = week_start(today)
    first = newest - timedelta(weeks=weeks - 1)
    totals = [0.0] * weeks
    for s in summaries:
        monday = week_start(s.day)
        if first <= monday <= newest:
            totals[(monday - first).days // 7] += s.active_seconds / 60
    return totals


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
    summaries = list(summaries)
    streak = streaks(completed_days(summaries), today)
    week = this_week(summaries, today)
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
