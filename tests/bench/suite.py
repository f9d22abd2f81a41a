"""The benchmarks: each gluteterm figure beside its reference, measured in the same run."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from gluteterm.core.loader import parse_plan
from gluteterm.core.timeline import expand
from tests.bench.fake_log import write_log
from tests.bench.measure import Sampler, run_timed
from tests.tmux import Terminal

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


@dataclass
class Result:
    name: str
    figure: str
    reference: str
    ratio: str
    target: str
    ok: bool


def isolated_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(root),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_DATA_HOME=str(root / "data"),
        XDG_CACHE_HOME=str(root / "cache"),
        TERM="xterm-256color",
        COLORTERM="truecolor",
    )
    return env


def gluteterm(*args: str) -> list[str]:
    return [PYTHON, "-m", "gluteterm", *args]


# -- CPU and memory: a countdown (figure hidden) and a moving figure ----------

#: A timed step whose figure would move (a foam roll rolls back and forth): with
#: `figure = false` in config.toml nothing may animate, only the clock ticks.
COUNTDOWN = 'title = "Countdown"\nprepare = 0\n[[step]]\ndrill = "foam-roll-glutes"\nhold = 600\n'
#: A long paced rep step: the figure moves one cycle per rep, 2 s a rep, with no hold
#: at the top (the bridge's own split holds there, and a held pose draws no frames:
#: the frame rate measured is that of a figure that moves).
PACED = (
    'title = "Paced"\nprepare = 0\n[[step]]\ndrill = "glute-bridge"\nreps = 100\n'
    "tempo = [1, 0, 1]\n"
)
#: Large enough for the figure beside the digits.
CPU_SIZE = (120, 40)
BRAILLE = re.compile("[\u2801-\u28ff]")
FIGURE_CPU_LIMIT = 2.0  # percent of one core
RSS_LIMIT_MB = 50.0


def app_terminal(root: Path, plan_text: str, *, figure: bool) -> Terminal:
    """gluteterm running `plan_text` with its own isolated XDG folders under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    plan = root / "plan.toml"
    plan.write_text(plan_text)
    env = isolated_env(root)
    config = Path(env["XDG_CONFIG_HOME"]) / "gluteterm" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"figure = {str(figure).lower()}\n")
    return Terminal(gluteterm("run", str(plan)), env, size=CPU_SIZE)


def figure_on(screen: str) -> bool:
    return BRAILLE.search(screen) is not None


#: Seconds the figure's frame rate is sampled for, and the target.
FPS_SECONDS = 4.0
FIGURE_FPS_TARGET = 8.0


def figure_fps(terminal: Terminal, seconds: float) -> float:
    """Frames a second the figure draws, as the terminal shows them: the screen read
    as fast as tmux answers (about every 10 ms), counting changes of its braille."""
    changes, last = 0, None
    end = time.monotonic() + seconds
    start = time.monotonic()
    while time.monotonic() < end:
        figure = "".join(BRAILLE.findall(terminal.screen()))
        if last is not None and figure != last:
            changes += 1
        last = figure
    return changes / (time.monotonic() - start)


