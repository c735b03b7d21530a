"""Forward kinematics keeps segment lengths and produces the angles a motion asks for."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from posecoach.synth.angles import angle_at, lunge_angles
from posecoach.synth.anthropometry import sample_body, standard_body
from posecoach.synth.kinematics import forward_kinematics
from posecoach.synth.pose import FIELD_NAMES, Pose
from posecoach.synth.short import render_motion_clip

angles = st.floats(min_value=-170.0, max_value=170.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(angles, min_size=len(FIELD_NAMES), max_size=len(FIELD_NAMES)), st.integers(0, 1000))
def test_segment_lengths_are_preserved(values: list[float], seed: int) -> None:
    body = sample_body(np.random.default_rng(seed))
    pose = Pose.from_vector([0.0, 0.0, *values[2:]])
    p = forward_kinematics(pose, body).points
    for s in ("l_", "r_"):
        assert np.isclose(np.linalg.norm(p[s + "knee"] - p[s + "hip"]), body.thigh)
        assert np.isclose(np.linalg.norm(p[s + "ankle"] - p[s + "knee"]), body.shank)
        assert np.isclose(np.linalg.norm(p[s + "elbow"] - p[s + "shoulder"]), body.upper_arm)
        assert np.isclose(np.linalg.norm(p[s + "wrist"] - p[s + "elbow"]), body.forearm)
    assert np.isclose(np.linalg.norm(p["l_hip"] - p["r_hip"]), 2 * body.hip_half_width)
    assert np.isclose(np.linalg.norm(p["l_shoulder"] - p["r_shoulder"]), 2 * body.shoulder_half_width)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 150.0), st.floats(-30.0, 120.0), st.floats(0.0, 40.0), st.floats(-40.0, 40.0))
def test_knee_flexion_is_the_hinge_angle(knee: float, hip_flex: float, abd: float, rot: float) -> None:
    pose = Pose().side("left", knee=knee, hip_flex=hip_flex, hip_abd=abd, hip_rot=rot)
    p = forward_kinematics(pose, standard_body()).points
    assert np.isclose(angle_at(p["l_hip"], p["l_knee"], p["l_ankle"]), 180.0 - knee, atol=1e-6)


def test_standing_is_upright_and_left_is_left() -> None:
    p = forward_kinematics(Pose(), standard_body(1.80)).points
    assert p["neck_base"][2] > p["mid_hip"][2] > p["l_knee"][2] > p["l_ankle"][2]
    assert p["l_hip"][1] > p["r_hip"][1]  # +y is the person's left when facing +x
    assert np.isclose(p["neck_base"][2] - p["mid_hip"][2], standard_body(1.80).torso)


def test_motion_knee_angle_reaches_the_truth(lunge_motion) -> None:  # type: ignore[no-untyped-def]
    _, truth = render_motion_clip(lunge_motion, seed=3)
    held = [f for f in truth if f.held]
    assert held, "the motion holds the lunge"
    for f in held:
        j = dict(zip(__import__("posecoach.synth.landmarks", fromlist=["NAMES"]).NAMES, f.joints3d))
        assert abs(lunge_angles(j, "left")["front_knee"] - 110.0) < 1e-6
        assert abs(f.angles["front_knee"] - 110.0) < 1e-6
