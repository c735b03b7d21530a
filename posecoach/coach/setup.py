"""Set-up guidance before an exercise starts: one person, whole body in the picture, the right view, light.

Two kinds of problem. Some make every angle meaningless (too dark, nobody, a crowd, the wrong view): they
stop judging at once and, when they last, send the person back to set-up. A limb out of the picture only
makes its own checks unknown: it never stops the exercise (in a tight frame a bird-dog's reaching hand
leaves the picture on every repetition), and the coach asks the person to step back when it has nothing
more important to say.

`setup_problems` is vectorised over frames (a cached track gets every frame's problem in one pass);
`ViewGate` carries what the view needs of time, and the rule engine debounces readiness (`SETUP_ENTER`,
`SETUP_LEAVE`).
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from posecoach.landmarks import INDEX, PAIR_INDEX
from posecoach.records import PRESENCE, VISIBILITY, Y
from posecoach.rules.body import EDGE, in_picture
from posecoach.specs.schema import SideOn

#: The landmarks that must be in the picture for any exercise.
BODY = np.array(
    [INDEX["nose"]] + [i for part in ("shoulder", "hip", "knee", "ankle") for i in PAIR_INDEX[part]]
)
FEET = np.array(PAIR_INDEX["ankle"])
#: Set-up needs less certainty than a check: a far-side limb is partly hidden in a side view.
SEEN_SHARE = 0.6

# --- the view (how far round a side view may turn is the exercise's: `specs.schema.SideOn`) ------------
#: Shoulder width over torso length in the picture below which a person does not face the camera
#: (0.80-0.82 front-on on the mannequin clips).
FRONT_ON_ABOVE = 0.45
#: Over this window (seconds) of frame time the view is judged by its median: one frame's estimate jitters
#: and a cut in a video changes it at once, and neither should flicker the verdict.
VIEW_WINDOW = 1.0
#: Back on the right side of a cut-off by this much before the view counts as right again.
VIEW_RATIO_HYSTERESIS = 0.04
VIEW_YAW_HYSTERESIS = 5.0

#: The light on the person (mean grey level 0-255 on their body, see `pose.light`; the whole picture's when
#: nobody is found) below which they are too dark to judge. A lit person in front of a black wall is not
#: dark: the picture's mean there was 23-27. On the real-footage tracks, whose light is the mean inside the
#: box around the person (lower than on the body when the background is darker), people in ordinary light
#: read 41 and up (a trainer in dark clothes; 58 at home in the evening), fades and end cards 10-28.
DARK_BELOW = 30.0

DARK = "It's too dark for me to see you: turn on a light or face a window"
NOBODY = "Step into the picture so I can see you"
CROWD = "I can see more than one person: make sure only you are in the picture"
FEET_OUT = "Step back so I can see your feet"
BODY_OUT = "Step back so I can see your whole body"
TURN_SIDE = "Turn side-on to the camera"
TURN_FRONT = "Face the camera"
#: Problems under which no angle is judged at all; a limb out of view only makes its own checks unknown.
BLOCKS_JUDGING = frozenset({DARK, NOBODY, CROWD, TURN_SIDE, TURN_FRONT})
#: How long the set-up must be free of problems that block judging before judging starts, and have one before
#: the coach returns to set-up (a passer-by for a moment does not undo a hold; the checks pause meanwhile).
SETUP_ENTER, SETUP_LEAVE = 1.0, 2.0


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


def shoulder_yaw(world: np.ndarray) -> np.ndarray:
    """(T,) degrees between the world shoulder line and the camera's depth axis: 0 side-on, 90 facing the
    camera (or away). world: (T, 33, 3) MediaPipe world landmarks, x right and z away from the camera."""
    ls, rs = PAIR_INDEX["shoulder"]
    line = world[:, ls] - world[:, rs]
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arctan2(np.abs(line[:, 0]), np.abs(line[:, 2])))


def setup_problems(
    image: np.ndarray,
    found: np.ndarray,
    people: np.ndarray,
    light: np.ndarray,
    min_visibility: float,
) -> list[str | None]:
    """Per frame, what stops the exercise from starting (as a cue), or None; the view is judged over time
    by `ViewGate`.

    image: (T, 33, 5); found, people, light (grey level on the person): (T,). The first problem in this
    order is reported: light, nobody, several people, feet or body out of the picture.
    """
    floor = min_visibility * SEEN_SHARE
    with np.errstate(invalid="ignore"):
        body = image[:, BODY]
        seen = np.minimum(body[..., VISIBILITY], body[..., PRESENCE]) >= floor
        body_ok = np.all(seen & in_picture(body), axis=-1)
        feet = image[:, FEET]
        feet_ok = np.all((feet[..., Y] < 1 - EDGE) & (np.minimum(feet[..., VISIBILITY], feet[..., PRESENCE]) >= floor), axis=-1)
        dark = light < DARK_BELOW
    problems = np.full(len(found), None, dtype=object)
    # Assign from the least to the most important so the most important wins.
    problems[~body_ok] = BODY_OUT
    problems[~body_ok & ~feet_ok] = FEET_OUT
    problems[people > 1] = CROWD
    problems[~found] = NOBODY
    problems[dark] = DARK
    return problems.tolist()


def _median(values: list[float]) -> float:
    """The median of a second's worth of estimates (plain Python: numpy's overhead would dominate)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class ViewGate:
    """Whether the camera sees the person from the view the exercise needs, judged on the median of the last
    second's estimates with hysteresis. One verb: `update(t, ratio, yaw) -> bool` (True: the wrong view).

    A side view is wrong when either the picture's shoulder width or the world shoulder line says the body
    is turned; a front view when the shoulders look narrow. Frames without an estimate (NaN) leave the
    verdict as it was.
    """

    def __init__(self, view: str, side_on: SideOn, window: float = VIEW_WINDOW) -> None:
        self._view = view
        self._side_on = side_on
        self._window = window
        self._history: deque[tuple[float, float, float]] = deque()
        self._wrong = False

    def update(self, t: float, ratio: float, yaw: float) -> bool:
        if self._view not in ("side", "front"):
            return False
        history = self._history
        if not math.isnan(ratio):
            history.append((t, ratio, yaw))
        while history and history[0][0] < t - self._window:
            history.popleft()
        if not history:
            return self._wrong
        ratio_now = _median([r for _, r, _ in history])
        yaws = [y for _, _, y in history if not math.isnan(y)]
        yaw_now = _median(yaws) if yaws else float("nan")
        if self._view == "side":
            ratio_edge = self._side_on.shoulder_ratio - (VIEW_RATIO_HYSTERESIS if self._wrong else 0.0)
            yaw_edge = self._side_on.shoulder_yaw - (VIEW_YAW_HYSTERESIS if self._wrong else 0.0)
            self._wrong = bool(ratio_now > ratio_edge or yaw_now > yaw_edge)
        else:
            ratio_edge = FRONT_ON_ABOVE + (VIEW_RATIO_HYSTERESIS if self._wrong else 0.0)
            self._wrong = ratio_now < ratio_edge
        return self._wrong
