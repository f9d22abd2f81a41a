"""'Did you mean' for keys, kinds, ids and session names: the closest known word.

Bounded: a word longer than `MAX_WORD` characters, or a choice among more than
`MAX_CANDIDATES` words, gets no suggestion, and candidates longer than
`MAX_WORD` are passed over, so the work is linear in what is known whatever a
file or a command line holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from gluteterm.core.text import cut

#: The longest word (typed or known) that is compared at all.
MAX_WORD = 64
#: The most known words a suggestion is looked for among.
MAX_CANDIDATES = 300


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
    if len(word) > MAX_WORD:
        return None
    word = word.lower()
    candidates: list[str] = []
    for candidate in known:
        if len(candidates) == MAX_CANDIDATES:
            return None  # too many to choose among: no guess rather than a slow one
        if len(candidate) <= MAX_WORD:
            candidates.append(candidate)
    if len(word) >= 3:
        starts = [k for k in candidates if k.lower().startswith(word)]
        if len(starts) == 1:
            return starts[0]
    best: tuple[int, str] | None = None
    for candidate in candidates:
        if abs(len(candidate) - len(word)) > max(1, len(word) // 3):
            continue  # too far apart in length to be a typo
        distance = edit_distance(word, candidate.lower())
        if best is None or distance < best[0]:
            best = (distance, candidate)
    if best is None:
        return None
    limit = max(1, min(len(word), len(best[1])) // 3)
    return best[1] if best[0] <= limit else None


def did_you_mean(word: object, known: Iterable[str], otherwise: str = "") -> str:
    """`; did you mean 'x'?` for the known word nearest to `word`, or `otherwise`.

    The one way a message offers a correction; `word` may be any value read from
    a file (only text gets a suggestion).
    """
    close = closest(word, known) if isinstance(word, str) else None
    return f"; did you mean '{cut(close)}'?" if close is not None else otherwise
