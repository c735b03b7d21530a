"""Set-up guidance before an exercise starts: one person, whole body in the picture, the right view, light.

Vectorised over frames: a cached track gets every frame's set-up problem in one pass.
"""

from __future__ import annotations

import numpy as np

from posecoach.landmarks import INDEX, PAIR_INDEX
from posecoach.records import PRESENCE, VISIBILITY, X, Y

#: The landmarks that must be in the picture for any exercise.
BODY = np.array(
    [INDEX["nose"]] + [i for part in ("shoulder", "hip", "knee", "ankle") for i in PAIR_INDEX[part]]
)
FEET = np.array(PAIR_INDEX["ankle"])
#: Shoulder width over torso length (image plane) above which a person is not side-on (about 25 degrees
#: off): at 30 degrees the projected knee angle is already 15 degrees off on the sample clips, more than
#: a check's tolerance, so the coach asks the person to turn rather than judge a distorted angle ...
SIDE_ON_BELOW = 0.38
#: ... and below which they do not face the camera.
FRONT_ON_ABOVE = 0.45
EDGE = 0.01
DARK_BELOW = 40.0
#: Set-up needs less certainty than a check: a far-side limb is partly hidden in a side view.
SEEN_SHARE = 0.6

DARK = "It's too dark for me to see you: turn on a light or face a window"
NOBODY = "Step into the picture so I can see you"
CROWD = "I can see more than one person: make sure only you are in the picture"
FEET_OUT = "Step back so I can see your feet"
BODY_OUT = "Step back so I can see your whole body"
TURN_SIDE = "Turn side-on to the camera"
TURN_FRONT = "Face the camera"
#: Problems under which no angle is judged at all; a limb out of view only makes its own checks unknown.
BLOCKS_JUDGING = frozenset({DARK, NOBODY, CROWD, TURN_SIDE, TURN_FRONT})


def shoulder_ratio(image: np.ndarray, aspect: float) -> np.ndarray:
    """(T,) apparent shoulder width over torso length: about 0 side-on, about 0.7 facing the camera.

    image: (T, 33, 5) normalised landmarks.
    """
    ls, rs = PAIR_INDEX["shoulder"]
    lh, rh = PAIR_INDEX["hip"]
    scale = np.array([aspect, 1.0])
    width = np.linalg.norm((image[:, ls, :2] - image[:, rs, :2]) * scale, axis=-1)
    mid_s = (image[:, ls, :2] + image[:, rs, :2]) / 2
    mid_h = (image[:, lh, :2] + image[:, rh, :2]) / 2
    torso = np.linalg.norm((mid_s - mid_h) * scale, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(torso > 1e-6, width / torso, np.nan)


def setup_problems(
    image: np.ndarray,
    found: np.ndarray,
    people: np.ndarray,
    brightness: np.ndarray,
    aspect: float,
    view: str,
    min_visibility: float,
) -> list[str | None]:
    """Per frame, what stops the exercise from starting (as a cue), or None when the set-up is right.

    image: (T, 33, 5); found, people, brightness: (T,). The first problem in this order is reported:
    light, nobody, several people, feet or body out of the picture, the wrong view.
    """
    floor = min_visibility * SEEN_SHARE
    with np.errstate(invalid="ignore"):
        body = image[:, BODY]
        seen = np.minimum(body[..., VISIBILITY], body[..., PRESENCE]) >= floor
        inside = (body[..., X] > EDGE) & (body[..., X] < 1 - EDGE) & (body[..., Y] > EDGE) & (body[..., Y] < 1 - EDGE)
        body_ok = np.all(seen & inside, axis=-1)
        feet = image[:, FEET]
        feet_ok = np.all((feet[..., Y] < 1 - EDGE) & (np.minimum(feet[..., VISIBILITY], feet[..., PRESENCE]) >= floor), axis=-1)
        ratio = shoulder_ratio(image, aspect)
        wrong_view = (ratio > SIDE_ON_BELOW) if view == "side" else (ratio < FRONT_ON_ABOVE) if view == "front" else np.zeros(len(found), bool)
        dark = brightness < DARK_BELOW
    problems = np.full(len(found), None, dtype=object)
    # Assign from the least to the most important so the most important wins.
    problems[wrong_view] = TURN_SIDE if view == "side" else TURN_FRONT
    problems[~body_ok] = BODY_OUT
    problems[~body_ok & ~feet_ok] = FEET_OUT
    problems[people > 1] = CROWD
    problems[~found] = NOBODY
    problems[dark] = DARK
    return problems.tolist()