def bench_cpu(root: Path, seconds: float) -> list[Result]:
    """Three terminals at the same time: gluteterm counting down a timed step with the
    figure hidden, gluteterm animating the figure through a paced rep step, and termdown."""
    countdown = app_terminal(root / "countdown", COUNTDOWN, figure=False)
    paced = app_terminal(root / "paced", PACED, figure=True)
    ref_seconds = str(max(60, int(seconds) + 30))  # still counting when the window ends
    theirs = Terminal([str(BIN / "termdown"), ref_seconds], isolated_env(root), size=CPU_SIZE)
    try:
        countdown.wait_for("WORK")
        paced.wait_for("WORK")
        theirs.wait_for(r"\S")
        time.sleep(3)
        # Each program's own process tree, not the terminal's shell around it.
        hidden, moving = Sampler(countdown.program_pid()), Sampler(paced.program_pid())
        ref = Sampler(theirs.program_pid())
        before = paced.screen()
        frames = {before}
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(0.5)
            for sampler in (hidden, moving, ref):
                sampler.sample()
            if len(frames) < 3:
                frames.add(paced.screen())
        cpu_hidden, cpu_moving, cpu_ref = (s.cpu_percent() for s in (hidden, moving, ref))
        hidden_screen, moving_screen = countdown.screen(), paced.screen()
        # After the CPU window (sampling the screen this fast costs the machine).
        fps = figure_fps(paced, FPS_SECONDS)
    finally:
        countdown.close()
        paced.close()
        theirs.close()
    # The figures must be what they claim: none in the countdown, one that moves.
    assert not figure_on(hidden_screen), f"the figure shows with figure = false:\n{hidden_screen}"
    assert figure_on(moving_screen), f"no figure in the paced step:\n{moving_screen}"
    assert len(frames) > 1, "the figure never moved"
    hidden_ratio = cpu_hidden / cpu_ref if cpu_ref else float("inf")
    moving_ratio = cpu_moving / cpu_ref if cpu_ref else float("inf")
    peak = max(hidden.peak_mb, moving.peak_mb)
    ref_name = f"termdown {ref_seconds}"
    return [
        Result(
            "CPU, timed step counting down, figure hidden", f"{cpu_hidden:.2f} %",
            f"{ref_name}: {cpu_ref:.2f} %", f"{hidden_ratio:.2f}", "<= termdown and <= 1 %",
            cpu_hidden <= cpu_ref and cpu_hidden <= 1.0,
        ),
        Result(
            "CPU, paced reps, figure moving", f"{cpu_moving:.2f} %",
            f"{ref_name}: {cpu_ref:.2f} %", f"{moving_ratio:.2f}",
            f"<= {FIGURE_CPU_LIMIT:g} % of one core", cpu_moving <= FIGURE_CPU_LIMIT,
        ),
        Result(
            "figure frame rate, paced reps (screen sampled)", f"{fps:.1f} frames/s",
            f"{ref_name}: 1 frame/s", "", f">= {FIGURE_FPS_TARGET:g} frames/s",
            fps >= FIGURE_FPS_TARGET,
        ),
        Result(
            "peak memory (RSS), countdown / moving figure",
            f"{hidden.peak_mb:.1f} / {moving.peak_mb:.1f} MB", "", "",
            f"<= {RSS_LIMIT_MB:g} MB", 0 < peak <= RSS_LIMIT_MB,
        ),
    ]  # fmt: skip


# -- first frame ------------------------------------------------------------


def first_frame(cmd: list[str], pattern: str, env: dict[str, str]) -> float:
    term = Terminal(["sleep", "30"], env, size=(100, 30))
    try:
        regex = re.compile(pattern)
        start = time.monotonic()
        subprocess.run(["tmux", "respawn-pane", "-k", "-t", term.name, " ".join(cmd)], check=True)
        while time.monotonic() - start < 15:
            if regex.search(term.screen()):
                return time.monotonic() - start
            time.sleep(0.003)
        raise AssertionError(f"never saw {pattern!r}")
    finally:
        term.close()


#: The runner's first frame: the state band, the big block digits and the braille figure.
RUNNER_FRAME = "(?s)(?=.*GET READY)(?=.*\u2588)(?=.*[\u2801-\u28ff])"


def bench_first_frame(root: Path, runs: int) -> list[Result]:
    """Interleaved launches of gluteterm and a minimal Digits app, medians compared."""
    env = isolated_env(root)
    ours_cmd = [*gluteterm("run", "quick")]
    ref_cmd = [PYTHON, str(HERE / "minimal_digits.py")]
    ours, ref = [], []
    for i in range(runs + 1):
        a = first_frame(ours_cmd, RUNNER_FRAME, env)
        b = first_frame(ref_cmd, "╰─╯", env)
        if i:  # the first pair warms the caches
            ours.append(a)
            ref.append(b)
    mine, theirs = statistics.median(ours), statistics.median(ref)
    ratio = mine / theirs
    return [
        Result(
            "time to first runner frame",
            f"{mine * 1000:.0f} ms", f"minimal Digits app {theirs * 1000:.0f} ms",
            f"{ratio:.2f}", "<= 1.3x the minimal app", ratio <= 1.3,
        ),
    ]  # fmt: skip


