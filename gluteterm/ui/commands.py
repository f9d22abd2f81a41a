"""GlutetermCommands: the command palette's own entries (sessions to start, drills to read,
history, fit, sound and voice), beside Textual's system commands."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from gluteterm.core.drill import DrillError
from gluteterm.core.loader import LoadedPlan
from gluteterm.core.text import duration, printable
from gluteterm.store.api import Store

if TYPE_CHECKING:
    from gluteterm.ui.app import GlutetermApp


@dataclass(frozen=True)
class Command:
    """One palette entry: what it says (plain text), what it does, and a fixed help line."""

    text: str
    run: Callable[[], object]
    help: str


@dataclass(frozen=True)
class Offer:
    """What the palette reads off the UI thread: sessions to start and drills to read."""

    sessions: tuple[tuple[str, LoadedPlan], ...] = ()  # (what to show, the plan)
    drills: tuple[tuple[str, str], ...] = ()  # (drill id, name), by name


def read_offer(store: Store) -> Offer:
    """Every runnable session and every readable drill (reads files: not on the UI thread)."""
    sessions = tuple(
        (f"{printable(e.loaded.plan.title)} ({duration(e.seconds)})", e.loaded)
        for e in store.sessions()
        if e.loaded is not None
    )
    library = store.drills()
    drills = []
    for drill_id in library:
        try:
            drills.append((drill_id, printable(library[drill_id].name)))
        except DrillError:
            continue  # the browser shows why; the palette offers what works
    return Offer(sessions, tuple(sorted(drills, key=lambda d: d[1].lower())))


def highlighted(matcher: Matcher, text: str) -> Content:
    """`text` shown literally (never as markup), with the matched letters styled."""
    content = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class GlutetermCommands(Provider):
    """Finds the app's own things; during a session, only what cannot disturb it."""

    offer = Offer()

    async def startup(self) -> None:
        self.offer = await asyncio.to_thread(read_offer, self._app.store)

    @property
    def _app(self) -> GlutetermApp:
        return cast("GlutetermApp", self.app)

    def commands(self) -> list[Command]:
        """What the palette offers on the screen it was opened from."""
        from gluteterm.ui.screens.home import HomeScreen

        app = self._app
        player = app.player
        sound = [
            Command(
                "Unmute sound cues" if player.muted else "Mute sound cues",
                app.action_toggle_mute,
                "Sound on or off (m)",
            ),
            Command(
                "Voice off" if player.voice else "Voice on",
                app.action_toggle_voice,
                "Speak step names (v)",
            ),
        ]
        if app.session is not None and app.session.live:
            return sound
        found = [
            Command(f"Start: {shown}", partial(app.start_session, loaded), "Run this session")
            for shown, loaded in self.offer.sessions
        ]
        found += [
            Command("Drill browser", partial(open_browser, app), "Every drill, filtered by typing"),
            Command("History", partial(open_history, app), "Every session you have done"),
        ]
        if isinstance(self.screen, HomeScreen):
            home = self.screen
            found += [
                Command(
                    "Fit the highlighted session to N minutes", home.action_fit,
                    "Asks how many minutes (f)",
                ),
                Command(
                    "Edit the highlighted session", home.action_edit,
                    "Tweak durations, turn steps off (e)",
                ),
                Command(
                    "Build a warm-up for N minutes", home.action_build,
                    "From your equipment and a focus (b)",
                ),
                Command(
                    "Test where you stand (self-assessment)", home.action_assess,
                    "Four self-checks, each side (t)",
                ),
                Command(
                    "Accept level suggestions", home.action_accept_levels,
                    "Move drills up or down their ladders (l)",
                ),
            ]  # fmt: skip
        found += sound
        found += [
            Command(f"Drill: {name}", partial(open_browser, app, drill_id), "How, feel, ladder")
            for drill_id, name in self.offer.drills
        ]
        return found

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(Content(command.text), command.run, command.text, command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.text)
            if score > 0:
                shown = highlighted(matcher, command.text)
                yield Hit(score, shown, command.run, command.text, command.help)


def open_browser(app: GlutetermApp, drill_id: str | None = None) -> None:
    """Show the drill browser, on `drill_id`'s card when given."""
    from gluteterm.ui.screens.drill_browser import DrillBrowserScreen

    if isinstance(app.screen, DrillBrowserScreen):
        if drill_id is not None:
            app.screen.show_drill(drill_id)
    else:
        app.push_screen(DrillBrowserScreen(app.store, show=drill_id))


def open_history(app: GlutetermApp) -> None:
    from gluteterm.ui.screens.history import HistoryScreen

    if not isinstance(app.screen, HistoryScreen):
        app.push_screen(HistoryScreen(app.store))
