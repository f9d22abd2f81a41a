"""Sound behind a tiny interface: play a cue by name, speak a short line.

The runner screen only talks to a `CuePlayer`. The real one, `SoundPlayer`,
does all its work on a background thread: importing playsound3 (which probes
for gst-play-1.0, ffplay or aplay), starting each sound with `block=False`,
and starting the speech program. Nothing it does can block or break the
workout: every failure is caught, and with no way to play sound it rings the
terminal bell instead and says so once.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

SOUNDS = Path(__file__).resolve().parent / "sounds"
SPEECH_PROGRAMS = ("espeak-ng", "espeak", "say")
#: Cues that still ring the bell when there is no sound (not the soft rep tick).
BELL_CUES = frozenset({"go", "switch", "rest", "next", "complete"})
FAILURES_BEFORE_BELL = 3


class CuePlayer(Protocol):
    """Anything that can play a named cue and speak a line, without blocking."""

    muted: bool
    voice: bool

    def play(self, cue: str) -> None: ...

    def speak(self, text: str) -> None: ...


class SoundPlayer:
    """Plays cue files through playsound3 and speaks through espeak-ng/espeak/say.

    `bell` rings the terminal bell and `notice` shows one quiet message; both
    are called from the sound thread, so pass thread-safe callables.
    """

    def __init__(
        self,
        *,
        muted: bool = False,
        voice: bool = False,
        bell: Callable[[], None] = lambda: None,
        notice: Callable[[str], None] = lambda _text: None,
        wait_for_start: bool = False,
    ) -> None:
        self.muted = muted
        #: Queue cues until `start()` rather than starting the thread at the first
        #: one: the app starts it after its first frame, which the import would slow.
        self._wait_for_start = wait_for_start
        self.voice = voice
        self._bell = bell
        self._notice = notice
        self._jobs: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._playsound: Callable[..., Any] | None = None
        self._use_bell = False
        self._failures = 0
        self._playing: list[Any] = []
        self._speech: subprocess.Popen[bytes] | None = None
        self._speaker: str | None = None
        #: Whether the user has been told there is no speech program (said once).
        self.told_no_speech = False

    def start(self) -> None:
        """Start the sound thread (and the slow playsound3 import) in the background."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="gluteterm-sound", daemon=True)
            self._thread.start()

    def play(self, cue: str) -> None:
        if not self.muted:
            self._jobs.put(("play", cue))
            self._start_unless_waiting()

    def speak(self, text: str) -> None:
        if self.voice and not self.muted:
            self._jobs.put(("speak", text))
            self._start_unless_waiting()

    def _start_unless_waiting(self) -> None:
        if not self._wait_for_start:
            self.start()

    # -- the sound thread --------------------------------------------------

    def _run(self) -> None:
        self._load_backend()
        self._speaker = speech_program()
        while True:
            kind, arg = self._jobs.get()
            try:
                if kind == "play":
                    self._play_now(arg)
                else:
                    self._speak_now(arg)
            except Exception:  # a cue must never break the workout
                continue

    def _load_backend(self) -> None:
        try:
            # It logs "No supported audio backends" at import: keep that off the screen.
            quiet = logging.getLogger("playsound3")
            quiet.addHandler(logging.NullHandler())
            quiet.propagate = False
            import playsound3

            if playsound3.DEFAULT_BACKEND is None:
                raise RuntimeError("no audio program (gst-play-1.0, ffplay or aplay) found")
            self._playsound = playsound3.playsound
        except Exception as exc:
            self._fall_back(f"No sound: {_short(exc)}; cues use the terminal bell.")

    def _fall_back(self, message: str) -> None:
        if not self._use_bell:
            self._use_bell = True
            with contextlib.suppress(Exception):
                self._notice(message)

    def _play_now(self, cue: str) -> None:
        self._reap()
        if self._use_bell or self._playsound is None:
            if cue in BELL_CUES:
                self._bell()
            return
        path = cue_file(cue)
        if path is None:
            return
        try:
            self._playing.append(self._playsound(path, block=False))
        except Exception as exc:
            self._failed(exc)

    def _reap(self) -> None:
        """Collect finished sounds; several failing in a row means no working audio."""
        still = []
        for sound in self._playing:
            code = sound.subprocess.poll()
            if code is None:
                still.append(sound)
            elif code == 0:
                self._failures = 0
            else:
                self._failed(RuntimeError(f"the sound player exited with status {code}"))
        self._playing = still

    def _failed(self, exc: Exception) -> None:
        self._failures += 1
        if self._failures >= FAILURES_BEFORE_BELL:
            self._fall_back(f"Sound cues keep failing ({_short(exc)}): using the terminal bell.")

    def _speak_now(self, text: str) -> None:
        if self._speaker is None:
            if not self.told_no_speech:
                self.told_no_speech = True
                with contextlib.suppress(Exception):
                    self._notice(
                        "Voice is on, but no speech program (espeak-ng, espeak or say) "
                        "was found: step names are not spoken."
                    )
            return
        if self._speech is not None and self._speech.poll() is None:
            self._speech.terminate()  # say the new line, not a queue of old ones
        self._speech = subprocess.Popen(
            speech_command(self._speaker), stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert self._speech.stdin is not None
        with contextlib.suppress(OSError), self._speech.stdin as line:
            line.write(text.replace("\n", " ").encode("utf-8", "replace") + b"\n")


def speech_program() -> str | None:
    """The first speech program on PATH, if any."""
    return next((p for p in SPEECH_PROGRAMS if shutil.which(p)), None)


def speech_command(program: str) -> list[str]:
    """The argv for a speech program: never the text itself, which goes on stdin.

    A step name comes from a plan file; as an argument, `--phonout=/some/file`
    would be an option. On stdin it can only ever be words.
    """
    if Path(program).name == "say":
        return [program, "-f", "-"]  # macOS: read the text from stdin
    return [program, "--stdin"]  # espeak-ng and espeak


def cue_file(cue: str) -> Path | None:
    """The absolute path of a shipped cue, or None: never a path a player could misread.

    playsound3 puts the path last on the player's command line (gst-play-1.0,
    ffplay, aplay); an absolute path starts with `/`, so it is never an option.
    """
    if not cue.replace("-", "").replace("_", "").isalnum():
        return None
    path = SOUNDS / f"{cue}.wav"
    return path if path.is_absolute() and path.is_file() else None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:80]
