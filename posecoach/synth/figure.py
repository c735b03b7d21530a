"""The figure's volumes: a posed skeleton dressed as shaded round cones and ellipsoids."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from posecoach.synth.anthropometry import Body
from posecoach.synth.appearance import RGB, Appearance
from posecoach.synth.kinematics import Skeleton
from posecoach.synth.primitives import Ellipsoid, Primitive, RoundCone

Vec = npt.NDArray[np.float64]


def _shade(c: RGB, k: float) -> RGB:
    return (min(1.0, c[0] * k), min(1.0, c[1] * k), min(1.0, c[2] * k))


def _head(sk: Skeleton, body: Body, look: Appearance) -> list[Primitive]:
    h = body.stature
    frame = sk.frames["head"]
    c = sk.points["head"]

    def at(f: float, l: float, u: float) -> Vec:
        return c + frame @ np.array([f * h, l * h, u * h])

    def ell(name: str, centre: Vec, radii: tuple[float, float, float], colour: RGB, shine: float = 0.0) -> Ellipsoid:
        return Ellipsoid(name, centre, frame, np.array(radii) * h, colour, shine)

    parts: list[Primitive] = [
        ell("head", c, (0.056, 0.045, 0.064), look.skin, 0.08),
        # Hair: a cap offset back and up, so the face stays uncovered.
        ell("hair", at(-0.010, 0.0, 0.014), (0.056, 0.048, 0.058), look.hair, 0.1),
        # Jaw/chin volume gives the head its egg shape in profile.
        ell("jaw", at(0.018, 0.0, -0.030), (0.034, 0.034, 0.030), look.skin, 0.05),
        RoundCone("nose", at(0.050, 0.0, 0.010), at(0.062, 0.0, -0.008), 0.006 * h, 0.009 * h,
                  _shade(look.skin, 0.95)),
        ell("mouth", at(0.048, 0.0, -0.026), (0.006, 0.015, 0.0045), look.lips),
    ]
    for side, s in (("l", 1.0), ("r", -1.0)):
        parts += [
            ell(f"{side}_eye_white", at(0.046, s * 0.018, 0.010), (0.006, 0.010, 0.0055), (0.95, 0.95, 0.95)),
            ell(f"{side}_iris", at(0.0505, s * 0.018, 0.010), (0.003, 0.0048, 0.0048), (0.12, 0.09, 0.07)),
            ell(f"{side}_brow", at(0.049, s * 0.019, 0.023), (0.004, 0.012, 0.0028), _shade(look.hair, 0.8)),
            ell(f"{side}_ear", at(-0.004, s * 0.045, -0.002), (0.013, 0.007, 0.019), _shade(look.skin, 0.92)),
        ]
    return parts


def _trunk(sk: Skeleton, body: Body, look: Appearance) -> list[Primitive]:
    p, fr = sk.points, sk.frames
    h = body.stature
    pelvis, lumbar, thorax = fr["pelvis"], fr["lumbar"], fr["thorax"]
    return [
        Ellipsoid("pelvis", p["mid_hip"] + pelvis @ np.array([-0.006 * h, 0.0, 0.022 * h]), pelvis,
                  np.array([body.pelvis_d, body.pelvis_w, body.pelvis_h]), look.trousers, 0.05),
        Ellipsoid("waist", p["lumbar"] + lumbar @ np.array([0.0, 0.0, 0.3 * body.thorax]), lumbar,
                  np.array([body.waist_d, body.waist_w, body.waist_h]), look.shirt, 0.05),
        Ellipsoid("chest", p["thorax"] + thorax @ np.array([0.002 * h, 0.0, 0.42 * body.upper_trunk]), thorax,
                  np.array([body.chest_d, body.chest_w, body.chest_h]), look.shirt, 0.05),
        RoundCone("neck", p["neck_base"], p["head_pivot"], body.neck_r * 1.15, body.neck_r, look.skin),
    ]


def _arm(sk: Skeleton, body: Body, look: Appearance, s: str) -> list[Primitive]:
    p, fr = sk.points, sk.frames
    h = body.stature
    shoulder, elbow, wrist = p[s + "shoulder"], p[s + "elbow"], p[s + "wrist"]
    fore = fr[s + "forearm"]
    sleeve = look.shirt
    arm_colour = look.shirt if look.long_sleeves else look.skin
    parts: list[Primitive] = [
        Ellipsoid(s + "deltoid", shoulder + fr["thorax"] @ np.array([0.0, 0.0, 0.004 * h]), fr[s + "upper_arm"],
                  np.full(3, body.upper_arm_r0 * 1.18), look.shirt, 0.05),
        RoundCone(s + "upper_arm", shoulder, elbow, body.upper_arm_r0, body.upper_arm_r1, arm_colour),
        RoundCone(s + "forearm", elbow, wrist, body.forearm_r0, body.forearm_r1, arm_colour),
        # Hand: a flat ellipsoid in the forearm's F-U plane (palm facing the body), thumb toward F.
        Ellipsoid(s + "hand", wrist + fore @ np.array([0.0, 0.0, -0.42 * body.hand]), fore,
                  np.array([0.023 * h, 0.011 * h, 0.46 * body.hand]), look.skin),
        RoundCone(s + "thumb", wrist + fore @ np.array([0.012 * h, 0.0, -0.01 * h]),
                  wrist + fore @ np.array([0.030 * h, 0.0, -0.045 * h]), 0.008 * h, 0.006 * h, look.skin),
    ]
    if not look.long_sleeves:
        mid = shoulder + 0.45 * (elbow - shoulder)
        parts.append(RoundCone(s + "sleeve", shoulder, mid, body.upper_arm_r0 * 1.12, body.upper_arm_r1 * 1.2,
                               sleeve, 0.05))
    return parts


def _leg(sk: Skeleton, body: Body, look: Appearance, s: str) -> list[Primitive]:
    p, fr = sk.points, sk.frames
    hip, knee, ankle = p[s + "hip"], p[s + "knee"], p[s + "ankle"]
    leg_colour = look.skin if look.shorts else look.trousers
    foot = fr[s + "foot"]
    ah = body.ankle_height
    rh, rt = 0.55 * ah, 0.40 * ah
    heel_c = ankle + foot @ np.array([-body.heel_back + rh, 0.0, -(ah - rh)])
    toe_c = ankle + foot @ np.array([body.foot_length - body.heel_back - rt, 0.0, -(ah - rt)])
    parts: list[Primitive] = [
        RoundCone(s + "thigh", hip, knee, body.thigh_r0, body.thigh_r1, leg_colour),
        RoundCone(s + "shank", knee, ankle, body.shank_r0, body.shank_r1, leg_colour),
        RoundCone(s + "shoe", heel_c, toe_c, rh, rt, look.shoes, 0.15),
        Ellipsoid(s + "shoe_cuff", ankle + foot @ np.array([0.0, 0.0, -0.15 * ah]), foot,
                  np.array([0.75 * ah, 0.55 * ah, 0.6 * ah]), look.shoes, 0.1),
    ]
    if look.shorts:
        parts.append(RoundCone(s + "shorts", hip, hip + 0.5 * (knee - hip), body.thigh_r0 * 1.1,
                               body.thigh_r1 * 1.2, look.trousers, 0.05))
    return parts


def dress(sk: Skeleton, body: Body, look: Appearance) -> list[Primitive]:
    """All volumes of the posed figure (names are prefixed l_ / r_ for sided parts)."""
    parts = _trunk(sk, body, look) + _head(sk, body, look)
    for s in ("l_", "r_"):
        parts += _arm(sk, body, look, s) + _leg(sk, body, look, s)
    return parts
