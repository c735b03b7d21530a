"""kneeling-hip-flexor, couch-stretch and standing-hip-flexor: split-stance stretches held on each side."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from posecoach.synth.angles import signed_torso_lean
from posecoach.synth.exercises.common import STANDING, Person, forward_angle, mat_around, prefix, stack
from posecoach.synth.motion import Motion, Sway, Timeline
from posecoach.synth.pose import Pose, Side, other
from posecoach.synth.primitives import Box
from posecoach.synth.solve import solve

ARMS: Mapping[str, float] = MappingProxyType(
    dict(l_shoulder_flex=12.0, r_shoulder_flex=12.0, l_elbow=25.0, r_elbow=25.0))


def kneeling(person: Person, front: Side, front_knee: float = 90.0, lean: float = 8.0,
             back_thigh: float = -12.0, spine_flex: float = 2.0) -> Pose:
    """Half-kneeling: front foot flat, back knee and shin on the floor, torso leaning `lean` degrees."""
    back = other(front)
    f, b = prefix(front), prefix(back)
    guess = (Pose(pitch=lean, spine_flex=spine_flex, **ARMS)
             .side(front, hip_flex=80.0 + lean, knee=180.0 - front_knee, ankle=0.0, hip_abd=4.0)
             .side(back, hip_flex=lean - 12.0, knee=95.0, ankle=80.0, hip_abd=4.0))

    def residual(p: Pose) -> np.ndarray:
        j = person.joints(p)
        pts = person.points(p)
        body = person.body
        return stack(
            signed_torso_lean(j, front) - lean,
            100.0 * person.gap(p, [f + "shoe"], [b + "shank"]),
            100.0 * (pts[f + "heel"][2] - pts[f + "toe"][2]),
            forward_angle(pts[b + "hip"], pts[b + "knee"]) - back_thigh,
            100.0 * ((pts[b + "knee"][2] - body.shank_r0) - (pts[b + "ankle"][2] - body.shank_r1)),
            100.0 * person.gap(p, [b + "shoe"], [b + "shank"]) - 0.5,
        )

    names = ["pitch", f + "hip_flex", f + "ankle", b + "hip_flex", b + "knee", b + "ankle"]
    return solve(guess, names, residual)


def tall_kneeling(person: Person, root_x: float = 0.0) -> Pose:
    """Kneeling on both knees, thighs and trunk upright, shins flat behind."""
    base = Pose(root_x=root_x, pitch=2.0, **ARMS)
    return base.side("left", hip_flex=2.0, knee=92.0, ankle=85.0).side("right", hip_flex=2.0, knee=92.0, ankle=85.0)


def couch(person: Person, front: Side, lean: float = 5.0, spine_flex: float = 2.0, back_knee: float = 45.0,
          back_thigh: float = -30.0, front_shin: float | None = None) -> Pose:
    """Couch stretch: half-kneeling with the back shin up against a couch behind.

    front_shin, when given, pins the front shin's angle from vertical (degrees, + with the ankle ahead of the
    knee): a pose that only changes the trunk keeps the front foot where it was. Without it a strongly arched
    trunk lets the solver settle in a second solution with the front knee on the floor."""
    back = other(front)
    f, b = prefix(front), prefix(back)
    # Arms hang with gravity: when the trunk arches back they swing forward relative to it less.
    arm = ARMS["l_shoulder_flex"] + min(0.0, lean - 5.0)
    guess = (Pose(pitch=lean - spine_flex, spine_flex=spine_flex,
                  **{**ARMS, "l_shoulder_flex": arm, "r_shoulder_flex": arm})
             .side(front, hip_flex=85.0 + lean, knee=90.0, ankle=0.0, hip_abd=4.0)
             .side(back, hip_flex=lean - 30.0, knee=180.0 - back_knee, ankle=45.0, hip_abd=3.0))

    def residual(p: Pose) -> np.ndarray:
        j = person.joints(p)
        pts = person.points(p)
        return stack(
            signed_torso_lean(j, front) - lean,
            100.0 * person.gap(p, [f + "shoe"], [b + "shank"]),
            100.0 * (pts[f + "heel"][2] - pts[f + "toe"][2]),
            forward_angle(pts[b + "hip"], pts[b + "knee"]) - back_thigh,
            () if front_shin is None else (forward_angle(pts[f + "knee"], pts[f + "ankle"]) - front_shin,),
        )

    return solve(guess, ["pitch", f + "hip_flex", f + "ankle", b + "hip_flex"], residual)


def _front_shin(person: Person, pose: Pose, front: Side) -> float:
    """Angle of the front shin (knee -> ankle) from vertical in `pose`, degrees, + with the ankle ahead."""
    pts = person.points(pose)
    f = prefix(front)
    return forward_angle(pts[f + "knee"], pts[f + "ankle"])


def couch_box(person: Person, hold: Pose, back: Side) -> tuple[Box, ...]:
    """A couch whose seat front sits just behind the back ankle of `hold`, seat top at ankle height."""
    pts = person.points(hold)
    b = prefix(back)
    ankle = pts[b + "ankle"]
    front_x = float(ankle[0]) - 0.04
    seat = max(0.30, float(ankle[2]) - 0.01)
    colour = (0.42, 0.30, 0.26)
    y0, y1 = -0.95, 0.95
    return (
        Box("couch_seat", np.array([front_x - 0.60, y0, 0.0]), np.array([front_x, y1, seat]), colour),
        Box("couch_back", np.array([front_x - 0.75, y0, 0.0]), np.array([front_x - 0.58, y1, seat + 0.45]),
            (0.38, 0.27, 0.23)),
        Box("couch_arm", np.array([front_x - 0.75, y1 - 0.01, 0.0]), np.array([front_x + 0.02, y1 + 0.16, seat + 0.2]),
            (0.36, 0.26, 0.22)),
    )


def standing_lunge(person: Person, front: Side, front_knee: float = 110.0, back_knee: float = 175.0,
                   lean: float = 3.0, front_shin: float = 5.0) -> Pose:
    """Standing split stance: front foot flat with the shin near vertical, back heel raised."""
    back = other(front)
    f, b = prefix(front), prefix(back)
    guess = (Pose(pitch=lean, **ARMS)
             .side(front, hip_flex=70.0, knee=180.0 - front_knee, ankle=-10.0, hip_abd=3.0)
             .side(back, hip_flex=-42.0, knee=180.0 - back_knee, ankle=20.0, hip_abd=3.0))

    def residual(p: Pose) -> np.ndarray:
        j = person.joints(p)
        pts = person.points(p)
        return stack(
            signed_torso_lean(j, front) - lean,
            100.0 * person.gap(p, [f + "shoe"], [b + "shoe"]),
            100.0 * (pts[f + "heel"][2] - pts[f + "toe"][2]),
            forward_angle(pts[f + "knee"], pts[f + "ankle"]) + front_shin,
            100.0 * (pts[b + "heel"][2] - pts[b + "toe"][2]) - 7.0,
        )

    return solve(guess, ["pitch", f + "hip_flex", f + "ankle", b + "hip_flex", b + "ankle"], residual)


def _two_sides(tl: Timeline, first: Side, good: dict[Side, Pose], bad: dict[Side, Pose] | None,
               fault: str | None, neutral: Pose, enter: float, hold: float) -> None:
    """Hold each side; with a fault, the first side drifts into it and the second starts in it and corrects."""
    for n, side in enumerate((first, other(first))):
        if n == 1:
            tl.go(neutral, 0.9).hold(0.3, held=False)
        if bad is None or fault is None:
            tl.go(good[side], enter, side).hold(hold, side)
        elif n == 0:
            tl.go(good[side], enter, side).hold(3.2, side)
            tl.go(bad[side], 0.7, side, held=True, faults=(), faults_after=(fault,)).hold(2.8, side, faults=(fault,))
        else:
            tl.go(bad[side], enter, side).hold(2.8, side, faults=(fault,))
            tl.go(good[side], 0.7, side, held=True, faults=(fault,), faults_after=()).hold(3.2, side)


def kneeling_hip_flexor(person: Person, variant: str, first: Side, sway: Sway) -> Motion:
    """Variants: good, front-knee, torso-upright."""
    good = {s: kneeling(person, s) for s in ("left", "right")}
    bad: dict[Side, Pose] | None = None
    fault = None
    if variant == "front-knee":
        bad, fault = {s: kneeling(person, s, front_knee=128.0) for s in ("left", "right")}, "front-knee"
    elif variant == "torso-upright":
        bad, fault = {s: kneeling(person, s, lean=30.0, spine_flex=10.0) for s in ("left", "right")}, "torso-upright"
    tl = Timeline(STANDING).hold(0.5, held=False)
    _two_sides(tl, first, good, bad, fault, tall_kneeling(person), 1.4, 6.0)
    tl.go(STANDING, 1.4).hold(0.4, held=False)
    return tl.build("kneeling-hip-flexor", sway, mat=mat_around(person, list(good.values())))


def couch_stretch(person: Person, variant: str, first: Side, sway: Sway) -> Motion:
    """Variants: good, torso-upright (lower back arched, pelvis tipped forward)."""
    good = {s: couch(person, s) for s in ("left", "right")}
    bad: dict[Side, Pose] | None = None
    fault = None
    if variant == "torso-upright":
        # Arching the lower back changes the trunk only: the front foot stays planted with the shin as before.
        shin = {s: _front_shin(person, good[s], s) for s in ("left", "right")}
        bad = {s: couch(person, s, lean=-20.0, spine_flex=-50.0, front_shin=shin[s]) for s in ("left", "right")}
        fault = "torso-upright"
    start = tall_kneeling(person, root_x=0.35)
    tl = Timeline(start).hold(0.6, held=False)
    _two_sides(tl, first, good, bad, fault, start, 1.4, 6.0)
    tl.go(start, 1.2).hold(0.4, held=False)
    props = couch_box(person, good[first], other(first))
    return tl.build("couch-stretch", sway, props=props, mat=None)


def standing_hip_flexor(person: Person, variant: str, first: Side, sway: Sway) -> Motion:
    """Variants: good, back-leg-straight (back knee bent)."""
    good = {s: standing_lunge(person, s) for s in ("left", "right")}
    bad: dict[Side, Pose] | None = None
    fault = None
    if variant == "back-leg-straight":
        bad = {s: standing_lunge(person, s, back_knee=138.0) for s in ("left", "right")}
        fault = "back-leg-straight"
    tl = Timeline(STANDING).hold(0.5, held=False)
    _two_sides(tl, first, good, bad, fault, STANDING, 1.2, 6.0)
    tl.go(STANDING, 1.2).hold(0.4, held=False)
    return tl.build("standing-hip-flexor", sway)
