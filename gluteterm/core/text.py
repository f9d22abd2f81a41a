"""Formatting of times and safe display of text that came from a user's file."""

from __future__ import annotations

import math
import re

#: Control characters, and the bidirectional controls (embeddings, overrides,
#: isolates, marks) that reorder what follows them on the line.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Return `text` with control characters (ESC and friends) made visible.

    User text may hold escape sequences; printed raw they would drive the
    terminal. Bidirectional controls (U+202E and friends) would reorder the
    line around them, so a file's name or a message could read as something
    else. Both are shown as `\\x1b` and `\\u202e` escapes instead.
    """
    return _CONTROL.sub(_escaped, text)


_LINE_BREAKS = re.compile(r"[\t\n]")


def one_line(text: str) -> str:
    """`printable(text)` with tabs and newlines escaped too: one line, for a table's cell."""
    return _LINE_BREAKS.sub(lambda m: f"\\x{ord(m.group()):02x}", printable(text))


def clock(seconds: float) -> str:
    """`M:SS` for a countdown, rounding a fractional second up."""
    whole = max(0, math.ceil(seconds - 1e-9))
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}"


def duration(seconds: float) -> str:
    """A length for people: `45 s`, `7 min`, `1 h 05 min`."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def seconds_exact(seconds: float) -> str:
    """`1:30` style, exact to the second, for tables of planned and actual times."""
    whole = max(0, round(seconds))
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}"


def plural(n: int, word: str) -> str:
    """`1 day`, `3 days`: a count with its noun."""
    return f"{n} {word}{'' if n == 1 else 's'}"


#: How much of a value from a file a message quotes.
QUOTE_LIMIT = 80


def cut(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when it was longer.

    A value quoted in a message or a cell in a table stays readable however long
    the file made it.
    """
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def parse_decimal(text: str) -> float | None:
    """`text` as a finite number, a comma allowed as the decimal mark (`1,5` is 1.5);
    None when it is not one. The dialogs and the command line read numbers alike."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None
