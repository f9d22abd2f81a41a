"""Generate gluteterm's cue sounds: small 16-bit PCM mono WAV files in gluteterm/ui/sounds/.

Each cue is a few sine tones with a soft attack and release, distinct enough to
tell apart across a gym without looking. Change a recipe below and run:

    python scripts/make_cues.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import math
import struct
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parent.parent / "gluteterm" / "ui" / "sounds"

# cue -> list of (frequency Hz, seconds, volume 0..1); 0 Hz is silence.
RECIPES: dict[str, list[tuple[float, float, float]]] = {
    "countdown": [(880, 0.09, 0.55)],  # 3, 2, 1: a short tick
    "go": [(660, 0.11, 0.7), (0, 0.02, 0), (990, 0.22, 0.8)],  # rising: start working
    "switch": [(1175, 0.08, 0.7), (0, 0.05, 0), (1175, 0.08, 0.7), (0, 0.05, 0), (1175, 0.08, 0.7)],
    "rest": [(784, 0.16, 0.6), (523, 0.3, 0.55)],  # falling: ease off
    "next": [(523, 0.12, 0.6), (784, 0.18, 0.6)],  # a new step: get ready
    "complete": [(523, 0.13, 0.7), (659, 0.13, 0.7), (784, 0.13, 0.7), (1047, 0.4, 0.8)],
    "rep": [(1568, 0.035, 0.3)],  # a soft tick per paced rep
}


def tone(freq: float, seconds: float, volume: float) -> list[int]:
    count = int(RATE * seconds)
    fade = max(1, int(RATE * 0.008))
    samples = []
    for i in range(count):
        envelope = min(1.0, i / fade, (count - i) / fade)
        value = math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
        samples.append(int(32767 * volume * envelope * value))
    return samples


def write_cue(name: str, recipe: list[tuple[float, float, float]], out: Path = OUT) -> Path:
    samples = [s for part in recipe for s in tone(*part)]
    path = out / f"{name}.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Write gluteterm's cue sounds (16-bit PCM mono WAV), one file a cue.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT,
        help="the folder to write them to (default: gluteterm/ui/sounds in this repository)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for cue, recipe in RECIPES.items():
        print(write_cue(cue, recipe, args.out))


if __name__ == "__main__":
    main()
