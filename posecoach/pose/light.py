"""How much light there is on the picture and on the person: what the set-up's darkness check reads.

A person lit by a lamp in front of a dark wall is well lit even though most of the picture is black, so
the coach judges the light inside the box around the person and falls back on the whole picture only when
nobody is found.
"""

from __future__ import annotations

import numpy as np

from posecoach.records import VISIBILITY, X, Y

#: ITU-R BT.601 luma weights for OpenCV's B, G, R channel order: the grey level a camera would report.
GREY = np.array([0.114, 0.587, 0.299], np.float32)
#: Landmarks the model is this sure of outline the person's box.
SEEN = 0.5
#: About this many pixels per side are sampled: plenty for a mean, and it costs next to nothing per frame.
SAMPLES = 64


def _mean_grey(pixels: np.ndarray) -> float:
    if pixels.size == 0:
        return float("nan")
    return float(pixels.reshape(-1, 3).astype(np.float32).mean(axis=0) @ GREY)


def picture_brightness(image: np.ndarray) -> float:
    """Mean grey level (0-255) of a BGR (height, width, 3) uint8 picture, from a sparse grid of pixels."""
    height, width = image.shape[:2]
    return _mean_grey(image[:: max(1, height // SAMPLES), :: max(1, width // SAMPLES)])


def person_brightness(image: np.ndarray, landmarks: np.ndarray) -> float:
    """Mean grey level (0-255) inside the box around the landmarks seen with visibility >= 0.5; NaN when
    fewer than two are seen or the box falls outside the picture.

    landmarks: (33, 5) normalised image landmarks of one person.
    """
    seen = landmarks[landmarks[:, VISIBILITY] >= SEEN]
    if len(seen) < 2:
        return float("nan")
    height, width = image.shape[:2]
    x0, x1 = (np.clip([seen[:, X].min(), seen[:, X].max()], 0.0, 1.0) * width).astype(int)
    y0, y1 = (np.clip([seen[:, Y].min(), seen[:, Y].max()], 0.0, 1.0) * height).astype(int)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return float("nan")
    box = image[y0:y1, x0:x1]
    return _mean_grey(box[:: max(1, (y1 - y0) // SAMPLES), :: max(1, (x1 - x0) // SAMPLES)])
