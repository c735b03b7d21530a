"""Shared helpers of the exercise motions: a person context, residual terms and a few base poses.

Poses face +x (yaw 0) with the root at the scene origin; clips choose the camera around them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from posecoach.synth.anthropometry import Body
from posecoach.synth.appearance import Appearance
from posecoach.synth.landmarks import NAMES, landmarks
from posecoach.synth.pose import Pose, Side
from posecoach.synth.posing import Posed, lowest, place

Vec = npt.NDArray[np.float64]
Residual = Callable[[Pose], npt.NDArray[np.float64]]

# Scene (x fwd, y left, z up) -> y-down frame for the truth angle helpers; handedness does not matter there.
_TO_Y_DOWN = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])


def prefix(side: Side) -> str:
    """l_ or r_."""
    return "l_" if side == "left" else "r_"


@dataclass(frozen=True, slots=True)
class Person:
    """The body and clothes a motion is built for (contacts depend on both)."""

    body: Body
    look: Appearance

    def placed(self, pose: Pose) -> Posed:
        """The pose resting on the floor."""
        return place(pose, self.body, self.look)

    def joints(self, pose: Pose) -> dict[str, Vec]:
        """Landmarks by name in a y-down frame (metres), for the truth angle helpers."""
        lm = landmarks(self.placed(pose).skeleton, self.body) @ _TO_Y_DOWN.T
        return dict(zip(NAMES, lm))

    def points(self, pose: Pose) -> dict[str, Vec]:
        """Skeleton points of the placed pose, scene frame."""
        return dict(self.placed(pose).skeleton.points)

    def gap(self, pose: Pose, a: Sequence[str], b: Sequence[str]) -> float:
        """Lowest surface of parts `a` minus lowest of parts `b` (m): 0 when both touch the floor."""
        prims = self.placed(pose).prims
        return lowest(prims, a) - lowest(prims, b)


def stack(*terms: Iterable[float] | float) -> Vec:
    """Concatenate residual terms into one vector."""
    out: list[float] = []
    for term in terms:
        if isinstance(term, (int, float)):
            out.append(float(term))
        else:
            out.extend(float(v) for v in term)
    return np.array(out)


def forward_angle(a: Vec, b: Vec) -> float:
    """Angle of a->b from straight down, degrees, + toward +x (the figure's front): scene frame."""
    d = b - a
    return float(np.degrees(np.arctan2(d[0], -d[2])))


def mat_around(person: Person, poses: Sequence[Pose], margin: float = 0.22) -> tuple[float, float, float, float]:
    """A floor rectangle (x0, y0, x1, y1) under every point of the poses, plus a margin."""
    pts = np.concatenate([np.stack(list(person.points(p).values())) for p in poses])
    return (float(pts[:, 0].min() - margin), float(pts[:, 1].min() - margin - 0.1),
            float(pts[:, 0].max() + margin), float(pts[:, 1].max() + margin + 0.1))


STANDING = Pose(l_shoulder_flex=4.0, r_shoulder_flex=4.0, l_elbow=12.0, r_elbow=12.0)
