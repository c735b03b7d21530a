"""The sample catalogue covers every exercise and fault, and solved poses meet their targets."""

from __future__ import annotations

import re

from posecoach.synth.angles import lunge_angles
from posecoach.synth.catalogue import CLIPS, select
from posecoach.synth.exercises import BUILDERS
from posecoach.synth.exercises.common import Person
from posecoach.synth.exercises.lunges import kneeling

FAULTS = {
    "kneeling-hip-flexor": {"front-knee", "torso-upright"}, "couch-stretch": {"torso-upright"},
    "standing-hip-flexor": {"back-leg-straight"}, "piriformis-stretch": {"ankle-on-knee"},
    "plank": {"hips-level"}, "glute-bridge": {"hips-high"},
    "bird-dog": {"arm-extended", "leg-extended", "hips-level"}, "crunch": {"neck-neutral"},
}


def test_names_are_unique_and_well_formed() -> None:
    names = [c.name for c in CLIPS]
    assert len(set(names)) == len(names)
    for c in CLIPS:
        assert re.fullmatch(r"[a-z-]+_[a-z-]+_(side|oblique30|oblique45|front)(_black-backdrop)?", c.name)


def test_every_exercise_has_good_form_and_every_fault() -> None:
    assert set(BUILDERS) == set(FAULTS)
    for exercise, faults in FAULTS.items():
        clips = [c for c in CLIPS if c.exercise == exercise]
        assert any(c.variant == "good" and c.view == "side" for c in clips)
        assert faults == {f for c in clips for f in c.faults}
    assert {c.view for c in CLIPS if c.exercise == "kneeling-hip-flexor"} >= {"oblique30", "oblique45", "front"}
    assert {c.facing for c in CLIPS} == {"left", "right"}


def test_select_by_exercise_or_name() -> None:
    assert {c.exercise for c in select(["plank"])} == {"plank"}
    assert [c.name for c in select(["crunch_good_side.mp4"])] == ["crunch_good_side"]


def test_kneeling_pose_meets_its_targets(person: Person) -> None:
    pose = kneeling(person, "left", front_knee=90.0, lean=8.0)
    angles = lunge_angles(person.joints(pose), "left")
    assert abs(angles["front_knee"] - 90.0) < 0.5
    assert abs(angles["torso_lean"] - 8.0) < 0.5
    # Front shoe and back knee both rest on the floor.
    assert abs(person.gap(pose, ["l_shoe"], ["r_shank"])) < 0.005
