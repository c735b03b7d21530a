"""Forward kinematics: joint angles + body dimensions -> joint positions and segment frames.

World frame used inside synth ("scene frame"): x, y horizontal on the floor, z up, metres, floor at z = 0.
A segment frame is a (3, 3) rotation whose columns are the segment's F, L, U axes in the scene frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from posecoach.synth.anthropometry import Body
from posecoach.synth.pose import Pose, Side
from posecoach.synth.rotations import rot_x, rot_y, rot_z

Vec = npt.NDArray[np.float64]

_UP = np.array([0.0, 0.0, 1.0])


@dataclass(frozen=True, slots=True)
class Skeleton:
    """Posed joints: `points[name]` (3,) scene-frame metres; `frames[name]` (3, 3) segment rotations.

    Point names: mid_hip, lumbar, thorax, neck_base, head_pivot, head, and per side (prefix l_ / r_):
    hip, shoulder, elbow, wrist, knee, ankle, heel, toe.
    Frame names: pelvis, lumbar, thorax, head, and per side upper_arm, forearm, thigh, shank, foot.
    """

    points: Mapping[str, Vec]
    frames: Mapping[str, Vec]

    def translated(self, offset: npt.ArrayLike) -> "Skeleton":
        """The same skeleton moved by `offset` (3,) metres."""
        d = np.asarray(offset, dtype=np.float64)
        return Skeleton({k: v + d for k, v in self.points.items()}, self.frames)


def _limbs(pose: Pose, body: Body, side: Side, pts: dict[str, Vec], frs: dict[str, Vec]) -> None:
    sign = 1.0 if side == "left" else -1.0
    p = "l_" if side == "left" else "r_"
    thorax, pelvis = frs["thorax"], frs["pelvis"]

    upper_arm = thorax @ rot_y(-pose.limb(side, "shoulder_flex")) @ rot_x(sign * pose.limb(side, "shoulder_abd"))
    forearm = upper_arm @ rot_y(-pose.limb(side, "elbow"))
    pts[p + "elbow"] = pts[p + "shoulder"] + upper_arm @ np.array([0.0, 0.0, -body.upper_arm])
    pts[p + "wrist"] = pts[p + "elbow"] + forearm @ np.array([0.0, 0.0, -body.forearm])
    frs[p + "upper_arm"], frs[p + "forearm"] = upper_arm, forearm

    thigh = (pelvis @ rot_y(-pose.limb(side, "hip_flex")) @ rot_x(sign * pose.limb(side, "hip_abd"))
             @ rot_z(sign * pose.limb(side, "hip_rot")))
    shank = thigh @ rot_y(pose.limb(side, "knee"))
    foot = shank @ rot_y(pose.limb(side, "ankle"))
    pts[p + "knee"] = pts[p + "hip"] + thigh @ np.array([0.0, 0.0, -body.thigh])
    pts[p + "ankle"] = pts[p + "knee"] + shank @ np.array([0.0, 0.0, -body.shank])
    pts[p + "heel"] = pts[p + "ankle"] + foot @ np.array([-body.heel_back, 0.0, -0.75 * body.ankle_height])
    pts[p + "toe"] = pts[p + "ankle"] + foot @ np.array(
        [body.foot_length - body.heel_back, 0.0, -0.75 * body.ankle_height])
    frs[p + "thigh"], frs[p + "shank"], frs[p + "foot"] = thigh, shank, foot


def forward_kinematics(pose: Pose, body: Body, root_z: float = 0.0) -> Skeleton:
    """Pose the body with its mid-hip at (root_x, root_y, root_z)."""
    pelvis = rot_z(pose.yaw) @ rot_y(pose.pitch) @ rot_x(pose.roll) @ rot_z(pose.twist)
    lumbar = pelvis @ rot_z(0.5 * pose.spine_twist) @ rot_y(0.4 * pose.spine_flex)
    thorax = lumbar @ rot_z(0.5 * pose.spine_twist) @ rot_y(0.6 * pose.spine_flex)
    head = thorax @ rot_y(pose.neck_flex)

    root = np.array([pose.root_x, pose.root_y, root_z])
    pts: dict[str, Vec] = {"mid_hip": root}
    pts["l_hip"] = root + pelvis @ np.array([0.0, body.hip_half_width, 0.0])
    pts["r_hip"] = root + pelvis @ np.array([0.0, -body.hip_half_width, 0.0])
    pts["lumbar"] = root + pelvis @ np.array([0.0, 0.0, body.lumbar])
    pts["thorax"] = pts["lumbar"] + lumbar @ np.array([0.0, 0.0, body.thorax])
    pts["neck_base"] = pts["thorax"] + thorax @ np.array([0.0, 0.0, body.upper_trunk])
    pts["l_shoulder"] = pts["neck_base"] + thorax @ np.array([0.0, body.shoulder_half_width, 0.0])
    pts["r_shoulder"] = pts["neck_base"] + thorax @ np.array([0.0, -body.shoulder_half_width, 0.0])
    # The neck leans slightly forward of the trunk line, as a real cervical spine does.
    pts["head_pivot"] = pts["neck_base"] + head @ np.array([0.012 * body.stature, 0.0, body.neck])
    pts["head"] = pts["head_pivot"] + head @ np.array([0.012 * body.stature, 0.0, 0.038 * body.stature])
    frs: dict[str, Vec] = {"pelvis": pelvis, "lumbar": lumbar, "thorax": thorax, "head": head}
    _limbs(pose, body, "left", pts, frs)
    _limbs(pose, body, "right", pts, frs)
    return Skeleton(pts, frs)
