"""The runner on a fake clock: every control, the record and the cues."""

from __future__ import annotations

import itertools

import pytest

from gluteterm.core.runner import CueName, Runner, RunnerState
from gluteterm.core.timeline import SegmentKind
from tests.support import FakeClock, make_plan

TWO_STEPS = """
title = "T"
prepare = 5
[[step]]
name = "Roll"
kind = "release"
hold = 30
per_side = true
[[step]]
name = "Bridge"
kind = "stability"
reps = 5
tempo = 2
sets = 2
rest = 10
"""
# Timeline: P5 W30(L) S5 W30(R) | P5 W10 R10 W10 = 105 s


def runner(clock: FakeClock, toml: str = TWO_STEPS, sleep_gap: float | None = None) -> Runner:
    return Runner(make_plan(toml), clock, sleep_gap=sleep_gap)


def test_starts_in_get_ready_with_time_from_the_deadline(clock: FakeClock) -> None:
    r = runner(clock)
    snap = r.snapshot()
    assert snap.segment is not None and snap.segment.kind is SegmentKind.PREPARE
    assert snap.remaining == 5 and snap.step_number == 1 and snap.step_count == 2
    assert snap.up_next == "Then: left side"
    clock.advance(1.25)
    r.poll()
    assert r.remaining() == pytest.approx(3.75)


def test_runs_to_the_end_on_its_own(clock: FakeClock) -> None:
    r = runner(clock)
    clock.advance(104.9)
    r.poll()
    assert r.state.value == "running"  # (`is` would make mypy think it stays so)
    clock.advance(0.2)
    r.poll()
    assert r.state is RunnerState.FINISHED
    assert r.finished_at == pytest.approx(1105.0)
    assert [rec.status for rec in r.progress_in_order] == ["done", "done"]
    assert r.progress_in_order[0].actual_seconds == pytest.approx(70)
    assert r.progress_in_order[1].actual_seconds == pytest.approx(35)
    assert r.progress_in_order[0].planned_seconds == 70
    assert not r.ended_early


def test_late_polls_do_not_drift(clock: FakeClock) -> None:
    """Polling at odd, late moments lands every boundary where the plan puts it."""
    r = runner(clock)
    starts = []
    last = r.index
    while r.state is not RunnerState.FINISHED:
        clock.advance(0.737)
        r.poll()
        if r.index != last:
            last = r.index
            starts.append(round(r._seg_started - 1000, 6))
    assert starts == [5, 35, 40, 70, 75, 85, 95, 105]


def test_pause_freezes_and_resume_continues(clock: FakeClock) -> None:
    r = runner(clock)
    clock.advance(2)
    r.pause()
    clock.advance(100)
    r.poll()
    assert r.state is RunnerState.PAUSED and r.remaining() == pytest.approx(3)
    r.resume()
    clock.advance(1)
    r.poll()
    assert r.remaining() == pytest.approx(2)
    assert r.paused_total == pytest.approx(100)


def test_next_skips_the_rest_of_the_step(clock: FakeClock) -> None:
    r = runner(clock)
    clock.advance(15)  # 10 s into the left side
    r.next_step()
    assert r.step_index == 1 and r.segment is not None and r.segment.kind is SegmentKind.PREPARE
    assert r.progress_in_order[0].status == "partial"
    r.next_step()
    assert r.state is RunnerState.FINISHED
    assert r.progress_in_order[1].status == "skipped"


def test_skipping_during_get_ready_marks_the_step_skipped(clock: FakeClock) -> None:
    r = runner(clock)
    clock.advance(2)
    r.next_step()
    assert r.progress[0].status == "skipped"


def test_a_session_with_every_step_skipped_is_not_completed(clock: FakeClock) -> None:
    from datetime import UTC, datetime

    from gluteterm.core.record import record_from_runner

    skipped, one_done = runner(clock), runner(clock)
    skipped.next_step()
    skipped.next_step()
    assert skipped.state is RunnerState.FINISHED and not skipped.ended_early
    assert not skipped.completed  # reached the end, but nothing was done
    now = datetime(2026, 11, 25, tzinfo=UTC)
    assert record_from_runner(skipped, now, now, final=True).status == "partial"
    clock.advance(80)  # step 1 done, into step 2's get-ready
    one_done.poll()
    one_done.next_step()
    assert one_done.state is RunnerState.FINISHED and one_done.completed
    assert record_from_runner(one_done, now, now, final=True).status == "completed"


def test_previous_restarts_the_step_or_goes_back_when_just_started(clock: FakeClock) -> None:
    r = runner(clock)
    clock.advance(20)
    r.previous()  # 20 s into step 1: restart it
    assert r.index == 0 and r.step_index == 0
    clock.advance(72)  # into step 2's get-ready
    r.poll()
    assert r.step_index == 1
    r.previous()  # in get-ready: back to step 1
    assert r.step_index == 0 and r.index == 0


