"""How every plain-text command writes: any encoding, and a reader that goes away.

Kept apart from `cli.main` (argparse, the store) so that the warm `gluteterm
history` (`cli/history_quick.py`) runs under the same rules without loading it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

from gluteterm.core.text import printable

#: What a shell reports for a command killed by SIGPIPE (128 + 13).
EXIT_PIPE_CLOSED = 141


def plain_command(command: Callable[[], int]) -> int:
    """Run one command; a reader that goes away (`| head -1`) ends it quietly."""
    any_encoding()
    try:
        code = command()
        sys.stdout.flush()  # inside the try: the exit-time flush would raise unseen
        return code
    except BrokenPipeError:
        # The Python docs' SIGPIPE recipe: point stdout at devnull so the flush at
        # exit has nowhere to fail, and end as a process killed by SIGPIPE would.
        _stdout_to_devnull()
        return EXIT_PIPE_CLOSED
    except OSError as exc:
        # Output to a full disk or a dead device (`> /dev/full`): one line, no traceback.
        _stdout_to_devnull()
        where = f"{printable(str(exc.filename))}: " if exc.filename else "the output: "
        with contextlib.suppress(OSError):
            print(f"gluteterm: could not write {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


def any_encoding() -> None:
    """Plain output never fails on an encoding: under `LC_ALL=C` or
    `PYTHONIOENCODING=ascii`, a character the output cannot carry (a drill's
    name, an arrow, a dash) is written as a `\\u2019` escape instead of ending
    the command with a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _stdout_to_devnull() -> None:
    """Point stdout at devnull, so the flush at exit has nowhere left to fail."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
