"""`gluteterm build`: a warm-up composed for today's minutes, equipment and focus.

Without `--save` the plan goes to stdout as TOML (so `> my.toml` is a valid
plan file) and a one-line summary to stderr; with `--save ID` it is written to
the user's sessions folder through the `Store`, never over an existing file
unless `--force`.
"""

from __future__ import annotations

import sys
from datetime import date

from gluteterm.core.errors import GlutetermError
from gluteterm.core.plan import Plan
from gluteterm.core.text import printable, seconds_exact
from gluteterm.core.timeline import plan_seconds
from gluteterm.store.api import Store, plan_id_problem


def cmd_build(
    minutes: float,
    equipment: str,
    focus: str,
    save: str | None = None,
    force: bool = False,
    *,
    store: Store | None = None,
    today: date | None = None,
) -> int:
    """Build the plan, then print it or save it; user errors raise `GlutetermError`.

    The plan is built and checked by the loader through `Store.build_plan`, as
    the app's build dialog does, so what is saved is what `check` accepts.
    """
    store = store or Store.default()
    problem = plan_id_problem(save) if save is not None else ""
    if problem:
        raise GlutetermError(problem)
    if save is not None and store.is_taken(save) and not force:
        raise GlutetermError(
            f"a session called '{save}' exists already ({store.user_file(save)} or a shipped "
            "one); pick another id, or add --force to replace it with the built plan"
        )
    day = today or date.today()
    loaded = store.build_plan(minutes, equipment.split(","), focus, day)
    plan = loaded.plan
    for warning in loaded.warnings:
        print(f"gluteterm: {printable(str(warning))}", file=sys.stderr)
    stopped = store.stopped_today(day)
    if stopped:
        from gluteterm.core.pain import stopped_notes

        for note in stopped_notes(stopped, store.drills()):
            print(f"gluteterm: {printable(note)}", file=sys.stderr)
    summary = _summary(plan)
    gate = store.landing_gate()
    if gate.reason:
        summary += printable(f"; {gate.reason}")
    if save is None:
        sys.stdout.write(plan_text(plan))
        print(f"gluteterm: {summary}", file=sys.stderr)
        return 0
    if force:
        target = store.replace_plan(plan, save)
    else:
        try:
            target, _ = store.claim_plan(plan, save)
        except GlutetermError:  # claimed since the check above (another gluteterm): not replaced
            raise GlutetermError(
                f"a session called '{save}' was saved while this one was being built "
                f"({store.user_file(save)}); nothing was written: pick another id, "
                "or add --force to replace it"
            ) from None
    print(f"gluteterm: {summary}", file=sys.stderr)
    print(f"saved {printable(str(target))}; run it with: gluteterm run {save}")
    return 0


def plan_text(plan: Plan) -> str:
    """The plan as a TOML plan file, with a comment saying where it came from."""
    import tomli_w

    from gluteterm.core.plan_file import plan_document

    head = "# Built by 'gluteterm build'; edit it freely, 'gluteterm check' validates it.\n"
    return head + tomli_w.dumps(plan_document(plan))


def _summary(plan: Plan) -> str:
    weaker = next((step.extra_side for step in plan.steps if step.extra_side), None)
    extra = f"; an extra set for the {weaker} side (last assessment)" if weaker else ""
    return printable(
        f"built '{plan.title}': {len(plan.steps)} steps, "
        f"{seconds_exact(plan_seconds(plan))} min{extra}"
    )
