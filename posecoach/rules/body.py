"""Landmarks of T frames bound to an exercise's side roles: resolves "front.knee" to coordinates."""

from __future__ import annotations

import numpy as np

from posecoach.geometry import midpoint
from posecoach.landmarks import INDEX, PAIR_INDEX
from posecoach.records import PRESENCE, VISIBILITY, X, Y, Z

SIDE_PREFIXES = ("left", "right", "mid")


def parse_point(ref: str) -> tuple[str | None, str]:
    """("front", "knee") for "front.knee"; (None, "nose") for "nose"."""
    prefix, dot, part = ref.partition(".")
    return (prefix, part) if dot else (None, prefix)


class Body:
    """The landmarks of T frames with each frame's side binding.

    image: (T, 33, 5) normalised landmarks; world: (T, 33, 3) metres; side: (T,) int8, 0 when the first
    role is the person's left side, 1 when it is the right, -1 when undecided (role points are then NaN).
    aspect: width / height of the picture, applied to x in the image space.
    """

    def __init__(
        self,
        image: np.ndarray,
        world: np.ndarray,
        side: np.ndarray,
        roles: tuple[str, str] | None,
        aspect: float,
    ) -> None:
        self.image = image
        self.world = world
        self.side = side
        self.roles = roles
        self.aspect = aspect
        self.frames = image.shape[0]
        self._rows = np.arange(self.frames)

    def indices(self, ref: str) -> tuple[np.ndarray, ...]:
        """Per frame, the landmark index (or two, for "mid.") that `ref` names; -1 where unbound."""
        prefix, part = parse_point(ref)
        if prefix is None:
            return (np.full(self.frames, INDEX[part]),)
        left, right = PAIR_INDEX[part]
        if prefix == "left":
            return (np.full(self.frames, left),)
        if prefix == "right":
            return (np.full(self.frames, right),)
        if prefix == "mid":
            return np.full(self.frames, left), np.full(self.frames, right)
        assert self.roles is not None, f"{ref}: no side roles in this exercise"
        first = prefix == self.roles[0]
        chosen = np.where(self.side == 0, left if first else right, right if first else left)
        return (np.where(self.side < 0, -1, chosen),)

    def _gather(self, array: np.ndarray, ref: str, columns: list[int]) -> np.ndarray:
        parts = []
        for idx in self.indices(ref):
            values = array[self._rows, np.maximum(idx, 0)][:, columns].astype(np.float64)
            values[idx < 0] = np.nan
            parts.append(values)
        return parts[0] if len(parts) == 1 else midpoint(parts[0], parts[1])

    def point(self, ref: str, space: str = "image") -> np.ndarray:
        """(T, 2) normalised image x, y (not aspect-scaled) or (T, 3) world metres."""
        if space == "world":
            return self._gather(self.world, ref, [0, 1, 2])
        return self._gather(self.image, ref, [X, Y])

    def depth(self, ref: str) -> np.ndarray:
        """(T,) MediaPipe's relative depth of the point (smaller = nearer the camera)."""
        return self._gather(self.image, ref, [Z])[:, 0]

    def confidence(self, ref: str) -> np.ndarray:
        """(T,) how sure MediaPipe is that the point is in view: min of visibility and presence."""
        parts = [
            np.minimum(self.image[self._rows, np.maximum(idx, 0), VISIBILITY], self.image[self._rows, np.maximum(idx, 0), PRESENCE])
            .astype(np.float64)
            for idx in self.indices(ref)
        ]
        conf = parts[0] if len(parts) == 1 else np.minimum(parts[0], parts[1])
        conf[self.indices(ref)[0] < 0] = np.nan
        return conf