# -- timing over a 3-minute plan, and memory during the session ------------

THREE_MINUTES = textwrap.dedent(
    """\
    title = "Three minutes"
    prepare = 3
    [[step]]
    name = "Roll"
    kind = "release"
    hold = 20
    per_side = true
    [[step]]
    name = "Bridge"
    kind = "stability"
    reps = 10
    tempo = 2
    sets = 2
    rest = 10
    [[step]]
    name = "Hold"
    kind = "stability"
    hold = 30
    [[step]]
    name = "Abduction"
    kind = "analytic"
    reps = 8
    tempo = 2.5
    per_side = true
    """
)
BOUNDARY_CUES = {"next", "go", "switch", "rest", "complete"}


def bench_timing(root: Path, pause_seconds: float = 5.0) -> list[Result]:
    """Run the 3-minute plan on the real clock with a pause; compare every boundary to plan."""
    plan_file = root / "three.toml"
    plan_file.write_text(THREE_MINUTES)
    trace = root / "trace.txt"
    env = isolated_env(root) | {"GLUTETERM_TRACE": str(trace)}
    segments = expand(parse_plan(THREE_MINUTES, "three.toml", "three").plan)
    offsets = [0.0]
    for seg in segments:
        assert seg.duration is not None
        offsets.append(offsets[-1] + seg.duration)
    term = Terminal(gluteterm("run", str(plan_file)), env, size=(100, 30))
    sampler = None
    try:
        term.wait_for("GET READY")
        sampler = Sampler(term.program_pid())
        deadline = time.monotonic() + offsets[-1] + pause_seconds + 20
        paused = False
        while time.monotonic() < deadline:
            sampler.sample()
            elapsed = time.monotonic() - sampler.t0
            if not paused and elapsed > 61.3:
                term.press("space")
                time.sleep(pause_seconds)
                term.press("space")
                paused = True
            if "Session complete" in term.screen():
                break
            time.sleep(0.5)
    finally:
        term.close()
    rows = [line.split() for line in trace.read_text().splitlines()]
    seen: dict[str, tuple[float, float]] = {}  # cue moment -> (played at, paused so far)
    for played, name, _value, at, paused_total in rows:
        if name in BOUNDARY_CUES and at not in seen:
            seen[at] = (float(played), float(paused_total))
    boundaries = list(seen.values())
    start = boundaries[0][0]
    errors = [
        played - (start + offsets[i] + paused) for i, (played, paused) in enumerate(boundaries)
    ]
    worst = max(abs(e) for e in errors)
    end_error = errors[-1]
    peak = sampler.peak_mb if sampler else 0.0
    return [
        Result(
            "segment boundaries vs plan (worst)", f"{worst * 1000:.1f} ms",
            f"{len(boundaries)} boundaries, {pause_seconds:g} s pause", "", "<= 50 ms",
            worst <= 0.050 and len(boundaries) == len(offsets),
        ),
        Result(
            "session end vs planned total + pause", f"{end_error * 1000:+.1f} ms",
            f"planned {offsets[-1]:g} s", "", "within 50 ms", abs(end_error) <= 0.050,
        ),
        Result(
            "peak memory during a session (RSS)", f"{peak:.1f} MB", "", "",
            f"<= {RSS_LIMIT_MB:g} MB", 0 < peak <= RSS_LIMIT_MB,
        ),
    ]  # fmt: skip


# -- the phone page: CPU and memory with a page connected, taps, segment changes ----

PHONE_SIZE = (160, 45)  # wide enough for the page's address on one line
PHONE_CPU_MARGIN = 0.5  # percent of one core over termdown's
PHONE_RSS_LIMIT_MB = 60.0
#: Short segments of every kind: get ready, work, switch sides, rest, the end.
PHONE_SEGMENTS = textwrap.dedent(
    """\
    title = "Segments"
    prepare = 6
    [[step]]
    name = "Roll"
    kind = "release"
    hold = 3
    per_side = true
    [[step]]
    name = "Bridge"
    kind = "stability"
    reps = 2
    tempo = 1
    sets = 2
    rest = 2
    [[step]]
    name = "Hold"
    kind = "stability"
    hold = 3
    """
)


