"""Joint-angle geometry on pose landmarks.

Every function takes point arrays of shape (..., 2) or (..., 3) with any
broadcastable leading batch shape and returns float64 arrays of shape (...).
Angles are in degrees.

Coordinate conventions:

* 2D image landmarks are normalised (x in 0..1 of the width, y in 0..1 of the
  height, y grows downward). Because x and y are in different units, each
  measuring function takes ``aspect`` = image width / height and multiplies x by
  it first, so all lengths are in "image heights".
* 3D world landmarks are in metres (x right, y down, z toward/away from the
  camera) and must be measured with ``aspect=1.0``; any other value would still
  scale x only, which distorts metric space.
* "Up" is -y in both spaces.

Degenerate input never raises: a NaN or infinite coordinate in any input
point (even one the measure ignores, such as z in a side-view measure, since
such a point is not a trustworthy landmark), or a segment shorter than ``EPS``
(coincident points), yields NaN rather than a number.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

__all__ = [
    "EPS",
    "to_metric",
    "joint_angle",
    "inclination_from_vertical",
    "signed_inclination_from_vertical",
    "inclination_from_horizontal",
    "distance",
    "signed_distance_to_line",
    "midpoint",
    "height_above",
]

EPS: float = 1e-9
"""Shortest segment (in aspect-corrected units) that still has a direction."""

_ALLOWED_DIMS = (2, 3)


def _check_aspect(aspect: float) -> float:
    value = float(aspect)
    if not (np.isfinite(value) and value > 0.0):
        raise ValueError(f"aspect must be a finite number > 0 (width / height), got {aspect!r}")
    return value


def _as_points(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Convert to float64 and check all share one point dimension (2 or 3)."""
    out = tuple(np.asarray(a, dtype=np.float64) for a in arrays)
    dims = {a.shape[-1] if a.ndim else None for a in out}
    if len(dims) != 1 or next(iter(dims)) not in _ALLOWED_DIMS:
        shapes = ", ".join(str(a.shape) for a in out)
        raise ValueError(f"points must all have last dimension 2 or 3, got shapes {shapes}")
    return out


def _metric(*arrays: np.ndarray, aspect: float) -> tuple[np.ndarray, ...]:
    aspect = _check_aspect(aspect)
    return tuple(to_metric(a, aspect) for a in _as_points(*arrays))


def _norm(v: np.ndarray) -> np.ndarray:
    """Length over the last axis; shape (...)."""
    return np.sqrt(np.sum(v * v, axis=-1))


def _has_direction(length: np.ndarray) -> np.ndarray:
    # NaN and inf compare False / fail isfinite, so bad coordinates drop out here too.
    return np.isfinite(length) & (length >= EPS)


def _finite_points(*points: np.ndarray) -> np.ndarray:
    """True where every coordinate of every point is finite, shape (...)."""
    return reduce(np.logical_and, (np.all(np.isfinite(p), axis=-1) for p in points))


