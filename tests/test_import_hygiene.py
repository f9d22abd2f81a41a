"""Start-up stays lean: what the first frame does not need is not imported before it.

In the style of harlequin's test_import_hygiene.py: a fresh interpreter runs the
start-up path and reports what it imported. The lists below are what is deferred
today (measured with `python -X importtime` and at the first frame of
`gluteterm run quick`); a change that pulls one of them forward fails here. If it
must, measure the first frame with `python -m tests.bench --only first-frame` and
move the module out of the list in the same commit, saying why.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: Libraries the first frame does without: sound, TOML writing, the network, the
#: phone page's server and QR code (when it comes), parsers of other formats.
DEFERRED_LIBRARIES = (
    "playsound3",  # imported on the player's thread, after the first frame
    "tomlkit",
    "tomli_w",
    "urllib.request",
    "http",
    "aiohttp",
    "segno",
    "json",
    "csv",
    "hashlib",
    "sqlite3",
    "wave",
    "email",
    "xml",
    "zipfile",
    "webbrowser",
    "pygments",
    "markdown_it",
)

#: gluteterm's own modules that `gluteterm run quick` does not import before its
#: first frame: history, the builder, the assessment's session, fit, the editor and
#: every screen but the runner, and the other commands. (Quick ends with a jump: the
#: landing gate reads the last self-test and the newest sessions, after the first
#: frame, so the log's and the assessments' readers, `GATE_MODULES`, load only then,
#: even when the log holds sessions and self-tests: tested below.)
GATE_MODULES = (
    "gluteterm.core.assessment",
    "gluteterm.core.record",
    "gluteterm.store.assessments",
    "gluteterm.store.atomic",
    "gluteterm.store.log",
)
DEFERRED_MODULES = (
    "gluteterm.cli.assessments",
    "gluteterm.cli.build",
    "gluteterm.cli.drills",
    "gluteterm.cli.history",
    "gluteterm.core.builder",
    "gluteterm.core.drill_card",
    "gluteterm.core.edit",
    "gluteterm.core.fit",
    "gluteterm.core.history",
    "gluteterm.core.plan_file",
    "gluteterm.store.history_index",
    "gluteterm.ui.commands",
    "gluteterm.ui.screens.ask",
    "gluteterm.ui.screens.assessment",
    "gluteterm.ui.screens.build",
    "gluteterm.ui.screens.confirm",
    "gluteterm.ui.screens.drill_browser",
    "gluteterm.ui.screens.editor",
    "gluteterm.ui.screens.history",
    "gluteterm.ui.screens.home",
    "gluteterm.ui.screens.level_history",
    "gluteterm.ui.screens.session_detail",
    "gluteterm.ui.screens.summary",
    "gluteterm.ui.session.assessment",
    "gluteterm.ui.widgets.drill_card",
    "gluteterm.ui.widgets.heatmap",
)

#: `gluteterm run quick` up to its first frame, headless (no terminal here): the app
#: calls `resume_gc` after its first frame, so the stand-in records every module
#: imported by then and quits.
FIRST_FRAME = """
import sys
import textual.app

real_run = textual.app.App.run
running = []

def headless_run(self, *args, **kwargs):
    running.append(self)
    return real_run(self, headless=True, size=(100, 30))

textual.app.App.run = headless_run
import gluteterm.cli.main as cli_main
import gluteterm.ui.app as ui_app

cli_main.require_terminal = lambda: None

def at_first_frame():
    loaded = sorted(sys.modules)
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write("\\n".join(loaded))
    running[0].exit()

ui_app.resume_gc = at_first_frame
sys.exit(cli_main.main(["run", "quick", "--mute"]))
"""


def imported_by(code: str, cwd: Path) -> set[str]:
    """Every module `python -X importtime -c CODE` imports, by name."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    return names


def loaded_at_first_frame(tmp_path: Path) -> set[str]:
    report = tmp_path / "modules.txt"
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(report)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert report.exists(), "the app never reached its first frame"
    return set(report.read_text(encoding="utf-8").split())


def test_the_entry_point_imports_nothing_but_itself(tmp_path: Path) -> None:
    names = imported_by("import gluteterm.cli.start", tmp_path)
    assert "gluteterm.cli.start" in names  # the measurement sees our modules
    ours = {n for n in names if n == "gluteterm" or n.startswith("gluteterm.")}
    assert ours == {"gluteterm", "gluteterm.cli", "gluteterm.cli.start"}
    assert not {n for n in names if n.split(".")[0] in {"textual", "rich", "platformdirs"}}
    assert not names & set(DEFERRED_LIBRARIES)


def test_the_first_frame_of_a_run_defers_what_it_does_not_need(tmp_path: Path) -> None:
    loaded = loaded_at_first_frame(tmp_path)
    # The measurement is real: the runner and its session are there.
    assert {"textual.app", "gluteterm.ui.screens.runner", "gluteterm.ui.session"} <= loaded
    early_libraries = sorted(n for n in DEFERRED_LIBRARIES if n in loaded)
    assert early_libraries == []
    early_modules = sorted(n for n in DEFERRED_MODULES if n in loaded)
    assert early_modules == []


def test_the_deferred_list_names_real_modules() -> None:
    """A renamed module must be renamed here too, or the test above checks nothing."""
    repo = Path(__file__).resolve().parent.parent
    for name in DEFERRED_MODULES:
        parts = name.split(".")
        path = repo.joinpath(*parts)
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), name


def test_with_a_log_the_landing_gate_is_still_read_after_the_first_frame(tmp_path: Path) -> None:
    from gluteterm.store import paths

    log = paths.log_dir()
    log.mkdir(parents=True)
    # A session and a self-test from another day (today's would be read for pain).
    (log / "2020-01-02T08-00-00_quick.toml").write_text("version = 2\n")
    (log / "2020-01-02T09-00-00_assessment.toml").write_text("version = 3\n")
    loaded = loaded_at_first_frame(tmp_path)
    assert "gluteterm.ui.screens.runner" in loaded
    assert sorted(n for n in GATE_MODULES if n in loaded) == []
