"""Render the drills' figures to PNG contact sheets, to look at them or to name them blind.

    python scripts/render_figures.py [OUT_DIR] [ID ...]
        Every drill (or the IDs given), five a sheet: start, 0.25, top and 0.75 as
        written (the left side), then start and top mirrored (the right side).
        Writes OUT_DIR/figures-N.svg and .png (needs rsvg-convert; OUT_DIR
        defaults to /tmp/figures).

    python scripts/render_figures.py --blind [--seed N] [--key KEY_DIR] OUT_DIR
        The blind naming test: every drill of the library, its start and top
        poses side by side, numbered, without names, in a shuffled order, on
        pages OUT_DIR/blind-1.png, blind-2.png... (12 drills a page); the drill
        names to choose from, alphabetical, in OUT_DIR/names.txt; the answer key
        in KEY_DIR/key.txt (default: OUT_DIR-key, a folder beside OUT_DIR).

        To repeat the test: run it with a new --seed (so the order is new), give
        a person who has not seen the figures or this key only OUT_DIR (the
        pages and names.txt), ask them to write "number: name" for each figure,
        then score their list against KEY_DIR/key.txt. The target is 90 % named
        right; fix every miss and run the test again with a fresh person.

    python scripts/render_figures.py --fix-svg SCREENSHOT.svg ...
        Rewrites a Textual SVG screenshot so braille draws in place when the SVG
        renderer's monospace font lacks braille: each braille character gets its
        own x position instead of flowing in a proportional fallback font.

Braille cells are drawn dot by dot at terminal proportions (a cell 1 wide, 2 tall),
so the picture is what a terminal shows, without depending on a font with braille.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tomllib
from html import escape, unescape
from pathlib import Path

from gluteterm.core.figure import Figure, parse_figure, render

REPO = Path(__file__).resolve().parent.parent
DRILLS = REPO / "gluteterm" / "drills"
FRAMES = (
    ("start (0)", 0.0, None),
    ("0.25", 0.25, None),
    ("top (0.5)", 0.5, None),
    ("0.75", 0.75, None),
    ("start, right side", 0.0, "right"),
    ("top, right side", 0.5, "right"),
)
CELL_W, CELL_H = 9, 18
_DOTS = {
    0x01: (0, 0), 0x02: (0, 1), 0x04: (0, 2), 0x40: (0, 3),
    0x08: (1, 0), 0x10: (1, 1), 0x20: (1, 2), 0x80: (1, 3),
}  # fmt: skip


def panel_svg(lines: list[str], x0: float, y0: float, band: set[int] | None = None) -> list[str]:
    """Each raised dot as a circle; the band's cells in the band's yellow, as in the app."""
    out = []
    cols = len(lines[0]) if lines else 0
    for r, line in enumerate(lines):
        for c, ch in enumerate(line):
            code = ord(ch) - 0x2800
            if not 0 < code < 256:
                continue
            fill = "#f0e442" if band and r * cols + c in band else "#9fe870"
            for bit, (dc, dr) in _DOTS.items():
                if code & bit:
                    cx = x0 + c * CELL_W + (dc + 0.5) * CELL_W / 2
                    cy = y0 + r * CELL_H + (dr + 0.5) * CELL_H / 4
                    out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="1.9" fill="{fill}"/>')
    return out


def load(path: Path) -> Figure:
    with path.open("rb") as f:
        return parse_figure(tomllib.load(f)["figure"], path.name)


def label(x: float, y: float, text: str) -> str:
    return (
        f'<text x="{x}" y="{y}" fill="#dddddd" font-family="DejaVu Sans Mono"'
        f' font-size="13">{escape(text)}</text>'
    )


def write_png(body: list[str], width: float, height: float, out: Path) -> Path:
    svg = out.with_suffix(".svg")
    svg.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}">'
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#1e1e1e"/>'
        + "".join(body)
        + "</svg>"
    )
    png = out.with_suffix(".png")
    subprocess.run(["rsvg-convert", "-o", str(png), str(svg)], check=True)
    return png


def sheet(paths: list[Path], out: Path, cols: int, rows: int) -> Path:
    """One row a drill, one panel a frame, the drill's id over the first."""
    pw, ph = cols * CELL_W + 16, rows * CELL_H + 40
    body: list[str] = []
    for i, path in enumerate(paths):
        figure = load(path)
        for j, (name, phase, side) in enumerate(FRAMES):
            x, y = 5 + j * pw, 5 + i * ph
            body.append(label(x + 4, y + 16, f"{path.stem}: {name}" if j == 0 else name))
            body.append(
                f'<rect x="{x}" y="{y + 24}" width="{pw - 8}" height="{rows * CELL_H + 8}"'
                ' fill="none" stroke="#555"/>'
            )
            band: set[int] = set()
            lines = render(figure, phase, side, cols, rows, band)
            body += panel_svg(lines, x + 4, y + 28, band)
    return write_png(body, pw * len(FRAMES) + 10, ph * len(paths) + 10, out)


#: Drills a blind page holds: three a row, two panels (start, top) each.
BLIND_PER_ROW, BLIND_PER_PAGE = 3, 12


