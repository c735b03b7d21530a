"""Rotation matrices about the principal axes, angles in degrees.

Every matrix is (3, 3) float64 and acts on column vectors: v_parent = R @ v_child.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]


def rot_x(deg: float) -> Matrix:
    """Rotation about +x by `deg` (right-handed)."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rot_y(deg: float) -> Matrix:
    """Rotation about +y by `deg` (right-handed): +deg tips +z toward +x."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_z(deg: float) -> Matrix:
    """Rotation about +z by `deg` (right-handed): +deg turns +x toward +y."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
