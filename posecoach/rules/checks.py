"""Checks over time: hysteresis at the band's edges and a minimum duration before a fault is reported."""

from __future__ import annotations

import math
from collections import deque

from posecoach.specs.schema import Check, Condition
from posecoach.records import CheckResult, Severity, Status

import numpy as np

OK, LOW, HIGH = 0, -1, 1


def band_codes(values: np.ndarray, check: Check) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised over frames: where each value lies against the check's band (LOW / OK / HIGH), and
    against the band narrowed by the hysteresis margin, which a failing check must re-enter to be ok.
    NaN compares as OK in both; the tracker treats NaN as unknown before looking at the codes."""
    low, high = check.band
    h = check.hysteresis
    with np.errstate(invalid="ignore"):
        plain = np.where(values < low, LOW, np.where(values > high, HIGH, OK)).astype(np.int8)
        narrow = np.where(values < low + h, LOW, np.where(values > high - h, HIGH, OK)).astype(np.int8)
    return plain, narrow


class CheckTracker:
    """One check's state across frames; one verb: `update` (or `update_coded` with codes computed
    ahead by `band_codes` for a whole track)."""

    def __init__(self, check: Check) -> None:
        self.check = check
        self._severity = Severity(check.severity)
        self._state = OK
        self._since: float | None = None
        self._out_since: float | None = None
        self._out_side = OK

    def update(self, t: float, value: float, active: bool, unseen_cue: str | None = None) -> CheckResult:
        """The check at time t for `value` (NaN when unseen); inactive checks read unknown, never failed."""
        plain, narrow = band_codes(np.array([value]), self.check)
        return self.update_coded(t, value, int(plain[0]), int(narrow[0]), active, True, unseen_cue)

    def unjudged(self, t: float) -> CheckResult:
        """The check at time t in a frame with nobody to judge."""
        return self.update(t, math.nan, active=False)

    def update_coded(
        self,
        t: float,
        value: float,
        plain: int,
        narrow: int,
        open_: bool,
        steady: bool,
        unseen_cue: str | None = None,
    ) -> CheckResult:
        """As `update`, with the band codes given. `open_`: the check applies (in position, at the top of a
        rep); `steady`: the body is still enough to judge. While moving the check reads unknown, but the
        time the value left its band is kept, so a fault found once the body is still is dated from then."""
        if not open_ or math.isnan(value):
            self._state, self._since, self._out_since = OK, None, None
            cue = unseen_cue if open_ else None
            return CheckResult(self.check.id, Status.UNKNOWN, value, cue, self._severity)
        if plain == OK:
            self._out_since = None
        elif self._out_since is None or plain != self._out_side:
            # Out of the band on a new side is a new failure, timed afresh.
            self._out_since, self._out_side = t, plain
        if not steady:
            self._state, self._since = OK, None
            return CheckResult(self.check.id, Status.UNKNOWN, value, None, self._severity)
        # A failing check must come back inside the band by the hysteresis margin to be ok again,
        # so a value sitting on the edge does not flicker.
        state = self._state if self._state != OK and narrow == self._state else plain
        if state != self._state:
            self._since = None if state == OK else (self._out_since if self._out_since is not None else t)
            self._state = state
        if state == OK:
            return CheckResult(self.check.id, Status.OK, value, None, self._severity)
        assert self._since is not None
        cue = self.check.cue_low if state == LOW else self.check.cue_high
        reported = t - self._since >= self.check.min_seconds - 1e-9
        return CheckResult(self.check.id, Status.FAIL, value, cue, self._severity, reported, self._since)


class PeakTracker:
    """A check judged once per repetition on the best value its measure reached at the top (the one nearest
    the band, among frames where the body was still), when the repetition ends. One verb: `update`.

    At the top it reads ok in still frames inside the band, and unknown in the others (a pause part of the
    way up is no fault yet); the frame the top ends it fails, reported when the best value stayed outside
    for the check's minimum duration, dated from the first frame of the top outside the band to the last
    still one. A top
    that stops being judged before it ends (`judging` false: out of position, the set-up wrong) is dropped.
    """

    def __init__(self, check: Check) -> None:
        self.check = check
        self._severity = Severity(check.severity)
        self._was_top = False
        self._best = math.nan
        self._best_outside = math.inf
        self._first: float | None = None
        self._last: float | None = None

    def _outside(self, value: float) -> float:
        low, high = self.check.band
        return max(low - value, value - high, 0.0)

    def unjudged(self, t: float) -> CheckResult:
        """The check at time t in a frame with nobody to judge (a top in progress is dropped)."""
        return self.update(t, math.nan, at_top=False, judging=False, steady=False)

    def update(self, t: float, value: float, at_top: bool, judging: bool, steady: bool,
               unseen_cue: str | None = None) -> CheckResult:
        check = self.check
        if not judging:
            # A top that stops being judged (the person lost, the view turned) is not judged as a whole.
            self._was_top = False
            return CheckResult(check.id, Status.UNKNOWN, value, None, self._severity)
        if at_top:
            if not self._was_top:
                self._best, self._best_outside, self._first, self._last = math.nan, math.inf, None, None
            self._was_top = True
            if not math.isnan(value):
                outside = self._outside(value)
                if outside > 0.0 and self._first is None:
                    self._first = t  # a low top is low from when the top began, still or not
                if steady:
                    if outside < self._best_outside:
                        self._best, self._best_outside = value, outside
                    if outside == 0.0:
                        return CheckResult(check.id, Status.OK, value, None, self._severity)
                    self._last = t
            cue = unseen_cue if math.isnan(value) else None
            return CheckResult(check.id, Status.UNKNOWN, value, cue, self._severity)
        ended = self._was_top and not at_top
        self._was_top = False
        if ended and self._best_outside > 0.0 and self._first is not None and self._last is not None:
            low, _ = check.band
            cue = check.cue_low if self._best < low else check.cue_high
            reported = self._last - self._first >= check.min_seconds - 1e-9
            return CheckResult(check.id, Status.FAIL, self._best, cue, self._severity, reported, self._first,
                               self._last)
        return CheckResult(check.id, Status.UNKNOWN, value, None, self._severity)


def condition_holds(condition: Condition, value: float) -> bool | None:
    """True / False, or None when the value is unknown."""
    if math.isnan(value):
        return None
    if condition.min is not None and value < condition.min:
        return False
    if condition.max is not None and value > condition.max:
        return False
    return True


def conditions_hold(condition: Condition, values: np.ndarray) -> np.ndarray:
    """`condition_holds` vectorised over frames: True where the value is known and within the bounds."""
    with np.errstate(invalid="ignore"):
        holds = np.isfinite(values)
        if condition.min is not None:
            holds &= values >= condition.min
        if condition.max is not None:
            holds &= values <= condition.max
    return holds


class Debounce:
    """A boolean that turns on after `enter` seconds of True and off after `leave` seconds of False;
    unknown input (None) leaves it as it is."""

    def __init__(self, enter: float, leave: float) -> None:
        self._enter, self._leave = enter, leave
        self._on = False
        self._since: float | None = None

    @property
    def on(self) -> bool:
        return self._on

    def update(self, t: float, value: bool | None) -> bool:
        if value is None or value == self._on:
            self._since = None
            return self._on
        if self._since is None:
            self._since = t
        if t - self._since >= (self._enter if value else self._leave) - 1e-9:
            self._on, self._since = value, None
        return self._on


class Steadiness:
    """Whether the watched measures are still: none has changed faster than `max_speed` (units per
    second) across the last `window` seconds, for at least `settle` seconds.

    Form is judged on a held position: while someone moves into, out of or through a position, its
    angles sweep through values that would be faults if held.
    """

    def __init__(self, max_speed: float, window: float = 0.15, settle: float = 0.1) -> None:
        self._max_speed = max_speed
        self._window = window
        self._settle = settle
        self._history: deque[tuple[float, list[float]]] = deque()
        self._still_since: float | None = None

    def update(self, t: float, values: list[float]) -> bool:
        history = self._history
        history.append((t, values))
        while len(history) > 2 and history[1][0] <= t - self._window:
            history.popleft()
        then, old = history[0]
        moving = False
        if t > then:
            for before, now in zip(old, values, strict=True):
                if abs(now - before) > self._max_speed * (t - then):  # NaN compares False: unknown is not motion
                    moving = True
                    break
        if moving:
            self._still_since = None
            return False
        if self._still_since is None:
            self._still_since = t
        return t - self._still_since >= self._settle - 1e-9
