"""Big digits for a countdown read from across the room: a 5x7 block font scaled to fit.

The font is a pixel bitmap, five pixels wide and seven tall, with one-pixel
strokes and rounded corners. It is scaled to any size: every glyph maps its
font columns and rows to screen pixels by the same rule, so all digits stay
exactly the same width (a countdown never jumps) and strokes keep one
thickness. One terminal cell holds two pixels stacked (upper half block ▀,
lower half block ▄, full block █), and a pixel is one cell wide, so pixels are
close to square.

`render(text, max_rows, max_cols)` gives the tallest rendering that fits both
bounds, at its natural width (square pixels) when the columns allow, narrower
(down to 60 % of that) when they do not, smaller still only when it must.
Nothing is clipped or wrapped. Below four rows the text comes back as one
plain line.
"""

from __future__ import annotations

from functools import lru_cache

#: Characters the font draws.
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "1": ("..#..", ".##..", "#.#..", "..#..", "..#..", "..#..", "#####"),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("####.", "....#", "....#", ".###.", "....#", "....#", "####."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": (".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."),
    ":": (".", ".", "#", ".", "#", ".", "."),
    ".": (".", ".", ".", ".", ".", ".", "#"),
    "-": ("...", "...", "...", "###", "...", "...", "..."),
    "/": ("....#", "....#", "...#.", "..#..", ".#...", "#....", "#...."),
    "x": (".....", ".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
    " ": ("...", "...", "...", "...", "...", "...", "..."),
    # Capitals, for a few words of set-up read from the floor ("LEFT LEG", "BAND AT KNEES").
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "B": ("####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."),
    "C": (".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."),
    "D": ("####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."),
    "E": ("#####", "#....", "#....", "####.", "#....", "#....", "#####"),
    "F": ("#####", "#....", "#....", "####.", "#....", "#....", "#...."),
    "G": (".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"),
    "H": ("#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "I": ("###", ".#.", ".#.", ".#.", ".#.", ".#.", "###"),
    "J": ("..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"),
    "L": ("#....", "#....", "#....", "#....", "#....", "#....", "#####"),
    "M": ("#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"),
    "N": ("#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "P": ("####.", "#...#", "#...#", "####.", "#....", "#....", "#...."),
    "Q": (".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"),
    "S": (".####", "#....", "#....", ".###.", "....#", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
    "Y": ("#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."),
    "Z": ("#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"),
}
FONT_ROWS = 7
FONT_COLS = 5
#: Fewest pixel rows the font is drawn at (one screen pixel per font row).
MIN_PIXEL_ROWS = FONT_ROWS
#: How far the digits may be narrowed from square pixels before they shrink instead.
MIN_WIDTH_RATIO = 0.6

_CELL = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def supports(text: str) -> bool:
    """Whether every character of `text` is in the font."""
    return all(ch in GLYPHS for ch in text)


def _spans(count: int, total: int, strokes: tuple[int, ...]) -> list[int]:
    """Split `total` pixels over `count` font units, the `strokes` units all one thickness.

    The stroke units (the outer columns; the top, middle and bottom rows) get
    the rounded average and the others share what is left evenly, so a 0 has
    the same thickness on both sides and top and bottom bars match.
    """
    thick = max(1, round(total / count))
    others = [i for i in range(count) if i not in strokes]
    rest = total - thick * len(strokes)
    if rest < len(others):  # too small to favour the strokes: plain even split
        return [(i + 1) * total // count - i * total // count for i in range(count)]
    shares = [(j + 1) * rest // len(others) - j * rest // len(others) for j in range(len(others))]
    spans = [thick] * count
    for i, share in zip(others, sorted(shares, reverse=True), strict=True):
        spans[i] = share
    return spans


def _layout(text: str, glyph_width: int) -> int:
    """Columns `text` takes with digits `glyph_width` pixels wide."""
    unit = max(1, round(glyph_width / FONT_COLS))
    cols = 0
    for i, ch in enumerate(text):
        width = len(GLYPHS[ch][0])
        cols += glyph_width if width == FONT_COLS else sum(_column_spans(width, glyph_width))
        if i:
            cols += unit
    return cols


def _column_spans(width: int, glyph_width: int) -> list[int]:
    """Screen columns for each font column of a glyph `width` font columns wide."""
    if width == FONT_COLS:
        return _spans(FONT_COLS, glyph_width, (0, FONT_COLS - 1))
    unit = max(1, round(glyph_width / FONT_COLS))
    return [unit] * width


@lru_cache(maxsize=256)
def _fit(text: str, max_rows: int, max_cols: int) -> tuple[int, int] | None:
    """(pixel rows, digit width) of the largest big rendering that fits, or None."""
    for pixel_rows in range(2 * max_rows, MIN_PIXEL_ROWS - 1, -1):
        natural = max(FONT_COLS, round(pixel_rows * FONT_COLS / FONT_ROWS))
        narrowest = max(FONT_COLS, round(natural * MIN_WIDTH_RATIO))
        for glyph_width in range(natural, narrowest - 1, -1):
            if _layout(text, glyph_width) <= max_cols:
                return pixel_rows, glyph_width
    return None


def size(text: str, max_rows: int, max_cols: int) -> tuple[int, int]:
    """(rows, columns) that `render` returns for these bounds; (0, 0) if nothing fits."""
    lines = render(text, max_rows, max_cols)
    return (len(lines), len(lines[0]) if lines else 0)


@lru_cache(maxsize=256)
def _render(text: str, max_rows: int, max_cols: int) -> tuple[str, ...]:
    if not text or max_rows < 1 or max_cols < 1:
        return ()
    fit = _fit(text, max_rows, max_cols)
    if fit is None:
        return (text,) if len(text) <= max_cols else ()
    pixel_rows, glyph_width = fit
    unit = max(1, round(glyph_width / FONT_COLS))
    row_of = [
        r for r, span in enumerate(_spans(FONT_ROWS, pixel_rows, (0, 3, 6))) for _ in range(span)
    ]
    # One screen row of pixels per font row, built once and reused for every pixel row it covers.
    font_lines: list[list[bool]] = []
    for font_row in range(FONT_ROWS):
        pixels: list[bool] = []
        for i, ch in enumerate(text):
            if i:
                pixels += [False] * unit
            bitmap = GLYPHS[ch][font_row]
            for bit, span in zip(bitmap, _column_spans(len(bitmap), glyph_width), strict=True):
                pixels += [bit == "#"] * span
        font_lines.append(pixels)
    blank = [False] * len(font_lines[0])
    pixel_lines = [font_lines[r] for r in row_of]
    if len(pixel_lines) % 2:
        pixel_lines.append(blank)
    return tuple(
        "".join(_CELL[pair] for pair in zip(top, bottom, strict=True))
        for top, bottom in zip(pixel_lines[::2], pixel_lines[1::2], strict=True)
    )


def render(text: str, max_rows: int, max_cols: int) -> list[str]:
    """The largest rendering of `text` within `max_rows` x `max_cols`; every line one width.

    Raises ValueError for a character the font does not have (see `supports`).
    """
    missing = sorted({ch for ch in text if ch not in GLYPHS})
    if missing:
        raise ValueError(f"big digits cannot draw {''.join(missing)!r}")
    return list(_render(text, max_rows, max_cols))
