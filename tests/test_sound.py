"""Sound cues: the exact sequence, the player's fall-backs, settings, and real programs."""

from __future__ import annotations

import dataclasses
import sys
import time
import types
from pathlib import Path

import pytest

from gluteterm.core.runner import Runner, RunnerState
from gluteterm.store.settings import Settings, load_settings, save_setting
from gluteterm.ui.app import GlutetermApp
from gluteterm.ui.screens.runner import RunnerScreen
from gluteterm.ui.screens.summary import SummaryScreen
from gluteterm.ui.sound import SOUNDS, CuePlayer, SoundPlayer
from tests.support import FakeClock, RecordingPlayer, build_app, make_plan, told, wait_until

PLAN = """
title = "Cues"
prepare = 2
[[step]]
name = "Roll"
kind = "release"
hold = 3
per_side = true
[[step]]
name = "Bridge"
kind = "stability"
reps = 2
tempo = 1.5
sets = 2
rest = 2
[[step]]
name = "Stand"
kind = "stability"
hold = 4
"""


def cue_app(clock: FakeClock, player: CuePlayer) -> GlutetermApp:
    """The app straight into PLAN, with `player` (a recording fake or a real player)."""
    return build_app(clock, PLAN, player=player, plan_id="cues")


async def test_the_exact_cue_sequence_with_pause_skip_and_back(
    clock: FakeClock, player: RecordingPlayer
) -> None:
    app = cue_app(clock, player)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, RunnerScreen)

        def run_for(seconds: float) -> None:
            for _ in range(round(seconds / 0.25)):
                clock.advance(0.25)
                screen.catch_up()

        run_for(6)  # get ready 2 s, left 3 s, 1 s into the switch
        await pilot.press("space")  # pause: silence however long it lasts
        run_for(30)
        await pilot.press("space")
        run_for(8)  # switch 1 s, right 3 s, get ready 2 s, 2 s into set 1 of Bridge
        await pilot.press("p")  # restart Bridge
        run_for(1)
        await pilot.press("n")  # skip the rest of Bridge
        run_for(6)  # get ready 2 s, Stand 4 s: done
        await pilot.press("escape")  # the last step's check-in, left unanswered
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    # Timeline (active seconds): Roll get-ready 0-2, left 2-5, switch 5-7, right 7-10;
    # Bridge get-ready 10-12, set 1 12-15 (rep 2 at 13.5). Ticks come at 3, 2, 1 s
    # left, only those shorter than the segment.
    assert player.calls == [
        ("play", "next"), ("speak", "Roll"),
        ("play", "countdown"),                        # get ready: 1 s left
        ("play", "go"),                               # left side
        ("play", "countdown"), ("play", "countdown"),   # 2, 1
        ("play", "switch"), ("speak", "Switch sides"),
        ("play", "countdown"),                        # switch: 1 s left, then the pause
        ("play", "go"),                               # right side, after 30 silent seconds
        ("play", "countdown"), ("play", "countdown"),
        ("play", "next"), ("speak", "Bridge"),
        ("play", "countdown"),
        ("play", "go"),                               # set 1, rep 1
        ("play", "countdown"),                        # 2 s left
        ("play", "rep"),                              # rep 2
        ("play", "countdown"),                        # 1 s left; then p restarts Bridge
        ("play", "next"), ("speak", "Bridge"),
        ("play", "countdown"),                        # its get-ready: 1 s left; then n
        ("play", "next"), ("speak", "Stand"),
        ("play", "countdown"),
        ("play", "go"),
        ("play", "countdown"), ("play", "countdown"), ("play", "countdown"),
        ("play", "complete"), ("speak", "Done"),
    ]  # fmt: skip


def test_cues_come_on_time_with_a_real_clock() -> None:
    """Correctness on the real clock; the benchmark reports the precise figure."""
    plan = make_plan(
        'title="T"\nprepare=1\n[[step]]\nname="A"\nkind="stability"\nreps=3\ntempo=1\nsets=2\nrest=1'
    )
    # A quicker tempo than files allow (1 s), so the test takes 3.5 s, not 8.
    fast = dataclasses.replace(plan.steps[0], tempo=0.25)
    runner = Runner(dataclasses.replace(plan, steps=(fast,)), time.monotonic)
    late = [time.monotonic() - cue.at for cue in runner.poll()]  # as the screen does on mount
    while runner.state is not RunnerState.FINISHED:
        time.sleep(runner.next_change_in() + 0.004)
        for cue in runner.poll():
            late.append(time.monotonic() - cue.at)
    assert len(late) >= 8
    assert max(late) < 0.25


# -- the player -------------------------------------------------------------


class FakeSound:
    def __init__(self, code: int | None) -> None:
        self.subprocess = types.SimpleNamespace(poll=lambda: code)


@pytest.fixture
def fake_playsound(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    played: list[str] = []
    module = types.ModuleType("playsound3")
    module.DEFAULT_BACKEND = "gstreamer"  # type: ignore[attr-defined]

    def playsound(path: Path, block: bool = True) -> FakeSound:
        assert block is False
        played.append(Path(path).name)
        return FakeSound(0)

    module.playsound = playsound  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "playsound3", module)
    return played


