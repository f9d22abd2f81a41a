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
- `out`: degrees a part points out of the picture, towards the viewer (negative:
  away), drawn shorter: `{ shin = [0, 60], trunk = -80 }` (the trunk one number).
  In a top view a trunk with an `out` rises off the floor towards the viewer, its
  head drawn on it (a seated body seen from above and in front); without one the
  trunk is a short stub under the head, seen from straight above.
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
reach up to the part, centred under it or, with `edge = "left"` (or "right"),
with the part near that end (a heel on a high box, the calf off it).

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
#: A band "at the ankles" sits this share of the shin above the ankle joint.
BAND_ANKLE = 0.2
#: Dots kept clear between the figure and a panel's sides and top.
MARGIN = 3
#: Dots per figure height from which lines are drawn two dots thick (to read from afar).
THICK_SCALE = 36.0

VIEWS = ("side", "front", "top")
PAIRED = ("thigh", "shin", "foot", "arm", "forearm")
SINGLE = ("trunk", "head", "x", "lift")
#: Segments that can point out of the picture (`out = { shin = [0, 60] }`): drawn
#: shorter, by the cosine of the angle, as a photo shows a shin pointing at the camera.
OUT_SEGMENTS = ("thigh", "shin", "arm", "forearm")
#: The trunk can point out of the picture too (`out = { trunk = 80 }`, one number): a
#: body on hands and knees seen from behind has its shoulders just above its hips.
OUT_KEYS = ("trunk", *OUT_SEGMENTS)
OUT_LIMIT = 80.0
POSE_KEYS = SINGLE + PAIRED + ("touch", "out")
FIGURE_KEYS = ("view", "start", "top", "props", "poses")
PROP_KINDS = ("band", "roller", "ball", "box", "chair")
#: Where on a box or chair the part rests: `edge = "left"` puts it near the left end.
EDGES = ("left", "centre", "right")
#: How far in from the edge a part resting at an edge sits, in figure heights.
EDGE_INSET = 0.01
BAND_POINTS = ("knee", "ankle", "foot")
PARTS = ("hip", "knee", "ankle", "heel", "toe", "hand", "elbow", "shoulder", "head")
SEGMENTS = ("trunk", "thigh", "shin", "foot", "arm", "forearm")
#: What a pose can rest on: `touch = { floor = ["heel", "shoulder"], ball = ["heel.a"] }`.
SURFACES = ("floor", "roller", "ball", "box", "chair")
#: How far a declared contact may be from its surface, in figure heights (about a dot).
CONTACT_TOL = 0.02
#: How far the trunk's line sits above what it rests on (the back, the buttocks): a
#: body lying on its back has its spine this high, its head on the floor.
FLESH = {"hip": 0.05, "shoulder": 0.05, "trunk": 0.05}
#: The front view's trunk width, lying on the side, as a share of its width standing.
LYING_WIDTH = 0.3
#: The trunk's length as drawn from above (top view): a sitting trunk, foreshortened.
TOP_TRUNK = 0.07
ANGLE_LIMIT = 360.0
X_LIMIT = 3.0
LIFT_LIMIT = 1.0
MIN_POSES = 2
MAX_POSES = 4

