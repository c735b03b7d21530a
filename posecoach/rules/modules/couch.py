"""Couch stretch: the back foot must be up against the couch behind, not lying on the floor."""

from __future__ import annotations

import numpy as np

from posecoach import geometry as g
from posecoach.rules.body import Body
from posecoach.rules.registry import RuleRegistry
from posecoach.rules.sides import facing


def back_foot_up(body: Body) -> np.ndarray:
    """Elevation of the back shin above horizontal (degrees), made negative when the foot is not behind
    the knee: a foot raised in front of the body is not up against a couch behind it."""
    knee, ankle = body.point("back.knee"), body.point("back.ankle")
    elevation = g.inclination_from_horizontal(knee, ankle, aspect=body.aspect)
    behind = (ankle[:, 0] - knee[:, 0]) * facing(body.image) <= 0.02
    return np.where(behind, elevation, -np.abs(elevation))


def register(registry: RuleRegistry) -> None:
    registry.register("couch.back_foot_up", back_foot_up)
