"""Landmark smoothing: a glitch gate and a causal One Euro filter for live use, a zero-phase smoother for
recorded tracks."""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

__all__ = ["GlitchGate", "OneEuroFilter", "zero_phase_smooth"]

_MIN_DT_S: float = 1e-6
"""Interval assumed for a non-increasing timestamp, so no division by zero can occur."""

_GAUSS_HALF_WIDTH_SIGMAS: float = 4.0
"""Kernel truncation; weights beyond 4 sigma are below 3.4e-4 of the peak."""


def _positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    bound = ">= 0" if allow_zero else "> 0"
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (value >= 0.0 if allow_zero else value > 0.0)
    if not ok:
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return float(value)


def _smoothing_factor(dt: float, cutoff_hz: np.ndarray | float) -> np.ndarray | float:
    """Exponential smoothing weight of a first-order low-pass with the given cutoff."""
    r = 2.0 * math.pi * cutoff_hz * dt
    return r / (r + 1.0)


class OneEuroFilter:
    """Causal One Euro filter (Casiez, Roussel & Vogel, CHI 2012) over arrays of one fixed shape.

    Each element is filtered independently: its cutoff is
    ``min_cutoff + beta * |speed|`` with the speed in input units per second, so
    slow motion is smoothed hard and fast motion follows with little lag. As in
    the authors' reference implementation, the speed is taken from the raw
    previous sample. Non-finite input elements (NaN, inf) are treated as
    missing: they come out as NaN and their state is dropped, so the element
    restarts from its next finite value without a jump from stale state.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.05, d_cutoff: float = 1.0) -> None:
        """``min_cutoff`` and ``d_cutoff`` in Hz (> 0); ``beta`` in 1/(input unit) (>= 0; 0 = fixed low-pass)."""
        self.min_cutoff = _positive("min_cutoff", min_cutoff)
        # beta = 0 is the standard way to get a plain low-pass, so zero is allowed.
        self.beta = _positive("beta", beta, allow_zero=True)
        self.d_cutoff = _positive("d_cutoff", d_cutoff)
        self.reset()

    def reset(self) -> None:
        """Forget all state; the next ``update`` starts afresh and may use a new shape."""
        self._t_prev: float | None = None
        self._shape: tuple[int, ...] | None = None
        self._x_hat: np.ndarray | None = None
        self._dx_hat: np.ndarray | None = None
        self._x_raw: np.ndarray | None = None
        self._ready: np.ndarray | None = None

    def update(self, t: float, x: np.ndarray) -> np.ndarray:
        """Filter one frame ``x`` taken at time ``t`` (seconds); returns a new float64 array of x's shape.

        ``t`` should increase strictly; a repeated or earlier timestamp is
        treated as a tiny step forward instead of a division by zero.
        """
        t = float(t)
        if not math.isfinite(t):
            raise ValueError(f"t must be a finite time in seconds, got {t!r}")
        x = np.array(x, dtype=np.float64)
        if self._shape is None:
            self._start(x.shape)
        elif x.shape != self._shape:
            raise ValueError(f"x must keep shape {self._shape} between resets, got {x.shape}")
        assert self._x_hat is not None and self._dx_hat is not None
        assert self._x_raw is not None and self._ready is not None

        if self._t_prev is None:
            dt = _MIN_DT_S
            self._t_prev = t
        else:
            dt = t - self._t_prev
            if dt > 0.0:
                self._t_prev = t
            else:
                # Keep time moving forward so a later, correct timestamp gets its true interval.
                dt = _MIN_DT_S
                self._t_prev += dt

        valid = np.isfinite(x)
        active = valid & self._ready
        with np.errstate(all="ignore"):
            dx = (x - self._x_raw) / dt
            a_d = _smoothing_factor(dt, self.d_cutoff)
            dx_hat = a_d * dx + (1.0 - a_d) * self._dx_hat
            cutoff = self.min_cutoff + self.beta * np.abs(dx_hat)
            a = _smoothing_factor(dt, cutoff)
            x_hat = a * x + (1.0 - a) * self._x_hat

        # Elements that just (re)appeared start from their raw value with zero speed.
        self._x_hat = np.where(active, x_hat, np.where(valid, x, np.nan))
        self._dx_hat = np.where(active, dx_hat, 0.0)
        self._x_raw = np.where(valid, x, np.nan)
        self._ready = valid
        return self._x_hat.copy()

    def _start(self, shape: tuple[int, ...]) -> None:
        self._shape = shape
        self._x_hat = np.full(shape, np.nan)
        self._dx_hat = np.zeros(shape)
        self._x_raw = np.full(shape, np.nan)
        self._ready = np.zeros(shape, dtype=bool)


def zero_phase_smooth(t: np.ndarray, x: np.ndarray, cutoff_hz: float) -> np.ndarray:
    """Zero-phase Gaussian low-pass of a whole recorded track.

    ``t``: shape (T,), seconds, strictly increasing. ``x``: shape (T, ...), any
    units. Returns float64 of x's shape.

    Each sample becomes the Gaussian-weighted mean of its neighbours in time,
    with sigma = sqrt(ln 2) / (2 pi cutoff_hz) so the gain is -3 dB at
    ``cutoff_hz``. Weights use the actual timestamps, so uneven frame intervals
    are handled. The kernel is symmetric, so there is no lag. Each element's
    track is split at its non-finite samples (NaN, inf) and the runs are
    smoothed separately; those samples come out NaN. Near the ends of a run
    the kernel is cut off and renormalised, so a constant passes unchanged but
    a trend is pulled toward the run's interior within about two sigma of its
    ends.
    """
    cutoff_hz = _positive("cutoff_hz", cutoff_hz)
    t = np.asarray(t, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if t.ndim != 1 or x.ndim < 1 or x.shape[0] != t.shape[0]:
        raise ValueError(f"t must have shape (T,) and x shape (T, ...), got {t.shape} and {x.shape}")
    if not np.all(np.isfinite(t)):
        raise ValueError("t must contain only finite times")
    steps = np.diff(t)
    if np.any(steps <= 0.0):
        raise ValueError("t must be strictly increasing")
    n = t.shape[0]
    if n < 2:
        return np.where(np.isfinite(x), x, np.nan)

    sigma = math.sqrt(math.log(2.0)) / (2.0 * math.pi * cutoff_hz)
    # The window is counted in frames from the median interval so a few odd timestamps cannot blow it
    # up; where frames come faster than the median it spans less time (2 sigma at twice the rate).
    half_width = int(math.ceil(_GAUSS_HALF_WIDTH_SIGMAS * sigma / float(np.median(steps))))
    half_width = min(half_width, n - 1)

    present = np.isfinite(x)
    # Two present samples are in the same run exactly when no gap lies between them.
    run_id = np.cumsum(~present, axis=0)
    values = np.where(present, x, 0.0)
    t_col = t.reshape((n,) + (1,) * (x.ndim - 1))

    total = values.copy()
    weight = present.astype(np.float64)
    for k in range(1, half_width + 1):
        for here, there in ((slice(k, None), slice(None, -k)), (slice(None, -k), slice(k, None))):
            gap = t_col[there] - t_col[here]
            w = np.exp(-0.5 * (gap / sigma) ** 2)
            same_run = present[here] & present[there] & (run_id[here] == run_id[there])
            w = np.where(same_run, w, 0.0)
            total[here] += w * values[there]
            weight[here] += w
    with np.errstate(all="ignore"):
        return np.where(present, total / weight, np.nan)


class GlitchGate:
    """Holds back single landmarks that jump implausibly far between frames, for a few frames at most.

    Pose models now and then put one landmark (most often a far-side knee or ankle) 20-30 pixels off for
    a frame or a few, then put it back: 5 torso lengths a second or more, where a held stretch moves
    well under one. A jump faster than `max_speed` keeps the landmark at its last accepted place, so the
    glitch neither reads as a fault nor as the body moving (which pauses the hold count). A real move
    that fast (a hand or foot swinging through a bird-dog rep, which can reach 3-4 torso lengths a
    second) is accepted once it has lasted `patience` frames: it lags by at most that, and only while
    moving, never during a hold, where form is judged.

    Speeds are in torso lengths (mid-shoulder to mid-hip, from the last accepted frame) per second, so
    the gate does not depend on how far from the camera the person is.
    """

    def __init__(
        self,
        shoulders: tuple[int, int],
        hips: tuple[int, int],
        max_speed: float = 2.5,
        patience: int = 3,
    ) -> None:
        """`shoulders`, `hips`: the landmark indices of the left and right shoulder and hip."""
        self._shoulders, self._hips = list(shoulders), list(hips)
        self.max_speed = _positive("max_speed", max_speed)
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"patience must be a whole number of frames >= 0, got {patience!r}")
        self.patience = patience
        self.reset()

    def reset(self) -> None:
        """Forget every landmark; the next frame is accepted whole."""
        self._t: float | None = None
        self._last: np.ndarray | None = None
        self._held = np.zeros(0, dtype=np.int64)

    def update(self, t: float, xy: np.ndarray) -> np.ndarray:
        """Positions `xy` (N, 2) at time `t` seconds; returns (N,) bool, True where a landmark is accepted
        (where False, the caller keeps that landmark's last accepted value)."""
        xy = np.asarray(xy, dtype=np.float64)
        accept = np.ones(xy.shape[0], dtype=bool)
        if self._last is None or self._t is None or t <= self._t or xy.shape != self._last.shape:
            self._t, self._last, self._held = t, xy.copy(), np.zeros(xy.shape[0], dtype=np.int64)
            return accept
        last = self._last
        torso = float(np.linalg.norm(last[self._shoulders].mean(axis=0) - last[self._hips].mean(axis=0)))
        if math.isfinite(torso) and torso > 0.0:
            with np.errstate(invalid="ignore"):
                speed = np.linalg.norm(xy - last, axis=1) / (torso * (t - self._t))
            # NaN compares False, so a landmark coming back from missing is accepted at once.
            accept = ~(speed > self.max_speed) | (self._held >= self.patience)
        self._held = np.where(accept, 0, self._held + 1)
        self._last = np.where(accept[:, None], xy, last)
        self._t = t
        return accept
