"""Fitting a session to the minutes someone has."""

from __future__ import annotations

import pytest
import tomli_w

from gluteterm.cli.main import main
from gluteterm.core.fit import FitError, fit, shortest
from gluteterm.core.loader import parse_plan
from gluteterm.core.plan import Kind
from gluteterm.core.plan_file import plan_document
from gluteterm.core.timeline import plan_seconds
from gluteterm.store.plans import discover
from tests.support import REPO

PLANS = {e.id: e.plan for e in discover(REPO / "sessions", None) if e.plan}


#: Sessions that cannot stretch this far without breaking a limit (stretch caps, max reps).
TOO_LONG = {("quick", 25), ("quick", 30)}


@pytest.mark.parametrize("plan_id", sorted(PLANS))
@pytest.mark.parametrize("minutes", [2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 18, 20, 25, 30])
def test_fits_within_5_percent_or_says_the_shortest(plan_id: str, minutes: int) -> None:
    plan = PLANS[plan_id]
    least = plan_seconds(shortest(plan))
    if least > minutes * 60 * 1.05:
        with pytest.raises(FitError, match=r"the shortest it can be is about \d+ min"):
            fit(plan, minutes)
        return
    if (plan_id, minutes) in TOO_LONG:
        with pytest.raises(FitError, match="can stretch only to about"):
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
    for step in fitted.steps:
        if step.kind is Kind.RELEASE and step.hold is not None:
            assert step.hold >= 15
        if step.reps is not None:
            assert step.reps >= min(3, next(s for s in plan.steps if s.name == step.name).reps or 3)


def test_shortening_drops_rests_and_sets_before_holds() -> None:
    plan = PLANS["unlock-and-activate"]
    fitted = fit(plan, 14)
    originals = {s.name: s for s in plan.steps}
    assert all(
        s.hold == originals[s.name].hold and s.reps == originals[s.name].reps for s in fitted.steps
    )
    assert sum(s.rest or 0 for s in fitted.steps) < sum(s.rest or 0 for s in plan.steps)


def test_too_short_says_what_the_shortest_is() -> None:
    with pytest.raises(
        FitError, match=r"shortest it can be is about 7 min; give it at least 7 minutes"
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
