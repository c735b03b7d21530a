"""Noticing that an exercise keeps failing: time spent in faults (or out of position) with no progress."""

from __future__ import annotations

from posecoach.records import CoachState, Phase, Severity, Status, Verdict

#: Seconds of faults without progress after which an easier variant is offered.
STRUGGLE_SECONDS = 20.0


class StruggleWatch:
    """One verb: `update(verdict, state) -> bool`, true once the person has struggled long enough.

    Struggle time grows while the person is in view (past set-up) and either out of position or failing a
    fault check, and the hold time or rep count does not grow; any progress resets it.
    """

    def __init__(self, seconds: float = STRUGGLE_SECONDS) -> None:
        if seconds <= 0:
            raise ValueError(f"seconds must be positive, got {seconds}")
        self._limit = seconds
        self._struggle = 0.0
        self._last_t: float | None = None
        self._best = 0.0

    @property
    def seconds(self) -> float:
        return self._struggle

    def update(self, verdict: Verdict, state: CoachState) -> bool:
        progress = sum(p.good_form_seconds + p.reps for p in state.progress.values())
        dt = 0.0 if self._last_t is None else max(0.0, state.t - self._last_t)
        self._last_t = state.t
        if progress > self._best:
            self._best = progress
            self._struggle = 0.0
        elif state.phase in (Phase.POSITION, Phase.ACTIVE) and not state.counting:
            failing = any(c.severity is Severity.FAULT and c.status is Status.FAIL for c in verdict.checks)
            if failing or state.phase is Phase.POSITION:
                self._struggle += dt
        return self._struggle >= self._limit
