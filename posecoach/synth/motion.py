"""Keyframed motions: poses at key times, smooth interpolation, breathing sway, and annotated phases.

A phase is a time interval with what the truth reports for it: the front/working side, whether the pose
is held, and which faults are present.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from posecoach.synth.pose import FIELD_INDEX, Pose, Side, blend
from posecoach.synth.primitives import Box

# Fields that breathe during a hold, with their sway amplitude in degrees.
_SWAY_AMPLITUDE: Mapping[str, float] = MappingProxyType({
    "pitch": 0.7, "spine_flex": 1.0, "neck_flex": 1.2, "l_shoulder_flex": 1.0, "r_shoulder_flex": 1.0,
    "l_elbow": 1.5, "r_elbow": 1.5, "l_hip_flex": 0.8, "r_hip_flex": 0.8, "l_knee": 1.0, "r_knee": 1.0,
})


@dataclass(frozen=True, slots=True)
class Phase:
    """[start, end) seconds; side: front / working side or None; held: in a hold (not transitioning)."""

    start: float
    end: float
    side: Side | None
    held: bool
    faults: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sway:
    """Per-field sinusoidal sway: amplitude (N_FIELDS,) degrees, period (N_FIELDS,) s, phase (N_FIELDS,) rad."""

    amplitude: npt.NDArray[np.float64]
    period: npt.NDArray[np.float64]
    phase: npt.NDArray[np.float64]

    def at(self, t: float) -> npt.NDArray[np.float64]:
        """Offsets (N_FIELDS,) to add to a pose vector at time t."""
        return self.amplitude * np.sin(2.0 * np.pi * t / self.period + self.phase)


def sample_sway(rng: np.random.Generator, scale: float = 1.0) -> Sway:
    """Breathing-like sway, a degree or so, with periods of 3-6 s and random phases."""
    n = len(FIELD_INDEX)
    amplitude = np.zeros(n)
    for name, amp in _SWAY_AMPLITUDE.items():
        amplitude[FIELD_INDEX[name]] = amp * scale
    return Sway(amplitude=amplitude, period=rng.uniform(3.0, 6.0, n), phase=rng.uniform(0.0, 2.0 * np.pi, n))


def smoothstep(x: float) -> float:
    """0 -> 1 with zero slope at both ends."""
    x = min(1.0, max(0.0, x))
    return x * x * (3.0 - 2.0 * x)


@dataclass(frozen=True, slots=True)
class Motion:
    """A whole clip's movement. times (K,) seconds ascending, poses (K,), phases cover [0, duration)."""

    exercise: str
    times: tuple[float, ...]
    poses: tuple[Pose, ...]
    phases: tuple[Phase, ...]
    sway: Sway
    props: tuple[Box, ...] = ()
    mat: tuple[float, float, float, float] | None = None

    @property
    def duration(self) -> float:
        """Seconds."""
        return self.times[-1]

    def base_pose(self, t: float) -> Pose:
        """The keyframed pose at t, without sway."""
        k = int(np.searchsorted(self.times, t, side="right"))
        if k <= 0:
            return self.poses[0]
        if k >= len(self.times):
            return self.poses[-1]
        t0, t1 = self.times[k - 1], self.times[k]
        return blend(self.poses[k - 1], self.poses[k], smoothstep((t - t0) / (t1 - t0)))

    def pose_at(self, t: float) -> Pose:
        """The pose at t including breathing sway."""
        return Pose.from_vector(self.base_pose(t).vector() + self.sway.at(t))

    def phase_at(self, t: float) -> Phase:
        """The phase containing t (the last one past the end)."""
        for ph in self.phases:
            if ph.start <= t < ph.end:
                return ph
        return self.phases[-1]

    def role_side(self, t: float) -> Side | None:
        """Side whose roles bind the angles at t: the phase's side, else the nearest phase's side."""
        ph = self.phase_at(t)
        if ph.side is not None:
            return ph.side
        sided = [p for p in self.phases if p.side is not None]
        if not sided:
            return None
        return min(sided, key=lambda p: min(abs(t - p.start), abs(t - p.end))).side


@dataclass
class Timeline:
    """Builder of a Motion: append moves and holds in time order (a local, short-lived mutable helper)."""

    start: Pose
    times: list[float] = field(default_factory=list)
    poses: list[Pose] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.times.append(0.0)
        self.poses.append(self.start)

    @property
    def now(self) -> float:
        """End time so far, s."""
        return self.times[-1]

    @property
    def last(self) -> Pose:
        """The latest keyframe."""
        return self.poses[-1]

    def go(self, pose: Pose, dur: float, side: Side | None = None, held: bool = False,
           faults: Sequence[str] = (), faults_after: Sequence[str] | None = None) -> "Timeline":
        """Move to `pose` in `dur` s. With faults_after, the second half of the move carries those faults
        instead (a held pose drifting into or out of a fault changes over at the midpoint)."""
        t0 = self.now
        if faults_after is None:
            self.phases.append(Phase(t0, t0 + dur, side, held, tuple(faults)))
        else:
            self.phases.append(Phase(t0, t0 + 0.5 * dur, side, held, tuple(faults)))
            self.phases.append(Phase(t0 + 0.5 * dur, t0 + dur, side, held, tuple(faults_after)))
        self.times.append(round(t0 + dur, 6))
        self.poses.append(pose)
        return self

    def hold(self, dur: float, side: Side | None = None, held: bool = True, faults: Sequence[str] = ()) -> "Timeline":
        """Stay in the latest pose for `dur` s."""
        return self.go(self.last, dur, side, held, faults)

    def build(self, exercise: str, sway: Sway, props: tuple[Box, ...] = (),
              mat: tuple[float, float, float, float] | None = None) -> Motion:
        """The finished motion."""
        return Motion(exercise, tuple(self.times), tuple(self.poses), tuple(self.phases), sway, props, mat)


def _key_side(motion: Motion, t: float) -> Side | None:
    """The side a keyframe at t belongs to: that of the sided phase ending there, else of the next sided
    phase, else of the last one."""
    sided = [p for p in motion.phases if p.side is not None]
    for p in sided:
        if abs(p.end - t) < 1e-6:
            return p.side
    later = [p for p in sided if p.start >= t - 1e-6]
    if later:
        return later[0].side
    return sided[-1].side if sided else None


def turned_for_sides(motion: Motion, near: Side, centre: tuple[float, float]) -> Motion:
    """The motion with the person turning around between sides so that each side's working limbs are the
    ones nearest a camera on the person's `near` side (poses face +x, so a camera on the left sees the left
    limbs in front). Keyframes of the other side, and the neutral poses leading into it, are rotated half a
    turn about the vertical through `centre` (x, y): the person stays on the same patch of floor, and the turn
    happens while moving out of the first side. A mat is widened to cover both orientations."""
    if motion.props:
        raise ValueError(f"{motion.exercise}: a motion with props cannot turn around")
    cx, cy = centre
    poses = []
    for t, pose in zip(motion.times, motion.poses):
        side = _key_side(motion, t)
        if side is None or side == near:
            poses.append(pose)
        else:
            poses.append(replace(pose, yaw=pose.yaw + 180.0, root_x=2.0 * cx - pose.root_x,
                                 root_y=2.0 * cy - pose.root_y))
    mat = motion.mat
    if mat is not None:
        x0, y0, x1, y1 = mat
        mat = (min(x0, 2.0 * cx - x1), min(y0, 2.0 * cy - y1), max(x1, 2.0 * cx - x0), max(y1, 2.0 * cy - y0))
    return replace(motion, poses=tuple(poses), mat=mat)
