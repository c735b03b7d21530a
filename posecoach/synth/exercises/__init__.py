"""Keyframed motions of the eight exercises, each a function (person, variant, first side, sway) -> Motion."""

from __future__ import annotations

from types import MappingProxyType

from collections.abc import Callable, Mapping

from posecoach.synth.exercises import lunges, prone, supine
from posecoach.synth.exercises.common import Person
from posecoach.synth.motion import Motion, Sway
from posecoach.synth.pose import Side

MotionBuilder = Callable[[Person, str, Side, Sway], Motion]

BUILDERS: Mapping[str, MotionBuilder] = MappingProxyType({
    "couch-stretch": lunges.couch_stretch,
    "kneeling-hip-flexor": lunges.kneeling_hip_flexor,
    "standing-hip-flexor": lunges.standing_hip_flexor,
    "piriformis-stretch": supine.piriformis_stretch,
    "plank": prone.plank,
    "crunch": supine.crunch,
    "glute-bridge": supine.glute_bridge,
    "bird-dog": prone.bird_dog,
})
#: Exercises counted in repetitions (the others are timed holds).
REP_EXERCISES: frozenset[str] = frozenset({"crunch", "glute-bridge", "bird-dog"})
#: Exercises lying or on all fours: filmed from a little higher, on a mat.
FLOOR_EXERCISES: frozenset[str] = frozenset({"piriformis-stretch", "plank", "crunch", "glute-bridge", "bird-dog"})
