"""Which anatomical side plays an exercise's first role (the front leg, the working arm), per frame."""

from __future__ import annotations

import numpy as np

from posecoach.landmarks import INDEX, PAIR_INDEX
from posecoach.specs.schema import Sides
from posecoach.records import X, Y

UNDECIDED = -1


def facing(image: np.ndarray) -> np.ndarray:
    """(T,) +1 when the person faces image-right, -1 image-left, 0 unknown: the nose leads the ears."""
    ears = (image[:, PAIR_INDEX["ear"][0], X] + image[:, PAIR_INDEX["ear"][1], X]) / 2.0
    lead = image[:, INDEX["nose"], X] - ears
    return np.sign(np.nan_to_num(lead))


def _lead(image: np.ndarray, decide: str, part: str, aspect: float) -> np.ndarray:
    """(T,) how far the left `part` leads the right one by `decide` (image heights; + = left is first)."""
    left, right = PAIR_INDEX[part]
    if decide in ("higher", "lower"):
        # y grows downward: a positive lead means the left point is higher in the picture.
        lead = image[:, right, Y] - image[:, left, Y]
        return -lead if decide == "lower" else lead
    lead = (image[:, left, X] - image[:, right, X]) * aspect * facing(image)
    return -lead if decide == "backward" else lead


def raw_side(image: np.ndarray, sides: Sides, aspect: float) -> np.ndarray:
    """(T,) int8: 0 when the first role is the left side, 1 the right, -1 when the frame cannot tell.

    image: (T, 33, 5) normalised landmarks.
    """
    lead = _lead(image, sides.decide, sides.part, aspect)
    if sides.also_decide is not None and sides.also_part is not None:
        lead = lead + _lead(image, sides.also_decide, sides.also_part, aspect)
    side = np.full(image.shape[0], UNDECIDED, dtype=np.int8)
    side[lead > sides.margin] = 0
    side[lead < -sides.margin] = 1
    return side


class SideTracker:
    """Holds the side steady: a new side is taken only after it has persisted for the settle time,
    three times as long when it appeared while the person was in position, so a hold keeps its side through
    jitter. A side that appeared while setting up keeps the short settle time even if the position (judged
    with the old side's roles) comes on meanwhile: otherwise the start of the second side would count for
    the first."""

    def __init__(self, settle_seconds: float) -> None:
        self._settle = settle_seconds
        self._side = UNDECIDED
        self._candidate = UNDECIDED
        self._since = 0.0
        self._long = False

    @property
    def side(self) -> int:
        return self._side

    def update(self, t: float, raw: int, in_position: bool) -> int:
        if raw == UNDECIDED or raw == self._side:
            self._candidate = UNDECIDED
            return self._side
        if self._side == UNDECIDED:
            self._side = raw
            return raw
        if raw != self._candidate:
            self._candidate, self._since, self._long = raw, t, in_position
        settle = self._settle * (3.0 if self._long else 1.0)
        if t - self._since >= settle:
            self._side, self._candidate = raw, UNDECIDED
        return self._side
