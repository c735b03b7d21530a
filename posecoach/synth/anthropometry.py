"""Body dimensions of a synthetic person, from segment lengths as fractions of stature.

Lengths follow the classic Drillis & Contini proportions as tabulated by Winter (Biomechanics and Motor
Control of Human Movement, fig. 4.1): e.g. hip joint at 0.530 H, knee at 0.285 H, ankle at 0.039 H,
shoulder at 0.818 H, upper arm 0.186 H, forearm 0.146 H, hand 0.108 H, foot 0.152 H.
Each clip's person gets a stature in 1.55-1.90 m and a few percent of jitter on every fraction, so the
clips do not all show the same body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType

import numpy as np

# Fractions of stature (Winter's table); the spine split and the girths are our own reading of the figure.
_FRACTIONS: Mapping[str, float] = MappingProxyType({
    "thigh": 0.245,          # hip joint 0.530 H - knee 0.285 H
    "shank": 0.246,          # knee 0.285 H - ankle 0.039 H
    "ankle_height": 0.039,   # ankle joint above the sole
    "foot_length": 0.152,
    "heel_back": 0.035,      # heel behind the ankle joint
    "hip_half_width": 0.051, # hip joint centres ~0.10 H apart (bi-trochanteric width 0.191 H)
    "lumbar": 0.100,         # mid-hip to the lumbar bend
    "thorax": 0.090,         # lumbar bend to the thoracic bend
    "upper_trunk": 0.098,    # thoracic bend to the shoulder line (0.818 H)
    "shoulder_half_width": 0.100,  # shoulder joint centres (biacromial width 0.259 H)
    "neck": 0.062,           # shoulder line to the head pivot
    "head_height": 0.130,    # chin to crown
    "upper_arm": 0.186,
    "forearm": 0.146,
    "hand": 0.108,
})
# Girths as fractions of stature: radii of the limb volumes and semi-axes of the trunk volumes.
_GIRTHS: Mapping[str, float] = MappingProxyType({
    "thigh_r0": 0.050, "thigh_r1": 0.033, "shank_r0": 0.031, "shank_r1": 0.021,
    "upper_arm_r0": 0.029, "upper_arm_r1": 0.023, "forearm_r0": 0.022, "forearm_r1": 0.016,
    "pelvis_w": 0.094, "pelvis_d": 0.062, "pelvis_h": 0.068,
    "waist_w": 0.086, "waist_d": 0.058, "waist_h": 0.078,
    "chest_w": 0.098, "chest_d": 0.064, "chest_h": 0.088,
    "neck_r": 0.026,
})


@dataclass(frozen=True, slots=True)
class Body:
    """Dimensions of one person, all in metres."""

    stature: float
    thigh: float
    shank: float
    ankle_height: float
    foot_length: float
    heel_back: float
    hip_half_width: float
    lumbar: float
    thorax: float
    upper_trunk: float
    shoulder_half_width: float
    neck: float
    head_height: float
    upper_arm: float
    forearm: float
    hand: float
    thigh_r0: float
    thigh_r1: float
    shank_r0: float
    shank_r1: float
    upper_arm_r0: float
    upper_arm_r1: float
    forearm_r0: float
    forearm_r1: float
    pelvis_w: float
    pelvis_d: float
    pelvis_h: float
    waist_w: float
    waist_d: float
    waist_h: float
    chest_w: float
    chest_d: float
    chest_h: float
    neck_r: float

    @property
    def torso(self) -> float:
        """Mid-hip to mid-shoulder along a straight spine."""
        return self.lumbar + self.thorax + self.upper_trunk


def standard_body(stature: float = 1.75) -> Body:
    """The table's proportions, unjittered."""
    values = {name: frac * stature for name, frac in {**_FRACTIONS, **_GIRTHS}.items()}
    return Body(stature=stature, **values)


def sample_body(rng: np.random.Generator, stature_range: tuple[float, float] = (1.55, 1.90)) -> Body:
    """A person with a uniform stature and ~2 % length / ~6 % girth jitter (clipped to 2 sigma)."""
    stature = float(rng.uniform(*stature_range))
    base = standard_body(stature)
    changes: dict[str, float] = {}
    # Iterate in declaration order so the draws, and therefore the clips, are reproducible.
    for f in fields(Body):
        if f.name == "stature":
            continue
        sigma = 0.06 if f.name in _GIRTHS else 0.02
        jitter = float(np.clip(rng.normal(0.0, sigma), -2 * sigma, 2 * sigma))
        changes[f.name] = getattr(base, f.name) * (1.0 + jitter)
    return replace(base, **changes)
