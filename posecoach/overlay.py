"""Drawing a step onto a picture: skeleton coloured by check status, the key angle as an arc with its
value, the torso line with its lean, the cue, the hold timer ring, the side and the reps.

Style is set once in `Overlay.__init__`; `annotate(image, step)` draws. Where the texts go is worked out
first, as plain boxes (`posecoach.layout`), from the picture's shorter side and the person's box, so that a
portrait phone video is laid out as well as a landscape webcam and no text covers the person; `draw`
returns that layout.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from posecoach import layout as lay
from posecoach.landmarks import PAIR_INDEX, SKELETON
from posecoach.layout import Band, Corner, Layout, Text
from posecoach.pipeline import Step
from posecoach.records import VISIBILITY, Phase, Status
from posecoach.rules.measures import referenced_points
from posecoach.specs.schema import Exercise

Color = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Style:
    ok: Color = (90, 200, 90)           # BGR green
    fail: Color = (60, 60, 230)         # red
    unknown: Color = (170, 170, 170)    # grey
    neutral: Color = (230, 200, 120)    # light blue
    text: Color = (255, 255, 255)
    panel: Color = (30, 30, 30)
    accent: Color = (0, 200, 255)       # amber
    min_visibility: float = 0.3


def _status_colour(style: Style, status: Status | None) -> Color:
    if status is Status.FAIL:
        return style.fail
    if status is Status.OK:
        return style.ok
    if status is Status.UNKNOWN:
        return style.unknown
    return style.neutral


class Overlay:
    """Draws one exercise's steps. It remembers which band the cue and which corner the ring took last, so
    that they stay put from frame to frame while they still fit there."""

    def __init__(self, exercise: Exercise, style: Style | None = None) -> None:
        self.exercise = exercise
        self.style = style or Style()
        self._check_points = {
            check.id: referenced_points(exercise.measure(check.measure)) for check in exercise.checks
        }
        key = exercise.key_angle
        self._key = exercise.measure(key) if key else None
        self._torso = next((m for m in exercise.measures if m.name == "torso_lean"), None)
        self._cue_band: Band | None = None
        self._ring_corner: Corner | None = None
        # Setting text is the costly part of a layout and the texts change seldom: kept per size and text.
        self._bars: dict[tuple[object, ...], tuple[lay.Box, tuple[Text, ...]]] = {}
        self._cues: dict[tuple[object, ...], list[lay.CueBlock]] = {}

    def annotate(self, image: np.ndarray, step: Step) -> np.ndarray:
        """Draw onto `image` (BGR, modified in place) and return it."""
        self.draw(image, step)
        return image

    def draw(self, image: np.ndarray, step: Step, *, cue: bool = True) -> Layout:
        """Draw onto `image` (BGR, in place) and return where every text went. With `cue=False` the cue's
        place is worked out (and kept clear) but left for the caller to fill, as the live window does in
        its own font."""
        size = (int(image.shape[1]), int(image.shape[0]))
        unit = lay.unit_of(size)
        pose = step.observation.pose
        px = seen = None
        if pose is not None:
            px = pose.image[:, :2] * np.array(size, dtype=np.float32)
            seen = pose.image[:, VISIBILITY] >= self.style.min_visibility
            self._skeleton(image, px, seen, step, unit)
            self._torso_line(image, px, step, unit)
        arc = self._key_arc(px, step, unit) if px is not None else None
        if arc is not None:
            self._arc(image, arc, unit)
        layout = self.layout(size, step, px, seen, arc)
        self._panels(image, step, layout, draw_cue=cue)
        return layout

    def layout(
        self,
        size: tuple[int, int],
        step: Step,
        px: np.ndarray | None = None,
        seen: np.ndarray | None = None,
        arc: _Arc | None = None,
    ) -> Layout:
        """Where the texts of `step` go on a picture of `size` (width, height); `px` (33, 2) are the
        landmarks in pixels and `seen` which of them are drawn (computed from the step when not given)."""
        unit = lay.unit_of(size)
        pose = step.observation.pose
        if px is None and pose is not None:
            px = pose.image[:, :2] * np.array(size, dtype=np.float32)
            seen = pose.image[:, VISIBILITY] >= self.style.min_visibility
            arc = self._key_arc(px, step, unit)
        pad = self._thickness(unit) + int(round(4 * unit))
        person = lay.person_box(px, seen, size, pad) if px is not None and seen is not None else None
        figure = self._figure(person, px, step, arc, pad, size)
        state = step.state
        progress = state.progress.get(state.side) or next(iter(state.progress.values()), None)
        status = [("side", f"{state.side} side" if state.side else "")]
        if progress is not None and progress.target_reps:
            status.append(("reps", f"reps {progress.reps}/{progress.target_reps}"))
        bar, bar_texts = _memo(self._bars, (size, tuple(status)),
                               lambda: lay.top_bar(size, unit, self.exercise.name, status))
        cue = None
        if state.cue:
            text = state.cue
            blocks = _memo(self._cues, (size, text),
                           lambda: list(lay.cue_blocks(text, lay.cue_width(size, unit), unit)))
            cue = lay.cue_strip(size, unit, text, figure, bar.y1, self._cue_band, blocks)
        self._cue_band = cue.band if cue is not None else self._cue_band
        ring = None
        if progress is not None and progress.target_seconds > 0:
            left = max(0.0, progress.target_seconds - progress.good_form_seconds)
            top = cue.box.y1 if cue is not None and cue.band == "above" else bar.y1
            bottom = cue.box.y0 if cue is not None and cue.band == "below" else size[1]
            ring = lay.ring_place(size, unit, f"{left:.0f}s" if left > 0 else "done", [], figure, top, bottom,
                                  self._ring_corner)
            self._ring_corner = ring.corner
        clear = [bar] + ([ring.box] if ring else []) + ([cue.box] if cue else [])
        labels: list[Text] = []
        if px is not None:
            for role, text, anchors, scale in self._label_texts(px, step, unit, arc):
                placed = lay.label_place(role, text, anchors, size, scale, clear + [t.box for t in labels])
                labels.append(placed)
        return Layout(size, unit, person, figure, bar, bar_texts, ring, cue, tuple(labels))

    def _figure(self, person: lay.Box | None, px: np.ndarray | None, step: Step, arc: _Arc | None, pad: int,
                size: tuple[int, int]) -> lay.Box | None:
        """The person's box grown to hold the key angle's arc and the torso line drawn on the body."""
        if person is None or px is None:
            return person
        figure = person
        if arc is not None:
            x, y = arc.vertex
            r = arc.radius + pad
            figure = figure.union(lay.Box(int(x - r), int(y - r), int(x + r) + 1, int(y + r) + 1))
        if self._torso is not None and not math.isnan(step.verdict.measures.get("torso_lean", math.nan)):
            hip, shoulder = self._torso_points(px)
            top = hip[1] - float(np.linalg.norm(shoulder - hip))
            figure = figure.union(lay.Box(int(hip[0]) - pad, int(top) - pad, int(hip[0]) + pad + 1, int(hip[1])))
        return figure.clipped(size)

    # --- pieces ----------------------------------------------------------------------------------
    @staticmethod
    def _thickness(unit: float) -> int:
        return max(2, int(round(3 * unit)))

    def _bone_colours(self, step: Step) -> dict[int, Color]:
        """Landmark index -> colour of the worst check that reads it."""
        rank = {Status.FAIL: 3, Status.UNKNOWN: 1, Status.OK: 2}
        best: dict[int, tuple[int, Status]] = {}
        points = step.verdict.points
        for check in step.verdict.checks:
            for ref in self._check_points[check.id]:
                for idx in self._indices(ref, points):
                    if idx not in best or rank[check.status] > best[idx][0]:
                        best[idx] = (rank[check.status], check.status)
        return {idx: _status_colour(self.style, status) for idx, (_, status) in best.items()}

    @staticmethod
    def _indices(ref: str, points: Mapping[str, int]) -> list[int]:
        """The landmarks a point names in this frame: two for a midpoint, none when unbound."""
        prefix, _, part = ref.partition(".")
        if prefix == "mid" and part in PAIR_INDEX:
            return list(PAIR_INDEX[part])
        index = points.get(ref)
        return [index] if index is not None else []

    def _skeleton(self, image: np.ndarray, px: np.ndarray, seen: np.ndarray, step: Step, unit: float) -> None:
        import cv2

        colours = self._bone_colours(step) if step.verdict.in_position else {}
        thickness = self._thickness(unit)
        for a, b in SKELETON:
            if not (seen[a] and seen[b]):
                continue
            colour = colours.get(a) if a in colours and b in colours else None
            colour = colour or self.style.neutral
            cv2.line(image, _pt(px[a]), _pt(px[b]), colour, thickness, cv2.LINE_AA)
        for i, point in enumerate(px):
            if seen[i] and i >= 11:
                cv2.circle(image, _pt(point), thickness + 1, colours.get(i, self.style.neutral), -1, cv2.LINE_AA)

    def _torso_points(self, px: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ls, rs = PAIR_INDEX["shoulder"]
        lh, rh = PAIR_INDEX["hip"]
        return (px[lh] + px[rh]) / 2, (px[ls] + px[rs]) / 2

    def _torso_colour(self, step: Step) -> Color:
        check = next((c for c in step.verdict.checks if c.id.startswith("torso")), None)
        return _status_colour(self.style, check.status if check else None)

    def _torso_line(self, image: np.ndarray, px: np.ndarray, step: Step, unit: float) -> None:
        import cv2

        lean = step.verdict.measures.get("torso_lean", math.nan)
        if self._torso is None or math.isnan(lean):
            return
        hip, shoulder = self._torso_points(px)
        length = float(np.linalg.norm(shoulder - hip))
        dashed_top = hip - np.array([0.0, length])
        cv2.line(image, _pt(hip), _pt(dashed_top), self.style.unknown, max(1, int(unit)), cv2.LINE_AA)
        cv2.line(image, _pt(hip), _pt(shoulder), self._torso_colour(step), max(2, int(round(4 * unit))), cv2.LINE_AA)

    def _point(self, ref: str, px: np.ndarray, points: Mapping[str, int]) -> np.ndarray | None:
        """A spec point in pixels (a midpoint is the mean of its pair); None when it is not bound."""
        indices = self._indices(ref, points)
        return px[indices].mean(axis=0) if indices else None

    def _key_arc(self, px: np.ndarray, step: Step, unit: float) -> _Arc | None:
        """The key angle's arc: for an angle at the middle point between the other two; for a bend
        between the first segment carried on and the last point; for two segments between their
        directions, at the start of the second. Midpoints (the mid-hip of a plank) are drawn too."""
        key = self._key
        if key is None:
            return None
        value = step.verdict.measures.get(key.name, math.nan)
        points = [self._point(ref, px, step.verdict.points) for ref in key.points]
        if math.isnan(value) or any(p is None for p in points):
            return None
        if key.kind == "segments":
            a, b, c, d = points
            vertex, one, two = c, b - a, d - c
        else:
            a, b, c = points
            vertex, one, two = b, (b - a) if key.kind == "bend" else (a - b), c - b
        if not (np.linalg.norm(one) > 0 and np.linalg.norm(two) > 0):
            return None
        start = math.degrees(math.atan2(one[1], one[0]))
        end = math.degrees(math.atan2(two[1], two[0]))
        sweep = (end - start + 540.0) % 360.0 - 180.0
        check = next((ch for ch in step.verdict.checks if self._check_measure(ch.id) == key.name), None)
        colour = _status_colour(self.style, check.status if check else None)
        return _Arc(vertex, int(round(28 * unit)), start, sweep, colour, value)

    def _arc(self, image: np.ndarray, arc: _Arc, unit: float) -> None:
        import cv2

        cv2.ellipse(image, _pt(arc.vertex), (arc.radius, arc.radius), 0.0, arc.start, arc.start + arc.sweep,
                    arc.colour, max(2, int(3 * unit)), cv2.LINE_AA)

    def _label_texts(
        self, px: np.ndarray, step: Step, unit: float, arc: _Arc | None
    ) -> list[tuple[str, str, list[tuple[float, float]], float]]:
        """(role, text, preferred places, scale) of the labels beside the body."""
        out: list[tuple[str, str, list[tuple[float, float]], float]] = []
        if arc is not None:
            mid = math.radians(arc.start + arc.sweep / 2)
            out.append(("angle", f"{arc.value:.0f} deg", _around(arc.vertex, mid, arc.radius * 1.9), unit * 0.8))
        lean = step.verdict.measures.get("torso_lean", math.nan)
        if self._torso is not None and not math.isnan(lean):
            _, shoulder = self._torso_points(px)
            rounded = round(lean)
            text = f"lean {rounded:+d}" if rounded else "lean 0"
            out.append(("lean", text, _around(shoulder, math.radians(-45.0), 20 * unit), unit * 0.7))
        return out

    def _check_measure(self, check_id: str) -> str:
        for check in self.exercise.checks:
            if check.id == check_id:
                return check.measure
        return ""

    def _label_colour(self, role: str, step: Step) -> Color:
        if role == "lean":
            return self._torso_colour(step)
        key = self._key
        check = next((ch for ch in step.verdict.checks if key and self._check_measure(ch.id) == key.name), None)
        return _status_colour(self.style, check.status if check else None)

    def _panels(self, image: np.ndarray, step: Step, layout: Layout, *, draw_cue: bool) -> None:
        import cv2

        style, state, unit = self.style, step.state, layout.unit
        bar = layout.bar
        cv2.rectangle(image, (bar.x0, bar.y0), (bar.x1 - 1, bar.y1 - 1), style.panel, -1)
        for text in layout.bar_texts:
            _put(image, text, style.accent if text.role == "reps" else style.text)
        if layout.ring is not None:
            progress = state.progress.get(state.side) or next(iter(state.progress.values()))
            self._ring(image, layout.ring, progress.good_form_seconds, progress.target_seconds, state.counting, unit)
        if layout.cue is not None and draw_cue:
            colour = style.ok if state.phase is Phase.DONE else (style.accent if state.phase is not Phase.ACTIVE else style.fail)
            _strip(image, layout.cue, colour, unit, style)
        for label in layout.labels:
            box = label.box
            cv2.rectangle(image, (box.x0 - 3, box.y0 - 3), (box.x1 + 2, box.y1 + 2), style.panel, -1)
            _put(image, label, self._label_colour(label.role, step))

    def _ring(self, image: np.ndarray, ring: lay.Ring, seconds: float, target: float, counting: bool, unit: float) -> None:
        import cv2

        outer = ring.box.width // 2
        cv2.circle(image, ring.centre, outer, self.style.panel, -1, cv2.LINE_AA)
        cv2.circle(image, ring.centre, ring.radius, self.style.unknown, max(2, int(4 * unit)), cv2.LINE_AA)
        share = max(0.0, min(1.0, seconds / target))
        colour = self.style.ok if counting or share >= 1 else self.style.accent
        if share > 0:
            cv2.ellipse(image, ring.centre, (ring.radius, ring.radius), -90.0, 0.0, 360.0 * share, colour,
                        max(3, int(6 * unit)), cv2.LINE_AA)
        _put(image, ring.text, self.style.text)


@dataclass(frozen=True, slots=True)
class _Arc:
    """The key angle as drawn: centre, radius, start and sweep in degrees (OpenCV's, y down), its value."""

    vertex: np.ndarray
    radius: int
    start: float
    sweep: float
    colour: Color
    value: float


def _around(centre: np.ndarray, angle: float, distance: float) -> list[tuple[float, float]]:
    """Places at `distance` from `centre`: in the direction `angle` (radians) first, then turned a quarter,
    three quarters and a half round, then farther out the same way."""
    out = []
    for reach in (distance, distance * 1.6):
        for turn in (0.0, math.pi / 2, -math.pi / 2, math.pi):
            out.append((float(centre[0] + math.cos(angle + turn) * reach), float(centre[1] + math.sin(angle + turn) * reach)))
    return out


K = TypeVar("K")
V = TypeVar("V")
#: Texts kept per overlay: a session shows a few dozen cues at most.
MEMO_SIZE = 64


def _memo(cache: dict[K, V], key: K, make: Callable[[], V]) -> V:
    if key not in cache:
        if len(cache) >= MEMO_SIZE:
            cache.clear()
        cache[key] = make()
    return cache[key]


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def _put(image: np.ndarray, text: Text, colour: Color) -> None:
    import cv2

    cv2.putText(image, text.text, text.origin, lay.FONT, text.scale, colour, text.thickness, cv2.LINE_AA)


def _strip(image: np.ndarray, cue: lay.Cue, colour: Color, unit: float, style: Style) -> None:
    """The cue's strip, darkened (only the strip, so the cost does not grow with the picture), with a
    coloured edge and its lines."""
    import cv2

    box = cue.box
    strip = image[box.y0:box.y1, box.x0:box.x1]
    cv2.addWeighted(strip, 0.25, np.full_like(strip, style.panel), 0.75, 0, dst=strip)
    cv2.rectangle(image, (box.x0, box.y0), (box.x0 + int(8 * unit), box.y1 - 1), colour, -1)
    for line in cue.lines:
        _put(image, line, style.text)
