"""The command line: `gluteterm`, `run`, `list`, `check`, `--version`.

Plain-text commands never import Textual, so they start fast. Errors a user
can fix go to stderr as one clear message with exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gluteterm import __version__
from gluteterm.cli.plain import EXIT_PIPE_CLOSED as EXIT_PIPE_CLOSED
from gluteterm.cli.plain import plain_command
from gluteterm.core.errors import GlutetermError, PlanError
from gluteterm.core.limits import FIT_MINUTES
from gluteterm.core.text import cut, duration, parse_decimal, plural, printable
from gluteterm.store.api import DEFAULT_SESSION, Store

if TYPE_CHECKING:  # plans are read only by the commands that need them: history starts fast
    from gluteterm.core.loader import LoadedPlan

EXIT_USER_ERROR = 2


def sound_options() -> argparse.ArgumentParser:
    """--mute and --voice, for this run only (the m and v keys change them for good)."""
    options = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    options.add_argument("--mute", action="store_true", help="no sound cues this time")
    options.add_argument("--voice", action="store_true", help="speak step names this time")
    options.add_argument(
        "--no-flash", action="store_true", dest="no_flash",
        help="no flash of the screen at each change (flash = false in config.toml: always)",
    )  # fmt: skip
    options.add_argument(
        "--phone", action="store_true",
        help="follow and steer the session from a phone: a page on the local network, "
        "with a QR code (o in the app; phone = true in config.toml: always)",
    )  # fmt: skip
    options.add_argument(
        "--phone-bind", type=phone_address, metavar="ADDRESS", dest="phone_bind",
        help="the address the phone page listens on (default: this computer's address on "
        "its local network; 127.0.0.1: this computer only)",
    )  # fmt: skip
    return options


def phone_address(text: str) -> str:
    """--phone-bind's value: an IP address (names are not looked up)."""
    from gluteterm.ui.phone.address import BindError, checked_bind

    try:
        return checked_bind(text)
    except BindError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--phone-bind: ")) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gluteterm",
        description="A terminal coach for a glute warm-up: unlock, then activate.",
        epilog="With no command, opens the home screen to pick a session. "
        "In the app, m mutes and v turns the voice on or off, and both are remembered; "
        "o shows the phone page's QR code (see --phone).",
        parents=[sound_options()],
    )
    parser.add_argument("--version", action="version", version=f"gluteterm {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "assess",
        help="a 7-minute self-assessment: single-leg bridge, stance, squat, side plank",
        parents=[sound_options()],
    )
    run = commands.add_parser(
        "run", help="start a session straight away", parents=[sound_options()]
    )
    run.add_argument(
        "session",
        nargs="?",
        default=DEFAULT_SESSION,
        help=f"a session id or the path of a .toml plan (default: {DEFAULT_SESSION})",
    )
    run.add_argument(
        "--minutes", type=bounded(float, FIT_MINUTES.low, FIT_MINUTES.high, "minutes"), metavar="N",
        help="fit the session to N minutes: every step kept, rests and sets go first",
    )  # fmt: skip
    commands.add_parser("list", help="list the sessions you can run")
    check = commands.add_parser("check", help="validate plan and drill files")
    check.add_argument("files", nargs="*", type=Path, metavar="FILE")
    check.add_argument(
        "--drills", action="store_true", help="also check every drill and ladder in the library"
    )
    drills = commands.add_parser("drills", help="list the drills, or show one drill's card")
    drills.add_argument("drill", nargs="?", metavar="ID", help="a drill id: show its card")
    history = commands.add_parser("history", help="streaks, this week, and the last sessions")
    history.add_argument(
        "--limit",
        type=bounded(int, 1, float("inf"), "sessions"),
        default=20,
        metavar="N",
        help="how many sessions (default 20)",
    )
    build = commands.add_parser("build", help="build a warm-up for your minutes and equipment")
    build.add_argument(
        "--minutes", required=True, metavar="N",
        type=bounded(float, FIT_MINUTES.low, FIT_MINUTES.high, "minutes"),
        help="how long, in minutes (30 at most: longer is a workout, not a warm-up); it says so "
        "if the equipment cannot fill that long",
    )  # fmt: skip
    build.add_argument(
        "--equipment", default="", metavar="LIST",
        help="comma-separated: band (or 'mini band'), roller, ball, box, bench, chair "
        "(bodyweight always counts)",
    )  # fmt: skip
    build.add_argument(
        "--focus", choices=("balanced", "medius", "maximus"), default="balanced",
        help="more gluteus medius (side of the hip) or maximus (the big one) drills, "
        "or both (default: balanced)",
    )  # fmt: skip
    build.add_argument("--save", metavar="ID", help="save as your session ID instead of printing")
    build.add_argument("--force", action="store_true", help="with --save: replace session ID")
    commands.add_parser("assessments", help="your self-assessments, per side, and their reading")
    export = commands.add_parser("export", help="every logged session, as CSV or JSON")
    export.add_argument(
        "--format", choices=("csv", "json"),
        help="default: json for an --output ending in .json, else csv",
    )  # fmt: skip
    export.add_argument("--output", type=Path, metavar="FILE", help="write here, not to stdout")
    return parser


