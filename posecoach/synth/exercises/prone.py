"""plank and bird-dog: exercises face down, on the forearms and toes or on hands and knees."""

from __future__ import annotations

import numpy as np

from posecoach.synth.angles import bird_dog_angles, hip_offset
from posecoach.synth.exercises.common import Person, forward_angle, mat_around, prefix, stack
from posecoach.synth.motion import Motion, Sway, Timeline
from posecoach.synth.pose import Pose, Side, other
from posecoach.synth.solve import solve


def plank_pose(person: Person, offset: float = 0.0, spine_flex: float = 0.0, knees_down: bool = False) -> Pose:
    """Forearm plank with hip_offset `offset` (0 = straight line, - sag, + pike); knees_down rests the knees
    on the floor (the way into and out of the plank)."""
    knee = 85.0 if knees_down else 0.0
    hip = 35.0 if knees_down else 8.0 * np.sign(offset) + 60.0 * offset
    guess = Pose(pitch=80.0, spine_flex=spine_flex, neck_flex=-8.0,
                 l_shoulder_flex=80.0, r_shoulder_flex=80.0, l_shoulder_abd=8.0, r_shoulder_abd=8.0,
                 l_elbow=95.0, r_elbow=95.0, l_hip_flex=hip, r_hip_flex=hip, l_knee=knee, r_knee=knee,
                 l_ankle=-8.0 if not knees_down else 40.0, r_ankle=-8.0 if not knees_down else 40.0,
                 l_hip_abd=3.0, r_hip_abd=3.0, l_hip_rot=0.0, r_hip_rot=0.0)
    feet = ["l_shank", "r_shank"] if knees_down else ["l_shoe", "r_shoe"]

    def residual(p: Pose) -> np.ndarray:
        pts = person.points(p)
        terms = [
            100.0 * person.gap(p, ["l_forearm", "r_forearm"], feet),
            forward_angle(pts["l_shoulder"], pts["l_elbow"]) - 0.0,
            forward_angle(pts["r_shoulder"], pts["r_elbow"]) - 0.0,
            p.l_hip_flex - p.r_hip_flex,
        ]
        if not knees_down:
            terms.append(100.0 * (hip_offset(person.joints(p)) - offset))
        return stack(*terms)

    names = ["pitch", "l_shoulder_flex", "r_shoulder_flex", "l_hip_flex"]
    if not knees_down:
        names.append("r_hip_flex")
    else:
        names[-1] = "r_hip_flex"
    return solve(guess, names, residual)


def plank(person: Person, variant: str, first: Side, sway: Sway) -> Motion:
    """Variants: good, hips-sag (hip_offset ~ -0.25), hips-pike (~ +0.30); both are the `hips-level` fault."""
    down = plank_pose(person, knees_down=True)
    good = plank_pose(person)
    tl = Timeline(down).hold(0.8, held=False).go(good, 1.2)
    if variant == "good":
        tl.hold(11.0)
    else:
        bad = plank_pose(person, -0.25, spine_flex=-8.0) if variant == "hips-sag" else plank_pose(person, 0.30, spine_flex=6.0)
        tl.hold(4.5).go(bad, 0.8, None, True, (), ("hips-level",)).hold(3.5, faults=("hips-level",))
        tl.go(good, 0.8, None, True, ("hips-level",), ()).hold(3.0)
    tl.go(down, 1.0).hold(0.6, held=False)
    return tl.build("plank", sway, mat=mat_around(person, [good, down]))


def all_fours(person: Person) -> Pose:
    """Hands under the shoulders, knees under the hips, back flat."""
    guess = Pose(pitch=88.0, neck_flex=-12.0, l_shoulder_flex=88.0, r_shoulder_flex=88.0, l_shoulder_abd=4.0,
                 r_shoulder_abd=4.0, l_elbow=3.0, r_elbow=3.0, l_hip_flex=88.0, r_hip_flex=88.0,
                 l_knee=90.0, r_knee=90.0, l_ankle=70.0, r_ankle=70.0, l_hip_abd=3.0, r_hip_abd=3.0,
                 l_hip_rot=0.0, r_hip_rot=0.0)
    return _support(person, guess, ("left", "right"), ("left", "right"))


