"""The pinhole camera: optical axis to the image centre, rays and projection agree."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from posecoach.synth.camera import Camera


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 360), st.floats(-20, 40), st.floats(1.0, 6.0), st.floats(0.2, 2.5), st.floats(30, 80),
       st.floats(0.1, 10.0))
def test_point_on_optical_axis_projects_to_centre(yaw: float, pitch: float, dist: float, height: float,
                                                  fov: float, depth: float) -> None:
    cam = Camera(yaw, pitch, dist, height, fov, 0.3, -0.2)
    point = cam.centre + depth * cam.basis[2]
    assert np.allclose(cam.project(point[None, :]), [[320.0, 240.0]], atol=1e-6)


def test_rays_pass_through_their_pixel_centres() -> None:
    cam = Camera(25.0, 8.0, 3.0, 1.1, 50.0, 0.0, 0.0)
    rays = cam.rays()
    for (row, col) in ((0, 0), (239, 320), (479, 639), (100, 500)):
        point = cam.centre + 2.0 * rays[row, col]
        assert np.allclose(cam.project(point[None, :])[0], [col + 0.5, row + 0.5], atol=1e-6)


def test_basis_is_right_handed_and_level() -> None:
    right, down, forward = Camera(0.0, 10.0, 3.0, 1.0, 50.0, 0.0, 0.0).basis
    assert np.allclose(np.cross(right, down), forward)
    assert abs(right[2]) < 1e-12  # no roll: image x stays horizontal
    assert down[2] < 0.0
