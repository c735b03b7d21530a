"""The BlazePose person detector: finds people in the whole picture and where to look for their landmarks.

The model scores 2254 fixed SSD anchors over a 224 x 224 letterboxed picture and regresses, per anchor, a
box and four key points (mid-hip, a point on the circle around the whole body, and two for the upper
body). Decoding follows MediaPipe's pose detection graph: anchors of five layers with strides 8, 16, 32,
32, 32 and two anchors a cell, sigmoid scores clipped at +-100, offsets in units of 224 pixels relative to
the anchor centre, weighted non-maximum suppression at an overlap of 0.3, then the letterbox taken off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from posecoach.pose import roi

INPUT_SIZE = 224
STRIDES = (8, 16, 32, 32, 32)
MIN_SCALE, MAX_SCALE = 0.1484375, 0.75
NUM_ANCHORS = 2254
NUM_KEYPOINTS = 4
SCORE_CLIP = 100.0
#: Detections overlapping the best one by more than this IoU are merged into it, weighted by score.
SUPPRESSION_IOU = 0.3
#: Key points that place the landmark region: mid-hip (centre) and the top of the body circle (scale).
CENTER_KEYPOINT, SCALE_KEYPOINT = 0, 1


@dataclass(frozen=True, slots=True)
class Detection:
    """One person: score 0..1; box (xmin, ymin, xmax, ymax) and keypoints (4, 2), normalised to the image."""

    score: float
    box: np.ndarray
    keypoints: np.ndarray

    def region(self, size: tuple[int, int]) -> roi.Rect:
        """Where the landmark model should look for this person."""
        return roi.aligned_rect(self.keypoints[CENTER_KEYPOINT], self.keypoints[SCALE_KEYPOINT], size)


def anchors() -> np.ndarray:
    """(2254, 2) anchor centres, normalised to the detector's input: layers with the same stride share one
    grid, each layer adding two anchors a cell (its own scale and the interpolated one; both of fixed size
    here, so only their count matters)."""
    centres = []
    layer = 0
    while layer < len(STRIDES):
        same = layer
        per_cell = 0
        while same < len(STRIDES) and STRIDES[same] == STRIDES[layer]:
            per_cell += 2
            same += 1
        cells = -(-INPUT_SIZE // STRIDES[layer])
        grid = (np.arange(cells, dtype=np.float64) + 0.5) / cells
        ys, xs = np.meshgrid(grid, grid, indexing="ij")
        cell_centres = np.stack([xs.ravel(), ys.ravel()], axis=1)
        centres.append(np.repeat(cell_centres, per_cell, axis=0))
        layer = same
    out = np.concatenate(centres)
    assert out.shape == (NUM_ANCHORS, 2)
    return out


def decode(raw_boxes: np.ndarray, raw_scores: np.ndarray, anchor_centres: np.ndarray, min_score: float
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores (K,), boxes (K, 4: xmin, ymin, xmax, ymax) and keypoints (K, 4, 2) of the anchors that pass
    `min_score`, normalised to the detector's input, best first."""
    scores = 1.0 / (1.0 + np.exp(-np.clip(raw_scores.reshape(-1).astype(np.float64), -SCORE_CLIP, SCORE_CLIP)))
    keep = np.flatnonzero(scores >= min_score)
    if keep.size == 0:
        return np.zeros(0), np.zeros((0, 4)), np.zeros((0, NUM_KEYPOINTS, 2))
    keep = keep[np.argsort(-scores[keep], kind="stable")]
    raw = raw_boxes.reshape(NUM_ANCHORS, -1)[keep].astype(np.float64) / INPUT_SIZE
    centre = anchor_centres[keep]
    xy = raw[:, 0:2] + centre
    half = raw[:, 2:4] / 2.0
    boxes = np.concatenate([xy - half, xy + half], axis=1)
    keypoints = raw[:, 4:4 + 2 * NUM_KEYPOINTS].reshape(-1, NUM_KEYPOINTS, 2) + centre[:, None, :]
    return scores[keep], boxes, keypoints


def _box_iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    w = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    h = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    inter = np.where((w > 0) & (h > 0), w * h, 0.0)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    union = area + areas - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def weighted_nms(scores: np.ndarray, boxes: np.ndarray, keypoints: np.ndarray
                 ) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """Weighted non-maximum suppression over candidates sorted best first: the best remaining candidate
    absorbs every other that overlaps it by more than SUPPRESSION_IOU; its box and key points become the
    score-weighted mean of the group, its score stays its own."""
    out = []
    remaining = np.arange(len(scores))
    while remaining.size:
        best = remaining[0]
        overlap = _box_iou(boxes[best], boxes[remaining])
        group = remaining[overlap > SUPPRESSION_IOU]
        weights = scores[group]
        total = weights.sum()
        box = (boxes[group] * weights[:, None]).sum(axis=0) / total
        points = (keypoints[group] * weights[:, None, None]).sum(axis=0) / total
        out.append((float(scores[best]), box, points))
        rest = remaining[overlap <= SUPPRESSION_IOU]
        if rest.size == remaining.size:
            break
        remaining = rest
    return out


class PoseDetector:
    """The detector model on a LiteRT interpreter; call it on an RGB picture."""

    def __init__(self, interpreter: Any, min_score: float) -> None:
        self._interpreter = interpreter
        self._min_score = min_score
        self._anchors = anchors()
        details = interpreter.get_input_details()[0]
        self._input = details["index"]
        outputs = {tuple(d["shape"][1:]): d["index"] for d in interpreter.get_output_details()}
        self._boxes = outputs[(NUM_ANCHORS, 4 + 2 * NUM_KEYPOINTS)]
        self._scores = outputs[(NUM_ANCHORS, 1)]

    def __call__(self, rgb: np.ndarray) -> list[Detection]:
        """Everyone found in the RGB (height, width, 3) uint8 picture, best first."""
        height, width = rgb.shape[:2]
        square, (pad_x, pad_y) = roi.whole_image((width, height))
        tensor = roi.crop(rgb, square, INPUT_SIZE, roi.ZERO)
        self._interpreter.set_tensor(self._input, (tensor.astype(np.float32) * (2.0 / 255.0) - 1.0)[None])
        self._interpreter.invoke()
        scores, boxes, keypoints = decode(
            self._interpreter.get_tensor(self._boxes)[0], self._interpreter.get_tensor(self._scores)[0],
            self._anchors, self._min_score,
        )
        found = []
        # The letterbox comes off after suppression, as in MediaPipe: overlaps are judged in the square.
        scale = np.array([1.0 - 2 * pad_x, 1.0 - 2 * pad_y])
        offset = np.array([pad_x, pad_y])
        for score, box, points in weighted_nms(scores, boxes, keypoints):
            found.append(Detection(
                score,
                np.concatenate([(box[:2] - offset) / scale, (box[2:] - offset) / scale]),
                (points - offset) / scale,
            ))
        return found