def _support(person: Person, guess: Pose, arms: tuple[Side, ...], legs: tuple[Side, ...],
             extra: list[str] | None = None, more=None) -> Pose:
    """Solve pitch and the supporting limbs: trunk level, supporting arms and thighs vertical, hands and
    knees on the floor."""
    def residual(p: Pose) -> np.ndarray:
        pts = person.points(p)
        terms: list = [
            100.0 * person.gap(p, [prefix(s) + "hand" for s in arms], [prefix(s) + "shank" for s in legs]),
            100.0 * (0.5 * (pts["l_shoulder"][2] + pts["r_shoulder"][2]) - 0.5 * (pts["l_hip"][2] + pts["r_hip"][2])
                     - 0.06 * person.body.stature),
        ]
        terms += [forward_angle(pts[prefix(s) + "shoulder"], pts[prefix(s) + "wrist"]) for s in arms]
        terms += [forward_angle(pts[prefix(s) + "hip"], pts[prefix(s) + "knee"]) for s in legs]
        if more is not None:
            terms += list(more(p))
        return stack(*terms)

    names = ["pitch"] + [prefix(s) + "shoulder_flex" for s in arms] + [prefix(s) + "hip_flex" for s in legs]
    return solve(guess, names + (extra or []), residual, iterations=60)


def bird_dog_pose(person: Person, base: Pose, working: Side, arm: float = 0.0, leg: float = 0.0,
                  hips: float = 0.0) -> Pose:
    """From all fours, raise the `working` arm to elevation `arm` and the opposite leg to `leg` degrees;
    `hips` is the hip_level (twist) to hold."""
    opp = other(working)
    w, o = prefix(working), prefix(opp)
    twist_sign = 1.0 if opp == "left" else -1.0  # the raised leg's hip rides up
    guess = (base.side(working, shoulder_flex=180.0 + arm, elbow=2.0)
             .side(opp, hip_flex=-leg + 5.0, knee=4.0, ankle=20.0)
             .with_(twist=twist_sign * hips * 160.0, spine_twist=-twist_sign * hips * 160.0))

    def more(p: Pose) -> list[float]:
        ang = bird_dog_angles(person.joints(p), working)
        terms = [ang["arm_raise"] - arm, ang["leg_raise"] - leg, 100.0 * (ang["hip_level"] - hips)]
        return terms + [p.spine_twist + p.twist]

    return _support(person, guess, (opp,), (working,), [w + "shoulder_flex", o + "hip_flex", "twist", "spine_twist"],
                    more)


def bird_dog(person: Person, variant: str, first: Side, sway: Sway) -> Motion:
    """6 alternating reps with a ~1.8 s hold. Variants: good, arm-extended, leg-extended, hips-level."""
    base = all_fours(person)
    faulty_reps = {"arm-extended": (1, 4), "leg-extended": (2, 3), "hips-level": (3, 4)}.get(variant, ())
    tl = Timeline(base).hold(0.6, held=False)
    sides = (first, other(first))
    cache: dict[tuple[Side, bool], Pose] = {}
    for rep in range(6):
        side = sides[rep % 2]
        faulty = rep in faulty_reps
        if (side, faulty) not in cache:
            kw = {}
            if faulty:
                kw = {"arm-extended": {"arm": -45.0}, "leg-extended": {"leg": -40.0},
                      "hips-level": {"hips": 0.25}}[variant]
            cache[(side, faulty)] = bird_dog_pose(person, base, side, **kw)
        tl.go(cache[(side, faulty)], 0.6, side).hold(1.8, side, faults=(variant,) if faulty else ())
        tl.go(base, 0.6, side).hold(0.1, held=False)
    tl.hold(0.3, held=False)
    return tl.build("bird-dog", sway, mat=mat_around(person, [base, cache[(first, False)]]))