def phone_terminal(root: Path, plan_text: str, env: dict[str, str]) -> tuple[Terminal, str]:
    """gluteterm running `plan_text` with the phone page on 127.0.0.1; and its address."""
    root.mkdir(parents=True, exist_ok=True)
    plan = root / "plan.toml"
    plan.write_text(plan_text)
    config = Path(env["XDG_CONFIG_HOME"]) / "gluteterm" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("figure = false\n")
    command = gluteterm("run", str(plan), "--phone", "--phone-bind", "127.0.0.1")
    term = Terminal(command, env, size=PHONE_SIZE)
    from tests.e2e_phone_helpers import url_on

    term.wait_for("Anyone on the same network")
    found = url_on(term.screen())
    assert found is not None
    term.press("Escape")  # the QR code closes; the runner beneath
    return term, found


def phone_client(url: str, mode: str, amount: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, "-m", "tests.bench.phone_client", url, mode, str(amount)],
        stdout=subprocess.PIPE, text=True, cwd=HERE.parent.parent,
    )  # fmt: skip


def change_delays(changes: list[float], arrivals: list[tuple[int, float]]) -> list[float]:
    """For each change the page saw, how long after the app's change it arrived."""
    delays = []
    for _segment, arrived in arrivals:
        before = [t for t in changes if t <= arrived + 0.001]
        if before:
            delays.append(arrived - before[-1])
    return delays


