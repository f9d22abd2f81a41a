"""Stick figures that show a drill: the pose format, its parser, and a braille renderer.

A drill's `[figure]` table says how to draw a person doing it::

    [figure]
    view = "side"            # "side" (profile, facing right) or "front"
    start = "down"           # the pose a rep starts from (phase 0)
    top = "up"               # the pose at the top of the rep (phase 0.5)
    props = [{ kind = "band", at = "knee" }]   # optional

    [figure.poses.down]      # two to four poses, played in the order written
    trunk = -90              # lying on the back, head behind
    thigh = 150              # one number: both sides; [a, b]: each side
    shin = 90
    arm = [10, 10]

    [figure.poses.up]
    ...

Every angle says which way a body part points, in degrees, turning towards
the picture's right (side view: the way the figure faces). Angles are
absolute, not relative to the joint above, so each part can be read off a
photo on its own:

- `trunk`: hip to shoulders, from straight up. 0 upright, 30 leaning forward,
  -90 lying on the back (head to the left), 90 lying face down (head right).
- `head`: the neck, from straight up; defaults to the trunk's angle.
- `thigh`, `shin`, `arm` (upper arm), `forearm`: from straight down. 0 hangs
  down, 90 points right (forward), 180 points up, -90 points left (back).
- `foot` (side view): heel to toe, from straight down like a limb, but
  missing means 90: flat on the floor, toes forward. 0 toes down (lying face
  down on tucked toes), 60 on tiptoe, 180 toes up (lying on the back).
- `x`: where the hips are, left to right, in heights of the figure (default 0).
- `lift`: height of the lowest point above the floor (default 0: the ground
  rule puts the lowest point of the body on the floor; a jump sets 0.2).

Two-sided parts take one number for both sides or `[a, b]`. Side view: `a` is
the near limb, `b` the far one. Front view: `a` is the picture's left, `b` its
right, and the trunk is drawn as a trapezoid of shoulder and hip width, so
lying on the side (trunk -90) puts `b` on top; feet are short stubs pointing
out. Missing parts stand at attention (0; a side-view foot 90). Angles are
interpolated as written (170 to -170 turns the long way round).

Props: `{ kind = "band", at = "knee" | "ankle" | "foot" }` joins both legs at
that point; `{ kind = "roller" | "ball" | "box" | "chair", under = PART }`
sits on the floor under PART (hip, knee, heel, toe, hand, elbow, shoulder,
head) as it is in the start pose (or the pose named by `pose = "..."`) and
stays there while the body moves; of two limbs it takes the lower one, their
middle if level. A roller and a ball stand on the floor; a box and a chair
reach up to the part.

Phase 0 is the start pose, 0.5 the top pose and 1 the start again; poses in
between are passed in the order written, each move eased (cosine). The scale
is fitted once to every pose, so the figure never jumps. Lengths are
Drillis and Contini's fractions of standing height (docs/figures.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from gluteterm.core.checks import bad_value
from gluteterm.core.errors import GlutetermError
from gluteterm.core.suggest import did_you_mean
from gluteterm.core.text import cut

# Segment lengths as fractions of standing height.
HEAD_NECK = 0.182
HEAD_R = 0.065
TRUNK = 0.288
UPPER_ARM = 0.186
FOREARM = 0.146 + 0.05  # to the middle of the hand
THIGH = 0.245
SHIN = 0.246
ANKLE = 0.039
FOOT = 0.13  # heel to toe as drawn
FRONT_FOOT = 0.05  # a foot seen from the front: a short stub
SHOULDER_W = 0.259
HIP_W = 0.191
ROLLER_R = 0.05
BALL_R = 0.17
BOX_W = 0.3
CHAIR_W = 0.26
BAND_RING = 0.02
#: Dots per figure height from which lines are drawn two dots thick (to read from afar).
THICK_SCALE = 80.0

VIEWS = ("side", "front")
PAIRED = ("thigh", "shin", "foot", "arm", "forearm")
SINGLE = ("trunk", "head", "x", "lift")
POSE_KEYS = SINGLE + PAIRED
FIGURE_KEYS = ("view", "start", "top", "props", "poses")
PROP_KINDS = ("band", "roller", "ball", "box", "chair")
BAND_POINTS = ("knee", "ankle", "foot")
PARTS = ("hip", "knee", "ankle", "heel", "toe", "hand", "elbow", "shoulder", "head")
ANGLE_LIMIT = 360.0
X_LIMIT = 3.0
LIFT_LIMIT = 1.0
MIN_POSES = 2
MAX_POSES = 4

# Order of values in a pose vector.
_INDEX = {
    name: i
    for i, name in enumerate(
        ["trunk", "head", "x", "lift"] + [f"{p}{s}" for p in PAIRED for s in (0, 1)]
    )
}

#: Braille dot bits by (row, column) within a cell.
_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))

Point = tuple[float, float]


class FigureError(GlutetermError):
    """A figure table that cannot be drawn; the message names the file and key."""


@dataclass(frozen=True)
class Prop:
    """A thing drawn with the figure. Bands follow the legs; others stay put."""

    kind: str
    at: str = ""  # band: which point of the legs
    centre: Point = (0.0, 0.0)  # fixed props: the floor point under the part
    top: float = 0.0  # box, chair: height of the surface


@dataclass(frozen=True)
class Pose:
    """One key pose: a name and its values in `_INDEX` order."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Figure:
    """A parsed figure: view, props, key poses, and the box every frame fits in."""

    view: str
    poses: tuple[Pose, ...]
    start: str
    top: str
    props: tuple[Prop, ...] = ()
    #: (from phase, to phase, from values, to values), covering [0, 1).
    legs: tuple[tuple[float, float, tuple[float, ...], tuple[float, ...]], ...] = ()
    _cache: dict[tuple[int, int], tuple[float, float, float]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @cached_property
    def bounds(self) -> tuple[float, float, float]:
        """(x min, x max, y max) over every frame, in figure heights. Worked out when
        first drawn, not when parsed: loading a plan parses every drill of its ladders,
        and sampling each figure's cycle there cost ~20 ms of start-up."""
        return _bounds(self)


@dataclass
class Skeleton:
    """Where each body part is in one frame, in figure heights (y up, floor at 0)."""

    lines: list[tuple[Point, Point]]
    head: tuple[Point, float]
    parts: dict[str, list[Point]]


# --- geometry -------------------------------------------------------------


def _down(angle: float) -> Point:
    rad = math.radians(angle)
    return (math.sin(rad), -math.cos(rad))


def _add(p: Point, d: Point, length: float) -> Point:
    return (p[0] + d[0] * length, p[1] + d[1] * length)


def skeleton(view: str, v: tuple[float, ...] | list[float]) -> Skeleton:
    """The body for one pose vector, standing on the ground rule (lowest point at `lift`)."""
    trunk = math.radians(v[0])
    up = (math.sin(trunk), math.cos(trunk))
    across = (math.cos(trunk), -math.sin(trunk))  # towards b's side
    hip = (v[2], 0.0)
    shoulder = _add(hip, up, TRUNK)
    neck = (math.sin(math.radians(v[1])), math.cos(math.radians(v[1])))
    head = _add(shoulder, neck, HEAD_NECK - HEAD_R)
    lines = [(shoulder, _add(shoulder, neck, HEAD_NECK - 2 * HEAD_R))]
    parts: dict[str, list[Point]] = {k: [] for k in PARTS}
    parts["head"] = [(head[0], head[1] - HEAD_R)]
    front = view == "front"
    if front:
        hips = [_add(hip, across, -HIP_W / 2), _add(hip, across, HIP_W / 2)]
        shoulders = [
            _add(shoulder, across, -SHOULDER_W / 2),
            _add(shoulder, across, SHOULDER_W / 2),
        ]
        lines += [(hips[0], hips[1]), (shoulders[0], shoulders[1])]
        lines += [(hips[0], shoulders[0]), (hips[1], shoulders[1])]
    else:
        hips = [hip, hip]
        shoulders = [shoulder, shoulder]
        lines.append((hip, shoulder))
    for s in (0, 1):
        thigh, shin, foot, arm, forearm = (v[_INDEX[f"{p}{s}"]] for p in PAIRED)
        knee = _add(hips[s], _down(thigh), THIGH)
        ankle = _add(knee, _down(shin), SHIN)
        heel = _add(ankle, _down(shin), ANKLE)
        if front:
            toe = _add(heel, _down(shin + (90.0 if s else -90.0)), FRONT_FOOT)
        else:
            toe = _add(heel, _down(foot), FOOT)
        elbow = _add(shoulders[s], _down(arm), UPPER_ARM)
        hand = _add(elbow, _down(forearm), FOREARM)
        lines += [(hips[s], knee), (knee, ankle), (ankle, heel), (heel, toe)]
        lines += [(shoulders[s], elbow), (elbow, hand)]
        for name, point in (
            ("hip", hips[s]),
            ("knee", knee),
            ("ankle", ankle),
            ("heel", heel),
            ("toe", toe),
            ("elbow", elbow),
            ("hand", hand),
            ("shoulder", shoulders[s]),
        ):
            parts[name].append(point)
    low = min(min(p[1] for p in pts) for pts in parts.values())
    dy = v[3] - low
    moved = [((a[0], a[1] + dy), (b[0], b[1] + dy)) for a, b in lines]
    parts = {k: [(p[0], p[1] + dy) for p in pts] for k, pts in parts.items()}
    return Skeleton(moved, ((head[0], head[1] + dy), HEAD_R), parts)


def _lower(points: list[Point]) -> Point:
    """The lower of two limbs' points, or their middle if level."""
    if len(points) == 2 and abs(points[0][1] - points[1][1]) < 0.02:
        return ((points[0][0] + points[1][0]) / 2, (points[0][1] + points[1][1]) / 2)
    return min(points, key=lambda p: p[1])


def _ease(t: float) -> float:
    return (1.0 - math.cos(math.pi * t)) / 2.0


def pose_at(figure: Figure, phase: float) -> list[float]:
    """The interpolated pose vector at `phase` (wrapped into [0, 1))."""
    phase %= 1.0
    for begin, end, a, b in figure.legs:
        if phase < end or end >= 1.0:
            t = _ease((phase - begin) / (end - begin))
            return [x + (y - x) * t for x, y in zip(a, b, strict=True)]
    raise AssertionError("legs cover [0, 1)")  # pragma: no cover


def _prop_shapes(
    prop: Prop, sk: Skeleton
) -> tuple[list[tuple[Point, Point]], list[tuple[Point, float]]]:
    """Lines and circles that draw one prop in one frame."""
    x, _ = prop.centre
    if prop.kind == "band":
        name = {"foot": "toe"}.get(prop.at, prop.at)
        a, b = sk.parts[name]
        if prop.at == "foot":  # round the forefoot: between heel and toe
            ha, hb = sk.parts["heel"]
            a = ((a[0] + ha[0]) / 2, (a[1] + ha[1]) / 2)
            b = ((b[0] + hb[0]) / 2, (b[1] + hb[1]) / 2)
        return [(a, b)], [(a, BAND_RING), (b, BAND_RING)]
    if prop.kind == "roller":
        return [], [((x, ROLLER_R), ROLLER_R)]
    if prop.kind == "ball":
        return [], [((x, BALL_R), BALL_R)]
    top = prop.top
    if prop.kind == "box":
        lo, hi = x - BOX_W / 2, x + BOX_W / 2
        return [((lo, 0), (lo, top)), ((lo, top), (hi, top)), ((hi, top), (hi, 0))], []
    # A chair has its back on the left: behind a figure that faces right.
    lo, hi = x - CHAIR_W / 2, x + CHAIR_W / 2
    return [((lo, 0), (lo, top + 0.25)), ((lo, top), (hi, top)), ((hi, top), (hi, 0))], []


def _frame(
    figure: Figure, phase: float
) -> tuple[list[tuple[Point, Point]], list[tuple[Point, float]]]:
    sk = skeleton(figure.view, pose_at(figure, phase))
    lines = list(sk.lines)
    circles = [sk.head]
    for prop in figure.props:
        pl, pc = _prop_shapes(prop, sk)
        lines += pl
        circles += pc
    return lines, circles


# --- parsing --------------------------------------------------------------


def _number(value: Any, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FigureError(f"{where}: {bad_value('a number', value)}")
    if not math.isfinite(value) or not low <= value <= high:
        raise FigureError(f"{where}: {bad_value(f'a number from {low:g} to {high:g}', value)}")
    return float(value)


def _unknown(key: str, known: tuple[str, ...], where: str) -> FigureError:
    hint = did_you_mean(key, known, f"; known keys: {', '.join(known)}")
    return FigureError(f"{where}: unknown key '{cut(key)}'{hint}")


def _text(value: Any, where: str, choices: tuple[str, ...]) -> str:
    expected = "one of " + ", ".join(choices)
    if not isinstance(value, str):
        raise FigureError(f"{where}: {bad_value(expected, value)}")
    if value not in choices:
        hint = did_you_mean(value, choices)
        raise FigureError(f"{where}: {bad_value(expected, value)}{hint}")
    return value


def _pose(name: str, table: Any, where: str) -> Pose:
    if not isinstance(table, dict):
        raise FigureError(f"{where}: {bad_value('a table of angles', table)}")
    values = [0.0] * len(_INDEX)
    head_given = False
    for key, value in table.items():
        at = f"{where}.{cut(key)}"
        if key not in POSE_KEYS:
            raise _unknown(key, POSE_KEYS, where)
        limit = {"x": X_LIMIT, "lift": LIFT_LIMIT}.get(key, ANGLE_LIMIT)
        low = 0.0 if key == "lift" else -limit
        if key in PAIRED:
            pair = value if isinstance(value, list) else [value, value]
            if len(pair) != 2:
                raise FigureError(f"{at}: {bad_value('one number or two [a, b]', value)}")
            for s, item in enumerate(pair):
                values[_INDEX[f"{key}{s}"]] = _number(item, at, low, limit)
        else:
            values[_INDEX[key]] = _number(value, at, low, limit)
            head_given = head_given or key == "head"
    if not head_given:
        values[_INDEX["head"]] = values[_INDEX["trunk"]]
    for s in (0, 1):
        if "foot" not in table:
            values[_INDEX[f"foot{s}"]] = 90.0
    return Pose(name, tuple(values))


def _legs(
    poses: tuple[Pose, ...], start: str, top: str
) -> tuple[tuple[float, float, tuple[float, ...], tuple[float, ...]], ...]:
    names = [p.name for p in poses]
    first = names.index(start)
    order = [poses[(first + i) % len(poses)] for i in range(len(poses))]
    k = [p.name for p in order].index(top)
    legs = []
    for i, pose in enumerate(order):
        after = order[(i + 1) % len(order)]
        if i < k:
            begin, end = 0.5 * i / k, 0.5 * (i + 1) / k
        else:
            n = len(order) - k
            begin, end = 0.5 + 0.5 * (i - k) / n, 0.5 + 0.5 * (i - k + 1) / n
        legs.append((begin, end, pose.values, after.values))
    return tuple(legs)


def _props(raw: Any, where: str, view: str, poses: dict[str, Pose], start: str) -> tuple[Prop, ...]:
    if not isinstance(raw, list) or len(raw) > 4:
        raise FigureError(f"{where}: {bad_value('a list of up to 4 props', raw)}")
    props = []
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise FigureError(f'{at}: expected a table like {{ kind = "ball", under = "heel" }}')
        kind = _text(item.get("kind"), f"{at}.kind", PROP_KINDS)
        known = ("kind", "at") if kind == "band" else ("kind", "under", "pose")
        for key in item:
            if key not in known:
                raise _unknown(key, known, at)
        if kind == "band":
            props.append(Prop(kind, at=_text(item.get("at"), f"{at}.at", BAND_POINTS)))
            continue
        part = _text(item.get("under"), f"{at}.under", PARTS)
        pose = _text(item.get("pose", start), f"{at}.pose", tuple(poses))
        point = _lower(skeleton(view, poses[pose].values).parts[part])
        props.append(Prop(kind, centre=(point[0], 0.0), top=max(0.05, point[1])))
    return tuple(props)


def parse_figure(table: dict[str, Any], file: str) -> Figure:
    """A `Figure` from a drill's `[figure]` table; `FigureError` names `file` and the key."""
    where = f"{file}: figure"
    if not isinstance(table, dict):
        raise FigureError(f"{where}: {bad_value('a table', table)}")
    for key in table:
        if key not in FIGURE_KEYS:
            raise _unknown(key, FIGURE_KEYS, where)
    view = _text(table.get("view", "side"), f"{where}.view", VIEWS)
    raw = table.get("poses")
    if not isinstance(raw, dict) or not MIN_POSES <= len(raw) <= MAX_POSES:
        raise FigureError(
            f"{where}.poses: {bad_value(f'{MIN_POSES} to {MAX_POSES} named poses', raw)}"
        )
    poses = tuple(
        _pose(str(name), body, f"{where}.poses.{cut(str(name))}") for name, body in raw.items()
    )
    names = tuple(p.name for p in poses)
    start = _text(table.get("start", names[0]), f"{where}.start", names)
    top = _text(table.get("top", names[1]), f"{where}.top", names)
    if start == top:
        raise FigureError(f"{where}.top: the top pose must differ from the start pose '{start}'")
    by_name = {p.name: p for p in poses}
    props = _props(table.get("props", []), f"{where}.props", view, by_name, start)
    return Figure(view, poses, start, top, props, _legs(poses, start, top))


def _bounds(figure: Figure) -> tuple[float, float, float]:
    """x range and top over the whole cycle, sampled finely enough for eased motion."""
    xs: list[float] = []
    ys: list[float] = [0.0]
    for i in range(64):
        lines, circles = _frame(figure, i / 64)
        for a, b in lines:
            xs += [a[0], b[0]]
            ys += [a[1], b[1]]
        for (cx, cy), r in circles:
            xs += [cx - r, cx + r]
            ys.append(cy + r)
    return (min(xs), max(xs), max(ys))


# --- rendering ------------------------------------------------------------


def _transform(figure: Figure, cols: int, rows: int) -> tuple[float, float, float]:
    """(scale, x offset, floor row) in dots for a panel, computed once per size."""
    key = (cols, rows)
    cached = figure._cache.get(key)
    if cached is None:
        x0, x1, y1 = figure.bounds
        width, height = 2 * cols, 4 * rows
        scale = min((width - 2) / max(x1 - x0, 1e-6), (height - 4) / max(y1, 1e-6))
        offset = (width - (x1 - x0) * scale) / 2 - x0 * scale
        cached = (scale, offset, float(height - 3))
        figure._cache[key] = cached
    return cached


def render(figure: Figure, phase: float, side: str | None, cols: int, rows: int) -> list[str]:
    """`rows` lines of `cols` characters: the figure at `phase` in braille, on a floor line.

    `side="right"` mirrors the figure; "left" or None draws it as written.
    """
    if side not in (None, "left", "right"):
        raise ValueError(f"side must be 'left', 'right' or None, not {side!r}")
    if cols < 1 or rows < 1:
        return []
    scale, offset, floor = _transform(figure, cols, rows)
    width, height = 2 * cols, 4 * rows
    cells = bytearray(cols * rows)
    mirror = side == "right"

    def dot(x: float, y: float) -> None:
        dx = round(x)
        dy = round(y)
        if 0 <= dx < width and 0 <= dy < height:
            cells[(dy >> 2) * cols + (dx >> 1)] |= _BITS[dy & 3][dx & 1]

    def to_dots(p: Point) -> Point:
        x = p[0] * scale + offset
        return (width - 1 - x if mirror else x, floor - p[1] * scale)

    thick = scale >= THICK_SCALE
    lines, circles = _frame(figure, phase)
    for a, b in lines:
        (ax, ay), (bx, by) = to_dots(a), to_dots(b)
        steps = max(1, round(max(abs(bx - ax), abs(by - ay))))
        # A thick line doubles across its direction: beside a steep one, below a flat one.
        across = (1.0, 0.0) if abs(by - ay) > abs(bx - ax) else (0.0, 1.0)
        for i in range(steps + 1):
            t = i / steps
            x, y = ax + (bx - ax) * t, ay + (by - ay) * t
            dot(x, y)
            if thick:
                dot(x + across[0], y + across[1])
    for centre, radius in circles:
        cx, cy = to_dots(centre)
        for r in (radius * scale, radius * scale - 1) if thick else (radius * scale,):
            steps = max(8, round(2 * math.pi * r))
            for i in range(steps):
                angle = 2 * math.pi * i / steps
                dot(cx + r * math.cos(angle), cy + r * math.sin(angle))
    floor_row = height - 1
    for x in range(width):
        dot(x, floor_row)
    blank = ord(" ")
    return [
        "".join(chr(0x2800 + c) if c else chr(blank) for c in cells[r * cols : (r + 1) * cols])
        for r in range(rows)
    ]


# --- for other displays -------------------------------------------------------

#: Key frames per cycle a drawing of the figure elsewhere (the phone page) is given.
SHAPE_SAMPLES = 32


def figure_shapes(figure: Figure, samples: int = SHAPE_SAMPLES) -> dict[str, Any]:
    """The figure's whole cycle as plain data, for a display that draws it itself.

    `frames[i]` is the figure at phase i/samples: `lines` as [ax, ay, bx, by] and
    `circles` as [cx, cy, r], in figure heights (y up, floor at 0); every frame has
    as many lines and circles as the others, so a display can blend two neighbours.
    `bounds` is (x min, x max, y max) over the cycle, as the terminal fits it.
    """
    frames = []
    for i in range(samples):
        lines, circles = _frame(figure, i / samples)
        frames.append(
            {
                "lines": [[round(v, 4) for v in (*a, *b)] for a, b in lines],
                "circles": [[round(v, 4) for v in (*c, r)] for c, r in circles],
            }
        )
    return {"view": figure.view, "bounds": [round(v, 4) for v in figure.bounds], "frames": frames}
