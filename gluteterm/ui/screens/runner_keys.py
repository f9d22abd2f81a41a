"""The runner's keys: each sends a command to the session, or works the screen itself.

The set never changes during a session: each change rebuilds Textual's Footer,
whose old keys are never freed. The check-in keys stay out of the footer; the
question bar shows them while it is open.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

#: The session commands the keys send (`RunnerScreen.action_session`).
SESSION_COMMANDS = {
    "toggle_pause",
    "next",
    "back",
    "adjust",
    "done",
    "flag",
    "skip_drill",
    "answer",
}

RUNNER_KEYS: list[BindingType] = [
    Binding(
        "space",
        "session('toggle_pause')",
        "Pause",
        id="runner.pause",
        tooltip="Pause or resume",
    ),
    Binding(
        "n,right",
        "session('next')",
        "Next",
        id="runner.next",
        tooltip="Skip the rest of this step",
    ),
    Binding(
        "p,left",
        "session('back')",
        "Back",
        id="runner.previous",
        tooltip="Restart this step, or go back one if it just started",
    ),
    Binding(
        "plus,equals_sign",
        "session('adjust', 10)",
        "10s",
        id="runner.more",
        key_display="+/-",
        tooltip="+ adds 10 s to this segment, - takes 10 s off",
    ),
    Binding("minus", "session('adjust', -10)", "-10s", id="runner.less", show=False),
    Binding("enter", "session('done')", "Done", id="runner.done", tooltip="End this set now"),
    Binding("i", "card", "Card", id="runner.card", tooltip="How to do this drill"),
    Binding("g", "toggle_figure", "Figure", id="runner.figure", tooltip="Show or hide"),
    Binding("q", "quit_session", "Quit", id="runner.quit"),
    Binding("m", "app.toggle_mute", "Mute", id="runner.mute", tooltip="Sound cues on or off"),
    Binding("v", "app.toggle_voice", "Voice", id="runner.voice", tooltip="Speak step names"),
    Binding("o", "app.phone", "Phone", id="runner.phone", show=False, tooltip="Phone page"),
    Binding("ctrl+z", "suspend", "Suspend", show=False, id="runner.suspend"),
    # The check-in keys: the question bar shows them while it is open. They stay
    # out of the footer, and the set of bindings never changes during a session:
    # each change rebuilds Textual's Footer, whose old keys are never freed.
    Binding("h", "session('flag', 'h')", "Hip drop", id="runner.flag_hip", show=False),
    Binding("k", "session('flag', 'k')", "Knees in", id="runner.flag_knees", show=False),
    Binding("b", "session('flag', 'b')", "Back/hams", id="runner.flag_back", show=False),
    Binding("x", "session('flag', 'x')", "Pain", id="runner.flag_pain", show=False),
    Binding("s", "session('skip_drill')", "Skip drill today", id="runner.skip_drill", show=False),
    Binding("y", "session('answer', True)", "Yes", id="runner.yes", show=False),
    Binding("escape", "close", "Close", id="runner.close", show=False),
]
