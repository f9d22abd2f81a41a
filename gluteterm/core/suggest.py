"""'Did you mean' for keys, kinds and session names: the closest known word."""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Edits from `a` to `b`, counting a swap of two neighbouring letters as one."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known word nearest to `word`, if it is near enough to be a typo."""
    word = word.lower()
    known = list(known)
    if len(word) >= 3:
        starts = [k for k in known if k.lower().startswith(word)]
        if len(starts) == 1:
            return starts[0]
    best: tuple[int, str] | None = None
    for candidate in known:
        distance = edit_distance(word, candidate.lower())
        if best is None or distance < best[0]:
            best = (distance, candidate)
    if best is None:
        return None
    limit = max(1, min(len(word), len(best[1])) // 3)
    return best[1] if best[0] <= limit else None
