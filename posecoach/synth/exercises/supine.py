"""piriformis-stretch, crunch and glute-bridge: exercises lying on the back with the knees bent."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from posecoach.synth.angles import bridge_angles, crunch_angles, elevation, piriformis_angles
from posecoach.synth.exercises.common import Person, mat_around, prefix, stack
from posecoach.synth.motion import Motion, Sway, Timeline
from posecoach.synth.pose import Pose, Side, other
from posecoach.synth.solve import solve

TRUNK = ["waist", "chest", "pelvis"]
ARMS_DOWN: Mapping[str, float] = MappingProxyType(dict(l_shoulder_flex=-6.0, r_shoulder_flex=-6.0, l_shoulder_abd=14.0, r_shoulder_abd=14.0,
                 l_elbow=5.0, r_elbow=5.0))


def hook_lying(person: Person, knee: float = 95.0, **arms: float) -> Pose:
    """On the back, knees bent, feet flat on the floor."""
    guess = Pose(pitch=-90.0, neck_flex=4.0, **{**ARMS_DOWN, **arms}).side("left", hip_flex=50.0, knee=knee,
                                                                         ankle=-5.0, hip_abd=4.0, hip_rot=0.0)
    guess = guess.side("right", hip_flex=50.0, knee=knee, ankle=-5.0, hip_abd=4.0, hip_rot=0.0)

    def residual(p: Pose) -> np.ndarray:
        pts = person.points(p)
        return stack(
            100.0 * person.gap(p, ["l_shoe"], TRUNK), 100.0 * person.gap(p, ["r_shoe"], TRUNK),
            100.0 * (pts["l_heel"][2] - pts["l_toe"][2]), 100.0 * (pts["r_heel"][2] - pts["r_toe"][2]),
        )

    return solve(guess, ["l_hip_flex", "r_hip_flex", "l_ankle", "r_ankle"], residual)


def figure_four(person: Person, working: Side, ankle_to_knee: float = 0.22, hip_flexion: float = 70.0) -> Pose:
    """Working ankle crossed over the support knee, support thigh pulled toward the chest by both hands."""
    support = other(working)
    w, s = prefix(working), prefix(support)
    sign = 1.0 if working == "left" else -1.0
    guess = (Pose(pitch=-90.0, neck_flex=12.0)
             .side(support, hip_flex=105.0, knee=85.0, ankle=-5.0, hip_abd=2.0, hip_rot=0.0)
             .side(working, hip_flex=95.0, hip_abd=35.0, hip_rot=50.0, knee=105.0, ankle=-5.0)
             .side("left", shoulder_flex=70.0, shoulder_abd=12.0, elbow=40.0)
             .side("right", shoulder_flex=70.0, shoulder_abd=12.0, elbow=40.0))

    def residual(p: Pose) -> np.ndarray:
        pts = person.points(p)
        j = person.joints(p)
        ang = piriformis_angles(j, working)
        body = person.body
        frame = person.placed(p).skeleton.frames["pelvis"]
        lateral = frame[:, 1] * sign
        # The ankle rests on the outside-front of the support thigh just above the knee.
        thigh_dir = (pts[s + "hip"] - pts[s + "knee"]) / np.linalg.norm(pts[s + "hip"] - pts[s + "knee"])
        side_dist = body.thigh_r1 + body.shank_r1
        along = np.sqrt(max(0.0, (ankle_to_knee * body.thigh) ** 2 - side_dist**2))
        target = pts[s + "knee"] + side_dist * lateral + along * thigh_dir
        grip = 0.5 * (pts[s + "knee"] + pts[s + "hip"]) - frame[:, 0] * (body.thigh_r0 + 0.02)
        return stack(
            100.0 * (pts[w + "ankle"] - target),
            ang["hip_flexion"] - hip_flexion,
            100.0 * (pts["l_wrist"] - (grip + frame[:, 1] * 0.04)),
            100.0 * (pts["r_wrist"] - (grip - frame[:, 1] * 0.04)),
        )

    names = [w + "hip_flex", w + "hip_abd", w + "hip_rot", w + "knee", s + "hip_flex",
             "l_shoulder_flex", "l_shoulder_abd", "l_elbow", "r_shoulder_flex", "r_shoulder_abd", "r_elbow"]
    return solve(guess, names, residual, iterations=60)


def piriformis_stretch(person: Person, variant: str, first: Side, sway: Sway) -> Motion:
    """Variants: good, ankle-on-knee (the ankle slides off the knee toward the hip)."""
    rest = hook_lying(person)
    good = {s: figure_four(person, s) for s in ("left", "right")}
    fault = "ankle-on-knee"
    bad = {s: figure_four(person, s, ankle_to_knee=0.62) for s in ("left", "right")}
    tl = Timeline(rest).hold(0.6, held=False)
    for n, side in enumerate((first, other(first))):
        if n == 1:
            tl.go(rest, 1.1).hold(0.3, held=False)
        if variant == "good":
            tl.go(good[side], 1.4, side).hold(6.2, side)
        elif n == 0:
            tl.go(good[side], 1.4, side).hold(3.2, side)
            tl.go(bad[side], 0.7, side, True, (), (fault,)).hold(2.8, side, faults=(fault,))
        else:
            tl.go(bad[side], 1.4, side).hold(2.8, side, faults=(fault,))
            tl.go(good[side], 0.7, side, True, (fault,), ()).hold(3.2, side)
    tl.go(rest, 1.1).hold(0.3, held=False)
    return tl.build("piriformis-stretch", sway, mat=mat_around(person, [rest, good["left"]]))


def crunch_top(person: Person, rest: Pose, trunk: float = 35.0, neck: float = 8.0) -> Pose:
    """Shoulders curled up `trunk` degrees, neck at `neck` degrees, arms reaching toward the knees."""
    guess = rest.with_(spine_flex=trunk * 1.3, neck_flex=neck + 10.0)

    def residual(p: Pose) -> np.ndarray:
        j = person.joints(p)
        ang = crunch_angles(j)
        # The arms reach toward the knees, a little above horizontal.
        return stack(ang["trunk_flexion"] - trunk, ang["neck_flexion"] - neck,
                     elevation(j["left_shoulder"], j["left_wrist"]) - 8.0,
                     elevation(j["right_shoulder"], j["right_wrist"]) - 8.0)

    return solve(guess, ["spine_flex", "neck_flex", "l_shoulder_flex", "r_shoulder_flex"], residual)


def crunch(person: Person, variant: str, first: Side, sway: Sway) -> Motion:
    """6 reps of ~2 s. Variant neck-neutral: reps 3-5 pull the chin to the chest (neck_flexion ~50)."""
    arms = dict(l_shoulder_flex=28.0, r_shoulder_flex=28.0, l_shoulder_abd=8.0, r_shoulder_abd=8.0,
                l_elbow=4.0, r_elbow=4.0)
    rest = hook_lying(person, knee=100.0, **arms)
    rest = rest.with_(neck_flex=-2.0)
    good = crunch_top(person, rest)
    bad = crunch_top(person, rest, neck=50.0)
    tl = Timeline(rest).hold(1.0, held=False)
    for rep in range(6):
        faulty = variant == "neck-neutral" and rep in (2, 3, 4)
        top = bad if faulty else good
        tl.go(top, 0.7).hold(0.45, faults=("neck-neutral",) if faulty else ())
        tl.go(rest, 0.65).hold(0.2, held=False)
    tl.hold(0.6, held=False)
    return tl.build("crunch", sway, mat=mat_around(person, [rest, good]))


def bridge(person: Person, rest: Pose, extension: float) -> Pose:
    """Hips lifted until hip_extension reaches `extension`, shoulders and feet on the floor."""
    guess = rest.with_(pitch=-90.0 - 0.6 * (extension - 130.0))

    def residual(p: Pose) -> np.ndarray:
        pts = person.points(p)
        lift = -90.0 - p.pitch
        return stack(
            bridge_angles(person.joints(p))["hip_extension"] - extension,
            100.0 * person.gap(p, ["l_shoe"], ["chest", "l_deltoid", "r_deltoid", "head", "hair"]),
            100.0 * (pts["l_heel"][2] - pts["l_toe"][2]), 100.0 * (pts["r_heel"][2] - pts["r_toe"][2]),
            p.l_hip_flex - p.r_hip_flex,
            p.neck_flex - (lift + 4.0),
            p.l_shoulder_flex - (-6.0 - lift), p.r_shoulder_flex - (-6.0 - lift),
        )

    names = ["pitch", "l_hip_flex", "r_hip_flex", "l_ankle", "r_ankle", "neck_flex", "l_shoulder_flex",
             "r_shoulder_flex"]
    return solve(guess, names, residual, iterations=60)


def glute_bridge(person: Person, variant: str, first: Side, sway: Sway) -> Motion:
    """5 reps with a 1 s hold at the top. Variant hips-high: reps 2-4 stop at hip_extension ~150, hips off the floor but well short of a straight line."""
    rest = hook_lying(person, knee=100.0)
    good = bridge(person, rest, 175.0)
    bad = bridge(person, rest, 150.0)
    tl = Timeline(rest).hold(1.0, held=False)
    for rep in range(5):
        faulty = variant == "hips-high" and rep in (1, 2, 3)
        tl.go(bad if faulty else good, 0.8).hold(1.0, faults=("hips-high",) if faulty else ())
        tl.go(rest, 0.8).hold(0.5, held=False)
    return tl.build("glute-bridge", sway, mat=mat_around(person, [rest, good]))
