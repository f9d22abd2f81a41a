"""What a display of a live session shows: one plain, immutable view, and the words in it.

`SessionView` is the read model every display renders (the terminal's runner
screen, a phone page): state, step, side, the big number and the line under
it, the cue, what is next, progress, how the figure moves, the question
waiting for an answer. The functions here turn a runner `Snapshot` into its
words; they are pure, so every display says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gluteterm.core import bigdigits
from gluteterm.core.figure import Figure
from gluteterm.core.plan import Kind, Step
from gluteterm.core.runner import RunnerState, Snapshot
from gluteterm.core.text import clock, duration
from gluteterm.core.timeline import Segment, SegmentKind, SetupChange

State = Literal["prepare", "work", "switch", "rest", "paused", "finished"]

#: Each segment's word on the band.
SEGMENT_WORDS = {
    SegmentKind.PREPARE: "GET READY",
    SegmentKind.WORK: "WORK",
    SegmentKind.SWITCH: "SWITCH SIDES",
    SegmentKind.REST: "REST",
}
#: Each state is also drawn in its own shape, so it reads without colour.
STATE_MARKS: dict[str, str] = {
    "prepare": "▸",
    "work": "■",
    "switch": "⇄",
    "rest": "·",
    "paused": "‖",
    "finished": "✓",
}
#: The band at the end, and while the last step's check-in waits for its answer.
DONE_WORDS = "DONE"
LAST_CHECK_IN_WORDS = "DONE: one last check-in, then the summary"
#: A foam-roll hold shows a slow roll back and forth: seconds per pass.
ROLL_SECONDS = 4.0
#: A timed raise (easy skips, a jog on the spot) moves at an easy running rhythm:
#: seconds from one stride to the next and back.
STRIDE_SECONDS = 0.8


def timed_cycle(kind: Kind) -> float | None:
    """How the figure of a timed step moves: seconds a cycle, or None when the step
    holds its top pose still (a stretch, a plank, a bridge hold, a stance)."""
    if kind is Kind.RELEASE:
        return ROLL_SECONDS
    if kind is Kind.ACCELERATION:
        return STRIDE_SECONDS
    return None


@dataclass(frozen=True)
class Motion:
    """What the figure shows and how it moves.

    Moving (`period` set): phase 0 at the monotonic moment `origin`, one cycle
    (start, top, start) every `period` seconds; a paced rep with `phases` rises
    for `up` seconds, holds the top pose for `hold` and lowers for `down`.
    Still: the pose at `phase` (0 the start pose, 0.5 the top).
    """

    figure: Figure | None
    drill: str | None = None
    side: str | None = None
    period: float | None = None
    origin: float = 0.0
    phase: float = 0.0
    #: A paced rep's (up, hold, down) seconds, adding up to `period`.
    phases: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class Question:
    """A question waiting for an answer: a check-in after a drill, or a test's yes/no."""

    kind: Literal["check-in", "yes-no"]
    step_index: int
    #: The drill asked about (check-in), or "Left side" (yes/no).
    subject: str
    prompt: str
    side: str | None = None
    felt: int | None = None
    flags: tuple[str, ...] = ()
    #: The drill's fix for a flagged fault, or what to do after pain.
    advice: str = ""
    #: Flag keys and what each reports (a check-in's h, k, b, x).
    flag_keys: tuple[tuple[str, str], ...] = ()
    #: After pain: the drill can be skipped for the rest of the session.
    can_skip: bool = False
    #: Where it was felt, if answered, and the keys for each answer (a check-in's u t l a).
    where: str | None = None
    where_keys: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SessionView:
    """Everything a display of a live session shows, read at the clock reading `at`."""

    title: str
    state: State
    #: The band's words ("WORK", "PAUSED (work): space to resume").
    band: str
    step_index: int
    step_number: int
    step_count: int
    step_name: str
    kind: Kind
    side: str | None
    #: The big number: time left, the rep to count along with, or time so far.
    big: str
    small: str
    counters: str
    #: At get-ready: what to pick up and where it goes, in capitals.
    setup: str
    cue: str
    up_next: str
    #: The share of the plan behind you, 0..1, and the time left in the session.
    progress: float
    session_left: float
    #: Which segment of the session this is: a display flashes when it changes.
    segment_index: int
    #: Seconds left in this segment at `at` (None: it ends when the user says).
    remaining: float | None
    elapsed: float
    at: float
    rep: int | None
    reps: int | None
    tempo: float | None
    motion: Motion
    question: Question | None
    #: "muted", "sound" or "sound+voice".
    sound: str
    #: The index of the step whose drill card `i` shows (the next one during a rest
    #: before it).
    card_step: int
    #: At a get-ready that changes position or equipment, or a test's leg: the few
    #: essential words to show in large type ("BAND AT KNEES", "LEFT LEG"); "" if none.
    big_setup: str = ""

    @property
    def mark(self) -> str:
        return STATE_MARKS[self.state]

    @property
    def paused(self) -> bool:
        return self.state == "paused"

    @property
    def finished(self) -> bool:
        """Over, with nothing left to answer: the summary comes next. (A session run to
        its end first asks the last step's check-in, in state "finished".)"""
        return self.state == "finished" and self.question is None

    @property
    def deadline(self) -> float | None:
        """When this segment ends on the monotonic clock, while it is counting down."""
        if self.remaining is None or self.state in ("paused", "finished"):
            return None
        return self.at + self.remaining


