"""The hold timer and the rep counter: state machines fed one frame at a time."""

from __future__ import annotations


from posecoach.specs.schema import RepsMode

#: A gap between frames longer than this (a stall, a paused replay) is not counted as held time.
MAX_STEP = 0.25


class HoldTimer:
    """Good-form seconds of one side toward a target.

    Only good-form time counts. A lapse shorter than the grace window pauses the count quietly; a longer
    one is a `lapse` the coach speaks about. The count never resets.

    A moment of doubt inside a hold is not a lapse: after at least a grace window of good form, frames
    where no check fails but some cannot be judged (a landmark blinking) are credited afterwards when good
    form resumes within the grace window, because the form most likely never left. A failing frame or a
    longer doubt forfeits them, and so does doubt right after arriving, which is still settling in.

    Nor does a hold start late because the coach confirmed it late: a good frame that starts a stretch of
    good form may bring a `lead_in`, the seconds the pose had already been right before the gates (set-up,
    position, side, stillness) let it count, and those are credited too, never reaching back past the last
    counted frame.
    """

    def __init__(self, target_seconds: float, grace_seconds: float) -> None:
        self.target = target_seconds
        self._grace = grace_seconds
        self._seconds = 0.0
        self._last_t: float | None = None
        self._bad_since: float | None = None
        self._counting = False
        # Seconds of doubt since the last good frame, awaiting good form to be credited (None: nothing owed).
        self._doubt: float | None = None
        self._good_run = 0.0  # seconds of the current unbroken stretch of good form
        self._last_good: float | None = None  # the last good frame's time

    @property
    def seconds(self) -> float:
        return self._seconds

    @property
    def completed(self) -> bool:
        return self._seconds >= self.target - 1e-9

    @property
    def counting(self) -> bool:
        return self._counting

    def lapsed(self, t: float) -> bool:
        """True once form has been off for longer than the grace window."""
        return self._bad_since is not None and t - self._bad_since > self._grace

    def update(self, t: float, good: bool, unsure: bool = False, lead_in: float = 0.0) -> float:
        """Feed one frame; returns the good-form seconds so far.

        `unsure` qualifies a frame that is not `good`: nothing failed, but something could not be judged.
        `lead_in` qualifies a `good` frame: seconds of right form just before it that were not yet confirmed.
        """
        step = 0.0 if self._last_t is None else min(max(t - self._last_t, 0.0), MAX_STEP)
        self._last_t = t
        if self.completed:
            self._counting, self._bad_since, self._doubt = False, None, None
        elif good:
            # A frame's time belongs to the interval that ends at it.
            if self._counting:
                self._seconds = min(self.target, self._seconds + step)
                self._good_run += step
            elif self._doubt is not None:
                self._seconds = min(self.target, self._seconds + self._doubt + step)
                self._good_run += self._doubt + step
            else:
                credit = lead_in if self._last_good is None else min(lead_in, t - self._last_good)
                credit = max(0.0, credit)
                self._seconds = min(self.target, self._seconds + credit)
                self._good_run = credit
            self._last_good = t
            self._counting = True
            self._bad_since = None
            self._doubt = None
        else:
            established = self._counting and self._good_run >= self._grace - 1e-9
            if unsure and (established or self._doubt is not None):
                self._doubt = (self._doubt or 0.0) + step
                if self._doubt > self._grace + 1e-9:
                    self._doubt = None
            else:
                self._doubt = None
            self._counting = False
            if self._bad_since is None:
                self._bad_since = t
        return self._seconds

    def pause(self) -> None:
        """Stop counting until the next good frame (e.g. while the coach is paused)."""
        self._counting = False
        self._last_t = None
        self._doubt = None


class RepCounter:
    """Counts reps from where the rep is (`rules.reps.RepPhase`, read by the rule engine): bottom -> top (held
    long enough, form kept) -> bottom.
    """

    def __init__(self, mode: RepsMode) -> None:
        self._mode = mode
        self.reps = 0
        self._at_top = False
        self._top_held = 0.0
        self._spoiled = False
        self._last_t: float | None = None

    @property
    def mode(self) -> RepsMode:
        return self._mode

    @property
    def at_top(self) -> bool:
        return self._at_top

    @property
    def top_held(self) -> float:
        return self._top_held

    def update(self, t: float, at_top: bool, form_ok: bool) -> str | None:
        """Feed one frame; returns "rep" when a rep completes, "short" when a rep ended without its hold
        or with a fault, else None."""
        step = 0.0 if self._last_t is None else min(max(t - self._last_t, 0.0), MAX_STEP)
        self._last_t = t
        if self._at_top:
            self._top_held += step
            if not form_ok:
                self._spoiled = True
        if at_top == self._at_top:
            return None
        self._at_top = at_top
        if at_top:
            self._top_held, self._spoiled = 0.0, not form_ok
            return None
        if self._top_held >= self._mode.top_hold_seconds - 1e-9 and not self._spoiled:
            self.reps += 1
            return "rep"
        return "short"
