"""Drawing a step onto a picture: skeleton coloured by check status, the key angle as an arc, the torso
line with its lean, the cue, the hold timer ring, the side and the reps.

Style is set once in `Overlay.__init__`; `annotate(image, step)` draws. Sizes scale with the picture's
height so the overlay stays legible from 640x480 to 1920x1080.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from posecoach.landmarks import PAIR_INDEX, SKELETON
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
    def __init__(self, exercise: Exercise, style: Style | None = None) -> None:
        self.exercise = exercise
        self.style = style or Style()
        self._check_points = {
            check.id: referenced_points(exercise.measure(check.measure)) for check in exercise.checks
        }
        key = exercise.key_angle
        self._key_points = exercise.measure(key).points if key else None
        self._torso = next((m for m in exercise.measures if m.name == "torso_lean"), None)

    def annotate(self, image: np.ndarray, step: Step) -> np.ndarray:
        """Draw onto `image` (BGR, modified in place) and return it."""
        h = image.shape[0]
        unit = max(h / 480.0, 0.5)
        pose = step.observation.pose
        if pose is not None:
            px = pose.image[:, :2] * np.array([image.shape[1], h], dtype=np.float32)
            self._skeleton(image, px, pose.image[:, VISIBILITY], step, unit)
            self._torso_line(image, px, step, unit)
            self._key_angle(image, px, step, unit)
        self._panel(image, step, unit)
        return image

    # --- pieces ----------------------------------------------------------------------------------
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

    def _skeleton(self, image: np.ndarray, px: np.ndarray, visibility: np.ndarray, step: Step, unit: float) -> None:
        import cv2

        colours = self._bone_colours(step) if step.verdict.in_position else {}
        thickness = max(2, int(round(3 * unit)))
        for a, b in SKELETON:
            if visibility[a] < self.style.min_visibility or visibility[b] < self.style.min_visibility:
                continue
            colour = colours.get(a) if a in colours and b in colours else None
            colour = colour or self.style.neutral
            cv2.line(image, _pt(px[a]), _pt(px[b]), colour, thickness, cv2.LINE_AA)
        for i, point in enumerate(px):
            if visibility[i] >= self.style.min_visibility and i >= 11:
                cv2.circle(image, _pt(point), thickness + 1, colours.get(i, self.style.neutral), -1, cv2.LINE_AA)

    def _torso_line(self, image: np.ndarray, px: np.ndarray, step: Step, unit: float) -> None:
        import cv2

        lean = step.verdict.measures.get("torso_lean", math.nan)
        if self._torso is None or math.isnan(lean):
            return
        ls, rs = PAIR_INDEX["shoulder"]
        lh, rh = PAIR_INDEX["hip"]
        hip = (px[lh] + px[rh]) / 2
        shoulder = (px[ls] + px[rs]) / 2
        length = float(np.linalg.norm(shoulder - hip))
        dashed_top = hip - np.array([0.0, length])
        cv2.line(image, _pt(hip), _pt(dashed_top), self.style.unknown, max(1, int(unit)), cv2.LINE_AA)
        check = next((c for c in step.verdict.checks if c.id.startswith("torso")), None)
        colour = _status_colour(self.style, check.status if check else None)
        cv2.line(image, _pt(hip), _pt(shoulder), colour, max(2, int(round(4 * unit))), cv2.LINE_AA)
        _label(image, f"lean {lean:+.0f}", shoulder + np.array([10 * unit, -10 * unit]), unit * 0.7, colour, self.style)

    def _key_angle(self, image: np.ndarray, px: np.ndarray, step: Step, unit: float) -> None:
        import cv2

        if self._key_points is None or self.exercise.key_angle is None:
            return
        value = step.verdict.measures.get(self.exercise.key_angle, math.nan)
        indices = [self._indices(ref, step.verdict.points) for ref in self._key_points]
        if math.isnan(value) or any(len(i) != 1 for i in indices):
            return
        a, b, c = (px[i[0]] for i in indices)
        radius = int(round(28 * unit))
        start = math.degrees(math.atan2(a[1] - b[1], a[0] - b[0]))
        end = math.degrees(math.atan2(c[1] - b[1], c[0] - b[0]))
        sweep = (end - start + 540.0) % 360.0 - 180.0
        check = next((ch for ch in step.verdict.checks if self.exercise.key_angle in self._check_measure(ch.id)), None)
        colour = _status_colour(self.style, check.status if check else None)
        cv2.ellipse(image, _pt(b), (radius, radius), 0.0, start, start + sweep, colour, max(2, int(3 * unit)), cv2.LINE_AA)
        mid = math.radians(start + sweep / 2)
        where = b + np.array([math.cos(mid), math.sin(mid)]) * radius * 1.9
        _label(image, f"{value:.0f} deg", where, unit * 0.8, colour, self.style)

    def _check_measure(self, check_id: str) -> str:
        for check in self.exercise.checks:
            if check.id == check_id:
                return check.measure
        return ""

    def _panel(self, image: np.ndarray, step: Step, unit: float) -> None:
        import cv2

        state = step.state
        h, w = image.shape[:2]
        style = self.style
        # Top bar: exercise, side, reps.
        bar = int(round(34 * unit))
        cv2.rectangle(image, (0, 0), (w, bar), style.panel, -1)
        side = f"{state.side} side" if state.side else ""
        title = f"{self.exercise.name}   {side}".strip()
        cv2.putText(image, title, (int(10 * unit), int(bar * 0.72)), cv2.FONT_HERSHEY_DUPLEX, 0.6 * unit,
                    style.text, max(1, int(unit)), cv2.LINE_AA)
        progress = state.progress.get(state.side) or next(iter(state.progress.values()), None)
        if progress is not None and progress.target_reps:
            reps = f"reps {progress.reps}/{progress.target_reps}"
            (tw, _), _ = cv2.getTextSize(reps, cv2.FONT_HERSHEY_DUPLEX, 0.6 * unit, max(1, int(unit)))
            cv2.putText(image, reps, (w - tw - int(10 * unit), int(bar * 0.72)), cv2.FONT_HERSHEY_DUPLEX,
                        0.6 * unit, style.accent, max(1, int(unit)), cv2.LINE_AA)
        # Hold timer ring, top right under the bar.
        if progress is not None and progress.target_seconds > 0:
            self._ring(image, progress.good_form_seconds, progress.target_seconds, state.counting, unit)
        # The cue, large, across the bottom.
        cue = state.cue
        if cue:
            colour = style.ok if state.phase is Phase.DONE else (style.accent if state.phase is not Phase.ACTIVE else style.fail)
            _banner(image, cue, colour, unit, style)

    def _ring(self, image: np.ndarray, seconds: float, target: float, counting: bool, unit: float) -> None:
        import cv2

        h, w = image.shape[:2]
        radius = int(round(38 * unit))
        centre = (w - radius - int(14 * unit), int(34 * unit) + radius + int(12 * unit))
        cv2.circle(image, centre, radius + int(6 * unit), self.style.panel, -1, cv2.LINE_AA)
        cv2.circle(image, centre, radius, self.style.unknown, max(2, int(4 * unit)), cv2.LINE_AA)
        share = max(0.0, min(1.0, seconds / target))
        colour = self.style.ok if counting or share >= 1 else self.style.accent
        if share > 0:
            cv2.ellipse(image, centre, (radius, radius), -90.0, 0.0, 360.0 * share, colour,
                        max(3, int(6 * unit)), cv2.LINE_AA)
        left = max(0.0, target - seconds)
        text = f"{left:.0f}s" if left > 0 else "done"
        scale = 0.75 * unit
        (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_DUPLEX, scale, max(1, int(unit * 1.5)))
        cv2.putText(image, text, (centre[0] - tw // 2, centre[1] + th // 2), cv2.FONT_HERSHEY_DUPLEX, scale,
                    self.style.text, max(1, int(unit * 1.5)), cv2.LINE_AA)


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def _label(image: np.ndarray, text: str, where: np.ndarray, scale: float, colour: Color, style: Style) -> None:
    import cv2

    thickness = max(1, int(round(scale * 1.6)))
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_DUPLEX, scale, thickness)
    x = int(min(max(where[0] - tw / 2, 2), image.shape[1] - tw - 2))
    y = int(min(max(where[1] + th / 2, th + 2), image.shape[0] - base - 2))
    cv2.rectangle(image, (x - 3, y - th - 3), (x + tw + 3, y + base + 1), style.panel, -1)
    cv2.putText(image, text, (x, y), cv2.FONT_HERSHEY_DUPLEX, scale, colour, thickness, cv2.LINE_AA)


def _wrap(text: str, width_px: int, scale: float, thickness: int) -> list[str]:
    import cv2

    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        fits = cv2.getTextSize(trial, cv2.FONT_HERSHEY_DUPLEX, scale, thickness)[0][0] <= width_px
        if lines and fits:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def _banner(image: np.ndarray, text: str, colour: Color, unit: float, style: Style) -> None:
    """The one cue, in large type across the bottom, wrapped to the picture's width."""
    import cv2

    h, w = image.shape[:2]
    scale = 0.95 * unit
    thickness = max(2, int(round(2 * unit)))
    lines = _wrap(text, int(w - 30 * unit), scale, thickness)
    (_, th), base = cv2.getTextSize("Ag", cv2.FONT_HERSHEY_DUPLEX, scale, thickness)
    line_h = th + base + int(8 * unit)
    top = h - line_h * len(lines) - int(12 * unit)
    # Darken only the banner's strip so the cost does not grow with the picture.
    strip = image[max(top, 0):h]
    cv2.addWeighted(strip, 0.25, np.full_like(strip, style.panel), 0.75, 0, dst=strip)
    cv2.rectangle(image, (0, top), (int(8 * unit), h), colour, -1)
    for i, line in enumerate(lines):
        y = top + int(8 * unit) + th + i * line_h
        cv2.putText(image, line, (int(18 * unit), y), cv2.FONT_HERSHEY_DUPLEX, scale, style.text, thickness, cv2.LINE_AA)
