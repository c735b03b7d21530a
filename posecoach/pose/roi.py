"""Regions of interest for the BlazePose models: rotated rectangles, and the crops and projections they define.

A region is a rectangle in normalised image coordinates (centre, width and height as fractions of the
image's width and height) turned by `rotation` radians about its centre, as MediaPipe's `NormalizedRect`.
Both models see the region warped onto their square input; what they find there is mapped back with the
same rectangle, so the crop and the projection must agree exactly on corners and turning direction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: How much the region grows around the body's alignment circle: the margin the landmark model was
#: trained with (MediaPipe's pose_detection_to_roi and pose_landmarks_to_roi graphs use the same).
ROI_SCALE = 1.25
#: The body's axis (mid-hip towards the top of the alignment circle) is turned to point straight up.
TARGET_ANGLE = math.pi / 2
#: What a crop shows beyond the picture's edge: black (the detector's letterbox) or the edge pixels
#: repeated (the landmark model's region, as MediaPipe's default).
ZERO, REPLICATE = "zero", "replicate"


@dataclass(frozen=True, slots=True)
class Rect:
    """x, y: centre; w, h: size; all normalised to the image. rotation: radians, clockwise on screen."""

    x: float
    y: float
    w: float
    h: float
    rotation: float = 0.0


def normalize_radians(angle: float) -> float:
    """The same angle in [-pi, pi)."""
    return angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))


def aligned_rect(center: np.ndarray, scale: np.ndarray, size: tuple[int, int]) -> Rect:
    """The square region around two alignment points (normalised (x, y)): centred on `center`, as wide as
    twice the distance to `scale`, turned so that the line from one to the other points up; then widened by
    ROI_SCALE. Distances and angles are taken in pixels, so the square is square on screen."""
    width, height = size
    cx, cy = float(center[0]) * width, float(center[1]) * height
    sx, sy = float(scale[0]) * width, float(scale[1]) * height
    box = 2.0 * math.hypot(sx - cx, sy - cy)
    rotation = normalize_radians(TARGET_ANGLE - math.atan2(-(sy - cy), sx - cx))
    return Rect(cx / width, cy / height, ROI_SCALE * box / width, ROI_SCALE * box / height, rotation)


def whole_image(size: tuple[int, int]) -> tuple[Rect, tuple[float, float]]:
    """The whole picture letterboxed into a square: the square region and the (horizontal, vertical)
    padding, each side, as a fraction of the square."""
    width, height = size
    side = max(width, height)
    pad_x = (1.0 - width / side) / 2.0
    pad_y = (1.0 - height / side) / 2.0
    return Rect(0.5, 0.5, side / width, side / height, 0.0), (pad_x, pad_y)


def crop(image: np.ndarray, rect: Rect, side: int, border: str) -> np.ndarray:
    """The region warped onto a `side` x `side` uint8 picture (bilinear; `border` is ZERO or REPLICATE).

    The region's corners land on the output's corners: bottom-left, top-left, top-right, bottom-right of
    the turned rectangle onto those of the output square.
    """
    import cv2

    height, width = image.shape[:2]
    box = ((rect.x * width, rect.y * height), (rect.w * width, rect.h * height), math.degrees(rect.rotation))
    corners = cv2.boxPoints(box).astype(np.float32)
    target = np.array([[0, side], [0, 0], [side, 0], [side, side]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(image, matrix, (side, side), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT if border == ZERO else cv2.BORDER_REPLICATE)


def project(points: np.ndarray, rect: Rect) -> np.ndarray:
    """(N, 2+) points normalised to the region (0..1 across its square) back to the image's normalised
    coordinates; a third column (depth, in units of the region's width) is scaled like x."""
    out = np.array(points, dtype=np.float64, copy=True)
    x = out[:, 0] - 0.5
    y = out[:, 1] - 0.5
    cos, sin = math.cos(rect.rotation), math.sin(rect.rotation)
    out[:, 0] = (cos * x - sin * y) * rect.w + rect.x
    out[:, 1] = (sin * x + cos * y) * rect.h + rect.y
    if out.shape[1] > 2:
        out[:, 2] = out[:, 2] * rect.w
    return out


def rotate(points: np.ndarray, rotation: float) -> np.ndarray:
    """(N, 3) world points turned in the picture's plane (about the depth axis) by the region's rotation, so
    that they are upright as the picture is rather than as the turned region was."""
    out = np.array(points, dtype=np.float64, copy=True)
    cos, sin = math.cos(rotation), math.sin(rotation)
    x, y = out[:, 0].copy(), out[:, 1].copy()
    out[:, 0] = cos * x - sin * y
    out[:, 1] = sin * x + cos * y
    return out


def iou(a: Rect, b: Rect) -> float:
    """Intersection over union of the two regions' upright boxes (rotation ignored, as MediaPipe's
    association of tracked and detected regions does)."""
    ax0, ay0, ax1, ay1 = a.x - a.w / 2, a.y - a.h / 2, a.x + a.w / 2, a.y + a.h / 2
    bx0, by0, bx1, by1 = b.x - b.w / 2, b.y - b.h / 2, b.x + b.w / 2, b.y + b.h / 2
    w = min(ax1, bx1) - max(ax0, bx0)
    h = min(ay1, by1) - max(ay0, by0)
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = a.w * a.h + b.w * b.h - inter
    return inter / union if union > 0 else 0.0
