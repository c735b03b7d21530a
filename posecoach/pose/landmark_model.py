"""The BlazePose landmark model: 33 landmarks (and two alignment points) of one person in a region.

The region is warped onto the model's 256 x 256 input (pixels scaled to 0..1, the picture's edge pixels
repeated beyond it). The model returns 39 landmarks in input pixels (x, y, depth, and visibility and
presence as logits), a 64 x 64 heatmap per landmark, a pose-presence score and 39 world landmarks in
metres. As in MediaPipe's landmark graph, x and y are refined from the heatmap (the sigmoid-weighted mean
cell of a 7 x 7 window, where its peak is at least 0.5), then everything is mapped back to the picture
with the region; landmarks 33 and 34 place the next frame's region.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from posecoach.pose import roi

INPUT_SIZE = 256
NUM_LANDMARKS = 39
NUM_POSE_LANDMARKS = 33
#: Auxiliary landmarks the model adds for tracking: mid-hip and the top of the body circle.
AUX_CENTER, AUX_SCALE = 33, 34
HEATMAP_KERNEL = 7
HEATMAP_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class Landmarks:
    """One person found in a region: image (33, 5) x, y normalised to the picture, depth, visibility and
    presence; world (33, 3) metres; presence score of the whole pose; the region to look at next frame."""

    image: np.ndarray
    world: np.ndarray
    score: float
    next_region: roi.Rect


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def refine_from_heatmap(points: np.ndarray, heatmap: np.ndarray) -> np.ndarray:
    """(N, 2) points normalised to the region, each moved to the confidence-weighted mean cell of its
    heatmap (H, W, N logits) in a HEATMAP_KERNEL window around it (cut at the heatmap's edges), when the
    window's peak confidence is at least HEATMAP_MIN_CONFIDENCE. Points whose column or row falls outside
    the heatmap keep their place, with the bounds MediaPipe's refinement applies (its upper row test
    compares the column with the height)."""
    rows, cols, count = heatmap.shape
    # C++ float-to-int conversion truncates toward zero.
    col = np.trunc(points[:, 0] * cols).astype(np.int64)
    row = np.trunc(points[:, 1] * rows).astype(np.int64)
    inside = (col >= 0) & (col < cols) & (row >= 0) & (col < rows)
    half = (HEATMAP_KERNEL - 1) // 2
    offsets = np.arange(-half, half + 1)
    r = row[:, None, None] + offsets[None, :, None]  # (N, K, 1)
    c = col[:, None, None] + offsets[None, None, :]  # (N, 1, K)
    window = (r >= 0) & (r < rows) & (c >= 0) & (c < cols)  # (N, K, K)
    channel = np.arange(count)[:, None, None]
    logits = heatmap[np.clip(r, 0, rows - 1), np.clip(c, 0, cols - 1), channel].astype(np.float64)
    confidence = np.where(window, _sigmoid(logits), 0.0)
    total = confidence.sum(axis=(1, 2))
    refine = inside & (confidence.max(axis=(1, 2)) >= HEATMAP_MIN_CONFIDENCE) & (total > 0)
    out = points.copy()
    safe = np.where(total > 0, total, 1.0)
    out[:, 0] = np.where(refine, (confidence * c).sum(axis=(1, 2)) / cols / safe, points[:, 0])
    out[:, 1] = np.where(refine, (confidence * r).sum(axis=(1, 2)) / rows / safe, points[:, 1])
    return out


class LandmarkModel:
    """The landmark model on a LiteRT interpreter; call it with an RGB picture and a region."""

    def __init__(self, interpreter: Any, min_presence: float) -> None:
        self._interpreter = interpreter
        self._min_presence = min_presence
        self._input = interpreter.get_input_details()[0]["index"]
        outputs = {tuple(d["shape"][1:]): d["index"] for d in interpreter.get_output_details()}
        self._landmarks = outputs[(NUM_LANDMARKS * 5,)]
        self._presence = outputs[(1,)]
        self._heatmap = outputs[(64, 64, NUM_LANDMARKS)]
        self._world = outputs[(NUM_LANDMARKS * 3,)]

    def __call__(self, rgb: np.ndarray, region: roi.Rect) -> Landmarks | None:
        """The person in `region` of the RGB (height, width, 3) uint8 picture, or None when the model is
        not sure enough that a person is there."""
        patch = roi.crop(rgb, region, INPUT_SIZE, roi.REPLICATE)
        interpreter = self._interpreter
        interpreter.set_tensor(self._input, (patch.astype(np.float32) * (1.0 / 255.0))[None])
        interpreter.invoke()
        score = float(interpreter.get_tensor(self._presence).reshape(-1)[0])
        if score < self._min_presence:
            return None
        raw = interpreter.get_tensor(self._landmarks).reshape(NUM_LANDMARKS, 5).astype(np.float64)
        local = np.empty((NUM_LANDMARKS, 3))
        local[:, :2] = raw[:, :2] / INPUT_SIZE
        local[:, 2] = raw[:, 2] / INPUT_SIZE
        local[:, :2] = refine_from_heatmap(local[:, :2], interpreter.get_tensor(self._heatmap)[0])
        placed = roi.project(local, region)
        height, width = rgb.shape[:2]
        next_region = roi.aligned_rect(placed[AUX_CENTER, :2], placed[AUX_SCALE, :2], (width, height))
        image = np.empty((NUM_POSE_LANDMARKS, 5), np.float32)
        image[:, :3] = placed[:NUM_POSE_LANDMARKS]
        image[:, 3:] = _sigmoid(raw[:NUM_POSE_LANDMARKS, 3:5])
        world_raw = interpreter.get_tensor(self._world).reshape(NUM_LANDMARKS, 3)[:NUM_POSE_LANDMARKS]
        world = roi.rotate(world_raw, region.rotation).astype(np.float32)
        return Landmarks(image, world, score, next_region)