def phone_reference(root: Path) -> tuple[list[float], list[float]]:
    """The same taps and changes against the least WebSocket server (echo_server.py)."""
    import json

    root.mkdir(parents=True, exist_ok=True)
    trace = root / "trace.txt"
    server = subprocess.Popen(
        [PYTHON, str(HERE / "echo_server.py"), str(trace)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        trips = json.loads(phone_client(url, "taps", 100).communicate(timeout=120)[0])["trips"]
        watched = json.loads(phone_client(url, "watch", 10).communicate(timeout=60)[0])
    finally:
        server.kill()
        server.wait()
    changes = [float(line.split()[0]) for line in trace.read_text().splitlines()]
    return trips, change_delays(changes, watched["arrivals"])


def bench_phone(root: Path, seconds: float) -> list[Result]:
    """The app with one page connected, counting down, beside termdown; then 100 taps;
    then a plan of short segments, each change timed from the app's trace to the page."""
    import json

    env = isolated_env(root)
    term, url = phone_terminal(root / "countdown", COUNTDOWN, env)
    ref_seconds = str(max(60, int(seconds) + 30))
    theirs = Terminal([str(BIN / "termdown"), ref_seconds], env, size=PHONE_SIZE)
    try:
        term.wait_for("WORK")
        theirs.wait_for(r"\S")
        page = phone_client(url, "watch", seconds + 5)
        time.sleep(3)
        ours, ref = Sampler(term.program_pid()), Sampler(theirs.program_pid())
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(0.5)
            ours.sample()
            ref.sample()
        cpu_ours, cpu_ref = ours.cpu_percent(), ref.cpu_percent()
        assert page.poll() is None, "the page's connection ended early"
        page.wait(timeout=30)
        taps = phone_client(url, "taps", 100)
        trips = json.loads(taps.communicate(timeout=120)[0])["trips"]
    finally:
        term.close()
        theirs.close()
    p95 = statistics.quantiles(trips, n=20)[-1]

    trace = root / "trace.txt"
    segments_env = env | {"GLUTETERM_TRACE": str(trace)}
    term, url = phone_terminal(root / "segments", PHONE_SEGMENTS, segments_env)
    try:
        watched = phone_client(url, "watch", 40)
        arrivals = json.loads(watched.communicate(timeout=60)[0])["arrivals"]
    finally:
        term.close()
    changes = sorted(
        {float(at): float(played) for played, name, _v, at, _p in
         (line.split() for line in trace.read_text().splitlines()) if name in BOUNDARY_CUES}
        .values()
    )  # fmt: skip
    delays = change_delays(changes, arrivals)
    worst = max(delays) if delays else float("inf")
    ref_trips, ref_delays = phone_reference(root / "reference")
    ref_p95 = statistics.quantiles(ref_trips, n=20)[-1]
    return [
        Result(
            "CPU, countdown, phone page connected", f"{cpu_ours:.2f} %",
            f"termdown {ref_seconds}: {cpu_ref:.2f} %", f"{cpu_ours - cpu_ref:+.2f} pts",
            f"<= termdown + {PHONE_CPU_MARGIN:g} % of a core",
            cpu_ours <= cpu_ref + PHONE_CPU_MARGIN,
        ),
        Result(
            "peak memory (RSS), phone page connected", f"{ours.peak_mb:.1f} MB", "", "",
            f"<= {PHONE_RSS_LIMIT_MB:g} MB", 0 < ours.peak_mb <= PHONE_RSS_LIMIT_MB,
        ),
        Result(
            f"tap to session and back, p95 of {len(trips)} (loopback)", f"{p95 * 1000:.1f} ms",
            f"least WebSocket server: p95 {ref_p95 * 1000:.1f} ms",
            f"{p95 / ref_p95:.2f}", "< 50 ms", p95 < 0.050 and len(trips) == 100,
        ),
        Result(
            f"segment change, app to page (worst of {len(delays)})", f"{worst * 1000:.1f} ms",
            f"least WebSocket server: worst {max(ref_delays) * 1000:.1f} ms", "", "<= 100 ms",
            # Every change after the page connected (during the first get-ready).
            worst <= 0.100 and len(delays) >= len(expand(parse_plan(
                PHONE_SEGMENTS, "segments.toml", "segments").plan)) - 1,
        ),
    ]  # fmt: skip


# -- history at 10,000 sessions -------------------------------------------------
# -- history at 10,000 sessions (and 100,000, reported) -------------------------

PLAIN_PARSE = (
    "import pathlib, sys, tomllib\n"
    "files = sorted(pathlib.Path(sys.argv[1]).glob('*.toml'))\n"
    "data = [tomllib.loads(p.read_text()) for p in files]\n"
    "print(len(data))\n"
)
#: gluteterm against a plain tomllib parse of the same files (issue 23).
FIRST_TIME_RATIO = 0.5
WARM_RATIO = 0.05
#: Home's first frame with the whole log present, against the same with an empty log.
HOME_FRAME_RATIO = 1.2
HISTORY_MB = 100.0
#: The home screen's first frame: its title and the session list.
HOME_FRAME = "(?s)Unlock & Activate"
HISTORY_NUMBERS = r"\d+ in\s+all"  # the line may wrap before "all"


def forget_history(cache_home: Path) -> None:
    """Remove what gluteterm keeps of the log (the index, and the summary `gluteterm
    history` prints from): the next run is a first time."""
    for name in ("history-index.json", "history-summary.json"):
        (cache_home / "gluteterm" / name).unlink(missing_ok=True)


def wait_screen(term: Terminal, pattern: str, timeout: float = 60) -> float:
    """Seconds until `pattern` shows in `term`, polled every few milliseconds."""
    regex = re.compile(pattern)
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if regex.search(term.screen()):
            return time.monotonic() - start
        time.sleep(0.003)
    raise AssertionError(f"never saw {pattern!r}:\n{term.screen()}")


def history_screen(env: dict[str, str], settled: bool) -> tuple[float, float]:
    """Seconds from pressing h on home until the history numbers are on screen, and the
    app's peak memory (its whole process tree, helpers included) until then.

    h is pressed 0.5 s after home's first frame, while home is still reading the
    log; `settled`: once home shows what it read (its streak line), as a user
    who looks at home first would.
    """
    term = Terminal(gluteterm(), env, size=(100, 30))
    try:
        wait_screen(term, HOME_FRAME, 30)
        sampler = Sampler(term.program_pid())
        time.sleep(0.5)
        if settled:
            wait_screen(term, "this week", 60)
        sampler.sample()
        start = time.monotonic()
        term.press("h")
        regex = re.compile(HISTORY_NUMBERS)
        while not regex.search(term.screen()):
            sampler.sample()
            waited = time.monotonic() - start
            if waited > 60:
                raise AssertionError(f"no history numbers:\n{term.screen()}")
            # Each look is a tmux process: look often only while a fast answer is due,
            # so the looking does not take the CPU from the app it times.
            time.sleep(0.003 if waited < 0.3 else 0.02)
        took = time.monotonic() - start
        sampler.sample()
        return took, sampler.peak_mb
    finally:
        term.close()


def home_frames(
    env_full: dict[str, str], env_empty: dict[str, str], runs: int
) -> tuple[float, float]:
    """Median seconds to home's first frame with the full log (no index: it is read while
    home shows) and with an empty log, launches interleaved."""
    full, empty = [], []
    for i in range(runs + 1):
        forget_history(Path(env_full["XDG_CACHE_HOME"]))
        a = first_frame(gluteterm(), HOME_FRAME, env_full)
        b = first_frame(gluteterm(), HOME_FRAME, env_empty)
        if i:  # the first pair warms the caches
            full.append(a)
            empty.append(b)
    return statistics.median(full), statistics.median(empty)


def _plain_parse(log: Path, env: dict[str, str]) -> float:
    return run_timed([PYTHON, "-c", PLAIN_PARSE, str(log)], env)[0]


def bench_history(root: Path, count: int, runs: int = 3, frames: int = 5) -> list[Result]:
    """gluteterm's history, first time (no index, no summary) and warm, as a command and as
    a screen, each beside a plain tomllib parse of the same files timed in between
    (medians)."""
    env = isolated_env(root)
    log = root / "data" / "gluteterm" / "log"
    write_log(log, count, end=datetime.now(timezone(timedelta(hours=1))))
    parses, cold, warm, screen_cold, screen_warm, memory = [], [], [], [], [], [0.0]
    for _ in range(runs):
        parses.append(_plain_parse(log, env))
        forget_history(root / "cache")
        seconds, mb, out = run_timed(gluteterm("history"), env)
        assert f"{count:,} sessions".replace(",", "") in out.replace(",", ""), out[:200]
        cold.append(seconds)
        memory.append(mb)
        seconds, mb, _ = run_timed(gluteterm("history"), env)
        warm.append(seconds)
        memory.append(mb)
    for _ in range(runs):
        parses.append(_plain_parse(log, env))
        forget_history(root / "cache")
        seconds, mb = history_screen(env, settled=False)
        screen_cold.append(seconds)
        memory.append(mb)
        seconds, mb = history_screen(env, settled=True)
        screen_warm.append(seconds)
        memory.append(mb)
    parse_s = statistics.median(parses)
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    sc_s, sw_s = statistics.median(screen_cold), statistics.median(screen_warm)
    empty_root = root / "empty"
    env_empty = isolated_env(empty_root)
    (empty_root / "data" / "gluteterm" / "log").mkdir(parents=True, exist_ok=True)
    home_full, home_empty = home_frames(env, env_empty, frames)
    peak = max(memory)
    reference = f"plain parse {parse_s:.2f} s"
    n = f"{count:,}"

    def ratio_row(name: str, figure: float, limit: float) -> Result:
        ratio = figure / parse_s
        return Result(
            name, f"{figure:.2f} s", reference, f"{ratio:.3f}",
            f"<= {limit:g}x the plain parse", ratio <= limit,
        )  # fmt: skip

    return [
        ratio_row(f"gluteterm history, {n} sessions, first time", cold_s, FIRST_TIME_RATIO),
        ratio_row(f"gluteterm history, {n} sessions, warm", warm_s, WARM_RATIO),
        ratio_row(f"history screen (press h), {n} sessions, first time", sc_s, FIRST_TIME_RATIO),
        ratio_row(f"history screen (press h), {n} sessions, warm", sw_s, WARM_RATIO),
        Result(
            f"home's first frame, {n} sessions (no index) / empty log",
            f"{home_full * 1000:.0f} ms", f"empty log {home_empty * 1000:.0f} ms",
            f"{home_full / home_empty:.2f}", f"<= {HOME_FRAME_RATIO:g}x the empty log",
            home_full / home_empty <= HOME_FRAME_RATIO,
        ),
        Result(
            f"history peak memory, {n} sessions (command and app)", f"{peak:.1f} MB", "", "",
            f"<= {HISTORY_MB:g} MB", 0 < peak <= HISTORY_MB,
        ),
    ]  # fmt: skip


def bench_history_large(root: Path, count: int) -> list[Result]:
    """How the history grows: `count` sessions, the command only, reported (no target)."""
    env = isolated_env(root)
    log = root / "data" / "gluteterm" / "log"
    write_log(log, count, end=datetime.now(timezone(timedelta(hours=1))))
    parse_s = _plain_parse(log, env)
    forget_history(root / "cache")
    cold_s, cold_mb, out = run_timed(gluteterm("history"), env)
    assert f"{count} sessions" in out.replace(",", ""), out[:200]
    warm = [run_timed(gluteterm("history"), env) for _ in range(3)]
    warm_s = statistics.median(w[0] for w in warm)
    warm_mb = max(w[1] for w in warm)
    reference = f"plain parse {parse_s:.2f} s"
    n = f"{count:,}"
    return [
        Result(
            f"gluteterm history, {n} sessions, first time", f"{cold_s:.2f} s", reference,
            f"{cold_s / parse_s:.3f}", "reported", True,
        ),
        Result(
            f"gluteterm history, {n} sessions, warm", f"{warm_s:.2f} s", reference,
            f"{warm_s / parse_s:.3f}", "reported", True,
        ),
        Result(
            f"history peak memory, {n} sessions, first time / warm",
            f"{cold_mb:.1f} / {warm_mb:.1f} MB", "", "", "reported", True,
        ),
    ]  # fmt: skip


def print_table(results: list[Result]) -> None:
    headers = ("benchmark", "gluteterm", "reference", "ratio", "target", "")
    rows = [headers] + [
        (r.name, r.figure, r.reference, r.ratio, r.target, "ok" if r.ok else "MISSED")
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument(
        "--only", nargs="*",
        choices=("cpu", "first-frame", "timing", "history", "history-large", "phone"),
        help="run only these benchmarks",
    )  # fmt: skip
    parser.add_argument("--cpu-seconds", type=float, default=30)
    parser.add_argument("--runs", type=int, default=10, help="first-frame launches of each app")
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument(
        "--large-sessions", type=int, default=100_000,
        help="the log size reported by history-large (time and memory, no target)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    for tool in ("tmux", str(BIN / "termdown")):
        if shutil.which(tool) is None:
            print(
                f"benchmarks need {tool}: install tmux, and the development tools with "
                "`.venv/bin/pip install -U pip && .venv/bin/pip install --group dev`",
                file=sys.stderr,
            )
            return 2
    chosen = args.only or ["cpu", "first-frame", "timing", "history", "phone"]
    keepalive = Terminal(["sleep", "3600"], {"PATH": os.environ["PATH"]})
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(HERE.parent.parent / "gluteterm")])
    results: list[Result] = []
    try:
        # The apps under test may still be saving their logs as the folder goes.
        with tempfile.TemporaryDirectory(
            prefix="gluteterm-bench-", ignore_cleanup_errors=True
        ) as tmp:
            root = Path(tmp)
            steps = {
                "cpu": lambda: bench_cpu(root / "cpu", args.cpu_seconds),
                "first-frame": lambda: bench_first_frame(root / "ff", args.runs),
                "timing": lambda: bench_timing(root / "timing"),
                "history": lambda: bench_history(root / "history", args.sessions),
                "phone": lambda: bench_phone(root / "phone", args.cpu_seconds),
                "history-large": lambda: bench_history_large(root / "large", args.large_sessions),
            }
            for name in chosen:
                (root / name.split("-")[0]).mkdir(exist_ok=True)
                (root / "ff").mkdir(exist_ok=True)
                print(f"running {name}...", file=sys.stderr, flush=True)
                results += steps[name]()
    finally:
        keepalive.close()
    print()
    print_table(results)
    missed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(missed)} of {len(results)} targets met")
    return 1 if missed else 0
