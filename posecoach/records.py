"""Plain data passed between the pipeline's stages.

Units: seconds for time, degrees for angles, metres for world landmarks, normalised image coordinates
(x in 0..1 of the width, y in 0..1 of the height, y down) for image landmarks.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.floating]
Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")

#: Columns of an image landmark array (33, 5).
X, Y, Z, VISIBILITY, PRESENCE = range(5)


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded picture: `image` is (height, width, 3) uint8 BGR; `t` is its time in seconds."""

    index: int
    t: float
    image: npt.NDArray[np.uint8]

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.image.shape[1]), int(self.image.shape[0])


@dataclass(frozen=True, slots=True)
class Pose:
    """One person's landmarks in one frame.

    image: (33, 5) float32 — x, y normalised, z (relative depth, hip-centred), visibility, presence.
    world: (33, 3) float32 — metres, origin between the hips, y down.
    """

    image: FloatArray
    world: FloatArray

    def __post_init__(self) -> None:
        if self.image.shape != (33, 5) or self.world.shape != (33, 3):
            raise ValueError(f"pose arrays must be (33, 5) and (33, 3), got {self.image.shape} and {self.world.shape}")


@dataclass(frozen=True, slots=True)
class Observation:
    """What the pose stage knows of one frame: its time, size, the person (or None) and the picture if kept."""

    index: int
    t: float
    size: tuple[int, int]
    pose: Pose | None
    image: npt.NDArray[np.uint8] | None = None
    #: How many people the model found (the followed one included).
    people: int = 0
    #: Mean grey level of the picture, 0..255 (NaN when unknown).
    brightness: float = float("nan")
    #: Mean grey level inside the box around the person, 0..255 (NaN when nobody was found or unknown).
    person_brightness: float = float("nan")

    @property
    def aspect(self) -> float:
        """Width over height: the factor that makes normalised x and y the same unit."""
        return self.size[0] / self.size[1]

    @property
    def light(self) -> float:
        """The light the coach judges: on the person when that is known, else the whole picture's (a lit
        person in front of a dark wall is well lit)."""
        return self.brightness if math.isnan(self.person_brightness) else self.person_brightness


class Status(str, enum.Enum):
    OK = "ok"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Severity(str, enum.Enum):
    FAULT = "fault"
    HINT = "hint"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A check's state in one frame after hysteresis; `cue` says what to do when it is not ok."""

    id: str
    status: Status
    value: float
    cue: str | None
    severity: Severity
    #: True once the failure has lasted the check's minimum duration (what gets reported as a fault).
    reported: bool = False
    #: When the current failure began (seconds), None while not failing.
    since: float | None = None
    #: For a failure found after the fact (a rep's top judged as the rep ends): when it ended.
    until: float | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The rules' reading of one frame."""

    t: float
    pose_found: bool
    #: The anatomical side bound to the exercise's primary role (the front leg, the working arm), if any.
    side: Side | None
    in_position: bool
    measures: Mapping[str, float]
    checks: tuple[CheckResult, ...]
    #: Landmark indices bound to each role-qualified point the overlay may draw ("front.knee" -> 25).
    points: Mapping[str, int] = field(default_factory=dict)
    #: What is wrong with the set-up (one person, whole body in view, the right view, light), as a cue.
    setup: str | None = None
    #: Whether the set-up has been confirmed so that form is judged (see `coach.setup.SETUP_ENTER`).
    ready: bool = False
    #: Reps only: whether the repetition is at its top (see `rules.reps.RepPhase`).
    at_top: bool = False
    #: Seconds the pose has been right frame by frame, before any debounce: set up, in position, still and
    #: inside every fault check's band, without a break (0 when it is not, or when it is for the other side
    #: than `side`). Holds only; the coach credits it when the gates confirm the hold late.
    held_for: float = 0.0

    def check(self, check_id: str) -> CheckResult | None:
        for result in self.checks:
            if result.id == check_id:
                return result
        return None


class Phase(str, enum.Enum):
    SETUP = "setup"          # waiting for a person, the whole body in view, the right view
    POSITION = "position"    # someone is there but not (yet) in the exercise position
    ACTIVE = "active"        # holding or repeating
    SWITCH = "switch"        # one side done, waiting for the other
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Event:
    """Something a UI may announce: started, hold_started, cue, tick, rep, side_done, exercise_done, fault."""

    t: float
    kind: str
    side: Side | None = None
    text: str = ""
    check: str | None = None


@dataclass(frozen=True, slots=True)
class SideProgress:
    good_form_seconds: float
    target_seconds: float
    reps: int
    target_reps: int
    completed: bool


@dataclass(frozen=True, slots=True)
class CoachState:
    """The coach after one frame: what to show and say."""

    t: float
    phase: Phase
    side: Side | None
    #: The one cue to show now (most important first), or None when all is well.
    cue: str | None
    progress: Mapping[Side | None, SideProgress]
    events: tuple[Event, ...] = ()
    #: True while the hold timer is counting (good form, in position).
    counting: bool = False
