"""Tests for posecoach.smoothing."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from posecoach.pipeline import PoseSmoother
from posecoach.records import Pose
from posecoach.smoothing import GlitchGate, OneEuroFilter, zero_phase_smooth

FPS = 30.0


def _times(n: int, fps: float = FPS) -> np.ndarray:
    return np.arange(n) / fps


def _run(filt: OneEuroFilter, t: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.stack([filt.update(ti, xi) for ti, xi in zip(t, x)])


# --- One Euro ------------------------------------------------------------------------------------------


def test_one_euro_constant_passes_unchanged():
    t = _times(90)
    frame = np.random.default_rng(0).uniform(0, 1, size=(33, 3))
    out = _run(OneEuroFilter(), t, np.broadcast_to(frame, (90, 33, 3)))
    assert out.shape == (90, 33, 3)
    np.testing.assert_allclose(out, np.broadcast_to(frame, out.shape), rtol=0, atol=1e-12)


def test_one_euro_first_output_is_input():
    x = np.array([[0.1, 0.2], [0.3, 0.4]])
    np.testing.assert_array_equal(OneEuroFilter().update(0.0, x), x)


def test_one_euro_reduces_noise_variance():
    rng = np.random.default_rng(1)
    t = _times(600)
    noisy = 0.5 + rng.normal(0, 0.01, size=(600, 4))
    out = _run(OneEuroFilter(min_cutoff=1.0, beta=0.05), t, noisy)
    assert np.var(out[30:], axis=0).max() < np.var(noisy[30:], axis=0).min() / 4


def _ramp_lag_seconds(beta: float, slope: float = 2.0) -> float:
    t = _times(300)
    x = slope * t
    out = _run(OneEuroFilter(min_cutoff=1.0, beta=beta), t, x)
    return float((x[-1] - out[-1]) / slope)


def test_one_euro_ramp_lag_is_bounded():
    lag = _ramp_lag_seconds(beta=0.0)
    # A first-order low-pass trails a ramp by its time constant 1 / (2 pi f_c).
    assert 0.0 < lag <= 1.0 / (2 * math.pi * 1.0) + 1.0 / FPS


def test_one_euro_ramp_lag_shrinks_with_beta():
    lags = [_ramp_lag_seconds(beta) for beta in (0.0, 0.1, 1.0, 10.0)]
    assert all(a > b for a, b in zip(lags, lags[1:])), lags
    assert lags[-1] < lags[0] / 5


def test_one_euro_nan_passes_through_and_restarts_cleanly():
    t = _times(60)
    rng = np.random.default_rng(2)
    x = 0.5 + rng.normal(0, 0.02, size=(60, 3))
    x[20:25, 1] = np.nan
    x[40, :] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = _run(OneEuroFilter(), t, x)
    np.testing.assert_array_equal(np.isnan(out), np.isnan(x))
    # On reappearance the element starts from its raw value, not from stale state.
    assert out[25, 1] == x[25, 1]
    assert np.array_equal(out[41], x[41])
    # Gaps in one element leave the others untouched.
    alone = _run(OneEuroFilter(), t[:40], x[:40, [0, 2]])
    np.testing.assert_array_equal(out[:40, [0, 2]], alone)


def test_one_euro_infinite_input_is_treated_as_missing():
    filt = OneEuroFilter()
    filt.update(0.0, np.array([1.0, 1.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = filt.update(1 / FPS, np.array([np.inf, 1.0]))
    assert np.isnan(out[0]) and out[1] == pytest.approx(1.0)


@pytest.mark.parametrize("t_next", [0.5, 0.4])
def test_one_euro_non_increasing_time_does_not_divide_by_zero(t_next):
    filt = OneEuroFilter(beta=1.0)
    filt.update(0.0, np.array([0.0]))
    filt.update(0.5, np.array([1.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = filt.update(t_next, np.array([5.0]))
    assert np.all(np.isfinite(out))
    # A near-zero interval barely moves the estimate instead of jumping to the new sample.
    assert out[0] < 2.0
    later = filt.update(0.5 + 1 / FPS, np.array([5.0]))
    assert np.all(np.isfinite(later))


def test_one_euro_reset_forgets_state_and_shape():
    filt = OneEuroFilter()
    filt.update(0.0, np.zeros(3))
    filt.update(0.1, np.ones(3))
    with pytest.raises(ValueError, match="shape"):
        filt.update(0.2, np.zeros(4))
    filt.reset()
    x = np.full((2, 2), 7.0)
    np.testing.assert_array_equal(filt.update(0.0, x), x)


def test_one_euro_output_is_not_internal_state():
    filt = OneEuroFilter()
    out = filt.update(0.0, np.zeros(2))
    out[:] = 99.0
    assert np.array_equal(filt.update(1 / FPS, np.zeros(2)), np.zeros(2))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"min_cutoff": 0.0}, "min_cutoff"),
        ({"min_cutoff": -1.0}, "min_cutoff"),
        ({"min_cutoff": math.nan}, "min_cutoff"),
        ({"beta": -0.1}, "beta"),
        ({"beta": math.inf}, "beta"),
        ({"d_cutoff": 0.0}, "d_cutoff"),
        ({"d_cutoff": "1"}, "d_cutoff"),
    ],
)
def test_one_euro_validates_parameters(kwargs, name):
    with pytest.raises(ValueError, match=name) as err:
        OneEuroFilter(**kwargs)
    assert repr(next(iter(kwargs.values()))) in str(err.value)
    assert ">" in str(err.value)


def test_one_euro_accepts_zero_beta():
    assert OneEuroFilter(beta=0).beta == 0.0


def test_one_euro_rejects_non_finite_time():
    with pytest.raises(ValueError, match="t must"):
        OneEuroFilter().update(math.nan, np.zeros(2))


def test_one_euro_is_deterministic():
    rng = np.random.default_rng(3)
    t = _times(100)
    x = rng.normal(size=(100, 33, 3))
    np.testing.assert_array_equal(_run(OneEuroFilter(), t, x), _run(OneEuroFilter(), t, x))


# --- zero-phase ----------------------------------------------------------------------------------------


def test_zero_phase_constant_passes_unchanged():
    rng = np.random.default_rng(4)
    t = np.cumsum(rng.uniform(0.02, 0.05, size=200))  # uneven frame intervals
    x = np.broadcast_to(rng.uniform(size=(33, 3)), (200, 33, 3))
    out = zero_phase_smooth(t, x, cutoff_hz=2.0)
    assert out.shape == x.shape and out.dtype == np.float64
    np.testing.assert_allclose(out, x, rtol=0, atol=1e-12)


def test_zero_phase_reduces_noise_variance():
    rng = np.random.default_rng(5)
    noisy = 0.5 + rng.normal(0, 0.01, size=(600, 4))
    out = zero_phase_smooth(_times(600), noisy, cutoff_hz=2.0)
    assert np.var(out, axis=0).max() < np.var(noisy, axis=0).min() / 4


def test_zero_phase_gain_at_cutoff_is_minus_3_db():
    t = _times(900)
    cutoff = 1.5
    out = zero_phase_smooth(t, np.sin(2 * math.pi * cutoff * t), cutoff_hz=cutoff)
    amplitude = np.abs(out[100:-100]).max()
    assert amplitude == pytest.approx(1 / math.sqrt(2), rel=0.02)


def test_zero_phase_keeps_sine_peak_while_one_euro_lags():
    t = _times(300)
    freq = 0.5
    x = np.sin(2 * math.pi * freq * t)  # peaks at t = 0.5, 2.5, 4.5, ...
    window = (t > 2.0) & (t < 3.5)
    true_peak = int(np.argmax(np.where(window, x, -np.inf)))

    smooth = zero_phase_smooth(t, x, cutoff_hz=1.0)
    live = _run(OneEuroFilter(min_cutoff=1.0, beta=0.0), t, x)
    smooth_peak = int(np.argmax(np.where(window, smooth, -np.inf)))
    live_peak = int(np.argmax(np.where(window, live, -np.inf)))

    assert abs(smooth_peak - true_peak) <= 1
    assert live_peak - true_peak >= 3


def test_zero_phase_ramp_interior_has_no_lag():
    t = _times(200)
    out = zero_phase_smooth(t, 3.0 * t, cutoff_hz=2.0)
    np.testing.assert_allclose(out[20:-20], 3.0 * t[20:-20], rtol=0, atol=1e-9)


def test_zero_phase_nan_splits_segments():
    rng = np.random.default_rng(6)
    t = _times(120)
    x = rng.normal(size=(120, 2))
    x[50:53, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = zero_phase_smooth(t, x, cutoff_hz=2.0)
    assert np.all(np.isnan(out[50:53, 0]))
    assert np.all(np.isfinite(np.delete(out[:, 0], [50, 51, 52])))
    # Each run is smoothed on its own, as if the other run did not exist.
    np.testing.assert_allclose(out[:50, 0], zero_phase_smooth(t[:50], x[:50, 0], 2.0), atol=1e-12)
    np.testing.assert_allclose(out[53:, 0], zero_phase_smooth(t[53:], x[53:, 0], 2.0), atol=1e-12)
    # The other element is unaffected by the gap.
    np.testing.assert_allclose(out[:, 1], zero_phase_smooth(t, x[:, 1], 2.0), atol=1e-12)


def test_zero_phase_all_nan_and_tiny_tracks():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.all(np.isnan(zero_phase_smooth(_times(10), np.full((10, 3), np.nan), 2.0)))
        single = zero_phase_smooth(np.array([0.0]), np.array([[1.0, np.nan]]), 2.0)
        np.testing.assert_array_equal(single, [[1.0, np.nan]])
        assert zero_phase_smooth(np.zeros(0), np.zeros((0, 3)), 2.0).shape == (0, 3)


@pytest.mark.parametrize(
    ("t", "x", "cutoff", "match"),
    [
        (np.array([0.0, 0.1, 0.1]), np.zeros(3), 2.0, "increasing"),
        (np.array([0.0, 0.2, 0.1]), np.zeros(3), 2.0, "increasing"),
        (np.array([0.0, np.nan, 0.2]), np.zeros(3), 2.0, "finite"),
        (np.array([0.0, 0.1]), np.zeros(3), 2.0, "shape"),
        (np.array([0.0, 0.1]), np.zeros(2), 0.0, "cutoff_hz"),
    ],
)
def test_zero_phase_validates_input(t, x, cutoff, match):
    with pytest.raises(ValueError, match=match):
        zero_phase_smooth(t, x, cutoff)


def test_zero_phase_is_deterministic_and_leaves_input_alone():
    rng = np.random.default_rng(7)
    t = _times(100)
    x = rng.normal(size=(100, 33, 3))
    x[10:15, 4, :] = np.nan
    before = x.copy()
    first = zero_phase_smooth(t, x, 3.0)
    np.testing.assert_array_equal(first, zero_phase_smooth(t, x, 3.0))
    np.testing.assert_array_equal(x, before)


# --- glitch gate ---------------------------------------------------------------------------------------

SHOULDERS, HIPS = (0, 1), (2, 3)


def _body(knee: tuple[float, float]) -> np.ndarray:
    """Shoulders, hips (a torso 0.2 long) and one knee, in image units."""
    return np.array([[0.50, 0.30], [0.52, 0.30], [0.50, 0.50], [0.52, 0.50], knee])


def _gate(**kwargs: float) -> GlitchGate:
    return GlitchGate(SHOULDERS, HIPS, **kwargs)


def test_glitch_gate_holds_a_one_frame_jump_and_accepts_the_return():
    gate = _gate()
    assert gate.update(0.0, _body((0.50, 0.70))).all()
    # 0.05 in one frame is 0.25 torso lengths, 7.5 torso lengths a second: a glitch.
    accepted = gate.update(1 / FPS, _body((0.55, 0.70)))
    assert accepted.tolist() == [True, True, True, True, False]
    assert gate.update(2 / FPS, _body((0.50, 0.70))).all()


def test_glitch_gate_accepts_a_real_fast_move_after_patience_frames():
    gate = _gate(patience=3)
    gate.update(0.0, _body((0.50, 0.70)))
    knee = [bool(gate.update(i / FPS, _body((0.60, 0.70)))[4]) for i in range(1, 6)]
    assert knee == [False, False, False, True, True]


def test_glitch_gate_lets_ordinary_movement_through():
    gate = _gate()
    # Two torso lengths a second, a brisk limb movement in these exercises.
    step = 2.0 * 0.2 / FPS
    for i in range(30):
        assert gate.update(i / FPS, _body((0.50 + i * step, 0.70))).all()


def test_glitch_gate_speed_is_relative_to_body_size():
    near, far = _body((0.50, 0.70)), _body((0.50, 0.70)) * 0.25  # torso 0.2 and 0.05 long
    near_gate, far_gate = _gate(), _gate()
    near_gate.update(0.0, near)
    far_gate.update(0.0, far)
    # 0.006 a frame is 0.9 torso lengths a second for the near body, 3.6 for the far one.
    near[4, 0] += 0.006
    far[4, 0] += 0.006
    assert near_gate.update(1 / FPS, near)[4]
    assert not far_gate.update(1 / FPS, far)[4]


def test_glitch_gate_reset_and_missing_landmarks_are_accepted():
    gate = _gate()
    gate.update(0.0, _body((0.50, 0.70)))
    assert gate.update(1 / FPS, _body((np.nan, np.nan)))[4]
    gate.reset()
    assert gate.update(2 / FPS, _body((0.90, 0.70))).all()


@pytest.mark.parametrize("kwargs", [{"max_speed": 0.0}, {"max_speed": float("nan")}, {"patience": -1}, {"patience": 1.5}])
def test_glitch_gate_validates_parameters(kwargs):
    with pytest.raises(ValueError):
        _gate(**kwargs)


def test_pose_smoother_keeps_a_glitching_knee_in_place_in_both_spaces():
    rng = np.random.default_rng(3)
    image = np.zeros((33, 5), np.float32)
    image[:, :3] = rng.uniform(0.3, 0.7, size=(33, 3))
    image[:, 3:] = 1.0
    image[11, :2], image[12, :2], image[23, :2], image[24, :2] = (0.5, 0.3), (0.52, 0.3), (0.5, 0.5), (0.52, 0.5)
    world = rng.uniform(-0.5, 0.5, size=(33, 3)).astype(np.float32)
    smoother = PoseSmoother()
    first = smoother(0.0, Pose(image=image, world=world))
    assert first is not None
    glitch_image, glitch_world = image.copy(), world.copy()
    glitch_image[25, 0] += 0.08
    glitch_world[25, 0] += 0.3
    out = smoother(1 / FPS, Pose(image=glitch_image, world=glitch_world))
    assert out is not None
    np.testing.assert_allclose(out.image[25, :3], first.image[25, :3], atol=1e-6)
    np.testing.assert_allclose(out.world[25], first.world[25], atol=1e-6)
