"""Render every staged figure's key poses to PNG contact sheets, to look at them.

Usage: python scripts/render_figures.py [OUT_DIR] [ID ...]
Writes OUT_DIR/figures-N.svg and .png (needs rsvg-convert), five drills a sheet
(OUT_DIR defaults to /tmp/figures).

       python scripts/render_figures.py --fix-svg SCREENSHOT.svg
Rewrites a Textual SVG screenshot so braille draws in place when the SVG
renderer's monospace font lacks braille (DejaVu Sans Mono does): each braille
character gets its own x position instead of flowing in a proportional
fallback font, which otherwise scrambles figures.
Braille cells are drawn dot by dot at terminal proportions (a cell 1 wide, 2 tall),
so the picture is what a terminal shows, without depending on a font that has braille.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tomllib
from html import escape, unescape
from pathlib import Path

from gluteterm.core.figure import parse_figure, render

REPO = Path(__file__).resolve().parent.parent
FRAMES = (
    ("start (0)", 0.0, None),
    ("0.25", 0.25, None),
    ("top (0.5)", 0.5, None),
    ("0.75", 0.75, None),
    ("top, side=right", 0.5, "right"),
)
CELL_W, CELL_H = 9, 18


def panel_svg(lines: list[str], x0: float, y0: float) -> list[str]:
    out = []
    for r, line in enumerate(lines):
        for c, ch in enumerate(line):
            code = ord(ch) - 0x2800
            if not 0 < code < 256:
                continue
            for bit, (dc, dr) in {
                0x01: (0, 0), 0x02: (0, 1), 0x04: (0, 2), 0x40: (0, 3),
                0x08: (1, 0), 0x10: (1, 1), 0x20: (1, 2), 0x80: (1, 3),
            }.items():  # fmt: skip
                if code & bit:
                    cx = x0 + c * CELL_W + (dc + 0.5) * CELL_W / 2
                    cy = y0 + r * CELL_H + (dr + 0.5) * CELL_H / 4
                    out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="1.9" fill="#9fe870"/>')
    return out


def sheet(paths: list[Path], out: Path, cols: int = 34, rows: int = 12) -> None:
    pw, ph = cols * CELL_W + 16, rows * CELL_H + 40
    width, height = pw * len(FRAMES) + 10, ph * len(paths) + 10
    body = [f'<rect width="{width}" height="{height}" fill="#1e1e1e"/>']
    for i, path in enumerate(paths):
        with path.open("rb") as f:
            figure = parse_figure(tomllib.load(f)["figure"], path.name)
        for j, (label, phase, side) in enumerate(FRAMES):
            x, y = 5 + j * pw, 5 + i * ph
            title = f"{path.stem}: {label}" if j == 0 else label
            body.append(
                f'<text x="{x + 4}" y="{y + 16}" fill="#dddddd" font-family="DejaVu Sans Mono"'
                f' font-size="13">{escape(title)}</text>'
            )
            body.append(
                f'<rect x="{x}" y="{y + 24}" width="{pw - 8}" height="{rows * CELL_H + 8}"'
                ' fill="none" stroke="#555"/>'
            )
            body += panel_svg(render(figure, phase, side, cols, rows), x + 4, y + 28)
    svg = out.with_suffix(".svg")
    svg.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        + "".join(body)
        + "</svg>"
    )
    subprocess.run(["rsvg-convert", "-o", str(out.with_suffix(".png")), str(svg)], check=True)


_TEXT = re.compile(
    r'<text ([^>]*?)x="([0-9.]+)"([^>]*?)textLength="([0-9.]+)"([^>]*)>([^<]*)</text>'
)


def fix_svg(path: Path) -> None:
    """Give every braille character in a Textual screenshot its own x position."""

    def place(match: re.Match[str]) -> str:
        before, x, middle, length, after, body = match.groups()
        text = unescape(body)
        if not any(0x2800 <= ord(c) <= 0x28FF for c in text):
            return match.group(0)
        width = float(length) / max(1, len(text))
        parts = []
        for i, ch in enumerate(text):
            if ch.strip():
                parts.append(
                    f'<text {before}x="{float(x) + i * width:.1f}"{middle}{after}>'
                    f"{escape(ch)}</text>"
                )
        return "".join(parts)

    path.write_text(_TEXT.sub(place, path.read_text()))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Render every drill's figure poses to SVG and PNG contact sheets "
        "(five drills a sheet; the PNGs need rsvg-convert).",
    )
    parser.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=Path("/tmp/figures"),
        help="where to write figures-N.svg and .png (default: /tmp/figures)",
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="only these drills (default: all)")
    parser.add_argument(
        "--fix-svg",
        nargs="+",
        type=Path,
        metavar="SCREENSHOT",
        help="instead, rewrite these Textual SVG screenshots in place so braille draws "
        "in place with any monospace font",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.fix_svg:
        for path in args.fix_svg:
            fix_svg(path)
        return
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = set(args.ids)
    paths = sorted(
        p for p in (REPO / "gluteterm" / "drills").glob("*.toml") if not wanted or p.stem in wanted
    )
    for n in range(0, len(paths), 5):
        sheet(paths[n : n + 5], out_dir / f"figures-{n // 5 + 1}")
        print(out_dir / f"figures-{n // 5 + 1}.png")


if __name__ == "__main__":
    main()
