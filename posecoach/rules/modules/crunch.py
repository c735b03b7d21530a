"""Crunch: whether the hands are at the head, where MediaPipe's shoulder points cannot be trusted."""

from __future__ import annotations

import numpy as np

from posecoach import geometry as g
from posecoach.rules.body import Body
from posecoach.rules.registry import RuleRegistry

#: A wrist nearer the ears than this, in torso lengths, and beyond the shoulders toward the head, is a hand at
#: the head. Behind the head the real trainer's hands lay 0.0-0.46 torso lengths from the ears (95% within
#: 0.27) and 0.08-0.66 beyond the shoulders (crunches.pose.npz); reaching up or along the body they lie 1.05
#: or more from the ears (abdominal.pose.npz, every mannequin crunch). Arms crossed on the chest bring the
#: wrists about 0.55-0.75 from the ears (body proportions) but below the shoulders, hence the second test.
NEAR_EARS = 0.6
#: Wrists this sure of being seen are placed; an unseen wrist says nothing.
SEEN = 0.1


def hands_at_head(body: Body) -> np.ndarray:
    """(T,) 1 where a seen hand is at the head, 0 where the seen hands are elsewhere, NaN where no hand is
    seen (hands behind the head are often hidden)."""
    a = body.aspect
    hip, shoulder, ear = body.point("mid.hip"), body.point("mid.shoulder"), body.point("mid.ear")
    scale = np.array([a, 1.0])
    axis = (shoulder - hip) * scale
    with np.errstate(invalid="ignore", divide="ignore"):
        torso = np.linalg.norm(axis, axis=-1)
        axis = axis / torso[:, None]
        found, anywhere = np.zeros(body.frames, bool), np.zeros(body.frames, bool)
        for side in ("left", "right"):
            wrist = body.point(f"{side}.wrist")
            seen = body.confidence(f"{side}.wrist") >= SEEN
            near = g.distance(wrist, ear, aspect=a) / torso < NEAR_EARS
            beyond = np.sum((wrist - shoulder) * scale * axis, axis=-1) > 0.0
            found |= seen & near & beyond
            anywhere |= seen
    return np.where(anywhere, found.astype(np.float64), np.nan)


def register(registry: RuleRegistry) -> None:
    registry.register("crunch.hands_at_head", hands_at_head)
