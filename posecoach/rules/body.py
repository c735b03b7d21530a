"""Landmarks of T frames bound to an exercise's side roles: resolves "front.knee" to coordinates."""

from __future__ import annotations

import numpy as np

from posecoach.geometry import midpoint
from posecoach.landmarks import INDEX, PAIR_INDEX
from posecoach.records import PRESENCE, VISIBILITY, X, Y, Z

SIDE_PREFIXES = ("left", "right", "mid")
#: A landmark nearer than this to the picture's edge (share of width or height) is out of the picture. The
#: model places a limb it cannot see as readily just inside the edge as beyond it (a bird-dog's reaching
#: hand out of a tight frame read as hanging down, 84 degrees below the shoulder), so such a point is
#: unseen, never measured.
EDGE = 0.01


def in_picture(image: np.ndarray) -> np.ndarray:
    """(..., 33) whether each landmark lies inside the picture, away from its edge. image: (..., 33, 5)."""
    with np.errstate(invalid="ignore"):
        x, y = image[..., X], image[..., Y]
        return (x > EDGE) & (x < 1 - EDGE) & (y > EDGE) & (y < 1 - EDGE)


def parse_point(ref: str) -> tuple[str | None, str]:
    """("front", "knee") for "front.knee"; (None, "nose") for "nose"."""
    prefix, dot, part = ref.partition(".")
    return (prefix, part) if dot else (None, prefix)


def bind(ref: str, roles: tuple[str, str] | None, side: int) -> tuple[int, ...]:
    """The landmark index (two for "mid.") that `ref` names when the first role is the left side
    (side 0) or the right (side 1); () when a role cannot be bound (side -1)."""
    prefix, part = parse_point(ref)
    if prefix is None:
        return (INDEX[part],)
    left, right = PAIR_INDEX[part]
    if prefix == "left":
        return (left,)
    if prefix == "right":
        return (right,)
    if prefix == "mid":
        return (left, right)
    if roles is None or side < 0:
        return ()
    first = (prefix == roles[0]) == (side == 0)
    return (left,) if first else (right,)


class Body:
    """The landmarks of T frames with their side binding.

    image: (T, 33, 5) normalised landmarks; world: (T, 33, 3) metres; side: one binding for all frames
    (an int) or one per frame ((T,) int8): 0 when the first role is the person's left side, 1 the right,
    -1 undecided (role points are then NaN). aspect: width / height, applied to x in the image space.
    """

    def __init__(
        self,
        image: np.ndarray,
        world: np.ndarray,
        side: np.ndarray | int,
        roles: tuple[str, str] | None,
        aspect: float,
    ) -> None:
        self.image = image
        self.world = world
        self.side = side
        self.roles = roles
        self.aspect = aspect
        self.frames = image.shape[0]
        self._cache: dict[tuple[str, int], np.ndarray] = {}
        self._inside = in_picture(image)[..., None].astype(np.float64)

    def _per_frame(self, ref: str) -> list[np.ndarray]:
        """Index arrays (T,) for a per-frame binding; -1 where unbound."""
        side = np.asarray(self.side)
        options = [bind(ref, self.roles, s) for s in (0, 1)]
        if options[0] == options[1]:
            return [np.full(self.frames, i) for i in options[0]]
        chosen = np.where(side == 0, options[0][0], options[1][0])
        return [np.where(side < 0, -1, chosen)]

    def _gather(self, array: np.ndarray, ref: str, columns: slice | int, key: int) -> np.ndarray:
        cached = self._cache.get((ref, key))
        if cached is not None:
            return cached
        if isinstance(self.side, int | np.integer):
            indices = bind(ref, self.roles, int(self.side))
            if not indices:
                width = len(range(*columns.indices(array.shape[-1]))) if isinstance(columns, slice) else 1
                shape = (self.frames, width) if isinstance(columns, slice) else (self.frames,)
                result = np.full(shape, np.nan)
            else:
                parts = [array[:, i, columns].astype(np.float64) for i in indices]
                result = parts[0] if len(parts) == 1 else self._combine(parts, key)
        else:
            rows = np.arange(self.frames)
            parts = []
            for idx in self._per_frame(ref):
                values = array[rows, np.maximum(idx, 0)][..., columns].astype(np.float64)
                values[idx < 0] = np.nan
                parts.append(values)
            result = parts[0] if len(parts) == 1 else self._combine(parts, key)
        self._cache[(ref, key)] = result
        return result

    @staticmethod
    def _combine(parts: list[np.ndarray], key: int) -> np.ndarray:
        # Two landmarks ("mid."): the midpoint of positions and depths, the lesser of two confidences.
        if key in (_VISIBILITY, _PRESENCE, _INSIDE):
            return np.minimum(parts[0], parts[1])
        if key == _DEPTH:
            return (parts[0] + parts[1]) / 2.0
        return midpoint(parts[0], parts[1])

    def point(self, ref: str, space: str = "image") -> np.ndarray:
        """(T, 2) normalised image x, y (not aspect-scaled) or (T, 3) world metres."""
        if space == "world":
            return self._gather(self.world, ref, slice(0, 3), _WORLD)
        return self._gather(self.image, ref, slice(X, Y + 1), _IMAGE)

    def depth(self, ref: str) -> np.ndarray:
        """(T,) MediaPipe's relative depth of the point (smaller = nearer the camera)."""
        return self._gather(self.image, ref, Z, _DEPTH)

    def confidence(self, ref: str) -> np.ndarray:
        """(T,) how sure MediaPipe is that the point is in view: min of visibility and presence, 0 where
        the point lies outside the picture or at its edge; NaN where the point is unbound."""
        cached = self._cache.get((ref, _CONFIDENCE))
        if cached is None:
            vis = self._gather(self.image, ref, VISIBILITY, _VISIBILITY)
            pres = self._gather(self.image, ref, PRESENCE, _PRESENCE)
            inside = self._gather(self._inside, ref, 0, _INSIDE)
            cached = np.where(inside == 0.0, 0.0, np.minimum(vis, pres))
            self._cache[(ref, _CONFIDENCE)] = cached
        return cached


_IMAGE, _WORLD, _DEPTH, _VISIBILITY, _PRESENCE, _CONFIDENCE, _INSIDE = range(7)
