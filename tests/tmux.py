"""Drive a command in a real terminal through tmux: type keys, read the screen."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

import pytest


def require_tmux() -> None:
    """Skip without tmux, except in CI, where its absence is a failure."""
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is not installed; .ci/run must install it")
        pytest.skip("tmux is not installed")


class Terminal:
    """One detached tmux session running `command` at a fixed size."""

    def __init__(
        self, command: list[str], env: Mapping[str, str], size: tuple[int, int] = (80, 24)
    ) -> None:
        self.name = f"gluteterm-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # COLUMNS and LINES go: a tmux server started by a process that had them passes
        # them on, and Textual would take them over the size asked for here.
        shell = (
            f"env -u COLUMNS -u LINES {exports} {shlex.join(command)}; echo EXITED=$?; sleep 600"
        )
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                shell,
            ],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def press(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, pattern: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if regex.search(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"never saw {pattern!r}; the screen was:\n{screen}")

    def pane_pid(self) -> int:
        out = subprocess.run(
            ["tmux", "display", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
        )
        return int(out.stdout.strip())

    def program_pid(self, timeout: float = 5.0) -> int:
        """The pid of the program the pane runs (the child of the pane's shell)."""
        shell = self.pane_pid()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError, IndexError):
                return int(Path(f"/proc/{shell}/task/{shell}/children").read_text().split()[0])
            time.sleep(0.05)
        raise AssertionError("the pane runs no program")

    def app_pid(self) -> int:
        """The pid of the gluteterm process running in the pane."""
        pending = [self.pane_pid()]
        while pending:
            pid = pending.pop()
            try:
                name = Path(f"/proc/{pid}/comm").read_text().strip()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if name.startswith("python") and b"gluteterm" in cmdline:
                return pid
            children = Path(f"/proc/{pid}/task/{pid}/children")
            with contextlib.suppress(OSError):
                pending += [int(c) for c in children.read_text().split()]
        raise AssertionError("no gluteterm process in the pane")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
