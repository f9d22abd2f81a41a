"""Fitting a session to the minutes someone has."""

from __future__ import annotations

import pytest
import tomli_w

from gluteterm.cli.main import main
from gluteterm.core.fit import FitError, fit, is_jump, longest, shortest, window
from gluteterm.core.loader import parse_plan
from gluteterm.core.plan import Kind
from gluteterm.core.plan_file import plan_document
from gluteterm.core.timeline import plan_seconds
from gluteterm.store.plans import discover
from tests.support import REPO

PLANS = {e.id: e.plan for e in discover(REPO / "sessions", None) if e.plan}


@pytest.mark.parametrize("plan_id", sorted(PLANS))
@pytest.mark.parametrize("minutes", [2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 18, 20, 25, 30])
def test_fits_within_5_percent_or_says_the_shortest(plan_id: str, minutes: int) -> None:
    plan = PLANS[plan_id]
    least = plan_seconds(shortest(plan))
    most = plan_seconds(longest(plan))
    assert least < plan_seconds(plan) < most
    if least > minutes * 60 * 1.05:
        with pytest.raises(FitError, match=r"the shortest it can be is about \d+ min"):
            fit(plan, minutes)
        return
    if most < minutes * 60 * 0.95:
        # Past every drill's range a warm-up turns into a workout: refused, and said so.
        with pytest.raises(FitError, match=r"can stretch only to about .* dose range"):
            fit(plan, minutes)
        return
    fitted = fit(plan, minutes)
    assert abs(plan_seconds(fitted) - minutes * 60) <= 0.05 * minutes * 60
    assert len(fitted.steps) == len(plan.steps)
    assert [s.name for s in fitted.steps] == [s.name for s in plan.steps]
    # the fitted plan passes validation, warnings included
    text = tomli_w.dumps(plan_document(fitted))
    reloaded = parse_plan(text, "fitted.toml", plan_id, drills=fitted.drills)
    assert reloaded.plan == fitted
    assert reloaded.warnings == ()
    for step in fitted.steps:
        span = window(fitted, step)
        if span is not None:
            value = step.hold if step.hold is not None else step.reps
            assert value in span and span.sets_low <= step.sets <= span.sets_high, step
        if is_jump(fitted, step) and step.most_sets > 1:
            assert fitted.rest_for(step) >= 30


def test_shortening_drops_rests_and_sets_before_holds() -> None:
    plan = PLANS["unlock-and-activate"]
    fitted = fit(plan, 16)
    originals = {s.name: s for s in plan.steps}
    assert all(
        s.hold == originals[s.name].hold and s.reps == originals[s.name].reps for s in fitted.steps
    )
    assert sum(s.rest or 0 for s in fitted.steps) < sum(s.rest or 0 for s in plan.steps)


def test_too_short_says_what_the_shortest_is() -> None:
    with pytest.raises(
        FitError, match=r"shortest it can be is about 12 min; give it at least 12 minutes"
    ):
        fit(PLANS["unlock-and-activate"], 2)


def test_cli_minutes_refuses_with_the_shortest_fit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "unlock-and-activate", "--minutes", "2"]) == 2
    assert "shortest it can be" in capsys.readouterr().err


def test_cli_minutes_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "quick", "--minutes", "0"])
    assert exit_info.value.code == 2
    assert "expected 1 to 180 minutes" in capsys.readouterr().err


def test_stretches_stay_brief_when_lengthened() -> None:
    fitted = fit(PLANS["quick"], 12)
    stretch = next(s for s in fitted.steps if s.kind is Kind.STRETCH)
    assert stretch.hold is not None and stretch.hold <= 30 and stretch.hold * stretch.sets <= 60


def test_lengthening_adds_sets_inside_the_range_never_scales_past_it() -> None:
    # Quick at 20 minutes once gave 36 skater bounds in one set; now each drill stops at
    # the top of its range and sets are added, and past that the plan is refused.
    plan = PLANS["quick"]
    fitted = fit(plan, 16)
    bound = next(s for s in fitted.steps if s.drill == "skater-bound")
    assert bound.reps is not None and bound.reps <= 8 and bound.sets >= 1
    assert any(s.sets > 1 for s in fitted.steps)
    assert all(
        (s.hold if s.hold is not None else s.reps) in span
        for s in fitted.steps
        if (span := window(fitted, s)) is not None
    )
    hold = next(s for s in fitted.steps if s.name == "Glute bridge hold")
    assert hold.hold == 15  # a step dosed its own way grows by half at most
    with pytest.raises(FitError, match="can stretch only to about"):
        fit(plan, 20)


def test_jump_rests_are_never_cut_below_30_seconds() -> None:
    plan = PLANS["unlock-and-activate"]
    for minutes in (12, 13, 15):
        fitted = fit(plan, minutes)
        jumps = [s for s in fitted.steps if is_jump(fitted, s)]
        assert jumps and all(fitted.rest_for(s) >= 30 for s in jumps if s.most_sets > 1)
        others = [s for s in fitted.steps if s.rest is not None and not is_jump(fitted, s)]
        assert any(fitted.rest_for(s) < 30 for s in others) or minutes > 13
