"""The sample clips: which exercise, form variant and view each shows, and its seed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from posecoach.synth.pose import Side

View = Literal["side", "oblique30", "oblique45", "front"]
#: Camera yaw added toward the person's front for each view, degrees.
VIEW_YAW: Mapping[str, float] = MappingProxyType(
    {"side": 0.0, "oblique30": 30.0, "oblique45": 45.0, "front": 90.0})


@dataclass(frozen=True, slots=True)
class ClipSpec:
    """One sample clip. facing: which way the person faces in a side view ("left" = toward image left).
    turn: the person turns around between sides so that the limbs naming each side (the crossed leg, the
    front leg) are nearest the camera, as the exercise's set-up advice says; facing then applies to the
    left side when "left" and to the right side when "right"."""

    exercise: str
    variant: str
    view: View
    seed: int
    facing: Literal["left", "right"]
    first: Side
    turn: bool = False
    #: "room": a lit room; "black": the person lit in front of a black backdrop (a dark picture, a lit person).
    backdrop: Literal["room", "black"] = "room"

    @property
    def name(self) -> str:
        """File stem, <exercise-id>_<variant>_<view>, with _black-backdrop for a black backdrop."""
        tail = "_black-backdrop" if self.backdrop == "black" else ""
        return f"{self.exercise}_{self.variant}_{self.view}{tail}"

    @property
    def faults(self) -> tuple[str, ...]:
        """Check ids this clip's variant exercises (plank's sag and pike are both hips-level)."""
        if self.variant == "good":
            return ()
        return ("hips-level",) if self.variant in ("hips-sag", "hips-pike") else (self.variant,)


_ROWS: tuple[tuple[str, str, View, str, Side], ...] = (
    ("couch-stretch", "good", "side", "left", "left"),
    ("couch-stretch", "torso-upright", "side", "right", "right"),
    ("kneeling-hip-flexor", "good", "side", "left", "left"),
    ("kneeling-hip-flexor", "front-knee", "side", "right", "left"),
    ("kneeling-hip-flexor", "torso-upright", "side", "left", "right"),
    ("kneeling-hip-flexor", "good", "oblique30", "right", "right"),
    ("kneeling-hip-flexor", "good", "oblique45", "left", "left"),
    ("kneeling-hip-flexor", "good", "front", "left", "right"),
    ("standing-hip-flexor", "good", "side", "right", "left"),
    ("standing-hip-flexor", "back-leg-straight", "side", "left", "right"),
    ("piriformis-stretch", "good", "side", "left", "right"),
    ("piriformis-stretch", "ankle-on-knee", "side", "right", "left"),
    ("plank", "good", "side", "right", "left"),
    ("plank", "hips-sag", "side", "left", "left"),
    ("plank", "hips-pike", "side", "right", "left"),
    ("crunch", "good", "side", "left", "left"),
    ("crunch", "neck-neutral", "side", "right", "left"),
    ("glute-bridge", "good", "side", "right", "left"),
    ("glute-bridge", "hips-high", "side", "left", "left"),
    ("bird-dog", "good", "side", "left", "left"),
    ("bird-dog", "arm-extended", "side", "right", "right"),
    ("bird-dog", "leg-extended", "side", "left", "left"),
    ("bird-dog", "hips-level", "side", "right", "right"),
)

#: Exercises filmed with the leg naming the side (the crossed leg, the front leg) toward the camera, turning
#: around between sides: with the legs close together in a side view the far leg hides behind the near one.
TURNING: frozenset[str] = frozenset({"piriformis-stretch", "standing-hip-flexor"})

CLIPS: tuple[ClipSpec, ...] = tuple(
    ClipSpec(exercise, variant, view, seed=1000 + 17 * i, facing=facing, first=first,  # type: ignore[arg-type]
             turn=exercise in TURNING)
    for i, (exercise, variant, view, facing, first) in enumerate(_ROWS)
) + (
    # A lit person in front of a black backdrop: the picture's mean is dark, the light on the person is not.
    ClipSpec("kneeling-hip-flexor", "good", "side", seed=1000 + 17 * len(_ROWS), facing="right", first="left",
             backdrop="black"),
    # The bridge 30 degrees round, where it is still judged (its spec's side_on limits), good and faulty; and
    # 45 degrees round, where it is not.
    ClipSpec("glute-bridge", "good", "oblique30", seed=1000 + 17 * (len(_ROWS) + 1), facing="left", first="left"),
    ClipSpec("glute-bridge", "hips-high", "oblique30", seed=1000 + 17 * (len(_ROWS) + 2), facing="right",
             first="left"),
    ClipSpec("glute-bridge", "good", "oblique45", seed=1000 + 17 * (len(_ROWS) + 3), facing="right", first="left"),
)


def select(only: list[str] | tuple[str, ...] | None) -> tuple[ClipSpec, ...]:
    """Clips whose name, file name or exercise is in `only` (all when None)."""
    if not only:
        return CLIPS
    wanted = {w.removesuffix(".mp4") for w in only}
    chosen = tuple(c for c in CLIPS if c.name in wanted or c.exercise in wanted)
    unknown = wanted - {c.name for c in chosen} - {c.exercise for c in chosen}
    if unknown:
        raise ValueError(f"unknown clip(s): {', '.join(sorted(unknown))}")
    return chosen
