"""The page's address as a QR code in block characters, to scan off the screen."""

from __future__ import annotations

#: The quiet zone around the code, in modules: the standard's four, so a phone finds it.
QUIET = 4
#: Two modules a character, one above the other: (top dark, bottom dark) -> character.
HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_lines(text: str) -> list[str]:
    """`text` as a QR code: one line per two rows of modules, dark modules drawn in the
    text colour (show it dark on light), with the quiet zone all round."""
    import segno  # only when the phone is asked for

    code = segno.make(text, error="l", micro=False)  # boosted to a higher level if it fits
    rows = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=QUIET)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return [
        "".join(HALVES[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]
