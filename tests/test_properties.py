"""Property-based tests: the runner under any use, and plan loading under any input."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gluteterm.core.errors import PlanError
from gluteterm.core.loader import parse_plan
from gluteterm.core.runner import CueName, Runner
from tests.support import FakeClock, make_plan

PLAN = make_plan(
    """
    title = "Everything"
    prepare = 2
    [[step]]
    name = "Roll"
    kind = "release"
    hold = 5
    per_side = true
    [[step]]
    name = "Bridge"
    kind = "stability"
    reps = 3
    tempo = 1.5
    sets = 2
    rest = 3
    [[step]]
    name = "Open set"
    kind = "stability"
    reps = 4
    [[step]]
    name = "Stretch"
    kind = "stretch"
    hold = 4
    [[step]]
    name = "Bound"
    kind = "acceleration"
    reps = 2
    tempo = 2
    """
)

actions = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.floats(0, 40, allow_nan=False)),
        st.tuples(
            st.sampled_from(
                ["pause", "resume", "toggle", "next", "previous", "plus", "minus", "done"]
            ),
            st.just(0.0),
        ),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions)
def test_the_runner_holds_up_under_any_use(script: list[tuple[str, float]]) -> None:
    clock = FakeClock()
    runner = Runner(PLAN, clock, sleep_gap=None)
    start = clock.now
    entered: set[int] = set()  # every step the runner went into, seen through its cues

    def observe() -> None:
        entered.update(
            c.step_index
            for c in runner.poll()
            if c.name is CueName.NEXT and c.step_index is not None
        )

    actions: dict[str, Callable[[], object]] = {
        "pause": runner.pause, "resume": runner.resume, "toggle": runner.toggle_pause,
        "next": runner.next_step, "previous": runner.previous, "done": runner.done,
        "plus": lambda: runner.adjust(10), "minus": lambda: runner.adjust(-10),
    }  # fmt: skip
    observe()
    for action, amount in script:
        if action == "wait":
            clock.advance(amount)
            observe()
        else:
            actions[action]()
        snap = runner.snapshot()
        assert snap.remaining is None or snap.remaining >= 0
        assert snap.elapsed >= 0 and snap.session_left >= 0
        assert 0 <= snap.progress <= 1
        observe()
    runner.stop()
    records = runner.progress_in_order
    indexes = [r.index for r in records]
    assert indexes == sorted(set(indexes)), "a step recorded twice"
    assert set(indexes) == entered, "a step that was reached was lost"
    assert all(r.actual_seconds >= 0 and r.work_seconds <= r.actual_seconds + 1e-9 for r in records)
    assert runner.finished_at is not None
    wall = runner.finished_at - start
    active = sum(r.actual_seconds for r in records)
    assert abs(active - (wall - runner.paused_total)) < 1e-6
    assert abs(runner.active_seconds - active) < 1e-6


# -- plan loading: it loads, or it says why; nothing else ----------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["release", "mobility", "stretch", "analytic", "stability", "acceleration"]),
)
keys = st.sampled_from(
    [
        "name",
        "kind",
        "hold",
        "reps",
        "tempo",
        "sets",
        "rest",
        "per_side",
        "cue",
        "equipment",
        "levels",
        "holdd",
    ]
)
values = st.one_of(scalars, st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=3))
steps = st.dictionaries(keys, values, max_size=8)
plans = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(st.text(max_size=40), st.integers()),
        "description": st.text(max_size=40),
        "prepare": st.one_of(st.integers(-5, 40), st.floats(allow_nan=False, allow_infinity=False)),
        "rest": st.integers(-5, 700),
        "step": st.lists(steps, max_size=6),
        "extra": st.text(max_size=5),
    },
)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value if v is not None]
    return value


@settings(max_examples=400, deadline=None)
@given(plans)
def test_any_plan_loads_or_raises_a_plan_error(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(_drop_none(document))
    try:
        loaded = parse_plan(text, "gen.toml", "gen")
    except PlanError as exc:
        problems = exc.problems
    else:
        assert loaded.plan.steps and loaded.plan.title
        return
    assert problems and all(p.file == "gen.toml" for p in problems)
    assert all(p.message for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_loads_or_raises_a_plan_error(text: str) -> None:
    with contextlib.suppress(PlanError):
        parse_plan(text, "t.toml", "t")