def test_player_plays_files_without_blocking(fake_playsound: list[str]) -> None:
    player = SoundPlayer()
    for cue in ("go", "countdown", "complete"):
        player.play(cue)
    wait_until(lambda: len(fake_playsound) == 3)
    assert fake_playsound == ["go.wav", "countdown.wav", "complete.wav"]


def test_muted_player_plays_nothing(fake_playsound: list[str]) -> None:
    player = SoundPlayer(muted=True, voice=True)
    player.play("go")
    player.speak("Roll")
    time.sleep(0.1)
    assert fake_playsound == [] and player._thread is None


def test_no_backend_rings_the_bell_and_says_so_once(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("playsound3")
    module.DEFAULT_BACKEND = None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "playsound3", module)
    bells: list[int] = []
    notices: list[str] = []
    player = SoundPlayer(bell=lambda: bells.append(1), notice=notices.append)
    for cue in ("go", "rep", "switch", "countdown", "complete"):
        player.play(cue)
    wait_until(lambda: len(bells) == 3)
    assert len(bells) == 3  # go, switch, complete: not the rep tick or countdown
    assert len(notices) == 1 and "terminal bell" in notices[0]


def test_a_broken_playsound3_import_is_survived(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "playsound3", None)  # import raises ImportError
    notices: list[str] = []
    player = SoundPlayer(notice=notices.append)
    player.play("go")
    wait_until(lambda: bool(notices))
    assert len(notices) == 1


def test_sounds_that_keep_failing_switch_to_the_bell(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("playsound3")
    module.DEFAULT_BACKEND = "alsa"  # type: ignore[attr-defined]
    module.playsound = lambda *_args, **_kwargs: FakeSound(1)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "playsound3", module)
    bells: list[int] = []
    notices: list[str] = []
    player = SoundPlayer(bell=lambda: bells.append(1), notice=notices.append)
    for _ in range(6):
        player.play("go")
    wait_until(lambda: bool(bells))
    assert len(notices) == 1 and "keep failing" in notices[0] and bells


@pytest.mark.usefixtures("fake_playsound")
def test_voice_uses_the_speech_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    said, argv = tmp_path / "said.txt", tmp_path / "argv.txt"
    program = tmp_path / "espeak-ng"
    program.write_text(
        f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {argv}\n/bin/cat > {said}.part\n/bin/mv {said}.part {said}\n"
    )
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    player = SoundPlayer(voice=True)
    player.speak("Glute bridge")
    wait_until(lambda: said.exists())
    assert said.read_text() == "Glute bridge\n"
    assert argv.read_text() == "--stdin\n"  # the text is never an argument


def test_every_cue_has_a_16_bit_wav() -> None:
    import wave

    for cue in ("countdown", "go", "switch", "rest", "next", "complete", "rep"):
        with wave.open(str(SOUNDS / f"{cue}.wav")) as w:
            assert w.getsampwidth() == 2 and w.getnframes() > 0


# -- settings -----------------------------------------------------------------


def test_settings_round_trip_and_keep_other_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# my sound\ntheme = "dark"  # for later\nmute = false\n')
    assert save_setting(path, "mute", True) == ""
    assert save_setting(path, "voice", True) == ""
    assert load_settings(path) == (Settings(mute=True, voice=True), "")
    text = path.read_text()
    assert text.startswith('# my sound\ntheme = "dark"  # for later\nmute = true\n'), text


def test_broken_settings_warn_and_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"mute = [\n")
    settings, warning = load_settings(path)
    assert settings == Settings() and "could not be read" in warning
    assert path.read_bytes() == b"mute = [\n"
    path.write_text('mute = "yes"\n')
    settings, warning = load_settings(path)
    assert settings == Settings() and "'mute': expected true or false, found text 'yes'" in warning


async def test_m_and_v_keys_are_remembered(clock: FakeClock, player: RecordingPlayer) -> None:
    from gluteterm.store import paths

    app = cue_app(clock, player)
    async with app.run_test() as pilot:
        await pilot.press("m")
        assert player.muted
        assert "muted" in str(app.screen.query_one("#step-count").content)  # type: ignore[attr-defined]
        await pilot.press("v")
        assert player.voice is False and player.muted is True  # voice was on in the fake
        await pilot.press("v")
        # v while muted turns the voice on, but does not silently turn sound back on
        assert player.voice and player.muted
        await pilot.press("m")
        assert player.voice and not player.muted
    assert load_settings(paths.settings_file())[0] == Settings(mute=False, voice=True)


async def test_v_says_at_once_when_nothing_can_speak(
    clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng, espeak or say
    player = SoundPlayer(wait_for_start=True)  # never started: nothing plays in the test
    app = cue_app(clock, player)
    async with app.run_test() as pilot:
        await pilot.press("v")
        said = told(app)
        assert player.voice and any("no speech program" in m for m, _ in said), said
        assert [severity for m, severity in said if "speech" in m] == ["warning"]
        assert player.told_no_speech  # the sound thread will not say it again


def test_importing_the_app_does_not_import_playsound3() -> None:
    import subprocess

    code = "import sys, gluteterm.ui.app, gluteterm.cli.main; print('playsound3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