def test_previous_within_grace_of_work_goes_back(clock: FakeClock) -> None:
    r = runner(
        clock,
        'title="T"\nprepare=0\n[[step]]\nname="A"\nkind="release"\nhold=10\n[[step]]\nname="B"\nkind="release"\nhold=10',
    )
    clock.advance(11)
    r.poll()
    assert r.step_index == 1
    r.previous()
    assert r.step_index == 0


def test_previous_on_the_first_step_restarts_it(clock: FakeClock) -> None:
    r = runner(clock)
    clock.advance(1)
    r.previous()
    assert r.index == 0 and r.remaining() == 5


def test_plus_and_minus_ten_seconds(clock: FakeClock) -> None:
    r = runner(clock)
    clock.advance(6)  # 1 s into the left side: 29 left
    r.poll()
    assert r.adjust(10)
    assert r.remaining() == pytest.approx(39)
    assert r.adjust(-10) and r.adjust(-10)
    assert r.remaining() == pytest.approx(19)
    r.adjust(-100)  # never below one second left
    assert r.remaining() == pytest.approx(1)
    assert r.progress[0].adjusted_seconds == pytest.approx(-28)


def test_unpaced_reps_count_up_until_done(clock: FakeClock) -> None:
    r = runner(
        clock,
        'title="T"\nprepare=0\n[[step]]\nname="A"\nkind="stability"\nreps=8\n[[step]]\nname="B"\nkind="release"\nhold=5',
    )
    clock.advance(500)
    r.poll()
    assert r.step_index == 0 and r.remaining() is None and r.elapsed() == 500
    assert not r.adjust(10)
    r.done()
    assert r.step_index == 1 and r.progress[0].status == "done"


def test_paced_reps_count_and_tick(clock: FakeClock) -> None:
    r = runner(clock, 'title="T"\nprepare=0\n[[step]]\nname="A"\nkind="stability"\nreps=3\ntempo=2')
    r.poll()
    assert r.snapshot().rep == 1
    clock.advance(2.5)
    cues = r.poll()
    assert r.snapshot().rep == 2
    assert [(c.name, c.value) for c in cues if c.name is CueName.REP] == [(CueName.REP, 2)]


def test_session_left_and_progress(clock: FakeClock) -> None:
    r = runner(clock)
    assert r.snapshot().session_left == 105
    clock.advance(40)
    r.poll()
    snap = r.snapshot()
    assert snap.session_left == pytest.approx(65)
    assert snap.progress == pytest.approx(40 / 105)
    fresh = runner(clock)
    clock.advance(7)  # 2 s into step 1's work
    fresh.poll()
    assert fresh.snapshot().progress > 0
    fresh.previous()  # back to its start: all of it left, none of the plan behind
    assert fresh.snapshot().session_left == 105 and fresh.snapshot().progress == 0


def test_stop_keeps_what_was_done(clock: FakeClock) -> None:
    r = runner(clock)
    clock.advance(71)
    r.poll()
    r.stop()
    assert r.state is RunnerState.FINISHED and r.ended_early
    assert [rec.status for rec in r.progress_in_order] == ["done", "skipped"]


def test_active_time_is_wall_time_minus_pauses(clock: FakeClock) -> None:
    r = runner(clock)
    clock.advance(12)
    r.pause()
    clock.advance(30)
    r.resume()
    clock.advance(7)
    r.next_step()
    clock.advance(3)
    r.stop()
    total = sum(rec.actual_seconds for rec in r.progress_in_order)
    assert total == pytest.approx(22)
    assert r.active_seconds == pytest.approx(22)
    assert r.finished_at is not None
    assert r.finished_at - r.started_at - r.paused_total == pytest.approx(22)


def test_a_long_clock_gap_pauses_instead_of_racing_ahead(clock: FakeClock) -> None:
    r = runner(clock, sleep_gap=30)
    clock.advance(3)
    r.poll()
    clock.advance(3600)  # the laptop slept
    r.poll()
    assert r.state is RunnerState.PAUSED and r.slept_for == pytest.approx(3600)
    assert r.index == 0 and r.remaining() == pytest.approx(2)


def test_cues_come_once_each_in_order(clock: FakeClock) -> None:
    r = runner(
        clock, 'title="T"\nprepare=3\n[[step]]\nname="A"\nkind="release"\nhold=5\nper_side=true'
    )
    seen = []
    while r.state is not RunnerState.FINISHED:
        clock.advance(0.3)
        seen += [(c.name.value, c.value, round(c.at - 1000, 3)) for c in r.poll()]
    assert seen == [
        ("next", None, 0.0),
        ("countdown", 2, 1.0), ("countdown", 1, 2.0),
        ("go", None, 3.0), ("countdown", 3, 5.0), ("countdown", 2, 6.0), ("countdown", 1, 7.0),
        ("switch", None, 8.0), ("countdown", 2, 9.0), ("countdown", 1, 10.0),
        ("go", None, 11.0), ("countdown", 3, 13.0), ("countdown", 2, 14.0), ("countdown", 1, 15.0),
        ("complete", None, 16.0),
    ]  # fmt: skip


