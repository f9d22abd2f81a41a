"""Sound behind a tiny interface: play a cue by name, speak a short text.

The runner screen only ever talks to a `CuePlayer`; tests pass a fake that
records calls, and the real player (which never blocks or raises) plugs in
behind the same two methods.
"""

from __future__ import annotations

from typing import Protocol


class CuePlayer(Protocol):
    """Anything that can play a named cue and speak a line, without blocking."""

    def play(self, cue: str) -> None: ...

    def speak(self, text: str) -> None: ...


class SilentPlayer:
    """Plays nothing: the player when sound is off."""

    def play(self, cue: str) -> None:
        return None

    def speak(self, text: str) -> None:
        return None
