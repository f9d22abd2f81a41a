"""The m, v and g keys: sound, voice and the figure on or off, remembered through the store."""

from __future__ import annotations

from gluteterm.core.text import printable
from gluteterm.store.api import Store
from gluteterm.ui.sound import CuePlayer


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
        if self.player.voice and self.player.muted:
            said += " (sound is muted: m turns it on)"
        return self.remember("voice", self.player.voice, said)

    def remember(self, key: str, value: bool, said: str) -> tuple[str, bool]:
        """Save one setting; (what to say, whether it is a warning)."""
        problem = self.store.save_setting(key, value)
        return (f"{said}; {printable(problem)}", True) if problem else (said, False)