def test_a_very_late_poll_still_gives_every_cue_once(clock: FakeClock) -> None:
    r = runner(clock, 'title="T"\nprepare=3\n[[step]]\nname="A"\nkind="release"\nhold=5')
    first = [c.name.value for c in r.poll()]
    clock.advance(7)
    names = [c.name.value for c in r.poll()]
    assert first == ["next"]
    assert names == ["countdown", "countdown", "go", "countdown", "countdown", "countdown"]


def test_the_time_left_never_jumps_up_when_a_test_to_failure_starts(clock: FakeClock) -> None:
    r = runner(
        clock,
        'title = "T"\nprepare = 5\n[[step]]\nname = "Side plank"\nkind = "stability"\n'
        "hold = 180\nuntil_enter = true\nper_side = true\n",
    )
    lefts = []
    for _ in range(30):  # get-ready, then into the left side's test
        lefts.append(r.snapshot().session_left)
        clock.advance(1)
        r.poll()
    assert all(b <= a for a, b in itertools.pairwise(lefts)), lefts


@pytest.mark.parametrize(("seconds", "status"), [(3, "partial"), (44, "partial"), (46, "done")])
def test_enter_counts_a_timed_set_as_done_only_once_most_of_it_is(
    clock: FakeClock, seconds: float, status: str
) -> None:
    r = runner(
        clock,
        'title = "T"\nprepare = 0\n[[step]]\nname = "Bridge"\nkind = "stability"\n'
        'reps = 60\ntempo = 1\n[[step]]\nname = "Next"\nkind = "release"\nhold = 30\n',
    )
    clock.advance(seconds)  # of a 60 s set: 75 % is 45 s
    r.poll()
    r.done()
    assert r.progress[0].status == status


def test_enter_still_ends_an_open_rep_set_as_done(clock: FakeClock) -> None:
    r = runner(
        clock, 'title = "T"\nprepare = 0\n[[step]]\nname = "B"\nkind = "stability"\nreps = 5\n'
    )
    clock.advance(2)
    r.poll()
    r.done()
    assert r.progress[0].status == "done"


def test_a_paced_set_shows_the_phase_of_each_rep(clock: FakeClock) -> None:
    r = runner(
        clock, 'title="T"\nprepare=2\n[[step]]\nname="A"\nkind="analytic"\nreps=3\ntempo=[1, 2, 2]'
    )
    assert r.snapshot().phase is None  # getting ready: no rep under way
    clock.advance(2.0)
    r.poll()
    timeline = [(p.name, p.start, p.length) for p in r.snapshot().rep_timing]
    assert timeline == [("up", 0, 1), ("hold", 1, 2), ("down", 3, 2)]
    seen = []
    for _ in range(30):  # every half second through the three reps
        snap = r.snapshot()
        assert snap.phase is not None and snap.phase_left is not None
        seen.append((snap.rep, snap.phase.name))
        # the screen is woken at each phase's end, not only each second
        assert r.next_change_in() <= snap.phase_left + 1e-9 or snap.phase_left == 0
        clock.advance(0.5)
        r.poll()
    assert seen[:10] == [
        (1, "up"), (1, "up"), (1, "hold"), (1, "hold"), (1, "hold"), (1, "hold"),
        (1, "down"), (1, "down"), (1, "down"), (1, "down"),
    ]  # fmt: skip
    assert seen[10] == (2, "up") and seen[-1] == (3, "down")
    assert r.state is RunnerState.FINISHED


def test_the_first_side_may_be_the_right(clock: FakeClock) -> None:
    r = runner(
        clock,
        'title="T"\nprepare=1\n[[step]]\nname="A"\nkind="stability"\nhold=3\nper_side=true\n'
        'sets=2\nfirst_side="right"\nextra_side="left"',
    )
    sides = [s.side for s in r.segments if s.kind is SegmentKind.WORK]
    assert sides == ["right", "left", "right", "left", "left"]
    kinds = [(s.kind, s.side) for s in r.segments if s.kind is not SegmentKind.WORK]
    # back to the right for set 2; the extra left set follows the left just done: a rest
    assert kinds[1:] == [
        (SegmentKind.SWITCH, "left"), (SegmentKind.SWITCH, "right"),
        (SegmentKind.SWITCH, "left"), (SegmentKind.REST, None),
    ]  # fmt: skip
