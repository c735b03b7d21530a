"""The 33 BlazePose landmarks of a posed skeleton, where MediaPipe puts them (joint centres, toe tips)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

from posecoach.synth.anthropometry import Body
from posecoach.synth.kinematics import Skeleton

#: MediaPipe's order; row i of every (33, 3) landmark array is NAMES[i].
NAMES: Final[tuple[str, ...]] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder", "right_shoulder", "left_elbow",
    "right_elbow", "left_wrist", "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index",
    "left_thumb", "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    "left_heel", "right_heel", "left_foot_index", "right_foot_index",
)

# Face points in the head frame as fractions of stature (F, L, U) for the person's left; right mirrors L.
_FACE: Final[Mapping[str, tuple[float, float, float]]] = MappingProxyType({
    "eye_inner": (0.052, 0.010, 0.010), "eye": (0.0515, 0.018, 0.010), "eye_outer": (0.047, 0.027, 0.010),
    "ear": (-0.004, 0.047, -0.002), "mouth": (0.051, 0.013, -0.026),
})
# Hand points in the forearm frame: F toward the thumb; fractions of stature for F, of hand length for U.
_HAND: Final[Mapping[str, tuple[float, float]]] = MappingProxyType(
    {"pinky": (-0.013, 0.62), "index": (0.011, 0.68), "thumb": (0.028, 0.40)})


def landmarks(sk: Skeleton, body: Body) -> npt.NDArray[np.float64]:
    """(33, 3) scene-frame positions in metres, rows in NAMES order."""
    h = body.stature
    head = sk.frames["head"]
    c = sk.points["head"]
    out: dict[str, npt.NDArray[np.float64]] = {"nose": c + head @ np.array([0.068, 0.0, -0.004]) * h}
    for side, s, p in (("left", 1.0, "l_"), ("right", -1.0, "r_")):
        for part, (f, l, u) in _FACE.items():
            name = f"mouth_{side}" if part == "mouth" else f"{side}_{part}"
            out[name] = c + head @ (np.array([f, s * l, u]) * h)
        fore = sk.frames[p + "forearm"]
        for part, (f, u) in _HAND.items():
            out[f"{side}_{part}"] = sk.points[p + "wrist"] + fore @ np.array([f * h, 0.0, -u * body.hand])
        for joint in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel"):
            out[f"{side}_{joint}"] = sk.points[p + joint]
        out[f"{side}_foot_index"] = sk.points[p + "toe"]
    return np.stack([out[n] for n in NAMES])
