"""A check-in: the user's answer after a drill, as the log keeps it.

Apart from the log's record module so that the session's start (pain and
progression) does not load the log's reader.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where a drill may be felt, as the check-in asks it.
FELT_WHERE = ("glute", "front of hip or thigh", "lower back", "hamstring")


@dataclass(frozen=True)
class CheckIn:
    """The user's answer after a drill: how clearly they felt it (0-9), any flags, and
    where it was felt (one of FELT_WHERE)."""

    felt: int | None = None
    flags: tuple[str, ...] = ()
    where: str | None = None

    @property
    def answered(self) -> bool:
        """True when the user said anything at all; an unanswered check-in is unknown."""
        return self.felt is not None or bool(self.flags) or self.where is not None
