"""Putting a pose in the scene: forward kinematics, dressing, and resting the figure on the floor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from posecoach.synth.anthropometry import Body
from posecoach.synth.appearance import Appearance
from posecoach.synth.figure import dress
from posecoach.synth.kinematics import Skeleton, forward_kinematics
from posecoach.synth.pose import Pose
from posecoach.synth.primitives import Primitive, lowest_point


@dataclass(frozen=True, slots=True)
class Posed:
    """A skeleton standing on the floor (its lowest surface point at z = 0) and its volumes."""

    skeleton: Skeleton
    prims: tuple[Primitive, ...]


def lowest(prims: Sequence[Primitive], prefixes: Sequence[str] | None = None) -> float:
    """Lowest surface z (m) among primitives whose name starts with one of `prefixes` (all if None)."""
    chosen = [p for p in prims if prefixes is None or p.name.startswith(tuple(prefixes))]
    return min(lowest_point(p) for p in chosen)


def place(pose: Pose, body: Body, look: Appearance) -> Posed:
    """Pose the figure and drop it so that its lowest point touches the floor: every pose keeps contact
    with the ground without solving for the root height."""
    sk = forward_kinematics(pose, body)
    prims = dress(sk, body, look)
    dz = -lowest(prims)
    sk = sk.translated((0.0, 0.0, dz))
    return Posed(sk, tuple(dress(sk, body, look)))
