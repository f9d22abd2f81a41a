"""How a plan expands into segments."""

from __future__ import annotations

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
