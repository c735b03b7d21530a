"""Checks over time: hysteresis at the band's edges and a minimum duration before a fault is reported."""

from __future__ import annotations

import math

from posecoach.specs.schema import Check, Condition
from posecoach.records import CheckResult, Severity, Status

OK, LOW, HIGH = 0, -1, 1


class CheckTracker:
    """One check's state across frames; one verb: `update`."""

    def __init__(self, check: Check) -> None:
        self.check = check
        self._low, self._high = check.band
        self._h = check.hysteresis
        self._severity = Severity(check.severity)
        self._state = OK
        self._since: float | None = None

    def _direction(self, value: float) -> int:
        # A failing check must come back inside the band by the hysteresis margin to be ok again,
        # so a value sitting on the edge does not flicker.
        low = self._low + (self._h if self._state == LOW else 0.0)
        high = self._high - (self._h if self._state == HIGH else 0.0)
        if value < low:
            return LOW
        if value > high:
            return HIGH
        return OK

    def update(self, t: float, value: float, active: bool, unseen_cue: str | None = None) -> CheckResult:
        """The check at time t for `value` (NaN when unseen); inactive checks read unknown, never failed."""
        if not active or math.isnan(value):
            self._state, self._since = OK, None
            cue = unseen_cue if active else None
            return CheckResult(self.check.id, Status.UNKNOWN, value, cue, self._severity)
        state = self._direction(value)
        if state != self._state:
            self._since = t if state != OK else None
            self._state = state
        if state == OK:
            return CheckResult(self.check.id, Status.OK, value, None, self._severity)
        assert self._since is not None
        cue = self.check.cue_low if state == LOW else self.check.cue_high
        reported = t - self._since >= self.check.min_seconds - 1e-9
        return CheckResult(self.check.id, Status.FAIL, value, cue, self._severity, reported, self._since)


def condition_holds(condition: Condition, value: float) -> bool | None:
    """True / False, or None when the value is unknown."""
    if math.isnan(value):
        return None
    if condition.min is not None and value < condition.min:
        return False
    if condition.max is not None and value > condition.max:
        return False
    return True


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
