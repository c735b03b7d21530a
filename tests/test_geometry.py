"""Tests for posecoach.geometry."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from posecoach import geometry as g

PROPERTY = settings(max_examples=200, deadline=None)

coord = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_infinity=False)
point2 = st.tuples(coord, coord).map(np.array)
aspects = st.floats(min_value=0.3, max_value=3.0)
MIN_SEGMENT = 1e-2


def _rotate(points: np.ndarray, theta: float) -> np.ndarray:
    c, s = math.cos(theta), math.sin(theta)
    return points @ np.array([[c, s], [-s, c]])


def _triangle_ok(a: np.ndarray, b: np.ndarray, c: np.ndarray, aspect: float) -> bool:
    scale = np.array([aspect, 1.0])
    return bool(
        np.linalg.norm((a - b) * scale) > MIN_SEGMENT and np.linalg.norm((c - b) * scale) > MIN_SEGMENT
    )


# --- joint_angle invariances -------------------------------------------------------------------------


@PROPERTY
@given(a=point2, b=point2, c=point2, shift=point2, aspect=aspects)
def test_joint_angle_translation_invariant(a, b, c, shift, aspect):
    assume(_triangle_ok(a, b, c, aspect))
    before = g.joint_angle(a, b, c, aspect=aspect)
    after = g.joint_angle(a + shift, b + shift, c + shift, aspect=aspect)
    assert after == pytest.approx(before, abs=1e-6)


@PROPERTY
@given(a=point2, b=point2, c=point2, k=st.floats(min_value=1e-2, max_value=1e2), aspect=aspects)
def test_joint_angle_scale_invariant(a, b, c, k, aspect):
    assume(_triangle_ok(a, b, c, aspect))
    before = g.joint_angle(a, b, c, aspect=aspect)
    after = g.joint_angle(a * k, b * k, c * k, aspect=aspect)
    assert after == pytest.approx(before, abs=1e-6)


@PROPERTY
@given(
    a=point2,
    b=point2,
    c=point2,
    theta=st.floats(min_value=-math.pi, max_value=math.pi),
    aspect=aspects.filter(lambda v: abs(v - 1.0) > 0.05),
)
def test_joint_angle_rotation_invariant_in_metric_space(a, b, c, theta, aspect):
    assume(_triangle_ok(a, b, c, aspect))
    before = g.joint_angle(a, b, c, aspect=aspect)
    rotated = []
    for p in (a, b, c):
        metric = g.to_metric(p, aspect)
        turned = _rotate(metric, theta)
        rotated.append(turned / np.array([aspect, 1.0]))
    after = g.joint_angle(*rotated, aspect=aspect)
    assert after == pytest.approx(before, abs=1e-6)


@PROPERTY
@given(a=point2, b=point2, c=point2, aspect=aspects)
def test_joint_angle_range_and_symmetry(a, b, c, aspect):
    assume(_triangle_ok(a, b, c, aspect))
    angle = g.joint_angle(a, b, c, aspect=aspect)
    assert 0.0 <= angle <= 180.0
    assert g.joint_angle(c, b, a, aspect=aspect) == pytest.approx(angle, abs=1e-9)


# --- joint_angle examples ----------------------------------------------------------------------------


def test_aspect_correction_matters_for_pixel_right_angle():
    width, height = 640.0, 480.0
    pixels = {"a": (420.0, 340.0), "b": (320.0, 240.0), "c": (420.0, 140.0)}  # diagonal right angle
    norm = {k: np.array([x / width, y / height]) for k, (x, y) in pixels.items()}
    corrected = g.joint_angle(norm["a"], norm["b"], norm["c"], aspect=width / height)
    uncorrected = g.joint_angle(norm["a"], norm["b"], norm["c"], aspect=1.0)
    assert corrected == pytest.approx(90.0, abs=1e-9)
    assert abs(uncorrected - 90.0) > 10.0


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        ((1.0, 0.0), (0.0, 0.0), (0.0, 1.0), 90.0),
        ((0.0, -3.0), (0.0, 0.0), (2.0, 0.0), 90.0),
        ((-1.0, 0.0), (0.0, 0.0), (1.0, 0.0), 180.0),
        ((1.0, 1.0), (0.0, 0.0), (2.0, 2.0), 0.0),
        ((1.0, 0.0), (0.0, 0.0), (1.0, 1.0), 45.0),
        ((1.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0, 1.0), 90.0),
        ((0.0, 1.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0, -1.0), 90.0),
        ((0.0, 0.0, 1.0), (0.0, 0.0, 0.0), (0.0, 0.0, -1.0), 180.0),
        ((1.0, 1.0, 1.0), (0.0, 0.0, 0.0), (2.0, 2.0, 2.0), 0.0),
        ((1.0, 0.0, 0.0), (0.0, 0.0, 0.0), (1.0, 0.0, 1.0), 45.0),
    ],
)
def test_joint_angle_known_values(a, b, c, expected):
    assert g.joint_angle(np.array(a), np.array(b), np.array(c)) == pytest.approx(expected, abs=1e-9)


def test_joint_angle_nearly_straight_is_precise():
    # arccos(dot) would lose about half the digits here.
    tiny = 1e-7
    a, b, c = np.array([-1.0, 0.0]), np.array([0.0, 0.0]), np.array([1.0, tiny])
    assert g.joint_angle(a, b, c) == pytest.approx(180.0 - math.degrees(tiny), abs=1e-12)


def test_world_landmarks_3d_knee():
    hip, knee, ankle = np.array([0.0, -0.4, 0.0]), np.array([0.0, 0.0, -0.4]), np.array([0.0, 0.4, -0.4])
    assert g.joint_angle(hip, knee, ankle) == pytest.approx(135.0, abs=1e-9)
    assert g.inclination_from_vertical(ankle, knee) == pytest.approx(0.0, abs=1e-9)
    assert g.inclination_from_horizontal(knee, hip) == pytest.approx(45.0, abs=1e-9)


def test_returns_float64_with_batch_shape():
    out = g.joint_angle([[1, 0]], [[0, 0]], [[0, 1]])
    assert isinstance(out, np.ndarray)
    assert out.dtype == np.float64 and out.shape == (1,)
    scalar = g.joint_angle([1, 0], [0, 0], [0, 1])
    assert isinstance(scalar, np.ndarray) and scalar.shape == ()


# --- degenerate input ----------------------------------------------------------------------------------

P, Q, R = np.array([0.2, 0.3, 0.1]), np.array([0.5, 0.6, 0.0]), np.array([0.9, 0.2, -0.1])

FUNCTIONS_WITH_ARITY: list[tuple[str, Callable[..., np.ndarray], int]] = [
    ("joint_angle", g.joint_angle, 3),
    ("inclination_from_vertical", g.inclination_from_vertical, 2),
    ("signed_inclination_from_vertical", g.signed_inclination_from_vertical, 3),
    ("inclination_from_horizontal", g.inclination_from_horizontal, 2),
    ("distance", g.distance, 2),
    ("signed_distance_to_line", g.signed_distance_to_line, 3),
    ("height_above", g.height_above, 2),
]


@pytest.mark.parametrize("dims", [2, 3])
@pytest.mark.parametrize(("name", "fn", "arity"), FUNCTIONS_WITH_ARITY, ids=[f[0] for f in FUNCTIONS_WITH_ARITY])
def test_nan_anywhere_gives_nan_without_warning(name, fn, arity, dims):
    base = [P[:dims], Q[:dims], R[:dims]][:arity]
    for which in range(arity):
        for axis in range(dims):
            args = [p.copy() for p in base]
            args[which][axis] = np.nan
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                out = fn(*args, aspect=1.0)
            assert np.isnan(out), (name, which, axis)


@pytest.mark.parametrize("dims", [2, 3])
def test_coincident_points_give_nan_without_warning(dims):
    p, q = P[:dims], Q[:dims]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(g.joint_angle(q, p, p))
        assert np.isnan(g.joint_angle(p, p, q))
        assert np.isnan(g.joint_angle(p, p, p))
        assert np.isnan(g.inclination_from_vertical(p, p))
        assert np.isnan(g.inclination_from_horizontal(p, p))
        assert np.isnan(g.signed_inclination_from_vertical(p, p, q))
        assert np.isnan(g.signed_distance_to_line(q, p, p))
        assert g.distance(p, p) == 0.0


def test_infinite_coordinates_give_nan_without_warning():
    bad = np.array([np.inf, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(g.joint_angle(bad, np.zeros(2), np.array([0.0, 1.0])))
        assert np.isnan(g.inclination_from_vertical(np.zeros(2), bad))
        assert np.isnan(g.distance(np.zeros(2), bad))
        assert np.isnan(g.signed_distance_to_line(bad, np.zeros(2), np.array([1.0, 0.0])))


def test_midpoint_propagates_nan_and_averages():
    assert np.array_equal(g.midpoint(np.array([0.0, 2.0]), np.array([1.0, 4.0])), [0.5, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = g.midpoint(np.array([np.nan, 2.0]), np.array([1.0, 4.0]))
    assert np.isnan(out[0]) and out[1] == 3.0


def test_mismatched_point_dimensions_raise():
    with pytest.raises(ValueError, match="last dimension"):
        g.joint_angle(np.zeros(2), np.zeros(3), np.ones(3))


@pytest.mark.parametrize("aspect", [0.0, -1.0, math.nan, math.inf])
def test_bad_aspect_raises(aspect):
    with pytest.raises(ValueError, match="aspect"):
        g.joint_angle(np.zeros(2), np.ones(2), np.zeros(2), aspect=aspect)


def test_to_metric_scales_x_only_and_copies():
    pts = np.array([[0.5, 0.5, 0.5]], dtype=np.float64)
    out = g.to_metric(pts, 2.0)
    assert np.array_equal(out, [[1.0, 0.5, 0.5]])
    assert out.dtype == np.float64
    assert pts[0, 0] == 0.5  # input untouched


# --- vectorisation -------------------------------------------------------------------------------------


def test_batch_shape_t_matches_loop():
    rng = np.random.default_rng(0)
    a, b, c = (rng.uniform(0, 1, size=(50, 2)) for _ in range(3))
    out = g.joint_angle(a, b, c, aspect=16 / 9)
    assert out.shape == (50,)
    loop = [float(g.joint_angle(a[i], b[i], c[i], aspect=16 / 9)) for i in range(50)]
    np.testing.assert_allclose(out, loop, rtol=0, atol=1e-12)


@pytest.mark.parametrize("dims", [2, 3])
def test_batch_shape_tk_broadcasts_and_matches_loop(dims):
    rng = np.random.default_rng(1)
    t_len, k_len = 7, 5
    a = rng.uniform(0, 1, size=(t_len, 1, dims))  # one point per frame
    b = rng.uniform(0, 1, size=(1, k_len, dims))  # one point per keypoint
    c = rng.uniform(0, 1, size=(t_len, k_len, dims))
    funcs: list[Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]] = [
        lambda x, y, z: g.joint_angle(x, y, z),
        lambda x, y, z: g.signed_inclination_from_vertical(x, y, z),
        lambda x, y, z: g.signed_distance_to_line(x, y, z),
        lambda x, y, z: g.inclination_from_vertical(x, z),
        lambda x, y, z: g.inclination_from_horizontal(y, z),
        lambda x, y, z: g.distance(x, z),
        lambda x, y, z: g.height_above(y, z),
    ]
    for fn in funcs:
        out = fn(a, b, c)
        assert out.shape == (t_len, k_len)
        for i in range(t_len):
            for j in range(k_len):
                assert out[i, j] == pytest.approx(float(fn(a[i, 0], b[0, j], c[i, j])), abs=1e-12)


def test_nan_in_batch_only_poisons_its_own_entries():
    a = np.array([[1.0, 0.0], [np.nan, 0.0], [1.0, 0.0]])
    b = np.zeros((3, 2))
    c = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 0.0]])
    out = g.joint_angle(a, b, c)
    assert out[0] == pytest.approx(90.0)
    assert np.isnan(out[1]) and np.isnan(out[2])


# --- inclinations and lines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "expected"),
    [((0.0, -1.0), 0.0), ((1.0, 0.0), 90.0), ((-1.0, 0.0), 90.0), ((0.0, 1.0), 180.0), ((1.0, -1.0), 45.0)],
)
def test_inclination_from_vertical_examples(end, expected):
    assert g.inclination_from_vertical(np.zeros(2), np.array(end)) == pytest.approx(expected, abs=1e-9)


def test_inclination_from_vertical_3d_counts_depth_lean():
    assert g.inclination_from_vertical(np.zeros(3), np.array([0.0, -1.0, 1.0])) == pytest.approx(45.0)


def test_inclination_from_vertical_uses_aspect():
    # 0.1 of width vs 0.1 of height on a 16:9 frame is a lean of atan(16/9), not 45 degrees.
    out = g.inclination_from_vertical(np.zeros(2), np.array([0.1, -0.1]), aspect=16 / 9)
    assert out == pytest.approx(math.degrees(math.atan(16 / 9)))


def test_signed_inclination_sign_follows_toward():
    hip = np.array([0.5, 0.6])
    shoulder = np.array([0.55, 0.3])  # leaning to larger x
    knee_right = np.array([0.7, 0.7])
    knee_left = np.array([0.3, 0.7])
    toward = g.signed_inclination_from_vertical(hip, shoulder, knee_right, aspect=4 / 3)
    away = g.signed_inclination_from_vertical(hip, shoulder, knee_left, aspect=4 / 3)
    unsigned = g.inclination_from_vertical(hip, shoulder, aspect=4 / 3)
    assert toward > 0 and away < 0
    assert toward == pytest.approx(unsigned) and away == pytest.approx(-unsigned)


@PROPERTY
@given(start=point2, end=point2, toward=point2, aspect=aspects)
def test_signed_inclination_mirrors(start, end, toward, aspect):
    assume(np.linalg.norm((end - start) * [aspect, 1.0]) > MIN_SEGMENT)
    assume(abs(toward[0] - start[0]) > MIN_SEGMENT)
    value = g.signed_inclination_from_vertical(start, end, toward, aspect=aspect)
    mirror_toward = toward.copy()
    mirror_toward[0] = 2 * start[0] - toward[0]
    mirrored = g.signed_inclination_from_vertical(start, end, mirror_toward, aspect=aspect)
    if abs(end[0] - start[0]) > 0:
        assert mirrored == pytest.approx(-value, abs=1e-9)
    assert abs(value) == pytest.approx(g.inclination_from_vertical(start, end, aspect=aspect), abs=1e-9)


def test_signed_inclination_nan_when_toward_has_no_side():
    start, end = np.array([0.5, 0.5]), np.array([0.6, 0.2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(g.signed_inclination_from_vertical(start, end, np.array([0.5, 0.9])))
        assert np.isnan(g.signed_inclination_from_vertical(start, end, np.array([np.nan, 0.9])))


def test_signed_inclination_ignores_depth():
    start, end, toward = np.array([0.0, 0.0, 0.0]), np.array([1.0, -1.0, 5.0]), np.array([1.0, 0.0, -3.0])
    assert g.signed_inclination_from_vertical(start, end, toward) == pytest.approx(45.0)


@pytest.mark.parametrize(
    ("end", "expected"),
    [((1.0, 0.0), 0.0), ((1.0, -1.0), 45.0), ((-1.0, 1.0), -45.0), ((0.0, -2.0), 90.0), ((0.0, 2.0), -90.0)],
)
def test_inclination_from_horizontal_sign(end, expected):
    assert g.inclination_from_horizontal(np.zeros(2), np.array(end)) == pytest.approx(expected, abs=1e-9)


def test_inclination_from_horizontal_3d_uses_xz_plane():
    assert g.inclination_from_horizontal(np.zeros(3), np.array([0.0, -1.0, 1.0])) == pytest.approx(45.0)
    assert g.inclination_from_horizontal(np.zeros(3), np.array([0.0, 0.0, 1.0])) == pytest.approx(0.0)


def test_distance_uses_aspect():
    assert g.distance(np.zeros(2), np.array([0.3, 0.4])) == pytest.approx(0.5)
    assert g.distance(np.zeros(2), np.array([0.5, 0.0]), aspect=2.0) == pytest.approx(1.0)


@pytest.mark.parametrize("swap", [False, True])
def test_signed_distance_to_line_above_is_positive(swap):
    a, b = np.array([0.0, 0.5]), np.array([1.0, 0.5])
    if swap:
        a, b = b, a
    assert g.signed_distance_to_line(np.array([0.3, 0.2]), a, b) == pytest.approx(0.3)
    assert g.signed_distance_to_line(np.array([0.3, 0.9]), a, b) == pytest.approx(-0.4)
    assert g.signed_distance_to_line(np.array([7.0, 0.5]), a, b) == pytest.approx(0.0)


def test_signed_distance_to_sloped_line():
    a, b = np.array([0.0, 0.0]), np.array([1.0, 1.0])  # falls to the right in image coordinates
    above = np.array([1.0, 0.0])
    assert g.signed_distance_to_line(above, a, b) == pytest.approx(math.sqrt(0.5))
    assert g.signed_distance_to_line(above, b, a) == pytest.approx(math.sqrt(0.5))
    assert g.signed_distance_to_line(np.array([0.0, 1.0]), a, b) == pytest.approx(-math.sqrt(0.5))


@pytest.mark.parametrize("swap", [False, True])
def test_signed_distance_to_vertical_line_positive_at_larger_x(swap):
    a, b = np.array([0.5, 0.0]), np.array([0.5, 1.0])
    if swap:
        a, b = b, a
    assert g.signed_distance_to_line(np.array([0.8, 0.3]), a, b) == pytest.approx(0.3)
    assert g.signed_distance_to_line(np.array([0.1, 0.3]), a, b) == pytest.approx(-0.4)


def test_signed_distance_to_line_uses_aspect():
    a, b = np.array([0.0, 0.0]), np.array([0.0, 1.0])
    assert g.signed_distance_to_line(np.array([0.25, 0.5]), a, b, aspect=2.0) == pytest.approx(0.5)


@PROPERTY
@given(p=point2, a=point2, b=point2, aspect=aspects)
def test_signed_distance_magnitude_matches_projection(p, a, b, aspect):
    assume(np.linalg.norm((b - a) * [aspect, 1.0]) > MIN_SEGMENT)
    pm, am, bm = (g.to_metric(v, aspect) for v in (p, a, b))
    d = (bm - am) / np.linalg.norm(bm - am)
    foot = am + np.dot(pm - am, d) * d
    expected = np.linalg.norm(pm - foot)
    out = g.signed_distance_to_line(p, a, b, aspect=aspect)
    assert abs(out) == pytest.approx(expected, abs=1e-9)
    if abs(d[0]) > 1e-6 and expected > 1e-9:
        assert (out > 0) == (pm[1] < foot[1])


def test_height_above():
    assert g.height_above(np.array([0.4, 0.2]), np.array([0.9, 0.7])) == pytest.approx(0.5)
    assert g.height_above(np.array([0.4, 0.8, 0.0]), np.array([0.1, 0.7, 3.0])) == pytest.approx(-0.1)


# --- segment_angle -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [((1.0, 0.0), 0.0), ((-1.0, 0.0), 180.0), ((0.0, 1.0), 90.0), ((1.0, -1.0), 45.0)],
)
def test_segment_angle_of_known_directions(d, expected):
    a, b = np.array([0.0, 0.0]), np.array([2.0, 0.0])
    c = np.array([5.0, 5.0])
    assert g.segment_angle(a, b, c, c + np.array(d)) == pytest.approx(expected, abs=1e-9)


@PROPERTY
@given(a=point2, b=point2, c=point2, aspect=aspects)
def test_segment_angle_with_a_shared_vertex_is_the_joint_angle(a, b, c, aspect):
    assume(_triangle_ok(a, b, c, aspect))
    assert g.segment_angle(b, a, b, c, aspect=aspect) == pytest.approx(g.joint_angle(a, b, c, aspect=aspect), abs=1e-6)


@PROPERTY
@given(a=point2, b=point2, c=point2, shift=point2, aspect=aspects)
def test_segment_angle_ignores_where_the_second_segment_sits(a, b, c, shift, aspect):
    assume(_triangle_ok(a, b, c, aspect))
    before = g.segment_angle(b, a, b, c, aspect=aspect)
    assert g.segment_angle(b, a, b + shift, c + shift, aspect=aspect) == pytest.approx(before, abs=1e-6)


def test_segment_angle_is_nan_for_a_zero_length_segment_and_vectorises():
    a = np.array([[0.0, 0.0], [0.0, 0.0]])
    b = np.array([[1.0, 0.0], [0.0, 0.0]])
    c = np.zeros((2, 3))[:, :2]
    d = np.array([[0.0, 1.0], [0.0, 1.0]])
    out = g.segment_angle(a, b, c, d)
    assert out.shape == (2,)
    assert out[0] == pytest.approx(90.0)
    assert math.isnan(out[1])
