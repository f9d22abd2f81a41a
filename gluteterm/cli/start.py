"""Where the process starts: the `gluteterm` command and `python -m gluteterm`."""

from __future__ import annotations


def run() -> int:
    """Run the command line with the cyclic GC paused for start-up.

    Start-up makes some hundred thousand objects that live as long as the process,
    and the GC would scan them again and again: 15 to 25 ms before the app's first
    frame on a slow machine. `main` turns it back on for the plain-text commands;
    the app turns it back on after its first frame (`gluteterm.ui.app.resume_gc`).

    `gluteterm history` first tries the summary kept for an unchanged log, before
    the argument parser and the store are even loaded (`cli/history_quick.py`).
    """
    import gc
    import sys

    gc.disable()
    if sys.argv[1:2] == ["history"]:
        from gluteterm.cli.history_quick import quick

        code = quick(sys.argv[2:])
        if code is not None:
            return code
    from gluteterm.cli.main import main

    return main()