# Order of values in a pose vector.
_INDEX = {
    name: i
    for i, name in enumerate(
        ["trunk", "head", "x", "lift"]
        + [f"{p}{s}" for p in PAIRED for s in (0, 1)]
        + [f"out_{p}{s}" for p in OUT_SEGMENTS for s in (0, 1)]
        + ["out_trunk"]
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
    #: Declared contacts: (surface, part or segment, sides) where sides is (0,), (1,) or (0, 1).
    touch: tuple[tuple[str, str, tuple[int, ...]], ...] = ()


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
    #: The body's segments by name (one per side for limbs), for the contact checks.
    segments: dict[str, list[tuple[Point, Point]]] = field(default_factory=dict)


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
    # Seen from above, a sitting trunk is short: the shoulders just ahead of the hips.
    # A top view whose trunk points out of the picture (`out = { trunk = 50 }`) is seen
    # from above and in front instead: the trunk rises, drawn shorter, the head on it.
    trunk_out = v[_INDEX["out_trunk"]]
    trunk_shown = TRUNK * math.cos(math.radians(trunk_out))
    from_above = view == "top" and not trunk_out
    shoulder = _add(hip, up, TOP_TRUNK if from_above else trunk_shown)
    segments: dict[str, list[tuple[Point, Point]]] = {k: [] for k in SEGMENTS}
    segments["trunk"] = [(hip, shoulder)]
    neck = (math.sin(math.radians(v[1])), math.cos(math.radians(v[1])))
    if from_above:  # from straight above the head sits on the shoulders
        head = _add(shoulder, neck, HEAD_R * 0.3)
        lines = []
    else:
        head = _add(shoulder, neck, HEAD_NECK - HEAD_R)
        lines = [(shoulder, _add(shoulder, neck, HEAD_NECK - 2 * HEAD_R))]
    parts: dict[str, list[Point]] = {k: [] for k in PARTS}
    parts["head"] = [(head[0], head[1] - HEAD_R)]
    front = view != "side"
    if front:
        # Lying on the side, the shoulders and hips stack: seen from a little above
        # the body reads as a narrow band, not a box.
        wide = max(LYING_WIDTH, abs(math.cos(trunk)))
        hips = [_add(hip, across, -HIP_W * wide / 2), _add(hip, across, HIP_W * wide / 2)]
        shoulders = [
            _add(shoulder, across, -SHOULDER_W * wide / 2),
            _add(shoulder, across, SHOULDER_W * wide / 2),
        ]
        lines += [(hips[0], hips[1]), (shoulders[0], shoulders[1])]
        lines += [(hips[0], shoulders[0]), (hips[1], shoulders[1])]
    else:
        hips = [hip, hip]
        shoulders = [shoulder, shoulder]
        lines.append((hip, shoulder))
    for s in (0, 1):
        thigh, shin, foot, arm, forearm = (v[_INDEX[f"{p}{s}"]] for p in PAIRED)
        o_thigh, o_shin, o_arm, o_forearm = (
            math.cos(math.radians(v[_INDEX[f"out_{p}{s}"]])) for p in OUT_SEGMENTS
        )
        knee = _add(hips[s], _down(thigh), THIGH * o_thigh)
        ankle = _add(knee, _down(shin), SHIN * o_shin)
        heel = _add(ankle, _down(shin), ANKLE * o_shin)
        if front:
            toe = _add(heel, _down(shin + (90.0 if s else -90.0)), FRONT_FOOT)
        else:
            toe = _add(heel, _down(foot), FOOT)
        elbow = _add(shoulders[s], _down(arm), UPPER_ARM * o_arm)
        hand = _add(elbow, _down(forearm), FOREARM * o_forearm)
        lines += [(hips[s], knee), (knee, ankle), (ankle, heel), (heel, toe)]
        lines += [(shoulders[s], elbow), (elbow, hand)]
        for name, seg in (
            ("thigh", (hips[s], knee)),
            ("shin", (knee, heel)),
            ("foot", (heel, toe)),
            ("arm", (shoulders[s], elbow)),
            ("forearm", (elbow, hand)),
        ):
            segments[name].append(seg)
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
    flesh = FLESH if view != "top" else {}  # from above, the picture's bottom is no floor
    low = min(min(p[1] for p in pts) - flesh.get(k, 0.0) for k, pts in parts.items())
    dy = v[3] - low
    moved = [((a[0], a[1] + dy), (b[0], b[1] + dy)) for a, b in lines]
    parts = {k: [(p[0], p[1] + dy) for p in pts] for k, pts in parts.items()}
    segments = {
        k: [((a[0], a[1] + dy), (b[0], b[1] + dy)) for a, b in segs] for k, segs in segments.items()
    }
    return Skeleton(moved, ((head[0], head[1] + dy), HEAD_R), parts, segments)


def _lower(points: list[Point]) -> Point:
    """The lower of two limbs' points, or their middle if level."""
    if len(points) == 2 and abs(points[0][1] - points[1][1]) < 0.02:
        return ((points[0][0] + points[1][0]) / 2, (points[0][1] + points[1][1]) / 2)
    return min(points, key=lambda p: p[1])


def _ease(t: float) -> float:
    return (1.0 - math.cos(math.pi * t)) / 2.0


def tempo_phase(seconds: float, up: float, hold: float, down: float) -> float:
    """Where in its cycle a rep paced `up`, `hold`, `down` seconds is, `seconds` in.

    Phase 0 to 0.5 (start to top pose) takes `up`, it stays at 0.5 (the top)
    for `hold`, and 0.5 to 1 (back to the start) takes `down`; then again."""
    parts = (up, hold, down)
    if not all(math.isfinite(p) and p >= 0 for p in parts) or sum(parts) <= 0:
        raise ValueError(f"a tempo needs finite seconds >= 0 adding up to more than 0: {parts}")
    t = seconds % sum(parts)
    if t < up:
        return 0.5 * t / up
    if t < up + hold:
        return 0.5
    return min(0.5 + 0.5 * (t - up - hold) / down, 1.0) % 1.0 if down > 0 else 0.0


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
        elif prop.at == "ankle":  # just above the ankle bones, clear of a band round the feet
            ka, kb = sk.parts["knee"]
            a = (a[0] + (ka[0] - a[0]) * BAND_ANKLE, a[1] + (ka[1] - a[1]) * BAND_ANKLE)
            b = (b[0] + (kb[0] - b[0]) * BAND_ANKLE, b[1] + (kb[1] - b[1]) * BAND_ANKLE)
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
) -> tuple[list[tuple[Point, Point]], list[tuple[Point, float]], int, int]:
    """Lines and circles of one frame; the band's come last, from the two indexes."""
    sk = skeleton(figure.view, pose_at(figure, phase))
    lines = list(sk.lines)
    circles = [sk.head]
    bands: tuple[list[tuple[Point, Point]], list[tuple[Point, float]]] = ([], [])
    for prop in figure.props:
        pl, pc = _prop_shapes(prop, sk)
        if prop.kind == "band":
            bands[0].extend(pl)
            bands[1].extend(pc)
        else:
            lines += pl
            circles += pc
    first_band_line, first_band_circle = len(lines), len(circles)
    return lines + bands[0], circles + bands[1], first_band_line, first_band_circle


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
    touch: tuple[tuple[str, str, tuple[int, ...]], ...] = ()
    for key, value in table.items():
        at = f"{where}.{cut(key)}"
        if key not in POSE_KEYS:
            raise _unknown(key, POSE_KEYS, where)
        if key == "touch":
            touch = _touch(value, at)
            continue
        if key == "out":
            _out(value, at, values)
            continue
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
    return Pose(name, tuple(values), touch)


def _out(raw: Any, where: str, values: list[float]) -> None:
    """`{ shin = [0, 60] }`: degrees each segment points out of the picture (towards the
    viewer; negative away), into `values`; `trunk` takes one number."""
    if not isinstance(raw, dict):
        raise FigureError(f"{where}: {bad_value('a table like { shin = [0, 60] }', raw)}")
    for key, value in raw.items():
        if key not in OUT_KEYS:
            raise _unknown(str(key), OUT_KEYS, where)
        at = f"{where}.{key}"
        if key == "trunk":
            values[_INDEX["out_trunk"]] = _number(value, at, -OUT_LIMIT, OUT_LIMIT)
            continue
        pair = value if isinstance(value, list) else [value, value]
        if len(pair) != 2:
            raise FigureError(f"{at}: {bad_value('one number or two [a, b]', value)}")
        for s, item in enumerate(pair):
            values[_INDEX[f"out_{key}{s}"]] = _number(item, at, -OUT_LIMIT, OUT_LIMIT)


def _touch(raw: Any, where: str) -> tuple[tuple[str, str, tuple[int, ...]], ...]:
    """`{ floor = ["heel", "hand.a"], ball = ["heel"] }`: what rests on what.

    A part ("heel", "hip", ...) or segment ("shin", "forearm", ...) names both
    sides; "heel.a" or "heel.b" one of them (a the near or picture-left limb)."""
    if not isinstance(raw, dict):
        expected = 'a table like { floor = ["heel", "shoulder"] }'
        raise FigureError(f"{where}: {bad_value(expected, raw)}")
    found = []
    names = PARTS + SEGMENTS
    for surface, items in raw.items():
        at = f"{where}.{surface}"
        if surface not in SURFACES:
            raise _unknown(str(surface), SURFACES, where)
        if not isinstance(items, list) or not 0 < len(items) <= 12:
            raise FigureError(f"{at}: {bad_value('a list of 1 to 12 body parts', items)}")
        for item in items:
            if not isinstance(item, str):
                like = 'a body part like "heel"'
                raise FigureError(f"{at}: {bad_value(like, item)}")
            part, dot, side = item.partition(".")
            if part not in names or (dot and side not in ("a", "b")):
                hint = did_you_mean(part, names) if part not in names else ""
                expected = f"a body part ({', '.join(names)}), optionally with .a or .b"
                raise FigureError(f"{at}: {bad_value(expected, item)}{hint}")
            sides = (0, 1) if not dot else ((0,) if side == "a" else (1,))
            found.append((surface, part, sides))
    return tuple(found)


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
        known: tuple[str, ...] = ("kind", "at") if kind == "band" else ("kind", "under", "pose")
        if kind in ("box", "chair"):
            known += ("edge",)
        for key in item:
            if key not in known:
                raise _unknown(key, known, at)
        if kind == "band":
            props.append(Prop(kind, at=_text(item.get("at"), f"{at}.at", BAND_POINTS)))
            continue
        part = _text(item.get("under"), f"{at}.under", PARTS)
        pose = _text(item.get("pose", start), f"{at}.pose", tuple(poses))
        point = _lower(skeleton(view, poses[pose].values).parts[part])
        # A box or chair reaches up to the part; a hip rests on it through the buttocks.
        top = max(0.05, point[1] - FLESH.get(part, 0.0))
        # A heel on a high box rests near its edge, the calf off it (`edge = "left"`).
        edge = _text(item.get("edge", "centre"), f"{at}.edge", EDGES)
        half = (BOX_W if kind == "box" else CHAIR_W) / 2 - EDGE_INSET
        x = point[0] + {"left": half, "centre": 0.0, "right": -half}[edge]
        props.append(Prop(kind, centre=(x, 0.0), top=top))
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
        lines, circles, _, _ = _frame(figure, i / 64)
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
        # A margin of MARGIN dots at the sides and the top, so a raised arm or leg
        # stops short of the panel's edge instead of looking cut off by it.
        margin = MARGIN if min(width, height) >= 8 * MARGIN else 1
        scale = min(
            (width - 2 * margin) / max(x1 - x0, 1e-6),
            (height - 3 - margin) / max(y1, 1e-6),
        )
        offset = (width - (x1 - x0) * scale) / 2 - x0 * scale
        # The floor line is the bottom row of dots. A thick stroke is doubled below a
        # flat line, so its feet stand two rows up; a thin one's stand on the next row.
        floor = height - 3 if scale >= THICK_SCALE else height - 2
        cached = (scale, offset, float(floor))
        figure._cache[key] = cached
    return cached


class _Canvas:
    """A braille dot canvas of `cols` x `rows` cells, mirrored or not, that can note
    which cells a run of dots falls in (the band's, for a panel to colour them)."""

    __slots__ = ("cells", "cols", "height", "marks", "width")

    def __init__(self, cols: int, rows: int) -> None:
        self.cols = cols
        self.width, self.height = 2 * cols, 4 * rows
        self.cells = bytearray(cols * rows)
        self.marks: set[int] | None = None

    def dots(self, points: list[Point]) -> None:
        """Raise the dot nearest each point (in dots, y down); those outside are dropped."""
        cells, cols, width, height, marks = (
            self.cells,
            self.cols,
            self.width,
            self.height,
            self.marks,
        )
        for x, y in points:
            dx = round(x)
            dy = round(y)
            if 0 <= dx < width and 0 <= dy < height:
                cell = (dy >> 2) * cols + (dx >> 1)
                cells[cell] |= _BITS[dy & 3][dx & 1]
                if marks is not None:
                    marks.add(cell)

    def line(self, a: Point, b: Point, thick: bool) -> None:
        """A straight line; a thick one doubles across its direction (beside a steep
        line, below a flat one). The ends are snapped to dots first, so the dots
        between them step one at a time: a short foot or hand stays joined to its
        limb instead of leaving a gap where two ends round apart."""
        ax, ay, bx, by = round(a[0]), round(a[1]), round(b[0]), round(b[1])
        steps = max(1, abs(bx - ax), abs(by - ay))
        sx, sy = (bx - ax) / steps, (by - ay) / steps
        points = [(ax + sx * i, ay + sy * i) for i in range(steps + 1)]
        if thick:
            ox, oy = (1.0, 0.0) if abs(by - ay) > abs(bx - ax) else (0.0, 1.0)
            points += [(x + ox, y + oy) for x, y in points]
        self.dots(points)

    def ring(self, centre: Point, r: float) -> None:
        cx, cy = centre
        steps = max(8, round(2 * math.pi * r))
        self.dots(
            [
                (
                    cx + r * math.cos(2 * math.pi * i / steps),
                    cy + r * math.sin(2 * math.pi * i / steps),
                )
                for i in range(steps)
            ]
        )

    def disc(self, centre: Point, r: float) -> None:
        cx, cy = centre
        reach = math.ceil(r)
        span = range(-reach, reach + 1)
        self.dots([(cx + x, cy + y) for y in span for x in span if x * x + y * y <= r * r])

    def text(self) -> list[str]:
        cols, cells = self.cols, self.cells
        return [
            "".join(chr(0x2800 + c) if c else " " for c in cells[r * cols : (r + 1) * cols])
            for r in range(len(cells) // cols)
        ]


def render(
    figure: Figure,
    phase: float,
    side: str | None,
    cols: int,
    rows: int,
    band: set[int] | None = None,
) -> list[str]:
    """`rows` lines of `cols` characters: the figure at `phase` in braille, on a floor line.

    `side="right"` mirrors the figure; "left" or None draws it as written. Given
    a set as `band`, the cells the band's dots fall in are added to it (row *
    cols + column), for a panel to colour them.
    Where the panel gives the figure THICK_SCALE dots or more per height, lines
    are two dots wide and the head is filled, to read from the floor.
    """
    if side not in (None, "left", "right"):
        raise ValueError(f"side must be 'left', 'right' or None, not {side!r}")
    if cols < 1 or rows < 1:
        return []
    scale, offset, floor = _transform(figure, cols, rows)
    canvas = _Canvas(cols, rows)
    mirror = side == "right"
    right_edge = canvas.width - 1

    def to_dots(p: Point) -> Point:
        x = p[0] * scale + offset
        return (right_edge - x if mirror else x, floor - p[1] * scale)

    thick = scale >= THICK_SCALE
    lines, circles, band_line, band_circle = _frame(figure, phase)
    for n, (a, b) in enumerate(lines):
        canvas.marks = band if n >= band_line else None
        canvas.line(to_dots(a), to_dots(b), thick)
    for n, (centre, radius) in enumerate(circles):
        canvas.marks = band if n >= band_circle else None
        r = radius * scale
        if thick and n == 0:  # the head, filled: the figure's strongest mark
            canvas.disc(to_dots(centre), r)
            continue
        for ring in (r, r - 1) if thick else (r,):
            canvas.ring(to_dots(centre), ring)
    canvas.marks = None
    if figure.view != "top":  # from above there is no floor line
        floor_row = canvas.height - 1
        canvas.dots([(x, floor_row) for x in range(canvas.width)])
    return canvas.text()


# --- checking a figure against a body ----------------------------------------

#: Joint ranges a person can reach, in degrees, as (low, high), by view. Side view:
#: flexion positive (hip and shoulder forward, knee and elbow bent, ankle 90 neutral).
#: Front view: abduction positive (hip and shoulder away from the body).
JOINT_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "side": {
        "hip": (-40.0, 160.0),
        "knee": (-5.0, 165.0),
        "ankle": (20.0, 150.0),
        "shoulder": (-70.0, 200.0),
        "elbow": (-5.0, 165.0),
        "neck": (-70.0, 70.0),
    },
    "top": {"knee": (-160.0, 160.0), "elbow": (-165.0, 165.0)},
    "front": {
        "hip": (-40.0, 85.0),
        "knee": (-110.0, 110.0),
        "shoulder": (-40.0, 190.0),
        "elbow": (-165.0, 165.0),
        "neck": (-60.0, 60.0),
    },
}


#: Ranges for joints with a segment out of the picture: the angle in space, unsigned.
SPATIAL_RANGES = {
    "hip": (0.0, 160.0),
    "knee": (0.0, 165.0),
    "shoulder": (0.0, 180.0),
    "elbow": (0.0, 165.0),
}


def _turn(angle: float) -> float:
    """An angle brought into (-180, 180]."""
    a = math.fmod(angle, 360.0)
    if a > 180.0:
        a -= 360.0
    elif a <= -180.0:
        a += 360.0
    return a


def _direction(angle: float, out: float) -> tuple[float, float, float]:
    """A segment's direction in space: `angle` in the picture, `out` towards the viewer."""
    a, o = math.radians(angle), math.radians(out)
    return (math.cos(o) * math.sin(a), -math.cos(o) * math.cos(a), math.sin(o))


def _between(u: tuple[float, float, float], w: tuple[float, float, float]) -> float:
    dot = max(-1.0, min(1.0, sum(x * y for x, y in zip(u, w, strict=True))))
    return math.degrees(math.acos(dot))


def joint_angles(
    view: str, v: tuple[float, ...] | list[float], spatial: set[str] | None = None
) -> dict[str, float]:
    """Each joint's angle (JOINT_RANGES' conventions), keyed "hip.a", "knee.b", "neck"...

    A joint with a segment pointing out of the picture has its angle in space,
    unsigned (0 straight), as a drawing cannot tell its sign; its key goes into
    `spatial` if given (SPATIAL_RANGES apply to it)."""

    def at(key: str) -> float:
        return v[_INDEX[key]]

    trunk = at("trunk")
    out = {"neck": _turn(at("head") - trunk)}
    for s, tag in ((0, "a"), (1, "b")):
        thigh, shin, foot = at(f"thigh{s}"), at(f"shin{s}"), at(f"foot{s}")
        arm, forearm = at(f"arm{s}"), at(f"forearm{s}")
        if view == "side":
            out[f"hip.{tag}"] = _turn(thigh + trunk)
            out[f"knee.{tag}"] = _turn(thigh - shin)
            out[f"ankle.{tag}"] = _turn(foot - shin)
            out[f"shoulder.{tag}"] = _turn(arm + trunk)
            out[f"elbow.{tag}"] = _turn(forearm - arm)
        else:
            away = -1.0 if s == 0 else 1.0  # picture-left limb opens to the left
            out[f"hip.{tag}"] = _turn(away * (thigh + trunk))
            out[f"knee.{tag}"] = _turn(thigh - shin)
            out[f"shoulder.{tag}"] = _turn(away * (arm + trunk))
            out[f"elbow.{tag}"] = _turn(forearm - arm)
        # Out of the picture: the angle in space between the two segments.
        lean = at("out_trunk")
        body = _direction(-trunk, -lean)  # down the trunk: out of the picture the other way
        for joint, first, second in (
            ("hip", ("", -trunk), ("thigh", thigh)),
            ("knee", ("thigh", thigh), ("shin", shin)),
            ("shoulder", ("", -trunk), ("arm", arm)),
            ("elbow", ("arm", arm), ("forearm", forearm)),
        ):
            o1 = at(f"out_{first[0]}{s}") if first[0] else lean
            o2 = at(f"out_{second[0]}{s}")
            if o1 or o2:
                u = _direction(first[1], o1) if first[0] else body
                out[f"{joint}.{tag}"] = _between(u, _direction(second[1], o2))
                if spatial is not None:
                    spatial.add(f"{joint}.{tag}")
    # A shoulder raised overhead reads as up to 190; keep it from wrapping to -170.
    for key, value in out.items():
        if key.startswith("shoulder") and value < -90.0:
            out[key] = value + 360.0
    return out


def _seg_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from point p to the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = (
        0.0
        if length2 == 0
        else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    )
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _pieces(sk: Skeleton, part: str, sides: tuple[int, ...]) -> list[tuple[Point, Point]]:
    """A part (as a zero-length segment) or a segment, for the given sides."""
    if part in SEGMENTS:
        segs = sk.segments[part]
        return segs if part == "trunk" else [segs[s] for s in sides]
    points = sk.parts[part]
    if part == "head":
        return [(points[0], points[0])]
    return [(points[s], points[s]) for s in sides]


def _gap(
    view: str, surface: str, props: tuple[Prop, ...], seg: tuple[Point, Point]
) -> float | None:
    """How far `seg` is from resting on `surface` (0 touching); None if the drill lacks it."""
    a, b = seg
    if surface == "floor":
        return min(a[1], b[1]) if view != "top" else 0.0  # from above all rests on it
    gaps = []
    for prop in props:
        if prop.kind != surface:
            continue
        x = prop.centre[0]
        if surface in ("roller", "ball"):
            r = ROLLER_R if surface == "roller" else BALL_R
            gaps.append(_seg_distance((x, r), a, b) - r)
        else:
            half = (BOX_W if surface == "box" else CHAIR_W) / 2
            # The lower end on the seat: its height above the top, if over the seat.
            low = a if a[1] <= b[1] else b
            over = x - half - CONTACT_TOL <= low[0] <= x + half + CONTACT_TOL
            gaps.append(low[1] - prop.top if over else 1.0)
    return min(gaps, key=abs) if gaps else None


def _contact_problems(figure: Figure, pose: Pose, sk: Skeleton) -> list[str]:
    """Each declared contact must rest on its surface within CONTACT_TOL."""
    found: list[str] = []
    if not pose.touch and pose.values[_INDEX["lift"]] == 0:
        found.append(f"pose '{pose.name}' declares no contact (touch = {{ floor = [...] }})")
    for surface, part, sides in pose.touch:
        pieces = _pieces(sk, part, sides)
        for i, seg in enumerate(pieces):
            gap = _gap(figure.view, surface, figure.props, seg)
            label = part if len(pieces) == 1 else f"{part}.{'ab'[sides[i]]}"
            if gap is None:
                found.append(
                    f"pose '{pose.name}': {label} on a {surface} the drill has no prop for"
                )
                continue
            if figure.view != "top":
                gap -= FLESH.get(part, 0.0)
            if abs(gap) > CONTACT_TOL:
                how = "floats" if gap > 0 else "sinks"
                found.append(f"pose '{pose.name}': {label} {how} {abs(gap):.3f} from the {surface}")
    return found


def _collision_problems(figure: Figure, pose: Pose, sk: Skeleton) -> list[str]:
    """Nothing goes through the floor, into a ball or roller, or across the head."""
    found: list[str] = []
    flesh = FLESH if figure.view != "top" else {}
    low = min(min(p[1] for p in pts) - flesh.get(k, 0.0) for k, pts in sk.parts.items())
    if low < -CONTACT_TOL:
        found.append(f"pose '{pose.name}': the body goes {-low:.3f} through the floor")
    for prop in figure.props:
        if prop.kind not in ("roller", "ball"):
            continue
        r = ROLLER_R if prop.kind == "roller" else BALL_R
        centre = (prop.centre[0], r)
        for name, segs in sk.segments.items():
            for a, b in segs:
                if _seg_distance(centre, a, b) < r - CONTACT_TOL:
                    found.append(f"pose '{pose.name}': the {name} goes into the {prop.kind}")
    if figure.view == "top":  # from above the limbs may pass over the head
        return found
    (hx, hy), hr = sk.head
    for name, segs in sk.segments.items():
        if name == "trunk":
            continue
        for a, b in segs:
            if _seg_distance((hx, hy), a, b) < hr * 0.6:
                found.append(f"pose '{pose.name}': the {name} crosses the head")
    return found


def _joint_problems(figure: Figure, pose: Pose) -> list[str]:
    """Every joint stays in the human range for its view (in space if out of the picture)."""
    found: list[str] = []
    spatial: set[str] = set()
    for joint, angle in joint_angles(figure.view, pose.values, spatial).items():
        ranges = SPATIAL_RANGES if joint in spatial else JOINT_RANGES[figure.view]
        lo, hi = ranges.get(joint.partition(".")[0], (-180.0, 180.0))
        if not lo <= angle <= hi:
            found.append(
                f"pose '{pose.name}': {joint} at {angle:.0f} degrees, outside {lo:.0f} to {hi:.0f}"
            )
    return found


def _length_problems(pose: Pose, sk: Skeleton) -> list[str]:
    """The segments keep one body's lengths (foreshortened by how far they point out)."""
    found: list[str] = []
    for name, length in (("thigh", THIGH), ("arm", UPPER_ARM), ("forearm", FOREARM)):
        for s, (a, b) in enumerate(sk.segments[name]):
            shown = length * math.cos(math.radians(pose.values[_INDEX[f"out_{name}{s}"]]))
            if abs(math.dist(a, b) - shown) > 1e-6:
                found.append(f"pose '{pose.name}': the {name} is not one body's length")
    return found


def pose_problems(figure: Figure, pose: Pose) -> list[str]:
    """What is wrong with one key pose as a picture of a body, in words; [] if nothing.

    Declared contacts (`touch`) must touch within CONTACT_TOL; nothing may go
    through the floor or into a ball or roller; no limb may cross the head;
    every joint stays in JOINT_RANGES; the segments keep one body's lengths."""
    sk = skeleton(figure.view, pose.values)
    return (
        _contact_problems(figure, pose, sk)
        + _collision_problems(figure, pose, sk)
        + _joint_problems(figure, pose)
        + _length_problems(pose, sk)
    )


def figure_problems(figure: Figure) -> list[str]:
    """`pose_problems` for every key pose of a figure."""
    return [problem for pose in figure.poses for problem in pose_problems(figure, pose)]


# --- for other displays -------------------------------------------------------

#: Key frames per cycle a drawing of the figure elsewhere (the phone page) is given.
SHAPE_SAMPLES = 32


def figure_shapes(figure: Figure, samples: int = SHAPE_SAMPLES) -> dict[str, Any]:
    """The figure's whole cycle as plain data, for a display that draws it itself.

    `frames[i]` is the figure at phase i/samples: `lines` as [ax, ay, bx, by] and
    `circles` as [cx, cy, r], in figure heights (y up, floor at 0); every frame has
    as many lines and circles as the others, so a display can blend two neighbours.
    `bounds` is (x min, x max, y max) over the cycle, as the terminal fits it. The
    first circle is the head; lines and circles from `band_line` and `band_circle` on
    are a band's, which the terminal draws in a colour of its own.
    """
    frames = []
    band_line = band_circle = 0
    for i in range(samples):
        lines, circles, band_line, band_circle = _frame(figure, i / samples)
        frames.append(
            {
                "lines": [[round(v, 4) for v in (*a, *b)] for a, b in lines],
                "circles": [[round(v, 4) for v in (*c, r)] for c, r in circles],
            }
        )
    return {
        "view": figure.view,
        "bounds": [round(v, 4) for v in figure.bounds],
        "band_line": band_line,
        "band_circle": band_circle,
        "frames": frames,
    }