#: Where a change of position puts you, in a few words for large type.
POSITION_WORDS = {
    "lying": "ON YOUR BACK",
    "side-lying": "ON YOUR SIDE",
    "kneeling": "KNEEL",
    "sitting": "SIT DOWN",
    "standing": "STAND UP",
}
#: Equipment to pick up, in a word.
EQUIPMENT_WORDS = {
    "mini band": "BAND",
    "foam roller": "ROLLER",
    "exercise ball": "BALL",
    "box or bench": "BOX",
    "chair": "CHAIR",
}
#: Where the mini band goes, from the drill's set-up text.
BAND_PLACES = (("knee", "BAND AT KNEES"), ("ankle", "BAND AT ANKLES"), ("feet", "BAND AT FEET"))
#: The most characters of big set-up words (longer ones stay in the capitals line).
BIG_SETUP_CHARS = 16


def big_setup_words(change: SetupChange, setup: str) -> str:
    """The essential words of a change of set-up, for large type: what to put on, or
    else where to go ("BAND AT KNEES", "ON YOUR SIDE", "FACE DOWN"); "" for no change,
    or words the big font cannot draw."""
    text = setup.lower()
    words = ""
    if change.put_on:
        first = change.put_on[0]
        words = EQUIPMENT_WORDS.get(first, first.upper())
        if first == "mini band":
            words = next((big for key, big in BAND_PLACES if key in text), words)
    elif change.position is not None:
        to = change.position[1]
        words = POSITION_WORDS.get(to, to.upper())
        if to == "lying" and "face down" in text:
            words = "FACE DOWN"
        elif to == "kneeling" and "hands and knees" in text:
            words = "ON ALL FOURS"
    elif change.take_off:
        words = f"{EQUIPMENT_WORDS.get(change.take_off[0], 'KIT')} AWAY"
    if len(words) > BIG_SETUP_CHARS or not bigdigits.supports(words):
        return ""
    return words


def state_of(snap: Snapshot) -> State:
    """The display state: the segment's kind, or paused, or finished."""
    if snap.state is RunnerState.FINISHED or snap.segment is None:
        return "finished"
    if snap.state is RunnerState.PAUSED:
        return "paused"
    return snap.segment.kind.value


def band_words(snap: Snapshot, slept_for: float = 0.0) -> str:
    """The words on the state band."""
    seg = snap.segment
    if snap.state is RunnerState.FINISHED or seg is None:
        return DONE_WORDS
    label = SEGMENT_WORDS[seg.kind]
    if snap.state is RunnerState.PAUSED:
        if slept_for:
            return f"PAUSED after a {duration(slept_for)} gap: space to resume"
        return f"PAUSED ({label.lower()}): space to resume"
    return label


def clock_lines(snap: Snapshot, step: Step) -> tuple[str, str]:
    """The big number (the rep to count along with, or the time) and the small line."""
    time = clock(snap.remaining) if snap.remaining is not None else clock(snap.elapsed)
    seg = snap.segment
    if step.until_enter and seg is not None and seg.kind is SegmentKind.WORK:
        if snap.rep is not None:
            return str(snap.rep), f"rep {snap.rep}  ·  Enter when you cannot keep going"
        cap = clock(step.hold or 0)
        return clock(snap.elapsed), f"Enter when you cannot hold it  ·  stops at {cap}"
    if snap.rep is not None and snap.state is RunnerState.RUNNING:
        # A tempo written as up, hold and down says which one is under way.
        now = f"{snap.phase.name.upper()}  ·  " if snap.phase is not None and step.phases else ""
        return str(snap.rep), f"rep {snap.rep} of {snap.reps}  ·  {now}{time} left in the set"
    if snap.rep is not None:
        return time, f"rep {snap.rep} of {snap.reps}"
    return time, ""


def counters(snap: Snapshot) -> str:
    """Set, side and dose: "Set 1 of 2  ·  Left side  ·  10 reps"."""
    seg, step = snap.segment, snap.step
    if seg is None or step is None:
        return ""
    parts = []
    if seg.sets > 1:
        parts.append(f"Set {seg.set_no} of {seg.sets}")
    if seg.side:
        parts.append(f"{seg.side.capitalize()} side")
    if step.until_enter:  # its reps or hold are a cap, not a target
        parts.append("As many as you can" if step.reps else "As long as you can hold it")
    elif step.reps is not None:
        if snap.rep is not None:
            parts.append(f"{snap.reps} reps")
        elif seg.kind is SegmentKind.WORK:
            parts.append(f"{step.reps} reps: Enter when done")
        else:
            parts.append(f"{step.reps} reps")
    elif step.hold is not None:
        parts.append(f"Hold {step.hold} s")
    return "  ·  ".join(parts)


def shown_step(segments: tuple[Segment, ...], index: int) -> int:
    """The step a display shows the figure and the card of during segment `index`.

    A rest before a new step shows the new one; a rest between sets shows the
    drill about to be repeated.
    """
    seg = segments[index]
    if seg.kind is SegmentKind.REST and index + 1 < len(segments):
        return segments[index + 1].step_index
    return seg.step_index
