"""How a plan expands into segments."""

from __future__ import annotations

import dataclasses

from gluteterm.core.timeline import SegmentKind, expand, plan_seconds
from tests.support import make_plan

P, W, S, R = SegmentKind.PREPARE, SegmentKind.WORK, SegmentKind.SWITCH, SegmentKind.REST


def shape(toml: str) -> list[tuple[SegmentKind, float | None, int, str | None]]:
    return [(s.kind, s.duration, s.set_no, s.side) for s in expand(make_plan(toml))]


def test_timed_step_gets_ready_then_works() -> None:
    assert shape('title="T"\nprepare=5\n[[step]]\nname="A"\nkind="release"\nhold=45') == [
        (P, 5, 1, None),
        (W, 45, 1, None),
    ]


def test_per_side_switches_with_the_get_ready_time_when_there_is_no_rest() -> None:
    toml = 'title="T"\nprepare=5\n[[step]]\nname="A"\nkind="release"\nhold=45\nper_side=true'
    assert shape(toml) == [
        (P, 5, 1, None),
        (W, 45, 1, "left"),
        (S, 5, 1, "right"),
        (W, 45, 1, "right"),
    ]


def test_sets_rest_between_them_and_sides_use_the_rest() -> None:
    toml = (
        'title="T"\nprepare=0\nrest=99\n[[step]]\nname="A"\nkind="stability"\nreps=4\ntempo=2'
        "\nsets=2\nrest=20\nper_side=true"
    )
    assert shape(toml) == [
        (W, 8, 1, "left"),
        (S, 20, 1, "right"),
        (W, 8, 1, "right"),
        (R, 20, 1, None),
        (W, 8, 2, "left"),
        (S, 20, 2, "right"),
        (W, 8, 2, "right"),
    ]


def test_per_side_sets_without_rest_switch_back_to_the_left() -> None:
    toml = 'title="T"\nprepare=4\n[[step]]\nname="A"\nkind="analytic"\nreps=2\ntempo=3\nsets=2\nper_side=true'
    kinds = [(k, side) for k, _, _, side in shape(toml)]
    assert kinds == [
        (P, None),
        (W, "left"),
        (S, "right"),
        (W, "right"),
        (S, "left"),
        (W, "left"),
        (S, "right"),
        (W, "right"),
    ]


def test_unpaced_reps_are_open_and_estimated() -> None:
    plan = make_plan('title="T"\nprepare=0\n[[step]]\nname="A"\nkind="stability"\nreps=10')
    [segment] = expand(plan)
    assert segment.duration is None and segment.kind is W
    assert plan_seconds(plan) == 30.0


def test_plan_rest_is_the_default() -> None:
    toml = 'title="T"\nprepare=0\nrest=15\n[[step]]\nname="A"\nkind="stability"\nreps=2\ntempo=1\nsets=2'
    assert shape(toml) == [(W, 2, 1, None), (R, 15, 1, None), (W, 2, 2, None)]