def _masked(valid: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.asarray(np.where(valid, values, np.nan), dtype=np.float64)


def to_metric(points: np.ndarray, aspect: float) -> np.ndarray:
    """Return a float64 copy of ``points`` (..., 2|3) with x multiplied by ``aspect``."""
    aspect = _check_aspect(aspect)
    (out,) = _as_points(points)
    out = out.copy()
    out[..., 0] *= aspect
    return out


def _angle_between(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Angle between directions u and v (metric units), 0..180 degrees; NaN where either has none."""
    with np.errstate(all="ignore"):
        if u.shape[-1] == 2 and v.shape[-1] == 2:
            cross = np.abs(u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0])
        else:
            cross = _norm(np.cross(u, v))
        dot = np.sum(u * v, axis=-1)
        # atan2 keeps full precision near 0 and 180 degrees, where arccos(dot) is ill-conditioned.
        angle = np.degrees(np.arctan2(cross, dot))
        valid = _has_direction(_norm(u)) & _has_direction(_norm(v)) & np.isfinite(angle)
    return _masked(valid, angle)


def joint_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray, *, aspect: float = 1.0) -> np.ndarray:
    """Angle at ``b`` between b->a and b->c, in 0..180 degrees (180 = straight)."""
    a, b, c = _metric(a, b, c, aspect=aspect)
    with np.errstate(all="ignore"):
        angle = _angle_between(a - b, c - b)
    return _masked(_finite_points(a, b, c), angle)


def segment_angle(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, *, aspect: float = 1.0
) -> np.ndarray:
    """Angle between the segments a->b and c->d, in 0..180 degrees (0 = same direction).

    The angle of two body segments that need not share a joint: the trunk (mid-hip to mid-shoulder) and
    a thigh (hip to knee) give the goniometer's hip flexion without taking its vertex at one hip.
    """
    a, b, c, d = _metric(a, b, c, d, aspect=aspect)
    with np.errstate(all="ignore"):
        angle = _angle_between(b - a, d - c)
    return _masked(_finite_points(a, b, c, d), angle)


def inclination_from_vertical(start: np.ndarray, end: np.ndarray, *, aspect: float = 1.0) -> np.ndarray:
    """Unsigned angle (0..180 degrees) between start->end and straight up (-y).

    0 means ``end`` is directly above ``start``; 90 means level; 180 straight down.
    """
    start, end = _metric(start, end, aspect=aspect)
    with np.errstate(all="ignore"):
        d = end - start
        off_axis = _norm(np.delete(d, 1, axis=-1))
        angle = np.degrees(np.arctan2(off_axis, -d[..., 1]))
        valid = _has_direction(_norm(d)) & np.isfinite(angle)
    return _masked(valid, angle)


def signed_inclination_from_vertical(
    start: np.ndarray, end: np.ndarray, toward: np.ndarray, *, aspect: float = 1.0
) -> np.ndarray:
    """Side-view lean of start->end from vertical, signed by ``toward``, -180..180 degrees.

    Uses x and y only (z is ignored), so it is a measure in the image / sagittal
    plane. Positive when ``end`` lies on the same horizontal side of ``start`` as
    ``toward`` (e.g. a torso leaning toward the front knee), negative on the other
    side. NaN when ``toward`` has no side (same x as ``start``, or NaN) or when
    the segment has no length in the x-y plane.
    """
    start, end, toward = _metric(start, end, toward, aspect=aspect)
    complete = _finite_points(start, end, toward)
    start, end, toward = start[..., :2], end[..., :2], toward[..., :2]
    with np.errstate(all="ignore"):
        d = end - start
        side = toward[..., 0] - start[..., 0]
        magnitude = np.degrees(np.arctan2(np.abs(d[..., 0]), -d[..., 1]))
        # dx == 0 means exactly 0 or 180 degrees, where the sign carries no information.
        signed = np.where(d[..., 0] * side < 0.0, -magnitude, magnitude)
        valid = (
            _has_direction(_norm(d))
            & np.isfinite(side)
            & (np.abs(side) >= EPS)
            & np.isfinite(signed)
            & complete
        )
    return _masked(valid, signed)


def inclination_from_horizontal(start: np.ndarray, end: np.ndarray, *, aspect: float = 1.0) -> np.ndarray:
    """Elevation of start->end above the horizontal, -90..90 degrees (positive = end higher).

    In 3D the horizontal is the x-z plane.
    """
    start, end = _metric(start, end, aspect=aspect)
    with np.errstate(all="ignore"):
        d = end - start
        horizontal = _norm(np.delete(d, 1, axis=-1))
        angle = np.degrees(np.arctan2(-d[..., 1], horizontal))
        valid = _has_direction(_norm(d)) & np.isfinite(angle)
    return _masked(valid, angle)


def distance(a: np.ndarray, b: np.ndarray, *, aspect: float = 1.0) -> np.ndarray:
    """Euclidean distance between ``a`` and ``b`` (0 for coincident points, NaN for bad coordinates)."""
    a, b = _metric(a, b, aspect=aspect)
    with np.errstate(all="ignore"):
        length = _norm(a - b)
    return _masked(np.isfinite(length), length)


def signed_distance_to_line(p: np.ndarray, a: np.ndarray, b: np.ndarray, *, aspect: float = 1.0) -> np.ndarray:
    """Perpendicular distance of ``p`` from the infinite line through ``a`` and ``b``.

    Uses x and y only. Positive when ``p`` is above the line (smaller y), so the
    sign does not depend on the order of ``a`` and ``b``. For an exactly
    vertical line "above" is undefined and positive means larger x instead; the
    sign therefore flips as a steep line passes through vertical. Units are
    those of the input after aspect correction. NaN when ``a`` and ``b`` coincide.
    """
    p, a, b = _metric(p, a, b, aspect=aspect)
    complete = _finite_points(p, a, b)
    p, a, b = p[..., :2], a[..., :2], b[..., :2]
    with np.errstate(all="ignore"):
        d = b - a
        r = p - a
        length = _norm(d)
        # Orient the direction rightward (downward if vertical) so the sign names a side of the line.
        flip = (d[..., 0] < 0.0) | ((d[..., 0] == 0.0) & (d[..., 1] < 0.0))
        orientation = np.where(flip, -1.0, 1.0)
        cross = d[..., 0] * r[..., 1] - d[..., 1] * r[..., 0]
        signed = -orientation * cross / length
        valid = _has_direction(length) & np.isfinite(signed) & complete
    return _masked(valid, signed)


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean of two point arrays, shape (..., 2|3); NaN propagates. Needs no aspect (affine)."""
    a, b = _as_points(a, b)
    with np.errstate(all="ignore"):
        return np.asarray((a + b) / 2.0, dtype=np.float64)


def height_above(p: np.ndarray, ref: np.ndarray, *, aspect: float = 1.0) -> np.ndarray:
    """``ref.y - p.y``: positive when ``p`` is higher than ``ref``; x (and so aspect) is ignored."""
    _check_aspect(aspect)
    p, ref = _as_points(p, ref)
    with np.errstate(all="ignore"):
        return _masked(_finite_points(p, ref), ref[..., 1] - p[..., 1])
