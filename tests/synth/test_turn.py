"""Turning around between sides: the other side's keyframes are the same poses half a turn about a floor point."""

from __future__ import annotations

import numpy as np
import pytest

from posecoach.synth.exercises.common import STANDING, Person
from posecoach.synth.motion import Timeline, sample_sway, turned_for_sides


def test_the_other_sides_poses_turn_half_a_turn_about_the_centre(person: Person) -> None:
    left, right = STANDING.side("left", hip_flex=40.0), STANDING.side("right", hip_flex=40.0)
    tl = Timeline(STANDING).hold(0.5, held=False)
    tl.go(left, 1.0, "left").hold(1.0, "left")
    tl.go(STANDING, 1.0).hold(0.3, held=False)
    tl.go(right, 1.0, "right").hold(1.0, "right")
    tl.go(STANDING, 1.0).hold(0.3, held=False)
    motion = tl.build("standing-hip-flexor", sample_sway(np.random.default_rng(0), scale=0.0), mat=(-1.0, -0.5, 1.0, 0.3))
    centre = (0.2, -0.1)
    turned = turned_for_sides(motion, "left", centre)

    # The left side (nearest the camera) and what leads into it are untouched.
    for t in (0.0, 0.5, 2.0, 2.5):
        assert turned.base_pose(t) == motion.base_pose(t)
    # The right side, the neutral pose before it and the end are the same poses turned about the centre.
    for t in (4.2, 5.0, 6.0, 7.4):
        before, after = person.points(motion.base_pose(t)), person.points(turned.base_pose(t))
        for name, p in before.items():
            q = after[name]
            assert q[0] == pytest.approx(2 * centre[0] - p[0], abs=1e-6), name
            assert q[1] == pytest.approx(2 * centre[1] - p[1], abs=1e-6), name
            assert q[2] == pytest.approx(p[2], abs=1e-6), name
    assert turned.phases == motion.phases
    assert turned.mat == pytest.approx((-1.0, -0.5, 1.4, 0.3))
