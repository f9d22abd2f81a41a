"""The m, v and g keys: sound, voice and the figure on or off, remembered through the store."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from gluteterm.core.text import printable
from gluteterm.store.api import Store
from gluteterm.store.settings import Settings
from gluteterm.ui.screens.runner import FigureShown, RunnerScreen
from gluteterm.ui.sound import CuePlayer, SoundPlayer, speech_program


class SoundPreferences:
    """Flips the player's mute and voice and saves them; each call says what to tell the user."""

    def __init__(self, player: CuePlayer, store: Store) -> None:
        self.player = player
        self.store = store

    def toggle_mute(self) -> tuple[str, bool]:
        """(what to say, whether it is a warning)."""
        self.player.muted = not self.player.muted
        return self.remember(
            "mute", self.player.muted, "Sound off" if self.player.muted else "Sound on"
        )

    def toggle_voice(self) -> tuple[str, bool]:
        self.player.voice = not self.player.voice
        said = "Voice on" if self.player.voice else "Voice off"
        if self.player.voice and speech_program() is None:
            said += ", but no speech program (espeak-ng, espeak or say) was found to speak with"
            if isinstance(self.player, SoundPlayer):
                self.player.told_no_speech = True  # not again at the next step
            text, _ = self.remember("voice", True, said)
            return text, True
        if self.player.voice and self.player.muted:
            said += " (sound is muted: m turns it on)"
        return self.remember("voice", self.player.voice, said)

    def remember(self, key: str, value: bool, said: str) -> tuple[str, bool]:
        """Save one setting; (what to say, whether it is a warning)."""
        problem = self.store.save_setting(key, value)
        return (f"{said}; {printable(problem)}", True) if problem else (said, False)


class PreferenceKeys(App[None]):
    """The app's m, v and g: sound, voice and the figure, said and saved."""

    BINDINGS = [
        # Everywhere, but shown in the runner's key bar only (it declares them again).
        Binding(
            "m", "toggle_mute", "Mute", id="app.mute", tooltip="Sound cues on or off", show=False
        ),
        Binding(
            "v", "toggle_voice", "Voice", id="app.voice", tooltip="Speak step names", show=False
        ),
    ]
    sound: SoundPreferences
    settings: Settings

    def on_figure_shown(self, message: FigureShown) -> None:
        self.settings.figure = message.shown
        self._said(
            *self.sound.remember(
                "figure", message.shown, "Figure shown" if message.shown else "Figure hidden"
            )
        )

    def _quiet_notice(self, text: str) -> None:
        self.notify(text, title="Sound", markup=False, timeout=6)

    def action_toggle_mute(self) -> None:
        self._said(*self.sound.toggle_mute())

    def action_toggle_voice(self) -> None:
        self._said(*self.sound.toggle_voice())

    def _said(self, text: str, warning: bool) -> None:
        if warning:
            self.notify(text, severity="warning", markup=False, timeout=6)
        else:
            self.notify(text, markup=False, timeout=2)
        if isinstance(self.screen, RunnerScreen):
            self.screen.catch_up()  # show the new sound state at once, even when paused
