"""Truth angles of each exercise, computed from 3D joint positions in a y-down frame (metres).

"mid.X" is the midpoint of left and right X; roles (front/back, working/support, working/opposite) are
bound to anatomical sides by the `side` argument (the front / working side).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

Vec = npt.NDArray[np.float64]
Joints = Mapping[str, Vec]

_DOWN = np.array([0.0, 1.0, 0.0])


def angle_at(a: Vec, b: Vec, c: Vec) -> float:
    """Angle a-b-c at b, degrees (180 = straight)."""
    u, v = a - b, c - b
    cos = float(u @ v) / (float(np.linalg.norm(u) * np.linalg.norm(v)) + 1e-12)
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def angle_between(u: Vec, v: Vec) -> float:
    """Angle between two directions, degrees."""
    return angle_at(u, np.zeros(3), v)


def elevation(p: Vec, q: Vec) -> float:
    """Angle of p->q above the horizontal, degrees (negative below); y is down."""
    d = q - p
    return float(np.degrees(np.arctan2(-d[1], np.hypot(d[0], d[2]))))


def mid(j: Joints, part: str) -> Vec:
    """Midpoint of left_<part> and right_<part>."""
    return 0.5 * (j[f"left_{part}"] + j[f"right_{part}"])


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def torso_length(j: Joints) -> float:
    """mid.hip to mid.shoulder, m."""
    return float(np.linalg.norm(mid(j, "shoulder") - mid(j, "hip")))


def signed_torso_lean(j: Joints, front: str) -> float:
    """Angle of mid.hip->mid.shoulder from vertical, + when the shoulders are toward the front knee."""
    hip, sh = mid(j, "hip"), mid(j, "shoulder")
    lean = angle_between(sh - hip, -_DOWN)
    toward = j[f"{front}_knee"] - hip
    horizontal = (sh - hip) - ((sh - hip) @ _DOWN) * _DOWN
    return lean if float(horizontal @ toward) >= 0.0 else -lean


def hip_offset(j: Joints) -> float:
    """Signed distance of mid.hip from the line mid.shoulder->mid.ankle in its vertical plane / torso
    length; + above the line (pike), - below (sag)."""
    sh, hip, ank = mid(j, "shoulder"), mid(j, "hip"), mid(j, "ankle")
    u = (ank - sh) / np.linalg.norm(ank - sh)
    up = -_DOWN - (-_DOWN @ u) * u
    up /= np.linalg.norm(up)
    return float((hip - sh) @ up) / torso_length(j)


def lunge_angles(j: Joints, front: str) -> dict[str, float]:
    """kneeling-hip-flexor, couch-stretch, standing-hip-flexor."""
    back = _other(front)
    return {
        "front_knee": angle_at(j[f"{front}_hip"], j[f"{front}_knee"], j[f"{front}_ankle"]),
        "back_knee": angle_at(j[f"{back}_hip"], j[f"{back}_knee"], j[f"{back}_ankle"]),
        "torso_lean": signed_torso_lean(j, front),
    }


def piriformis_angles(j: Joints, working: str) -> dict[str, float]:
    """piriformis-stretch: the working ankle crossed over the support knee."""
    support = _other(working)
    thigh = float(np.linalg.norm(j[f"{support}_knee"] - j[f"{support}_hip"]))
    return {
        "ankle_to_knee": float(np.linalg.norm(j[f"{working}_ankle"] - j[f"{support}_knee"])) / thigh,
        "hip_flexion": angle_between(mid(j, "shoulder") - mid(j, "hip"), j[f"{support}_knee"] - j[f"{support}_hip"]),
    }


def plank_angles(j: Joints) -> dict[str, float]:
    """plank."""
    return {"body_line": angle_at(mid(j, "shoulder"), mid(j, "hip"), mid(j, "ankle")), "hip_offset": hip_offset(j)}


def crunch_angles(j: Joints) -> dict[str, float]:
    """crunch."""
    hip, sh, ear = mid(j, "hip"), mid(j, "shoulder"), mid(j, "ear")
    return {"trunk_flexion": elevation(hip, sh), "neck_flexion": angle_between(sh - hip, ear - sh)}


def bridge_angles(j: Joints) -> dict[str, float]:
    """glute-bridge."""
    return {"hip_extension": angle_at(mid(j, "shoulder"), mid(j, "hip"), mid(j, "knee"))}


def bird_dog_angles(j: Joints, working: str) -> dict[str, float]:
    """bird-dog: `working` raises its arm, the opposite side its leg."""
    opposite = _other(working)
    return {
        "arm_raise": elevation(j[f"{working}_shoulder"], j[f"{working}_wrist"]),
        "leg_raise": elevation(j[f"{opposite}_hip"], j[f"{opposite}_ankle"]),
        "hip_level": abs(float(j["left_hip"][1] - j["right_hip"][1])) / torso_length(j),
    }


def exercise_angles(exercise: str, j: Joints, side: str | None) -> dict[str, float]:
    """The truth angles of `exercise`; sided exercises need `side` (front / working side)."""
    if exercise in ("kneeling-hip-flexor", "couch-stretch", "standing-hip-flexor"):
        return lunge_angles(j, side or "left")
    if exercise == "piriformis-stretch":
        return piriformis_angles(j, side or "left")
    if exercise == "plank":
        return plank_angles(j)
    if exercise == "crunch":
        return crunch_angles(j)
    if exercise == "glute-bridge":
        return bridge_angles(j)
    if exercise == "bird-dog":
        return bird_dog_angles(j, side or "left")
    raise ValueError(f"unknown exercise {exercise!r}")
