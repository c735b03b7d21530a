"""The shape of an exercise spec, as frozen pydantic models (validation) that the engine reads as data.

A spec speaks of body points as `<prefix>.<part>`: the prefix is one of the exercise's side roles
("front", "back", "working", ...) bound to left or right per frame, or "left", "right" or "mid"
(the midpoint of both sides); the part is a paired landmark ("knee", "hip", "foot_index", ...).
"nose" stands alone.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Name = Annotated[str, Field(pattern=NAME_PATTERN)]
Text = Annotated[str, Field(min_length=1)]
# Numbers and switches are strict: a quoted "15" in a spec is a mistake to point out, not a number to guess.
Number = Annotated[float, Field(strict=True)]
PositiveFloat = Annotated[float, Field(gt=0, strict=True)]
NonNegativeFloat = Annotated[float, Field(ge=0, strict=True)]
Flag = Annotated[bool, Field(strict=True)]


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


#: How many points each measure kind takes, and what they mean.
POINTS_PER_KIND: dict[str, int] = {
    "angle": 3,        # joint angle at the middle point, 0..180 (180 = straight)
    "bend": 3,         # 180 - angle: how far the chain a-b-c bends away from straight
    "segments": 4,     # angle between the segments first->second and third->fourth, 0..180 (0 = parallel)
    "inclination": 2,  # the segment first->second from vertical (0 = pointing up) or its elevation above horizontal
    "distance": 2,     # length between two points, divided by the scale segment
    "height": 2,       # how far the first point is above the second, divided by the scale segment
    "line_offset": 3,  # signed distance of the first point from the line through the other two (+ = above)
    "rule": -1,        # computed by a registered rule module; its points (any number) gate visibility
}

#: Kinds whose value is an angle in degrees, and of those the ones between two body segments.
ANGLE_KINDS: tuple[str, ...] = ("angle", "bend", "segments", "inclination")
JOINT_KINDS: tuple[str, ...] = ("angle", "bend", "segments")


class Condition(Strict):
    measure: Name
    min: Number | None = None
    max: Number | None = None

    @model_validator(mode="after")
    def _has_bound(self) -> Condition:
        if self.min is None and self.max is None:
            raise ValueError("a condition needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class Measure(Strict):
    name: Name
    kind: Literal["angle", "bend", "segments", "inclination", "distance", "height", "line_offset", "rule"]
    points: tuple[str, ...] = ()
    describe: Text
    #: inclination only: measured from "vertical" (0..180, or signed with `toward`) or "horizontal" (-90..90).
    reference: Literal["vertical", "horizontal"] | None = None
    #: inclination from vertical only: a point that makes the angle positive when the segment leans toward it.
    toward: str | None = None
    #: distance / height / line_offset: two points whose distance divides the value (body-size normalisation).
    scale: tuple[str, str] | None = None
    #: height only: report the size of the difference, not its sign.
    absolute: Flag = False
    #: rule only: the registered rule function's name.
    rule: str | None = None
    #: "image": aspect-corrected image plane (side views); "world": MediaPipe's 3D world landmarks.
    space: Literal["image", "world"] = "image"
    #: The measure is known only while these conditions on other measures hold (unknown otherwise, and
    #: when they cannot be told): a pose in which the model is known to misplace the points it reads.
    only_when: tuple[Condition, ...] = ()
    #: This measure's points must be seen at least this surely (the exercise's `min_visibility` when
    #: unset): a limb reaching out of the picture is placed inside it by the model, but less surely.
    min_visibility: Annotated[float, Field(ge=0, le=1, strict=True)] | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> Measure:
        wanted = POINTS_PER_KIND[self.kind]
        if wanted >= 0 and len(self.points) != wanted:
            raise ValueError(f"points: {self.kind} takes {wanted} points, got {len(self.points)}")
        if self.kind == "inclination" and self.reference is None:
            raise ValueError('reference: required for an inclination ("vertical" or "horizontal")')
        if self.toward is not None and not (self.kind == "inclination" and self.reference == "vertical"):
            raise ValueError("toward: only an inclination from vertical can be signed toward a point")
        if self.kind in ("distance", "height", "line_offset") and self.scale is None:
            raise ValueError("scale: required for a distance, height or line offset (two points, e.g. a thigh)")
        if self.kind == "rule" and not self.rule:
            raise ValueError("rule: required for a rule measure (a registered rule name)")
        if self.kind != "rule" and self.rule is not None:
            raise ValueError('rule: only a measure of kind "rule" names a rule')
        return self


class Check(Strict):
    id: Id
    measure: Name
    describe: Text
    target: Number | None = None
    tolerance: PositiveFloat | None = None
    min: Number | None = None
    max: Number | None = None
    #: What to say when the value is below the allowed band, and above it.
    cue_low: Text | None = None
    cue_high: Text | None = None
    severity: Literal["fault", "hint"] = "fault"
    #: How long a failure must last before it is reported (seconds).
    min_seconds: NonNegativeFloat = 0.5
    #: How far back inside the band a failing value must come before the check is ok again (measure units).
    hysteresis: NonNegativeFloat = 0.0
    #: "always"; "top": only while a rep is at its top (reps mode); "peak": once per rep, on the best value
    #: the measure reached at the top (nearest the band), judged as the rep ends. "peak" suits how high a rep
    #: got: people pause part of the way up, and a pause on the way to a full top is not a low top.
    when: Literal["always", "top", "peak"] = "always"

    @model_validator(mode="after")
    def _band(self) -> Check:
        targeted = self.target is not None or self.tolerance is not None
        ranged = self.min is not None or self.max is not None
        if targeted and ranged:
            raise ValueError("give either target and tolerance, or min and/or max, not both")
        if targeted and (self.target is None or self.tolerance is None):
            raise ValueError("target and tolerance go together")
        if not targeted and not ranged:
            raise ValueError("needs target and tolerance, or min and/or max")
        low, high = self.band
        if low > high:
            raise ValueError(f"min {low} is above max {high}")
        if low != float("-inf") and self.cue_low is None:
            raise ValueError("cue_low: required, since the value can fail low")
        if high != float("inf") and self.cue_high is None:
            raise ValueError("cue_high: required, since the value can fail high")
        return self

    @property
    def band(self) -> tuple[float, float]:
        """The allowed (low, high) values; an open side is infinite."""
        if self.target is not None and self.tolerance is not None:
            return self.target - self.tolerance, self.target + self.tolerance
        return (
            self.min if self.min is not None else float("-inf"),
            self.max if self.max is not None else float("inf"),
        )


class Sides(Strict):
    #: Two roles; the first is the one a report's `side` names (the front leg, the working arm).
    roles: tuple[Name, Name]
    #: How the first role is told apart: its `part` is higher / lower in the picture, or further
    #: forward / backward in the direction the person faces.
    decide: Literal["higher", "lower", "forward", "backward"]
    part: str
    #: Optionally a second cue told the same way, whose lead is added to the first: two limbs that move
    #: together (bird-dog: the raised arm's wrist is higher and, on the other side, the raised leg's knee).
    also_decide: Literal["higher", "lower", "forward", "backward"] | None = None
    also_part: str | None = None
    #: A difference smaller than this (image heights) keeps the previous decision.
    margin: NonNegativeFloat = 0.03
    #: How long a new side must persist before it is taken (seconds); longer while in position.
    settle_seconds: NonNegativeFloat = 0.5


class HoldMode(Strict):
    kind: Literal["hold"]
    target_seconds: PositiveFloat
    sides: Flag
    #: A lapse in form shorter than this pauses the timer without a cue.
    grace_seconds: NonNegativeFloat = 0.5


class RepsMode(Strict):
    kind: Literal["reps"]
    target_reps: Annotated[int, Field(ge=1, strict=True)]
    sides: Flag
    #: The measure whose value drives the rep phases.
    driver: Name
    #: The driver is at the top of a rep beyond `top`, and back at the bottom beyond `bottom`.
    top: Number
    bottom: Number
    #: `top` and `bottom` are how far the driver has moved from where the person rests (its lowest value at
    #: the bottom over the last `rest_seconds`; its highest for a falling driver), not values of their own:
    #: people rest at different heights (a head on the hands, a pillow, a tilted camera), and a repetition
    #: is a movement away from rest.
    relative: Flag = False
    rest_seconds: PositiveFloat = 4.0
    #: How long the top must be held for the rep to count (seconds).
    top_hold_seconds: NonNegativeFloat = 0.0
    #: A phase shorter than this is noise, not movement (seconds).
    min_phase_seconds: NonNegativeFloat = 0.15
    #: Reps switch side every time (bird-dog) rather than all reps on one side, then the other.
    alternate: Flag = False

    @model_validator(mode="after")
    def _apart(self) -> RepsMode:
        if self.top == self.bottom:
            raise ValueError("top and bottom must differ")
        if self.relative and not (0 < self.bottom < self.top or self.top < self.bottom < 0):
            raise ValueError("relative top and bottom are moves away from rest: 0 < bottom < top (a rising "
                             "driver) or top < bottom < 0 (a falling one)")
        return self


class Position(Strict):
    """When the person counts as being in the exercise position (all conditions hold)."""

    requires: tuple[Condition, ...] = Field(min_length=1)
    cue: Text
    #: How long the conditions must hold before the position counts, and fail before it is lost.
    enter_seconds: NonNegativeFloat = 0.3
    leave_seconds: NonNegativeFloat = 0.5
    #: Form is judged only while still: no angle the checks read (nor a rep's driver) changing faster than
    #: this many degrees per second. Moving into, out of or through a position is not a fault.
    max_speed: PositiveFloat = 20.0
    #: Further angle measures that must be still for form to be judged, besides those the checks read: a
    #: joint that moves first when the person starts to leave the position.
    watch: tuple[Name, ...] = ()


class SideOn(Strict):
    """How far from side-on the camera may be before the coach asks the person to turn instead of judging.

    Two readings of the view, either of which may say the body is turned: the picture's shoulder width over
    the torso's length, and the angle between MediaPipe's world shoulder line and the camera's depth axis (0
    side-on, 90 facing the camera). The defaults suit joint angles such as a knee bent to 90 degrees: on the
    mannequin at 30 degrees off side-on the projected knee is already 15 degrees off (more than a check's
    tolerance), and there the readings are 0.42-0.44 and 24-27 against 0.06-0.34 and 0.5-17 side-on. The
    picture alone misses real obliques (real people at 45 degrees read a width of 0.17-0.35), which the world
    line catches; 5th-95th percentiles of the real side views (the real-footage tracks) reach 24, so 30 keeps
    6 degrees from the noisiest. An exercise whose measures hold up further round can allow more.
    """

    shoulder_ratio: PositiveFloat = 0.38
    shoulder_yaw: Annotated[float, Field(gt=0, lt=90, strict=True)] = 30.0


class Exercise(Strict):
    id: Id
    name: Text
    summary: Text
    view: Literal["side", "front", "any"]
    #: For a side view: how far round the person may be turned (see `SideOn`).
    side_on: SideOn = SideOn()
    setup: Text
    steps: tuple[Text, ...] = Field(min_length=1)
    safety: tuple[Text, ...] = Field(min_length=1)
    easier: Id | None = None
    #: Landmarks MediaPipe is less sure of than this are treated as unseen.
    min_visibility: Annotated[float, Field(ge=0, le=1, strict=True)] = 0.5
    mode: HoldMode | RepsMode = Field(discriminator="kind")
    sides: Sides | None = None
    position: Position
    measures: tuple[Measure, ...] = Field(min_length=1)
    checks: tuple[Check, ...] = Field(min_length=1)
    #: The measure the overlay draws as an arc at its joint (an angle measure).
    key_angle: Name | None = None

    def measure(self, name: str) -> Measure:
        for measure in self.measures:
            if measure.name == name:
                return measure
        raise KeyError(name)

    @property
    def has_sides(self) -> bool:
        return self.mode.sides

    @property
    def target_seconds(self) -> float:
        return self.mode.target_seconds if isinstance(self.mode, HoldMode) else 0.0

    @property
    def held(self) -> bool:
        """Whether the exercise is a hold (its target is seconds), not repetitions."""
        return isinstance(self.mode, HoldMode)

    def with_hold(self, seconds: float) -> Exercise:
        """The same exercise held for `seconds` a side instead of the spec's target (a hold you choose)."""
        if not isinstance(self.mode, HoldMode):
            raise ValueError(f"{self.id} counts repetitions; only a held exercise takes a hold time")
        if not seconds > 0:
            raise ValueError(f"a hold must last a positive number of seconds, got {seconds}")
        return self.model_copy(update={"mode": self.mode.model_copy(update={"target_seconds": float(seconds)})})

    @property
    def target_reps(self) -> int:
        return self.mode.target_reps if isinstance(self.mode, RepsMode) else 0