def bounded(kind: type[float] | type[int], low: float, high: float, unit: str) -> Any:
    """An argparse type: a number of `kind` from `low` to `high`, with a clear message."""
    what = "a whole number" if kind is int else f"a number of {unit}"

    def parse(text: str) -> float:
        # A comma may be the decimal mark, as in the app's dialogs (`1,5` is 1.5).
        value: float | None
        if kind is int:
            try:
                value = int(text)
            except ValueError:
                value = None
        else:
            value = parse_decimal(text)
        if value is None:
            raise argparse.ArgumentTypeError(f"expected {what}, found {cut(text)!r}")
        if not low <= value <= high:
            limit = f"{low:g} or more" if high == float("inf") else f"{low:g} to {high:g} {unit}"
            # The value as given: 180.0000001 is over 180, though `:g` shows it as 180.
            raise argparse.ArgumentTypeError(f"expected {limit}, found {cut(text.strip())}")
        return value

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a reader that goes away (`| head -1`) ends it quietly."""
    return plain_command(lambda: _main(argv))


#: What the app draws with: block digits, braille figures, box lines, the bar.
APP_CHARACTERS = "█⣿─│╭·…"


def require_utf8() -> None:
    """Refuse to start the app where its screen cannot be written: Textual writes it to
    stderr, and an encoding that cannot carry the digits and the figure would turn
    every one into an escape."""
    stream = sys.__stderr__
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        APP_CHARACTERS.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        raise GlutetermError(
            f"the app needs a UTF-8 terminal, and this one's encoding is {encoding} "
            "(LC_ALL, LC_CTYPE, LANG or PYTHONIOENCODING say so); start it with "
            "LC_ALL=C.UTF-8 gluteterm (or another UTF-8 locale); the plain-text commands "
            "work as they are"
        ) from None


#: The commands that open the app (None: the home screen).
APP_COMMANDS = {None, "run", "assess"}


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in APP_COMMANDS:
        gc.enable()  # paused for the app's start-up only (cli/start.py)
    store = Store.default()
    try:
        if args.command == "list":
            return cmd_list(store)
        if args.command == "check":
            return cmd_check_all(args.files, args.drills, store)
        if args.command == "drills":
            from gluteterm.cli.drills import cmd_drills

            return cmd_drills(args.drill, store)
        if args.command in ("history", "export"):
            from gluteterm.cli import history as history_cli

            if args.command == "history":
                return history_cli.cmd_history(args.limit, store)
            fmt = export_format(args.format, args.output)
            return history_cli.cmd_export(fmt, args.output, store)
        if args.command == "build":
            from gluteterm.cli.build import cmd_build

            return cmd_build(
                args.minutes, args.equipment, args.focus, args.save, args.force, store=store
            )
        if args.command == "assessments":
            from gluteterm.cli.assessments import cmd_assessments

            return cmd_assessments(store)
        mute, voice = getattr(args, "mute", False), getattr(args, "voice", False)
        flash = not getattr(args, "no_flash", False)
        phone = Phone(getattr(args, "phone", False), getattr(args, "phone_bind", None))
        if args.command == "assess":
            return launch(store.assessment_plan(), mute, voice, flash, store, phone)
        if args.command == "run":
            plan = store.plan(args.session)
            if args.minutes is not None:
                plan = fitted(plan, args.minutes)
            return launch(plan, mute, voice, flash, store, phone)
        return launch(None, mute, voice, flash, store, phone)
    except GlutetermError as exc:
        print(f"gluteterm: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


def export_format(asked: str | None, output: Path | None) -> str:
    """The format asked for, or the one the output file's name says (csv otherwise)."""
    if asked is not None:
        return asked
    return "json" if output is not None and output.suffix.lower() == ".json" else "csv"


