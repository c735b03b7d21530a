"""Where a repetition is: at its top or back at the bottom, read from the exercise's driver measure."""

from __future__ import annotations

import math
from collections import deque

from posecoach.specs.schema import RepsMode


class RepPhase:
    """The top of a repetition from its driver: beyond `top` for `min_phase_seconds`, then back beyond
    `bottom` for as long (so jitter at a threshold is no movement).

    With `relative`, both thresholds are moves away from the rest level: the lowest value at the bottom over
    the last `rest_seconds` (the highest for a falling driver), frozen while at the top. A relative rep also
    ends once the driver has fallen back from its peak by as much as a rep must rise: people often come back
    only part of the way between repetitions.

    One verb: `update(t, value) -> bool` (at the top); NaN values change nothing.
    """

    def __init__(self, mode: RepsMode) -> None:
        self._mode = mode
        self._rising = mode.top > mode.bottom
        self._at_top = False
        self._candidate_since: float | None = None
        self._rest: deque[tuple[float, float]] = deque()
        self._peak = math.nan

    @property
    def at_top(self) -> bool:
        return self._at_top

    @property
    def driver(self) -> str:
        """The measure whose value drives the phase."""
        return self._mode.driver

    def _level(self, threshold: float) -> float:
        if not self._mode.relative:
            return threshold
        values = [v for _, v in self._rest]
        if not values:
            return math.nan
        rest = min(values) if self._rising else max(values)
        return rest + threshold

    def _beyond(self, value: float, threshold: float, toward_top: bool) -> bool:
        level = self._level(threshold)
        return value >= level if toward_top == self._rising else value <= level

    def update(self, t: float, value: float) -> bool:
        if math.isnan(value):
            self._candidate_since = None
            return self._at_top
        mode = self._mode
        if not self._at_top and mode.relative:
            self._rest.append((t, value))
            while self._rest[0][0] < t - mode.rest_seconds:
                self._rest.popleft()
        if self._at_top:
            crossing = self._beyond(value, mode.bottom, toward_top=False)
            if mode.relative:
                self._peak = max(self._peak, value) if self._rising else min(self._peak, value)
                fallen = (self._peak - value) if self._rising else (value - self._peak)
                crossing = crossing or fallen >= abs(mode.top)
        else:
            crossing = self._beyond(value, mode.top, toward_top=True)
        if not crossing:
            self._candidate_since = None
            return self._at_top
        if self._candidate_since is None:
            self._candidate_since = t
        if t - self._candidate_since >= mode.min_phase_seconds - 1e-9:
            self._candidate_since = None
            self._at_top = not self._at_top
            self._peak = value
            if not self._at_top:
                # Back at rest: the rest level is measured afresh from here.
                self._rest.clear()
        return self._at_top
