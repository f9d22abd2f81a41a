"""EditorScreen: tweak a session's steps with the keys, save your own copy, or reset it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from gluteterm.core.edit import change, change_prepare, move, toggle
from gluteterm.core.errors import GlutetermError, PlanError
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.plan import Plan, Step
from gluteterm.core.text import duration, printable
from gluteterm.core.timeline import CHANGE_PREPARE, plan_seconds
from gluteterm.store.api import Store
from gluteterm.store.plan_write import ChangedOnDisk
from gluteterm.store.plans import Stamp

COLUMNS = ("#", "On", "Step", "Kind", "Hold", "Reps", "Tempo", "Sets", "Rest", "Sides")
#: What the columns but Step take, with their padding and the scrollbar.
OTHER_COLUMNS = 66
MIN_NAME, MAX_NAME = 12, 60
FIELDS = {1: "off", 4: "hold", 5: "reps", 6: "tempo", 7: "sets", 8: "rest", 9: "per_side"}
TOGGLED = {"off", "per_side"}


class EditorScreen(Screen[None]):
    """Edits one plan; saving writes the user's copy, never the shipped file."""

    CSS_PATH = "editor.tcss"
    BINDINGS = [
        Binding(
            "plus,equals_sign",
            "change(1)",
            "More",
            id="editor.more",
            key_display="+",
            tooltip="Add to the cell: 5 s, 1 rep, 0.5 s of tempo or 1 set",
        ),
        Binding("minus", "change(-1)", "Less", id="editor.less", key_display="-"),
        Binding(
            "space",
            "switch",
            "Toggle",
            id="editor.toggle",
            tooltip="Turn the step off or on; on the Sides cell, per side or not",
        ),
        Binding(
            "greater_than_sign",
            "prepare(1)",
            "Get-ready +",
            id="editor.prepare_more",
            key_display=">",
            tooltip="One second more to get ready before each step",
        ),
        Binding(
            "less_than_sign",
            "prepare(-1)",
            "Get-ready -",
            id="editor.prepare_less",
            key_display="<",
            show=False,
            tooltip="One second less to get ready before each step",
        ),
        Binding("ctrl+up,u", "move(-1)", "Up", id="editor.up", tooltip="Move the step up"),
        Binding("ctrl+down,d", "move(1)", "Down", id="editor.down", tooltip="Move it down"),
        Binding("s", "save", "Save", id="editor.save"),
        Binding("a", "save_as", "Save as", id="editor.save_as"),
        Binding("r", "reset", "Reset", id="editor.reset"),
        Binding("escape", "leave", "Back", id="editor.back"),
    ]

    def __init__(self, plan: Plan, store: Store, stamp: Stamp | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.store = store
        self.dirty = False
        #: The plan's file as it was read: saving checks it has not changed since.
        self.stamp = stamp

    def compose(self) -> ComposeResult:
        yield Static("", id="editor-title", markup=False)
        table: DataTable[Text] = DataTable(
            id="editor-table", cursor_type="cell", zebra_stripes=True
        )
        table.add_columns(*COLUMNS)
        yield table
        yield Static(
            "Pick a cell: + and - change it, space turns a step off or switches sides "
            "(L+R: per side), u and d move the step, < and > the get-ready. * the plan's rest.",
            id="editor-status", markup=False,
        )  # fmt: skip
        yield Footer(compact=True, show_command_palette=False)  # every key fits at 80

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).cursor_coordinate = Coordinate(0, 4)

    def on_resize(self) -> None:
        self._fill()  # the names' room changes with the width

    def _fill(self) -> None:
        plan = self.plan
        on = len(plan.steps)
        total = plan_seconds(plan)
        mark = "  (unsaved)" if self.dirty else ""
        self.query_one("#editor-title", Static).update(
            f"Editing {printable(plan.title)}: {duration(total)}, "
            f"{on} of {len(plan.every_step)} steps on, get-ready {plan.prepare} s{mark}"
        )
        table = self.query_one(DataTable)
        where = table.cursor_coordinate
        # Step names take what the other columns leave, so every column shows.
        most = max(MIN_NAME, min(MAX_NAME, self.size.width - OTHER_COLUMNS))
        table.clear()
        for n, step in enumerate(plan.every_step, start=1):
            rest = plan.rest_for(step)
            table.add_row(
                Text(str(n)),
                Text("off" if step.off else "on", style="bold" if step.off else ""),
                Text(_short(printable(step.name), most), style="dim" if step.off else ""),
                Text(step.kind.value),
                Text(f"{step.hold} s" if step.hold is not None else ""),
                Text(str(step.reps) if step.reps is not None else ""),
                Text(_tempo(step)),
                Text(str(step.sets)),
                Text(f"{rest} s" + ("" if step.rest is not None else "*")),
                Text("L+R" if step.per_side else ""),
            )
        table.cursor_coordinate = where

    def _say(self, text: str, warning: bool = False) -> None:
        status = self.query_one("#editor-status", Static)
        status.update(text)
        status.set_class(warning, "-warning")

    def _apply(self, make: Callable[[], LoadedPlan]) -> None:
        try:
            loaded = make()
        except PlanError as exc:
            self._say(printable("; ".join(p.message for p in exc.errors) or str(exc)), warning=True)
            self.app.bell()
            return
        self.plan = loaded.plan
        self.dirty = True
        self._fill()
        warnings = [w.message for w in loaded.warnings]
        self._say(printable("; ".join(warnings)) if warnings else "", warning=bool(warnings))

    def _cell(self) -> tuple[int, str | None]:
        coordinate = self.query_one(DataTable).cursor_coordinate
        return coordinate.row, FIELDS.get(coordinate.column)

    def action_change(self, direction: int) -> None:
        row, field = self._cell()
        if field is None or field in TOGGLED:
            self._say("Pick a Hold, Reps, Tempo, Sets or Rest cell to change it with + and -.")
            return
        self._apply(lambda: change(self.plan, row, field, direction))

    def action_prepare(self, direction: int) -> None:
        self._apply(lambda: change_prepare(self.plan, direction))
        if self.plan.prepare:
            self._say(
                f"Get-ready: {self.plan.prepare} s before each step, at least "
                f"{CHANGE_PREPARE} s when it changes position or equipment."
            )

    def action_switch(self) -> None:
        row, field = self._cell()
        field = field if field in TOGGLED else "off"
        self._apply(lambda: toggle(self.plan, row, field))

    def action_move(self, delta: int) -> None:
        row, _ = self._cell()
        self._apply(lambda: move(self.plan, row, delta))
        table = self.query_one(DataTable)
        table.cursor_coordinate = Coordinate(
            max(0, min(len(self.plan.every_step) - 1, row + delta)), table.cursor_coordinate.column
        )

    def action_save(self, overwrite: bool = False) -> None:
        try:
            path = self.store.save_plan(self.plan, self.stamp, overwrite=overwrite)
        except ChangedOnDisk as exc:
            self._ask_overwrite(exc)
            return
        except OSError as exc:
            where = f" {printable(exc.filename)}" if exc.filename else ""
            self._say(f"Could not save{where}: {exc.strerror or exc}", warning=True)
            return
        self.stamp = self.store.plan_stamp(path)
        self.dirty = False
        self._fill()
        shipped = self.store.shipped_file(self.plan.id) is not None
        shadow = " It replaces the shipped session; r resets it." if shipped else ""
        self._say(f"Saved to {printable(str(path))}.{shadow}")

    def _ask_overwrite(self, exc: ChangedOnDisk) -> None:
        from gluteterm.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_save(overwrite=True)
            else:
                self._say(
                    f"Not saved: {printable(str(exc.path))} changed on disk. "
                    "a saves your changes as a new session.",
                    warning=True,
                )

        self.app.push_screen(
            ConfirmScreen(
                f"{printable(str(exc.path))} changed on disk since you opened it: overwrite?",
                "Yes replaces what is there now with this session (your comments stay); "
                "no leaves the file alone.",
            ),
            answered,
        )

    def action_save_as(self) -> None:
        from gluteterm.ui.screens.ask import save_as_new_session

        def saved(plan_id: str, path: Path, copy: Plan) -> None:
            self.plan, self.dirty = copy, False
            self.stamp = self.store.plan_stamp(path)
            self._fill()
            self._say(f"Saved as a new session, '{printable(plan_id)}', in {printable(str(path))}.")

        suggested = f"{self.plan.title} (mine)"
        save_as_new_session(
            self.app, self.store, self.plan, suggested, saved, lambda why: self._say(why, True)
        )

    def action_reset(self) -> None:
        from gluteterm.ui.screens.confirm import ConfirmScreen

        plan_id = self.plan.id
        mine = self.store.user_file(plan_id)
        # Whether there is a copy of a shipped session to remove (saved just now, too).
        if self.store.shipped_file(plan_id) is None or not self.store.has_user_file(plan_id):
            self._say("Nothing to reset: this is the shipped session, or your own.", True)
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.remove_user_copy(plan_id)
                self.plan = self.store.shipped_plan(plan_id).plan
                self.stamp = None
            except OSError as exc:
                self._say(f"Could not remove {mine}: {exc.strerror or exc}", warning=True)
                return
            except GlutetermError as exc:
                self._say(printable(str(exc)), warning=True)
                return
            self.dirty = False
            self._fill()
            self._say("Back to the shipped session; your copy is removed.")

        self.app.push_screen(
            ConfirmScreen("Reset to the shipped session?", f"This removes {mine}."), answered
        )

    def action_leave(self) -> None:
        if not self.dirty:
            self.app.pop_screen()
            return
        from gluteterm.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen("Leave without saving?", "Your changes are lost."), answered
        )


def _tempo(step: Step) -> str:
    """`2.5 s`, or up+hold+down for a phased tempo: `1+2+2 s`."""
    phases = step.rep_phases() if step.phases else None
    if step.tempo is None:
        return ""
    if phases is None:
        return f"{step.tempo:g} s"
    return "+".join(f"{p:.2g}" for p in phases) + " s"


def _short(name: str, most: int) -> str:
    """A step name cut to fit the table's column, with an ellipsis."""
    return name if len(name) <= most else name[: most - 1] + "…"