def test_a_change_of_position_or_equipment_gets_a_longer_get_ready() -> None:
    from gluteterm.core.timeline import (
        BIG_CHANGE_PREPARE,
        CHANGE_PREPARE,
        prepare_seconds,
        setup_change,
    )

    plan = make_plan(
        'title="T"\nprepare=5\n'
        '[[step]]\nname="Stand"\nkind="stability"\nhold=20\nposition="standing"\n'
        '[[step]]\nname="Stand again"\nkind="stability"\nhold=20\nposition="standing"\n'
        '[[step]]\nname="Roll"\nkind="release"\nhold=30\nposition="lying"\n'
        'equipment=["foam roller"]\n'
        '[[step]]\nname="Roll on"\nkind="release"\nhold=30\nposition="lying"\n'
        'equipment=["foam roller"]\n'
        '[[step]]\nname="Side"\nkind="analytic"\nhold=20\nposition="side-lying"\n'
        'equipment=["foam roller"]\n'
        '[[step]]\nname="Walk"\nkind="stability"\nhold=20\nequipment=["mini band"]\n'
        '[[step]]\nname="Unsaid"\nkind="stability"\nhold=20\nequipment=["mini band"]\n'
    )
    prepares = [s.duration for s in expand(plan) if s.kind is SegmentKind.PREPARE]
    assert prepares == [5, 5, BIG_CHANGE_PREPARE, 5, CHANGE_PREPARE, CHANGE_PREPARE, 5]
    assert CHANGE_PREPARE >= 10 and BIG_CHANGE_PREPARE <= 15
    change = setup_change(plan, 2)
    assert change.position == ("standing", "lying") and change.put_on == ("foam roller",)
    assert str(change) == "standing to lying · get: foam roller"
    # a band instead of the roller, position not said: equipment alone
    walk = setup_change(plan, 5)
    assert walk.position is None and walk.take_off == ("foam roller",) and bool(walk)
    assert not setup_change(plan, 1) and str(setup_change(plan, 1)) == ""
    # the first step starts from standing with nothing in hand
    first = make_plan(
        'title="T"\n[[step]]\nname="Roll"\nkind="release"\nhold=30\nposition="lying"\n'
        'equipment=["foam roller"]'
    )
    assert prepare_seconds(first, 0) == BIG_CHANGE_PREPARE
    # a plan's own longer get-ready is kept, and 0 means none at all
    assert prepare_seconds(dataclasses.replace(first, prepare=20), 0) == 20
    none = dataclasses.replace(first, prepare=0)
    assert [s.kind for s in expand(none)] == [SegmentKind.WORK]


def test_every_shipped_drill_says_where_it_is_done_from() -> None:
    from gluteterm.core.plan import POSITIONS
    from gluteterm.store.drills import DrillLibrary
    from tests.support import REPO

    library = DrillLibrary(REPO / "gluteterm" / "drills", None)
    for drill_id in library:
        assert library[drill_id].position in POSITIONS, drill_id


def test_a_paced_rep_splits_into_up_hold_and_down() -> None:
    from gluteterm.core.timeline import phase_at, rep_timing

    phased = make_plan(
        'title="T"\n[[step]]\nname="A"\nkind="analytic"\nreps=5\ntempo=[1, 2, 2]'
    ).steps[0]
    assert phased.tempo == 5
    timing = [(p.name, p.start, p.length) for p in rep_timing(phased)]
    assert timing == [("up", 0, 1), ("hold", 1, 2), ("down", 3, 2)]
    found = phase_at(phased, 0.5)
    assert found is not None and found[0].name == "up" and found[1] == 0.5
    found = phase_at(phased, 6.5)  # second rep, 1.5 s in: holding
    assert found is not None and found[0].name == "hold" and abs(found[1] - 0.5) < 1e-9
    found = phase_at(phased, 9.9)
    assert found is not None and found[0].name == "down"
    # a plain number: half up, half down, no hold
    even = make_plan('title="T"\n[[step]]\nname="A"\nkind="analytic"\nreps=5\ntempo=4').steps[0]
    assert [(p.name, p.length) for p in rep_timing(even)] == [("up", 2), ("hold", 0), ("down", 2)]
    found = phase_at(even, 2.5)
    assert found is not None and found[0].name == "down"  # a 0 s hold is skipped
    # a hold, or reps the user ends, have no phases
    held = make_plan('title="T"\n[[step]]\nname="A"\nkind="analytic"\nhold=5').steps[0]
    assert rep_timing(held) == () and phase_at(held, 1) is None


def test_a_figure_rises_holds_at_the_top_and_lowers_with_the_phases() -> None:
    from gluteterm.core.timeline import pose_phase

    timing = (1.0, 2.0, 2.0)
    assert [pose_phase(timing, t) for t in (0, 0.5, 1.0, 2.0, 2.9, 3.0, 4.0)] == [
        0.0, 0.25, 0.5, 0.5, 0.5, 0.5, 0.75,
    ]  # fmt: skip
    assert pose_phase(timing, 5.5) == 0.25  # the next rep, halfway up
    assert pose_phase((2.0, 0.0, 2.0), 2.0) == 0.5 and pose_phase((2.0, 0.0, 2.0), 3.0) == 0.75
    assert pose_phase((0.0, 0.0, 0.0), 1.0) == 0.0
