"""Measuring a program in a real terminal: CPU and memory of its process tree, first frame."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    out, pending = [], [pid]
    while pending:
        current = pending.pop()
        out.append(current)
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
            pending += [int(c) for c in children.split()]
    return out


def cpu_ticks(pids: list[int]) -> int:
    """CPU ticks of `pids`, each with its reaped children's.

    Counting the children's ticks (cutime, cstime) keeps the total from falling
    when a child that was counted alive (a sound probe, say) exits and is reaped.
    """
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])
        except (OSError, IndexError, ValueError):
            pass
    return total


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Sampler:
    """CPU use (percent of one core) and peak RSS of a process tree over a window."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_mb = 0.0
        self.ticks0 = cpu_ticks(process_tree(pid))
        self.t0 = time.monotonic()

    def sample(self) -> None:
        self.peak_mb = max(self.peak_mb, rss_mb(process_tree(self.pid)))

    def cpu_percent(self) -> float:
        ticks = cpu_ticks(process_tree(self.pid)) - self.ticks0
        return 100 * ticks / HZ / (time.monotonic() - self.t0)


#: Runs the command given after its first argument (a file descriptor) and writes the
#: command's wall seconds, peak RSS (kB) and exit status to that descriptor. A process's peak RSS counts the memory of the process it was
#: forked from (Linux keeps the larger across exec, and vfork shares it), so a command
#: started by the benchmark itself would report the benchmark's own peak (hundreds of
#: MB once it has written 100,000 logs); started by this small launcher, its own.
_LAUNCH = (
    "import os, subprocess, sys, time\n"
    "start = time.monotonic()\n"
    "proc = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(proc.pid, 0)\n"
    "took = time.monotonic() - start\n"
    "code = os.waitstatus_to_exitcode(status)\n"
    "os.write(int(sys.argv[1]), f'{took!r} {usage.ru_maxrss} {code}'.encode())\n"
)


def run_timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run `cmd` to its end: (wall seconds, peak RSS in MB, stdout). Timed from its start
    to its end by a small launcher (whose own start is not counted), so that its peak
    memory is its own (`_LAUNCH`)."""
    import sys

    read, write = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, str(write), *cmd], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, pass_fds=(write,),
        )  # fmt: skip
    finally:
        os.close(write)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    proc.wait()
    with os.fdopen(read, "rb") as report:
        took, kb, _code = report.read().decode().split()
    return float(took), int(kb) / 1024, out