def blind(
    paths: list[Path], out_dir: Path, key_dir: Path, seed: int, cols: int, rows: int
) -> list[Path]:
    """Start and top poses of every drill, numbered, shuffled, unnamed, a page per
    BLIND_PER_PAGE drills; the names to choose from beside the pages, the key apart."""
    order = list(paths)
    random.Random(seed).shuffle(order)
    pw, ph = cols * CELL_W + 12, rows * CELL_H + 34
    pages = []
    for first in range(0, len(order), BLIND_PER_PAGE):
        body: list[str] = []
        chunk = order[first : first + BLIND_PER_PAGE]
        for i, path in enumerate(chunk):
            figure = load(path)
            x = 5 + (i % BLIND_PER_ROW) * (2 * pw + 24)
            y = 5 + (i // BLIND_PER_ROW) * ph
            body.append(label(x + 4, y + 16, f"{first + i + 1}."))
            for k, phase in enumerate((0.0, 0.5)):
                px = x + k * pw
                body.append(label(px + 40, y + 16, ("start", top_caption(path))[k]))
                body.append(
                    f'<rect x="{px}" y="{y + 22}" width="{pw - 6}" height="{rows * CELL_H + 6}"'
                    ' fill="none" stroke="#555"/>'
                )
                band: set[int] = set()
                lines = render(figure, phase, None, cols, rows, band)
                body += panel_svg(lines, px + 3, y + 25, band)
        page_rows = (len(chunk) + BLIND_PER_ROW - 1) // BLIND_PER_ROW
        width = BLIND_PER_ROW * (2 * pw + 24) + 10
        out = out_dir / f"blind-{first // BLIND_PER_PAGE + 1}"
        pages.append(write_png(body, width, page_rows * ph + 10, out))
    names = sorted(_name(p) for p in paths)
    (out_dir / "names.txt").write_text(
        f"Name each of the {len(order)} numbered figures on the blind-N.png pages"
        ' (its start pose, then its top pose, captioned "held" where the drill holds it'
        " still for a time, as the app's drill card says) with one name from this list."
        " Each name is used once.\n\n" + "".join(f"{name}\n" for name in names)
    )
    (key_dir / "key.txt").write_text(
        f"Answer key for the blind-N.png pages in {out_dir} (seed {seed}):\n\n"
        + "".join(f"{n + 1}. {_name(p)} ({p.stem})\n" for n, p in enumerate(order))
    )
    return pages


def top_caption(path: Path) -> str:
    """ "held" for a drill that holds its top pose still (as `gluteterm drills ID` says),
    else "top": a roll and a timed raise move, like any rep."""
    from gluteterm.core.display import timed_cycle
    from gluteterm.core.plan import Kind

    with path.open("rb") as f:
        data = tomllib.load(f)
    default, kind = data.get("default", {}), data.get("kind")
    if not (isinstance(default, dict) and "hold" in default) or kind not in set(Kind):
        return "top"
    return "held" if timed_cycle(Kind(kind)) is None else "top"


def _name(path: Path) -> str:
    with path.open("rb") as f:
        return str(tomllib.load(f).get("name", path.stem))


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="render_figures.py",
        description="Render the drills' figures to PNG contact sheets (needs rsvg-convert).",
        epilog=__doc__.split("\n\n", 1)[1].split("Braille cells are drawn")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=Path("/tmp/figures"),
        help="where to write the sheets (default: /tmp/figures)",
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="only these drills (default: all)")
    parser.add_argument("--cols", type=int, default=34, help="panel width in cells (34)")
    parser.add_argument("--rows", type=int, default=12, help="panel height in cells (12)")
    parser.add_argument(
        "--blind",
        action="store_true",
        help="unnamed, shuffled pages of every drill's start and top poses, to name blind",
    )
    parser.add_argument(
        "--key",
        type=Path,
        metavar="KEY_DIR",
        help="where --blind writes the answer key (default: OUT_DIR-key)",
    )
    parser.add_argument("--seed", type=int, default=21, help="shuffle seed for --blind (21)")
    parser.add_argument(
        "--fix-svg",
        nargs="+",
        type=Path,
        metavar="SVG",
        help="fix braille placement in Textual SVG screenshots, then stop",
    )
    args = parser.parse_args(argv)
    if args.fix_svg:
        for path in args.fix_svg:
            fix_svg(path)
        return 0
    if not 4 <= args.cols <= 200 or not 3 <= args.rows <= 100:
        parser.error("--cols must be 4 to 200 and --rows 3 to 100")
    if shutil.which("rsvg-convert") is None:
        parser.error("rsvg-convert is missing (apt-get install -y librsvg2-bin)")
    known = {p.stem: p for p in sorted(DRILLS.glob("*.toml"))}
    unknown = [i for i in args.ids if i not in known]
    if unknown:
        parser.error(f"unknown drill id(s): {', '.join(unknown)}")
    paths = [known[i] for i in args.ids] if args.ids else list(known.values())
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.blind:
        key_dir = args.key or args.out_dir.with_name(args.out_dir.name + "-key")
        if key_dir.resolve() == args.out_dir.resolve():
            parser.error("--key must be another folder than OUT_DIR: the tester sees OUT_DIR")
        key_dir.mkdir(parents=True, exist_ok=True)
        for page in blind(paths, args.out_dir, key_dir, args.seed, args.cols, args.rows):
            print(page)
        print(args.out_dir / "names.txt")
        print(key_dir / "key.txt")
        return 0
    for n in range(0, len(paths), 5):
        print(sheet(paths[n : n + 5], args.out_dir / f"figures-{n // 5 + 1}", args.cols, args.rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
