"""How much light there is on the picture and on the person: what the set-up's darkness check reads.

A person lit by a lamp in front of a dark wall is well lit even though most of the picture is black, so
the coach judges the light on the person's body (the pixels along their bones) and falls back on the whole
picture only when nobody is found. The box around the person would not do: in front of a black backdrop
most of a kneeling person's box is backdrop (a lit figure's box read 22-25 where its body reads over 100).
"""

from __future__ import annotations

import numpy as np

from posecoach.landmarks import SKELETON
from posecoach.records import VISIBILITY, X, Y

#: ITU-R BT.601 luma weights for OpenCV's B, G, R channel order: the grey level a camera would report.
GREY = np.array([0.114, 0.587, 0.299], np.float32)
#: Landmarks the model is this sure of count as on the body.
SEEN = 0.5
#: About this many pixels per side are sampled from the picture: plenty for a mean, next to nothing per frame.
SAMPLES = 64
#: Points sampled along each bone between its two landmarks.
ALONG = np.linspace(0.1, 0.9, 9)
_BONES = np.array(SKELETON)


def _mean_grey(pixels: np.ndarray) -> float:
    if pixels.size == 0:
        return float("nan")
    return float(pixels.reshape(-1, 3).astype(np.float32).mean(axis=0) @ GREY)


def picture_brightness(image: np.ndarray) -> float:
    """Mean grey level (0-255) of a BGR (height, width, 3) uint8 picture, from a sparse grid of pixels."""
    height, width = image.shape[:2]
    return _mean_grey(image[:: max(1, height // SAMPLES), :: max(1, width // SAMPLES)])


def person_brightness(image: np.ndarray, landmarks: np.ndarray) -> float:
    """Mean grey level (0-255) of the pixels along the person's bones whose ends are both seen (visibility
    0.5 or more) and inside the picture; NaN with fewer than two such bones.

    landmarks: (33, 5) normalised image landmarks of one person.
    """
    height, width = image.shape[:2]
    seen = landmarks[:, VISIBILITY] >= SEEN
    bones = _BONES[seen[_BONES[:, 0]] & seen[_BONES[:, 1]]]
    if len(bones) < 2:
        return float("nan")
    start, end = landmarks[bones[:, 0], X:Y + 1], landmarks[bones[:, 1], X:Y + 1]
    points = start[:, None, :] + (end - start)[:, None, :] * ALONG[None, :, None]
    points = points.reshape(-1, 2) * np.array([width, height])
    inside = (points[:, 0] >= 0) & (points[:, 0] < width) & (points[:, 1] >= 0) & (points[:, 1] < height)
    if not inside.any():
        return float("nan")
    pixels = points[inside].astype(int)
    return _mean_grey(image[pixels[:, 1], pixels[:, 0]])
