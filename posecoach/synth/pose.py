"""Joint angles of the figure: what a motion keyframes and forward kinematics consumes.

Angles are degrees, positions metres. Body axes: F (anterior), L (the person's left), U (cranial).
Conventions (0 everywhere = standing upright, arms hanging, feet flat):
  pitch: whole-body tilt about L, + tips the head forward (90 = prone face down, -90 = supine).
  roll: about F, + raises the left side. twist: about U (long axis), + turns the front toward the left.
  spine_flex: forward flexion of lumbar + thoracic spine, shared 40/60. neck_flex: + chin to chest.
  shoulder_flex / hip_flex: + swings the limb forward; abd: + away from the midline; hip_rot: + external.
  elbow / knee: + bends the joint (0 = straight). ankle: + plantarflexion (toes down).
"""

from __future__ import annotations

from types import MappingProxyType

from collections.abc import Mapping
from dataclasses import astuple, dataclass, fields, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

Side = Literal["left", "right"]
LIMB_ANGLES: tuple[str, ...] = (
    "shoulder_flex", "shoulder_abd", "elbow", "hip_flex", "hip_abd", "hip_rot", "knee", "ankle",
)


@dataclass(frozen=True, slots=True)
class Pose:
    """A full set of joint angles (degrees) and the root's floor position (metres)."""

    root_x: float = 0.0
    root_y: float = 0.0
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    twist: float = 0.0
    spine_flex: float = 0.0
    spine_twist: float = 0.0
    neck_flex: float = 0.0
    l_shoulder_flex: float = 0.0
    l_shoulder_abd: float = 6.0
    l_elbow: float = 8.0
    l_hip_flex: float = 0.0
    l_hip_abd: float = 3.0
    l_hip_rot: float = 5.0
    l_knee: float = 2.0
    l_ankle: float = 0.0
    r_shoulder_flex: float = 0.0
    r_shoulder_abd: float = 6.0
    r_elbow: float = 8.0
    r_hip_flex: float = 0.0
    r_hip_abd: float = 3.0
    r_hip_rot: float = 5.0
    r_knee: float = 2.0
    r_ankle: float = 0.0

    def side(self, side: Side, **angles: float) -> "Pose":
        """Copy with limb angles of one side set, e.g. pose.side("left", knee=90)."""
        prefix = "l_" if side == "left" else "r_"
        return replace(self, **{prefix + name: value for name, value in angles.items()})

    def limb(self, side: Side, name: str) -> float:
        """One limb angle of one side."""
        return float(getattr(self, ("l_" if side == "left" else "r_") + name))

    def with_(self, **values: float) -> "Pose":
        """Copy with any fields replaced."""
        return replace(self, **values)

    def mirrored(self) -> "Pose":
        """Left and right limb angles swapped (roll and twists negated), the root kept."""
        swap: dict[str, float] = {}
        for name in LIMB_ANGLES:
            swap["l_" + name] = getattr(self, "r_" + name)
            swap["r_" + name] = getattr(self, "l_" + name)
        return replace(self, roll=-self.roll, twist=-self.twist, spine_twist=-self.spine_twist, **swap)

    def vector(self) -> npt.NDArray[np.float64]:
        """All fields as a (N_FIELDS,) array in declaration order."""
        return np.array(astuple(self), dtype=np.float64)

    @classmethod
    def from_vector(cls, values: npt.ArrayLike) -> "Pose":
        """Inverse of vector()."""
        return cls(*(float(v) for v in np.asarray(values, dtype=np.float64)))


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Pose))
FIELD_INDEX: Mapping[str, int] = MappingProxyType({name: i for i, name in enumerate(FIELD_NAMES)})


def blend(a: Pose, b: Pose, w: float) -> Pose:
    """(1 - w) a + w b, field by field."""
    return Pose.from_vector((1.0 - w) * a.vector() + w * b.vector())


def other(side: Side) -> Side:
    """The opposite anatomical side."""
    return "right" if side == "left" else "left"
