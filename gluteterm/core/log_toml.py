"""A fast reader for the exact TOML gluteterm writes to its log, deferring on anything else.

Reading the history parses every log file, and `tomllib` (pure Python) spends
most of that time on a general grammar a log file never uses. A log file is
what `tomli_w` writes for `SessionRecord.to_toml`: lines of `key = value`
(a string without escapes, a whole number, a float, a date and time with its
offset, an array of such strings), blank lines and `[[step]]` headers. `loads`
reads exactly that, with one regular expression, and returns None for
anything else (a comment, an escape, a quoted key, `\\r\\n`, a duplicate key,
a bound of the TOML guard...), so the caller parses that text with the full,
guarded parser (`toml_guard.loads`). For every text it does read, it answers
exactly as `toml_guard.loads` would: the same tables, keys, values and types
(a property test holds it to that), so every check after parsing stays the same.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from gluteterm.core.limits import (
    MAX_FILE_BYTES,
    MAX_TOML_DEPTH,
    MAX_TOML_DOTS_PER_LINE,
    MAX_TOML_KEYS,
    MAX_TOML_LINES,
)

# What this reader accepts is far inside the guard's bounds on nesting (two
# brackets deep, for `[[step]]`) and dots (one a line, in a float); it checks
# the other bounds (size, lines, keys) itself.
assert MAX_TOML_DEPTH >= 2 and MAX_TOML_DOTS_PER_LINE >= 1

#: A basic string with no escape: TOML forbids control characters but tab in it.
_STR = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
_LINE = re.compile(
    # key = value, one group per kind of value
    r"([A-Za-z0-9_-]+) = (?:"
    rf"({_STR})"  # 2: a string
    r"|(-?(?:0|[1-9][0-9]{0,17}))"  # 3: a whole number (int() of it: no digit limit)
    r"|(-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,20}(?:e[+-]?[0-9]{1,3})?|e[+-]?[0-9]{1,3}))"  # 4
    # 5: a date and time with its offset, as str(datetime) writes it
    r"|([0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"[ T](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]))"
    rf"|(\[(?:\n    {_STR},)+\n\]|\[(?:{_STR}(?:, {_STR})*)?\])"  # 6: an array of strings
    r")\n"
    r"|(\n)"  # 7: a blank line
    r"|(\[\[step\]\]\n)"  # 8: a step's header
    r"|([^\n]*\n?)"  # 9: anything else: not ours to read
)
_ITEM = re.compile(r'"([^"]*)"')
_ZONES: dict[str, timezone] = {"Z": UTC}


def _zone(offset: str) -> timezone:
    """The time zone for `+01:00`, made as tomllib makes it (and kept: there are few)."""
    zone = _ZONES.get(offset)
    if zone is None:
        sign = 1 if offset[0] == "+" else -1
        zone = timezone(timedelta(hours=sign * int(offset[1:3]), minutes=sign * int(offset[4:6])))
        _ZONES[offset] = zone
    return zone


def loads(text: str, max_chars: int = MAX_FILE_BYTES) -> dict[str, Any] | None:
    """The log document in `text`, or None when it is not exactly what gluteterm writes."""
    if len(text) > max_chars or text.count("\n") >= MAX_TOML_LINES:
        return None
    if not text.endswith("\n"):
        text += "\n"  # no construct read here spans lines: the same document
    top: dict[str, Any] = {}
    table = top
    steps: list[dict[str, Any]] = []
    keys = 0
    for key, string, whole, real, moment, array, _blank, header, other in _LINE.findall(text):
        if key:
            if key in table:
                return None  # a duplicate key: tomllib says why
            keys += 1
            if string:
                table[key] = string[1:-1]
            elif whole:
                table[key] = int(whole)
            elif real:
                table[key] = float(real)
            elif moment:
                try:
                    table[key] = datetime(
                        int(moment[0:4]), int(moment[5:7]), int(moment[8:10]),
                        int(moment[11:13]), int(moment[14:16]), int(moment[17:19]),
                        tzinfo=_zone(moment[19:]),
                    )  # fmt: skip
                except ValueError:  # February 30th: tomllib says why
                    return None
            else:
                table[key] = _ITEM.findall(array)
        elif header:
            if top.get("step", steps) is not steps:
                return None  # `step` is a key already (`step = []`): tomllib says why
            table = {}
            steps.append(table)
            top["step"] = steps
        elif other:
            return None
    if keys > MAX_TOML_KEYS:
        return None
    return top
