"""When a hold really began: the raw evidence of a still, correct pose, ahead of the gates that confirm it.

The coach starts a hold only once several debounces agree (the set-up held for a second, the position for a
moment, the side settled, the body still). Each is there to stop a glitch from counting, but together they
confirm a pose that was already right for a second or two. `HoldOnset` keeps the length of the current
unbroken run of frames that were right on their own, so that the coach can credit it once the gates open.
"""

from __future__ import annotations

from posecoach.coach.timers import MAX_STEP


class HoldOnset:
    """One verb: `update(t, good, binding) -> seconds`, the length of the run of good frames ending at t.

    `binding` names the side binding the frame was judged under (which leg is in front): a run is one
    binding throughout, so the start of the second side never counts for the first. Steps longer than
    `MAX_STEP` (a stalled camera) add only `MAX_STEP`, as in the hold timer.
    """

    def __init__(self) -> None:
        self._seconds = 0.0
        self._last_t: float | None = None
        self._binding: int | None = None

    def update(self, t: float, good: bool, binding: int | None) -> float:
        if not good or binding is None:
            self._seconds, self._last_t, self._binding = 0.0, None, None
            return 0.0
        if self._last_t is not None and binding == self._binding:
            self._seconds += min(max(t - self._last_t, 0.0), MAX_STEP)
        else:
            self._seconds = 0.0
        self._last_t, self._binding = t, binding
        return self._seconds
