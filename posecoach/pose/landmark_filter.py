"""The landmark smoothing PoseLandmarker applies to one person on a video, so that tracks keep its character.

Picture landmarks go through a One Euro filter in pixels (minimum cutoff 0.05 Hz, beta 80, derivative
cutoff 1 Hz) whose speed term is divided by the person's size (the mean side of the region tracked for the
next frame), world landmarks through one in metres (0.1 Hz, 40, 1 Hz) scaled by the landmarks' own extent,
and visibility through a low-pass of weight 0.1. The filters restart when the person is lost. This is the
stage's own output treatment, kept apart from the glitch gate and filter the coach applies afterwards.
"""

from __future__ import annotations

import math

import numpy as np

from posecoach.pose import roi

#: The rate assumed before two frames give a real one, as MediaPipe's filter does.
DEFAULT_RATE_HZ = 30.0
VISIBILITY_ALPHA = 0.1


class ScaledOneEuro:
    """A One Euro filter over arrays whose speed term is multiplied by a per-frame `value_scale`."""

    def __init__(self, min_cutoff: float, beta: float, derivative_cutoff: float) -> None:
        self.min_cutoff, self.beta, self.derivative_cutoff = min_cutoff, beta, derivative_cutoff
        self.reset()

    def reset(self) -> None:
        self._last_t: float | None = None
        self._rate = DEFAULT_RATE_HZ
        self._raw: np.ndarray | None = None
        self._value: np.ndarray | None = None
        self._speed: np.ndarray | None = None

    def _alpha(self, cutoff: np.ndarray | float) -> np.ndarray | float:
        tau = 1.0 / (2.0 * math.pi * cutoff)
        return 1.0 / (1.0 + tau * self._rate)

    def __call__(self, t: float, value: np.ndarray, value_scale: float) -> np.ndarray:
        if self._last_t is not None and t <= self._last_t:
            return value
        if self._last_t is not None and self._last_t != 0 and t != 0:
            self._rate = 1.0 / (t - self._last_t)
        self._last_t = t
        speed = np.zeros_like(value) if self._raw is None else (value - self._raw) * value_scale * self._rate
        if self._speed is not None:
            speed = self._speed + self._alpha(self.derivative_cutoff) * (speed - self._speed)
        self._speed = speed
        self._raw = value
        if self._value is None:
            self._value = value.copy()
        else:
            alpha = self._alpha(self.min_cutoff + self.beta * np.abs(speed))
            self._value = self._value + alpha * (value - self._value)
        return self._value.copy()


class LandmarkFilter:
    """Smooths one person's landmarks from frame to frame; `reset` when nobody is found."""

    def __init__(self) -> None:
        self._image = ScaledOneEuro(0.05, 80.0, 1.0)
        self._world = ScaledOneEuro(0.1, 40.0, 1.0)
        self._visibility: np.ndarray | None = None

    def reset(self) -> None:
        self._image.reset()
        self._world.reset()
        self._visibility = None

    def __call__(self, t: float, image: np.ndarray, world: np.ndarray, region: roi.Rect,
                 size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """Smoothed copies of image (33, 5) and world (33, 3) landmarks found at `t` seconds; `region` is
        the one tracked for the next frame, `size` the picture's (width, height)."""
        width, height = size
        image = image.astype(np.float64, copy=True)
        if self._visibility is not None:
            image[:, 3] = self._visibility + VISIBILITY_ALPHA * (image[:, 3] - self._visibility)
        self._visibility = image[:, 3].copy()
        pixels = image[:, :3] * np.array([width, height, width])
        scale = (region.w * width + region.h * height) / 2.0
        if scale >= 1e-6:
            image[:, :3] = self._image(t, pixels, 1.0 / scale) / np.array([width, height, width])
        extent = (np.ptp(world[:, 0]) + np.ptp(world[:, 1])) / 2.0
        smoothed_world = world.astype(np.float64)
        if extent >= 1e-6:
            smoothed_world = self._world(t, smoothed_world, 1.0 / extent)
        return image.astype(np.float32), smoothed_world.astype(np.float32)
