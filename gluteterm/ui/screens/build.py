"""BuildScreen: ask minutes, equipment and focus, build a warm-up, show it; run or save it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, RadioButton, RadioSet, Static

from gluteterm.core.builder import EQUIPMENT_WORDS, FOCUSES
from gluteterm.core.errors import GlutetermError
from gluteterm.core.limits import FIT_MINUTES, MAX_BUILD_MINUTES
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.plan import Plan
from gluteterm.core.text import printable, seconds_exact
from gluteterm.core.timeline import plan_seconds
from gluteterm.store.api import Store
from gluteterm.store.settings import Settings
from gluteterm.ui.screens.ask import NUMBER_FIELD, minutes_problem, parse_minutes

#: The equipment boxes: the word saved in config.toml, and its label (the drill files' name).
KIT = ("band", "roller", "ball", "box", "chair")
FOCUS_LABELS = {
    "balanced": "balanced",
    "medius": "gluteus medius",
    "maximus": "gluteus maximus",
}
#: From this width on, each step shows its cue under it.
WIDE = 120


class MinutesInput(Input):
    """A number field that leaves letters to the dialog's keys (r runs, s saves)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:  # noqa: ARG002
        return character is not None and character in "0123456789.,"


@dataclass(frozen=True)
class Options:
    """What a plan is built for: when the form no longer says this, the plan is outdated."""

    minutes: float
    equipment: tuple[str, ...]
    focus: str


