"""A small damped Gauss-Newton solver that adjusts chosen pose fields to satisfy residuals.

Motions state what matters (a knee angle, a torso lean) and let this solver find the remaining angles that
keep feet, knees or hands on the floor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from posecoach.synth.pose import FIELD_INDEX, Pose

Residual = Callable[[Pose], npt.NDArray[np.float64]]


def solve(pose: Pose, names: Sequence[str], residual: Residual, iterations: int = 40, step: float = 0.05,
          damping: float = 1e-3, bounds: dict[str, tuple[float, float]] | None = None) -> Pose:
    """Least-squares fit of the fields `names` (degrees or metres) so that residual(pose) -> 0."""
    idx = [FIELD_INDEX[n] for n in names]
    lo = np.array([(bounds or {}).get(n, (-np.inf, np.inf))[0] for n in names])
    hi = np.array([(bounds or {}).get(n, (-np.inf, np.inf))[1] for n in names])
    vec = pose.vector()
    r = residual(Pose.from_vector(vec))
    for _ in range(iterations):
        jac = np.empty((r.size, len(idx)))
        for j, i in enumerate(idx):
            probe = vec.copy()
            probe[i] += step
            jac[:, j] = (residual(Pose.from_vector(probe)) - r) / step
        lhs = jac.T @ jac + damping * np.eye(len(idx))
        delta = np.linalg.solve(lhs, -jac.T @ r)
        # Cap each update at 20 units so a poor linearisation cannot throw a limb through the body.
        delta = np.clip(delta, -20.0, 20.0)
        trial = vec.copy()
        trial[idx] = np.clip(vec[idx] + delta, lo, hi)
        r_trial = residual(Pose.from_vector(trial))
        if float(r_trial @ r_trial) <= float(r @ r):
            vec, r = trial, r_trial
            damping = max(damping * 0.3, 1e-6)
        else:
            damping *= 10.0
        if float(np.abs(r).max()) < 1e-4:
            break
    return Pose.from_vector(vec)
