"""Set-up guidance before an exercise starts: one person, whole body in the picture, the right view, light."""

from __future__ import annotations

import math

import numpy as np

from posecoach.landmarks import INDEX, PAIR_INDEX
from posecoach.records import PRESENCE, VISIBILITY, X, Y, Observation

#: The landmarks that must be in the picture for any exercise.
BODY = tuple(INDEX[n] for n in ("nose",)) + tuple(
    i for part in ("shoulder", "hip", "knee", "ankle") for i in PAIR_INDEX[part]
)
#: Shoulder width over torso length (image plane) below which a person counts as side-on.
SIDE_ON_BELOW = 0.55
#: ... and above which they count as facing the camera.
FRONT_ON_ABOVE = 0.45
EDGE = 0.01
DARK_BELOW = 40.0


def shoulder_ratio(image: np.ndarray, aspect: float) -> float:
    """Apparent shoulder width over torso length: about 0 side-on, about 0.7 facing the camera."""
    ls, rs = PAIR_INDEX["shoulder"]
    lh, rh = PAIR_INDEX["hip"]
    width = math.hypot((image[ls, X] - image[rs, X]) * aspect, image[ls, Y] - image[rs, Y])
    mid_s = ((image[ls, X] + image[rs, X]) / 2 * aspect, (image[ls, Y] + image[rs, Y]) / 2)
    mid_h = ((image[lh, X] + image[rh, X]) / 2 * aspect, (image[lh, Y] + image[rh, Y]) / 2)
    torso = math.hypot(mid_s[0] - mid_h[0], mid_s[1] - mid_h[1])
    return width / torso if torso > 1e-6 else float("nan")


def setup_problem(observation: Observation, view: str, min_visibility: float) -> str | None:
    """What stops the exercise from starting, as a cue, or None when the set-up is right."""
    if not math.isnan(observation.brightness) and observation.brightness < DARK_BELOW:
        return "It's too dark for me to see you: turn on a light or face a window"
    pose = observation.pose
    if pose is None:
        return "Step into the picture so I can see you"
    if observation.people > 1:
        return "I can see more than one person: make sure only you are in the picture"
    image = pose.image
    body = image[list(BODY)]
    seen = np.minimum(body[:, VISIBILITY], body[:, PRESENCE]) >= min_visibility * 0.6
    inside = (body[:, X] > EDGE) & (body[:, X] < 1 - EDGE) & (body[:, Y] > EDGE) & (body[:, Y] < 1 - EDGE)
    if not np.all(inside & seen):
        feet = [PAIR_INDEX["ankle"][0], PAIR_INDEX["ankle"][1]]
        feet_out = not np.all(
            (image[feet, Y] < 1 - EDGE) & (np.minimum(image[feet, VISIBILITY], image[feet, PRESENCE]) >= min_visibility * 0.6)
        )
        return "Step back so I can see your feet" if feet_out else "Step back so I can see your whole body"
    ratio = shoulder_ratio(image, observation.aspect)
    if view == "side" and ratio > SIDE_ON_BELOW:
        return "Turn side-on to the camera"
    if view == "front" and ratio < FRONT_ON_ABOVE:
        return "Face the camera"
    return None