class BuildScreen(ModalScreen[LoadedPlan | None]):
    """Dismisses with the built plan to run it, or None (Esc)."""

    CSS_PATH = "build.tcss"
    BINDINGS = [
        # Enter builds, or runs the plan shown when the form still says what it was built for.
        Binding("enter", "enter('run')", "Run it", id="build.run", priority=True,
                tooltip="Run the plan shown"),
        Binding("enter", "enter('build')", "Build", id="build.build", priority=True,
                tooltip="Build a warm-up for these minutes, equipment and focus"),
        Binding("r", "after_typing('run')", "Run it", id="build.run_r", priority=True,
                show=False),
        Binding("s", "after_typing('save')", "Save", id="build.save", priority=True,
                tooltip="Save the plan shown as a session of yours"),
        Binding("escape", "back", "Back", id="build.back", tooltip="Back to the sessions"),
    ]  # fmt: skip

    def __init__(
        self,
        store: Store,
        equipment: Iterable[str] | None = None,
        *,
        minutes: float = 10,
        today: Callable[[], date] = date.today,
    ) -> None:
        """`equipment`: the words to tick (default: what the app's settings remember)."""
        super().__init__()
        self.store = store
        self.remembered = None if equipment is None else tuple(equipment)
        self.minutes = minutes
        self.today = today
        self.built: LoadedPlan | None = None
        self.built_for: Options | None = None
        self.problem = ""  # the builder's last refusal, shown in place of a plan

    # -- the form ------------------------------------------------------------

    def compose(self) -> ComposeResult:
        remembered = self.remembered if self.remembered is not None else self._settings_kit()
        have = {EQUIPMENT_WORDS[w] for w in remembered if w in EQUIPMENT_WORDS}
        with Vertical(id="build-dialog"):
            yield Static("Build a warm-up", id="build-title", markup=False)
            with Horizontal(id="build-body"):
                with VerticalScroll(id="build-form"):
                    yield Label(f"Minutes (1-{MAX_BUILD_MINUTES})", markup=False)
                    yield MinutesInput(
                        f"{self.minutes:g}", restrict=NUMBER_FIELD, max_length=6, compact=True,
                        id="build-minutes", placeholder="e.g. 8",
                    )  # fmt: skip
                    yield Label("Equipment (+ bodyweight)", markup=False)
                    for word in KIT:
                        name = EQUIPMENT_WORDS[word]
                        yield Checkbox(
                            Content(name), name in have, compact=True, id=f"kit-{word}", name=word
                        )
                    yield Label("Focus", markup=False)
                    with RadioSet(id="build-focus", compact=True):
                        for focus in FOCUSES:
                            yield RadioButton(
                                Content(FOCUS_LABELS[focus]), focus == "balanced", name=focus,
                                compact=True,
                            )  # fmt: skip
                    yield Button("Build", id="build-go", compact=True)
                with VerticalScroll(id="build-plan"):
                    yield Static(_HINT, id="build-plan-text", markup=False)
        yield Footer(compact=True)

    def _settings_kit(self) -> tuple[str, ...]:
        settings = getattr(self.app, "settings", None)
        return tuple(settings.equipment) if isinstance(settings, Settings) else ()

    def on_mount(self) -> None:
        self.query_one("#build-minutes", Input).focus()

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= WIDE
        if wide != self.has_class("-wide"):
            self.set_class(wide, "-wide")
            self._show()

    def options(self) -> tuple[Options | None, str]:
        """What the form says, or None and what is wrong with it."""
        answer = self.query_one("#build-minutes", Input).value.strip()
        problem = minutes_problem(answer)
        if problem:
            return None, problem.replace(f"{FIT_MINUTES.high:g}", f"{MAX_BUILD_MINUTES}")
        if (parse_minutes(answer) or 0) > MAX_BUILD_MINUTES:
            return None, (
                f"The builder's longest warm-up is {MAX_BUILD_MINUTES} minutes: longer turns "
                f"into a workout. Between 1 and {MAX_BUILD_MINUTES} minutes, please."
            )
        kit = tuple(box.name or "" for box in self.query(Checkbox) if box.value)
        pressed = self.query_one("#build-focus", RadioSet).pressed_button
        focus = pressed.name if pressed is not None and pressed.name else "balanced"
        minutes = parse_minutes(answer)
        assert minutes is not None  # minutes_problem said it is a number
        return Options(minutes, kit, focus), ""

    def _current(self) -> LoadedPlan | None:
        """The plan shown, if the form still says what it was built for."""
        if self.built is None or self.options()[0] != self.built_for:
            return None
        return self.built

    def on_input_changed(self) -> None:
        self._changed()

    def on_checkbox_changed(self) -> None:
        self._changed()

    def on_radio_set_changed(self) -> None:
        self._changed()

    def _changed(self) -> None:
        if self.is_mounted:
            self._show()
            self.refresh_bindings()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_build()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        current = self._current() is not None
        if action == "enter":
            return current == (parameters == ("run",))
        if action in ("run", "save", "after_typing"):
            return current
        return True

    def action_enter(self, _shown_as: str) -> None:
        """Enter builds, or runs a plan still current (`shown_as` only picks the footer's label)."""
        self.action_after_typing("enter")

    def action_after_typing(self, what: str) -> None:
        """Act once the focused field has taken the keys typed before this one.

        A priority key is seen before the field's own queue handles the keys
        that came first (typed fast, or pasted): "8" then Enter must build 8 minutes.
        """
        act = {"enter": self._enter, "run": self.action_run, "save": self.action_save}[what]
        (self.focused or self).call_later(act)

    def _enter(self) -> None:
        if self._current() is not None:
            self.action_run()
        else:
            self.action_build()

    # -- building ------------------------------------------------------------

    def action_build(self) -> None:
        options, problem = self.options()
        if options is None:
            self.notify(problem, severity="warning", markup=False)
            return
        remember = self._remember(options.equipment)
        self.query_one("#build-plan-text", Static).update("Building...")
        self.compose_plan(options, remember)

    def _remember(self, kit: tuple[str, ...]) -> bool:
        """Keep the equipment for this run; True when config.toml should be told too."""
        settings = getattr(self.app, "settings", None)
        if not isinstance(settings, Settings):
            return False
        if list(kit) == settings.equipment:
            return False
        settings.equipment = list(kit)
        return True

    @work(thread=True, exclusive=True, group="build")
    def compose_plan(self, options: Options, remember: bool) -> None:
        """Build off the UI thread: the builder reads the drill library and the log."""
        if remember:
            said = self.store.save_setting("equipment", list(options.equipment))
            if said:
                self.app.call_from_thread(self._warn, f"Equipment {said}")
        try:
            loaded = self.store.build_plan(
                options.minutes, options.equipment, options.focus, self.today()
            )
        except (GlutetermError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else None
            self.app.call_from_thread(self._refused, options, str(reason or exc))
            return
        self.app.call_from_thread(self._built, options, loaded)

    def _built(self, options: Options, loaded: LoadedPlan) -> None:
        if not self.is_attached:  # closed while the plan was being built
            return
        self.built, self.built_for, self.problem = loaded, options, ""
        self._show()
        self.refresh_bindings()

    def _refused(self, options: Options, reason: str) -> None:
        if not self.is_attached:
            return
        self.built, self.built_for, self.problem = None, options, reason
        self._show()
        self.refresh_bindings()

    def _warn(self, text: str) -> None:
        self.notify(printable(text), severity="warning", markup=False, timeout=10)

    def _show(self) -> None:
        text = self.query_one("#build-plan-text", Static)
        options = self.options()[0]
        if self.built is not None:
            outdated = self.built_for != options
            text.update(plan_content(self.built, self.has_class("-wide"), outdated))
        elif self.problem and self.built_for == options:
            text.update(Content(f"No plan: {printable(self.problem)}"))
        else:
            text.update(_HINT)
        text.set_class(self.built is not None and self.built_for != options, "-outdated")

    # -- running and saving ------------------------------------------------

    def action_run(self) -> None:
        loaded = self._current()
        if loaded is not None:
            self.dismiss(loaded)

    def action_save(self) -> None:
        from gluteterm.ui.screens.ask import save_as_new_session

        loaded = self._current()
        if loaded is None:
            return

        def saved(plan_id: str, path: Path, copy: Plan) -> None:
            if self.built is loaded:
                self.built = replace(loaded, plan=copy)  # running it now logs it under its id
                self._show()
            self.notify(
                printable(f"Saved as '{plan_id}' in {path}; it is on the home list."),
                markup=False,
            )

        save_as_new_session(self.app, self.store, loaded.plan, loaded.plan.title, saved, self._warn)

    def action_back(self) -> None:
        self.dismiss(None)


_HINT = Content(
    "Choose the minutes, what you have and a focus, then press Enter to build.\n\n"
    "Space ticks a box or picks a focus; Tab moves between fields."
)


def plan_content(loaded: LoadedPlan, wide: bool = False, outdated: bool = False) -> Content:
    """The plan as the dialog shows it: its length, each step's dose and name by phase."""
    plan = loaded.plan
    parts: list[Content | str | tuple[str, str]] = []
    if outdated:
        parts.append(("Options changed: Enter builds again.\n\n", "bold $warning"))
    parts += [
        (f"{printable(plan.title)}\n", "bold"),
        f"{seconds_exact(plan_seconds(plan))} min in all · {len(plan.steps)} steps\n",
    ]
    if wide and plan.description:
        parts.append((f"{printable(plan.description)}\n", "$foreground-muted"))
    phase = None
    for number, step in enumerate(plan.steps, start=1):
        if step.kind.phase is not phase:
            phase = step.kind.phase
            parts.append((f"\n{phase.value.upper()}\n", "bold $accent"))
        extra = f" (+1 set {step.extra_side})" if step.extra_side else ""
        parts.append(f"{number:>2} {step.short_dose():<11} {printable(step.name)}{extra}\n")
        if wide and step.cue:
            parts.append((f"{'':15}{printable(step.cue_text)}\n", "$foreground-muted"))
    for warning in loaded.warnings:
        parts.append((f"\nnote: {printable(warning.message)}\n", "$warning"))
    return Content.assemble(*parts).rstrip()
