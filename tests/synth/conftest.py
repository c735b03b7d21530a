"""Shared fixtures of the synth tests: a small person and a short motion without sway."""

from __future__ import annotations

import numpy as np
import pytest

from posecoach.synth.anthropometry import standard_body
from posecoach.synth.appearance import sample_appearance
from posecoach.synth.exercises.common import STANDING, Person
from posecoach.synth.motion import Motion, Sway, Timeline
from posecoach.synth.pose import FIELD_NAMES


def still() -> Sway:
    """No sway, so keyframed angles are exact in every frame."""
    n = len(FIELD_NAMES)
    return Sway(np.zeros(n), np.ones(n), np.zeros(n))


@pytest.fixture()
def person() -> Person:
    return Person(standard_body(1.72), sample_appearance(np.random.default_rng(7)))


@pytest.fixture()
def lunge_motion() -> Motion:
    """Standing, then a split stance with the left knee at 70 degrees of flexion held for 0.2 s."""
    lunge = STANDING.side("left", hip_flex=60.0, knee=70.0, hip_abd=0.0, hip_rot=0.0).side(
        "right", hip_flex=-25.0, knee=5.0)
    tl = Timeline(STANDING).go(lunge, 0.1, "left").hold(0.2, "left")
    return tl.build("kneeling-hip-flexor", still())
