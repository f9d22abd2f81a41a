"""The one guarded TOML parse every reader uses: bounded work, one error type.

`tomllib` is recursive (500 nested arrays exhaust the stack) and quadratic on
dotted keys (an 80 kB `a.a.a...` key takes minutes). `loads` first scans the
text once, in linear time, for size, nesting depth, dots on one line, keys and
lines, and refuses a file past any bound before the parser sees it. Any
failure of the parser itself (RecursionError, a 5,000-digit integer, ...)
comes out as `TomlRefused` (a `tomllib.TOMLDecodeError`) with a message that
needs only the file's name in front of it.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from gluteterm.core.limits import (
    MAX_FILE_BYTES,
    MAX_TOML_DEPTH,
    MAX_TOML_DOTS_PER_LINE,
    MAX_TOML_KEYS,
    MAX_TOML_LINES,
)


class TomlRefused(tomllib.TOMLDecodeError):
    """A TOML text that was not parsed, or that the parser could not handle."""

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)


#: The characters that matter outside strings and comments.
_INTERESTING = re.compile(r"[\"'#\[\]{}\n.=]")
_BASIC_BODY = re.compile(r'(?:[^"\\\n]|\\.)*')
_ML_BASIC_END = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL)
#: One-line strings and comments, ended exactly where `_skip_string` and the scan end them.
_STRINGS_AND_COMMENTS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|\'[^\'\n]*\'?|#[^\n]*')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def check_shape(text: str, max_chars: int = MAX_FILE_BYTES) -> None:
    """Raise `TomlRefused` if `text` is past any bound; linear time, no parsing."""
    if len(text) > max_chars:
        raise TomlRefused(f"is larger than {max_chars // 1000} kB; a gluteterm file is a few kB")
    lines = text.count("\n") + 1
    if lines > MAX_TOML_LINES:
        raise TomlRefused(f"has {lines} lines; at most {MAX_TOML_LINES} are read")
    if '"""' not in text and "'''" not in text and _within_bounds(text):
        return
    _scan(text)


def _within_bounds(text: str) -> bool:
    """Whether `text` (with no multi-line string) passes `_scan`, worked out at C speed.

    Every log file is checked when the history is built, and the scan's loop in
    Python cost as much as a fifth of it. This strips strings and comments with
    one regular expression, then counts. It answers as `_scan` does (a property
    test compares them); a text it turns down is scanned, for the message.
    """
    bare = _STRINGS_AND_COMMENTS.sub("", text)
    if bare.count("=") > MAX_TOML_KEYS:
        return False
    if bare.count(".") > MAX_TOML_DOTS_PER_LINE and any(
        line.count(".") > MAX_TOML_DOTS_PER_LINE for line in bare.split("\n")
    ):
        return False
    depth = 0
    for char in _NOT_BRACKETS.sub("", bare):
        if char in "[{":
            depth += 1
            if depth > MAX_TOML_DEPTH:
                return False
        else:
            depth = max(0, depth - 1)
    return True


def _scan(text: str) -> None:
    """Raise `TomlRefused`, naming the line, if `text` is past a bound; one linear pass."""
    depth = keys = dots = 0
    line = 1
    pos, end = 0, len(text)
    while pos < end:
        found = _INTERESTING.search(text, pos)
        if found is None:
            break
        char, pos = found.group(), found.end()
        if char == "\n":
            line, dots = line + 1, 0
        elif char == "#":
            newline = text.find("\n", pos)
            pos = end if newline < 0 else newline
        elif char in "[{":
            depth += 1
            if depth > MAX_TOML_DEPTH:
                raise TomlRefused(
                    f"line {line}: brackets nested more than {MAX_TOML_DEPTH} deep; "
                    "a gluteterm file needs 3"
                )
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char == "=":
            keys += 1
            if keys > MAX_TOML_KEYS:
                raise TomlRefused(f"has more than {MAX_TOML_KEYS} keys")
        elif char == ".":
            dots += 1
            if dots > MAX_TOML_DOTS_PER_LINE:
                raise TomlRefused(
                    f"line {line}: more than {MAX_TOML_DOTS_PER_LINE} dots (a key with that "
                    "many parts); a gluteterm key has at most 2"
                )
        else:  # a string: skip to its end, counting the lines it spans
            pos = _skip_string(text, pos, char)
            line += text.count("\n", found.end(), pos)


def _skip_string(text: str, pos: int, quote: str) -> int:
    """Where the string opened by `quote` just before `pos` ends (linear, never backtracks)."""
    if text.startswith(quote * 2, pos):  # three quotes: a multi-line string
        start = pos + 2
        if quote == "'":
            close = text.find("'''", start)
            return len(text) if close < 0 else close + 3
        match = _ML_BASIC_END.match(text, start)
        return len(text) if match is None else match.end()
    if quote == "'":
        close = text.find("'", pos)
        newline = text.find("\n", pos)
        if close < 0 or 0 <= newline < close:
            return len(text) if newline < 0 else newline
        return close + 1
    body = _BASIC_BODY.match(text, pos)
    after = body.end() if body else pos
    return after + 1 if text.startswith('"', after) else after


def loads(text: str, max_chars: int = MAX_FILE_BYTES) -> dict[str, Any]:
    """Parse `text` as TOML within the bounds; raise `TomlRefused` for anything wrong.

    The message says what is wrong but not which file: the caller names it.
    """
    check_shape(text, max_chars)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlRefused(f"not valid TOML: {exc}") from None
    except RecursionError:
        raise TomlRefused("nests too deeply to read") from None
    except Exception as exc:  # the parser must never take a reader down with it
        raise TomlRefused(f"could not be read as TOML ({type(exc).__name__}: {exc})") from None
