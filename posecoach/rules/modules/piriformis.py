"""Piriformis stretch: one ankle rests on the opposite knee."""

from __future__ import annotations

import numpy as np

from posecoach import geometry as g
from posecoach.rules.body import Body
from posecoach.rules.registry import RuleRegistry


def ankle_on_knee(body: Body) -> np.ndarray:
    """Distance from the working ankle to the support knee over the support thigh's length.

    In a side view the model often swaps which crossed leg is left and which right, so both pairings are
    measured and the closer one is taken: the ankle rests on the opposite knee whatever the labels say.
    """
    a = body.aspect
    ratios = []
    for ankle, knee, hip in (("left", "right", "right"), ("right", "left", "left")):
        gap = g.distance(body.point(f"{ankle}.ankle"), body.point(f"{knee}.knee"), aspect=a)
        thigh = g.distance(body.point(f"{hip}.hip"), body.point(f"{knee}.knee"), aspect=a)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratios.append(gap / thigh)
    return np.fmin(ratios[0], ratios[1])


def register(registry: RuleRegistry) -> None:
    registry.register("piriformis.ankle_on_knee", ankle_on_knee)
