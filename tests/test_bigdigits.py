"""Big digits: every character draws, output stays inside its bounds, and it is big enough."""

from __future__ import annotations

import pytest

from gluteterm.core import bigdigits
from gluteterm.core.bigdigits import GLYPHS, render, size

BLOCKS = set(" ▀▄█")


@pytest.mark.parametrize("ch", sorted(GLYPHS))
@pytest.mark.parametrize(("rows", "cols"), [(4, 20), (7, 30), (10, 76), (18, 158), (40, 300)])
def test_every_char_renders_within_bounds(ch: str, rows: int, cols: int) -> None:
    lines = render(ch, rows, cols)
    assert 0 < len(lines) <= rows
    assert len({len(line) for line in lines}) == 1
    assert 0 < len(lines[0]) <= cols
    assert set("".join(lines)) <= BLOCKS
    if ch != " ":
        assert any(c != " " for line in lines for c in line)


@pytest.mark.parametrize(
    ("text", "rows", "cols", "min_rows"),
    [
        ("0:45", 10, 76, 8),  # 80x24: the runner gives about 9-10 rows
        ("0:45", 9, 76, 8),
        ("0:45", 18, 156, 16),  # 160x45
        ("0:45", 18, 100, 16),  # 160x45 with the figure beside the digits
        ("10:00", 18, 120, 16),
        ("12", 10, 40, 8),
    ],
)
def test_big_enough_at_the_runner_sizes(text: str, rows: int, cols: int, min_rows: int) -> None:
    lines = render(text, rows, cols)
    assert min_rows <= len(lines) <= rows
    assert all(len(line) == len(lines[0]) <= cols for line in lines)


def test_width_scales_on_wide_terminals() -> None:
    narrow, wide = size("0:45", 18, 60), size("0:45", 18, 158)
    assert wide[1] > narrow[1]
    assert wide[0] >= narrow[0]


@pytest.mark.parametrize("rows", range(1, 30))
@pytest.mark.parametrize("cols", [1, 3, 5, 12, 25, 60, 120])
def test_never_clips_or_wraps(rows: int, cols: int) -> None:
    for text in ("0:45", "10:00", "7", "3/10"):
        lines = render(text, rows, cols)
        assert len(lines) <= rows
        assert all(len(line) == len(lines[0]) <= cols for line in lines)
        assert size(text, rows, cols) == (len(lines), len(lines[0]) if lines else 0)


def test_digits_all_one_width_so_a_countdown_does_not_jump() -> None:
    widths = {size(f"0:{n:02d}", 10, 76)[1] for n in range(60)}
    assert len(widths) == 1


def test_too_small_for_big_digits_gives_plain_text() -> None:
    assert render("0:45", 3, 20) == ["0:45"]
    assert render("0:45", 3, 3) == []


def test_unknown_character_is_refused() -> None:
    assert not bigdigits.supports("go!")
    with pytest.raises(ValueError, match="g"):
        render("go", 10, 80)


def test_capitals_draw_set_up_words_in_distinct_glyphs() -> None:
    import string

    assert bigdigits.supports("BAND AT KNEES") and bigdigits.supports(string.ascii_uppercase)
    bitmaps = [GLYPHS[ch] for ch in string.ascii_uppercase]
    assert len(set(bitmaps)) == 26  # no two capitals alike
    assert all(len(rows) == 7 for rows in bitmaps)
    assert all(len({len(row) for row in rows}) == 1 for rows in bitmaps)  # square bitmaps
    lines = render("LEFT LEG", 4, 100)
    assert len(lines) == 4 and len(lines[0]) <= 100