def fitted(loaded: LoadedPlan, minutes: float) -> LoadedPlan:
    """`loaded` fitted to `minutes` as the user does it today (each ladder at its level,
    each rung at its own dose, jumps under the landing gate); raises FitError with the
    shortest fit if it cannot."""
    from dataclasses import replace

    from gluteterm.core.fit import fit
    from gluteterm.core.progression import at_levels
    from gluteterm.store.api import Store

    levels, _ = Store.default().levels()
    return replace(loaded, plan=fit(at_levels(loaded.plan, levels)[0], minutes))


def require_terminal() -> None:
    """Refuse to start the app unless it can talk to a person.

    With stdin at EOF (`< /dev/null`) Textual reads nothing forever and spins a
    core; with stdout in a file the screen is written into it.
    """
    for name, stream in (("input", sys.stdin), ("output", sys.stdout)):
        if stream is None or not stream.isatty():
            raise GlutetermError(
                f"the app needs a terminal, and its {name} is not one; run it in a "
                "terminal, or use 'gluteterm list', 'check', 'history' or 'export' for plain text"
            )


@dataclass(frozen=True)
class Phone:
    """--phone and --phone-bind: start the phone page at once, and where it listens."""

    wanted: bool = False
    bind: str | None = None


def launch(
    plan: LoadedPlan | None,
    mute: bool = False,
    voice: bool = False,
    flash: bool = True,
    store: Store | None = None,
    phone: Phone = Phone(),
) -> int:
    require_terminal()
    require_utf8()
    # The GC waits for the first frame (see cli/start.py), which freezes what start-up
    # made (`resume_gc`), so later collections in the session skip it too.
    gc.disable()
    from gluteterm.ui.app import GlutetermApp

    trace = os.environ.get("GLUTETERM_TRACE")  # cue timings, for the benchmarks
    app = GlutetermApp(
        plan, store=store, trace=Path(trace) if trace else None, mute=mute, voice=voice,
        flash=flash, phone=phone.wanted, phone_bind=phone.bind,
    )  # fmt: skip
    app.run()
    for line in app.farewell:
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            print(printable(line), file=sys.stderr)
    for text in app.unsaved:
        print(
            "gluteterm: this record could not be saved anywhere; here it is, "
            "to keep by hand:\n" + text,
            file=sys.stderr,
        )
    return app.return_code or 0


def cmd_list(store: Store) -> int:
    from gluteterm.cli.drills import print_table

    entries = store.sessions()
    rows = [("ID", "TITLE", "LENGTH", "STEPS")]
    broken = []
    for entry in entries:
        if entry.plan is None:
            rows.append((entry.id, "(broken: see below)", "-", "-"))
            broken.append(entry)
            continue
        mark = " *" if entry.is_user_plan else ""
        rows.append(
            (entry.id + mark, entry.plan.title, duration(entry.seconds), str(len(entry.plan.steps)))
        )
    print_table(rows)
    if any(e.is_user_plan for e in entries):
        print(f"\n* your own plan, from {printable(str(store.user_sessions))}")
    sys.stdout.flush()  # the table before the problems, even with both in one pipe
    for entry in broken:
        assert entry.error is not None
        print(f"\n{printable(str(entry.error))}", file=sys.stderr)
    return 0


def cmd_check_all(files: list[Path], library: bool, store: Store) -> int:
    """`gluteterm check`: plan files and drill files by what they hold, and maybe the library."""
    from gluteterm.cli.drills import check_drill_file, check_library

    if not files and not library:
        raise GlutetermError("check needs a FILE to check, or --drills for the drill library")
    drill_files = [p for p in files if store.is_drill_file(p)]
    failed = not all([check_drill_file(p, store) for p in drill_files])
    plans = [p for p in files if p not in drill_files]
    if plans and cmd_check(plans, store) != 0:
        failed = True
    if library and not check_library(store):
        failed = True
    return EXIT_USER_ERROR if failed else 0


def cmd_check(files: list[Path], store: Store) -> int:
    failed = False
    for path in files:
        try:
            loaded = store.plan_file(path)
        except PlanError as exc:
            failed = True
            for problem in exc.problems:
                print(printable(str(problem)), file=sys.stderr)
            continue
        for warning in loaded.warnings:
            print(printable(str(warning)), file=sys.stderr)
        plan = loaded.plan
        from gluteterm.core.timeline import plan_seconds

        print(
            f"{printable(str(path))}: ok: {printable(plan.title)}, "
            f"{plural(len(plan.steps), 'step')}, about {duration(plan_seconds(plan))}"
        )
    return EXIT_USER_ERROR if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
