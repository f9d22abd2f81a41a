"""`gluteterm assessments`: each self-assessment with its figures per side and its reading."""

from __future__ import annotations

import sys

from gluteterm.core.assessment import (
    NOT_A_DIAGNOSIS,
    TESTS,
    AssessmentResult,
    Measure,
    proposals,
    readings,
    weaker_side,
)
from gluteterm.core.text import printable
from gluteterm.store.api import Store

LABELS = {
    "single_leg_stance": "single-leg stance, pelvis drop",
    "single_leg_squat": "single-leg squat, knee inside",
    "single_leg_bridge": "single-leg bridge, reps",
    "side_plank": "side plank, seconds",
}


def cmd_assessments(store: Store | None = None) -> int:
    """Print every assessment, newest first; unreadable files are named on stderr."""
    found = (store or Store.default()).assessments()
    if not found.results:
        print("No self-assessments yet: run one from home with t (or 'gluteterm assess').")
    for number, result in enumerate(found.results):
        if number:
            print()
        print(describe(result, latest=result is found.last))
    if found.results:
        print(f"\n{NOT_A_DIAGNOSIS}")
    for problem in found.problems:
        print(printable(problem), file=sys.stderr)
    return 0


def _figure(value: object, measure: Measure) -> str:
    if value is None:
        return "-"
    if measure is Measure.YES_NO:
        return "yes" if value else "no"
    return f"{value:g}" if isinstance(value, int | float) else "-"


def describe(result: AssessmentResult, latest: bool = False) -> str:
    """One assessment as plain text: a row per test (left, right), then its reading."""
    partial = "  partial: not finished, it decides nothing" if result.partial else ""
    lines = [result.taken.strftime("%Y-%m-%d %H:%M (UTC%z)") + partial]
    width = max(len(label) for label in LABELS.values())
    lines.append(f"  {'':{width}}  {'left':>5}  {'right':>5}")
    for test in TESTS:
        figures = result.figures(test)
        if figures.left is None and figures.right is None:
            continue
        left, right = (_figure(figures.get(s), test.measure) for s in ("left", "right"))
        lines.append(f"  {LABELS[test.key]:{width}}  {left:>5}  {right:>5}")
    lines += [f"  - {printable(r.text)}" for r in readings(result)]
    weaker = weaker_side(result)
    none = "not decided (not finished)" if result.partial else "none found"
    lines.append(f"  weaker side: {weaker or none}")
    if latest:
        lines += [f"  start: {p.drill} ({printable(p.reason)})" for p in proposals(result)]
    return "\n".join(lines)
