"""What goes between the session and the phone page: views out as JSON, commands in.

The page is sent what the terminal shows (the `SessionView`), with the time
left counted at the moment of sending, and the figure's timing (period and
phase), never frames: it counts down and animates by itself between messages.
A command from the page is one of the session's own commands, checked here;
anything else is ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gluteterm.core.display import SessionView
from gluteterm.core.text import clock, printable

if TYPE_CHECKING:
    from gluteterm.ui.session import LiveSession

#: The +/- buttons: as many seconds as the terminal's + and - keys.
ADJUST_SECONDS = 10.0
FLAG_KEYS = ("h", "k", "b", "x")


def view_message(
    view: SessionView, now: float, *, session_kind: str = "workout", tested: bool = False
) -> dict[str, Any]:
    """`view` as the page is sent it at the monotonic clock reading `now`.

    `session_kind` is "workout" or "assessment"; `tested`: this step is a test that
    ends when the user says (a large "can't keep going" button).
    """
    deadline = view.deadline
    remaining = None if deadline is None else max(0.0, deadline - now)
    # How the big number moves between messages: a countdown, time counting up,
    # or as sent (a rep number, a paused clock).
    running = view.state not in ("paused", "finished")
    if running and view.remaining is not None and view.big == clock(view.remaining):
        counts = "down"
    elif running and view.remaining is None and view.big == clock(view.elapsed):
        counts = "up"
    else:
        counts = "no"
    motion = view.motion
    phase, into = motion.phase, 0.0
    if motion.period is not None:
        into = (now - motion.origin) % motion.period
        if motion.phases is not None:
            from gluteterm.core.figure import tempo_phase

            phase = tempo_phase(now - motion.origin, *motion.phases)
        else:
            phase = into / motion.period
    question = view.question
    return {
        "type": "view",
        "session_kind": session_kind,
        "tested": tested,
        "title": view.title,
        "state": view.state,
        "band": view.band,
        "mark": view.mark,
        "step": view.step_index,
        "step_number": view.step_number,
        "step_count": view.step_count,
        "step_name": view.step_name,
        "kind": view.kind.value,
        "side": view.side,
        "big": view.big,
        "counts": counts,
        "remaining": remaining,
        "elapsed": view.elapsed + (now - view.at if running else 0.0),
        "small": view.small,
        "counters": view.counters,
        "setup": view.setup,
        "cue": view.cue,
        "up_next": view.up_next,
        "progress": view.progress,
        "session_left": max(0.0, view.session_left - (now - view.at if running else 0.0)),
        "segment": view.segment_index,
        "rep": view.rep,
        "reps": view.reps,
        "sound": view.sound,
        "card_step": view.card_step,
        "figure": {
            "drill": motion.drill,
            "side": motion.side,
            "period": motion.period,
            "phase": phase,
            # A paced rep: up, hold and down seconds, and how far into the rep it is.
            "phases": list(motion.phases) if motion.phases is not None else None,
            "into": into,
        },
        "question": None
        if question is None
        else {
            "kind": question.kind,
            "step": question.step_index,
            "subject": question.subject,
            "prompt": question.prompt,
            "side": question.side,
            "felt": question.felt,
            "flags": list(question.flags),
            "advice": question.advice,
            "flag_keys": [list(pair) for pair in question.flag_keys],
            "can_skip": question.can_skip,
        },
    }


def card_message(session: LiveSession, index: int) -> dict[str, Any]:
    """The card of step `index`'s drill (how, feel, faults), as the terminal's `i` shows it."""
    from gluteterm.core.drill_card import card_lines

    plan = session.plan
    index = min(max(index, 0), len(plan.steps) - 1)
    step = plan.steps[index]
    drill = session.drill_of(index)
    if drill is not None and plan.drills is not None:
        lines = card_lines(drill, plan.drills, step)
    else:
        lines = [session.name_of(index), "", step.cue_text]
    return {"type": "card", "step": index, "lines": [printable(line) for line in lines]}


def figure_message(session: LiveSession, index: int) -> dict[str, Any]:
    """The figure of step `index`'s drill over its whole cycle (see `figure_shapes`)."""
    from gluteterm.core.figure import figure_shapes

    drill = session.drill_of(min(max(index, 0), len(session.plan.steps) - 1))
    figure = drill.figure if drill is not None else None
    return {
        "type": "figure",
        "drill": drill.id if drill is not None else None,
        "shapes": figure_shapes(figure) if figure is not None else None,
    }


def apply_command(session: LiveSession, message: Any) -> bool:
    """Send the session the command in `message` (a decoded JSON object); False if it
    is not one the page may send."""
    if not isinstance(message, dict):
        return False
    do = message.get("do")
    value = message.get("value")
    simple = {
        "toggle_pause": session.toggle_pause,
        "pause": session.pause,
        "resume": session.resume,
        "next": session.next,
        "back": session.back,
        "done": session.done,
        "skip_drill": session.skip_drill,
        "close_question": session.close_question,
    }
    if do in simple:
        simple[do]()
    elif do == "adjust" and value in (1, -1):
        session.adjust(ADJUST_SECONDS * value)
    elif do == "felt" and type(value) is int and 0 <= value <= 9:
        session.felt(value)
    elif do == "flag" and value in FLAG_KEYS:
        session.flag(value)
    elif do == "answer" and type(value) is bool:
        session.answer(value)
    else:
        return False
    return True
