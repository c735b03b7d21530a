"""The coach of one exercise: from set-up to both sides done, with the cues and events a UI needs."""

from __future__ import annotations

import math

from posecoach.coach.setup import BLOCKS_JUDGING
from posecoach.coach.timers import HoldTimer, RepCounter
from posecoach.specs.schema import Exercise, HoldMode, RepsMode
from posecoach.records import (
    SIDES,
    CheckResult,
    CoachState,
    Event,
    Phase,
    Severity,
    Side,
    SideProgress,
    Status,
    Verdict,
)

#: Seconds of good-form time between "tick" events (audio cue every 10 s).
TICK_SECONDS = 10.0
#: How long a fault found as a repetition ends stays the cue: it is about the rep just done.
FEEDBACK_SECONDS = 3.0

#: The coach's own cues (the exercise's come from its spec).
DONE_CUE = "Well done: exercise complete"
PAUSED_CUE = "Paused"
SETUP_WAIT_CUE = "Hold still a moment while I check your set-up"


def switch_cue(side: Side | None) -> str:
    return f"Switch sides: now the {side} side"


class Coach:
    """One verb: `update(verdict) -> CoachState`."""

    def __init__(self, exercise: Exercise, *, side: Side | None = None) -> None:
        self.exercise = exercise
        self._sides: tuple[Side | None, ...] = SIDES if exercise.has_sides else (None,)
        if side is not None and exercise.has_sides:
            # Start with the side asked for; the other follows.
            self._sides = (side, "right" if side == "left" else "left")
        mode = exercise.mode
        self._hold = isinstance(mode, HoldMode)
        grace = mode.grace_seconds if isinstance(mode, HoldMode) else 0.0
        # In reps the timer has no target: it only adds up good-form time at the top of the reps.
        target = exercise.target_seconds if self._hold else float("inf")
        self._timers = {s: HoldTimer(target, grace) for s in self._sides}
        self._reps = {s: RepCounter(mode) for s in self._sides} if isinstance(mode, RepsMode) else {}
        self._phase = Phase.SETUP
        self._started = False
        self._last_cue: str | None = None
        self._ticks = {s: 0 for s in self._sides}
        self._reported: set[str] = set()
        # The cue of a fault found as a rep ended, and until when it is shown.
        self._feedback: tuple[str, float] | None = None
        self._skipped: set[Side | None] = set()
        self._paused = False
        # No hold lead-in reaches back before this frame time: the first frame after a pause.
        self._credit_floor: float | None = None
        self._has_sides = exercise.has_sides
        self._target_seconds = exercise.target_seconds
        self._target_reps = exercise.target_reps
        # Progress is rebuilt only when a timer, a count or a skip changed it: most frames change nothing.
        self._progress: dict[Side | None, SideProgress] | None = None
        self._progress_key: tuple[object, ...] = ()

    # --- read-only state -------------------------------------------------------------------------
    @property
    def phase(self) -> Phase:
        return self._phase

    def progress(self) -> dict[Side | None, SideProgress]:
        key = tuple(
            (self._timers[s].seconds, self._reps[s].reps if self._reps else 0, s in self._skipped)
            for s in self._sides
        )
        if self._progress is None or key != self._progress_key:
            self._progress_key = key
            self._progress = {
                s: SideProgress(
                    good_form_seconds=seconds,
                    target_seconds=self._target_seconds,
                    reps=reps,
                    target_reps=self._target_reps,
                    completed=self._side_done(s),
                )
                for s, (seconds, reps, _) in zip(self._sides, key, strict=True)
            }
        return self._progress

    def _side_done(self, side: Side | None) -> bool:
        if side in self._skipped:
            return True
        if self._reps:
            return self._reps[side].reps >= self._target_reps
        return self._timers[side].completed

    def _remaining(self) -> list[Side | None]:
        """The sides still to do, in order ([None] for an exercise without sides until it is done)."""
        return [s for s in self._sides if not self._side_done(s)]

    # --- controls from a UI ----------------------------------------------------------------------
    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        for timer in self._timers.values():
            timer.pause()

    def skip_side(self) -> None:
        """Mark the side being worked on as done (the user chose to move on)."""
        remaining = self._remaining()
        if remaining:
            self._skipped.add(remaining[0])

    # --- the verb --------------------------------------------------------------------------------
    def update(self, verdict: Verdict) -> CoachState:
        t = verdict.t
        if self._paused:
            self._credit_floor = math.inf
        elif self._credit_floor == math.inf:
            self._credit_floor = t
        events: list[Event] = []
        problem = verdict.setup
        # Only a problem that blocks judging (the light, the view, nobody or a crowd) holds up the set-up; a
        # limb out of the picture is said when nothing more important is.
        framing = problem if problem not in BLOCKS_JUDGING else None
        remaining = self._remaining()
        side = verdict.side if self._has_sides else None
        faults = []
        form_ok = verdict.in_position
        for check in verdict.checks:
            if check.severity is Severity.FAULT and check.status is not Status.OK:
                form_ok = False
                if check.status is Status.FAIL:
                    faults.append(check)
            if check.reported:
                if check.id not in self._reported:
                    self._reported.add(check.id)
                    events.append(Event(t, "fault", side, check.cue or "", check.id))
                    if check.until is not None and check.cue:
                        self._feedback = (check.cue, t + FEEDBACK_SECONDS)
            elif self._reported:
                self._reported.discard(check.id)
        counting = False
        cue: str | None = None

        if not remaining and self._phase is not Phase.DONE:
            self._phase = Phase.DONE
            events.append(Event(t, "exercise_done", None, DONE_CUE))
        if self._phase is Phase.DONE:
            cue = DONE_CUE
        elif self._paused:
            cue = PAUSED_CUE
        elif not verdict.ready:
            self._phase = Phase.SETUP
            cue = problem or SETUP_WAIT_CUE
        elif not verdict.in_position or (self._has_sides and side is None):
            # Out of the picture, a limb cannot show the position: say so rather than how to get into it.
            self._phase = Phase.SETUP if framing else Phase.POSITION
            cue = framing or self.exercise.position.cue
        elif self._has_sides and self._side_done(side):
            # Whichever side the person starts with is fine; only a finished side asks for a switch.
            self._phase = Phase.SWITCH
            cue = switch_cue(remaining[0])
        else:
            self._phase = Phase.ACTIVE
            if not self._started:
                self._started = True
                events.append(Event(t, "started", side, self.exercise.name))
            counting = self._advance(t, side, verdict, form_ok, faults, events)
            cue = self._form_cue(t, side, verdict, faults) or framing

        for s in self._sides:
            if s != side or self._phase is not Phase.ACTIVE:
                self._timers[s].pause()
        if cue is not None and cue != self._last_cue and self._phase is not Phase.DONE:
            events.append(Event(t, "cue", side, cue))
        self._last_cue = cue
        return CoachState(t, self._phase, side if self._has_sides else None, cue, self.progress(),
                          tuple(events), counting)

    def _advance(
        self, t: float, side: Side | None, verdict: Verdict, form_ok: bool, faults: list[CheckResult], events: list[Event]
    ) -> bool:
        """Run the side's timer or rep counter; returns whether good-form time is being counted."""
        timer = self._timers[side]
        was_counting = timer.counting
        # Not good, yet nothing failed: a check could not be judged for a moment.
        unsure = not form_ok and verdict.in_position and not faults
        if self._reps:
            counter = self._reps[side]
            # A rep is spoiled by a failing check, not by checks paused while the body moves.
            outcome = counter.update(t, verdict.at_top, verdict.in_position and not faults)
            timer.update(t, form_ok and counter.at_top, unsure=unsure and counter.at_top)
            if outcome == "rep":
                events.append(Event(t, "rep", side, f"{counter.reps}"))
                if self._side_done(side):
                    events.append(Event(t, "side_done", side, "Side done"))
        else:
            before = timer.seconds
            lead_in = verdict.held_for
            if self._credit_floor is not None:
                lead_in = min(lead_in, t - self._credit_floor)
            timer.update(t, form_ok, unsure=unsure, lead_in=lead_in)
            if timer.counting and not was_counting:
                events.append(Event(t, "hold_started", side))
            tick = int(timer.seconds // TICK_SECONDS)
            if tick > self._ticks[side] and not timer.completed:
                self._ticks[side] = tick
                events.append(Event(t, "tick", side, f"{tick * int(TICK_SECONDS)} seconds"))
            if timer.completed and before < timer.target:
                events.append(Event(t, "side_done", side, "Hold complete"))
        return timer.counting

    def _form_cue(self, t: float, side: Side | None, verdict: Verdict, faults: list) -> str | None:
        """One cue at a time: a reported fault first, then what cannot be seen, then hints."""
        for check in faults:
            if check.reported and (not self._hold or self._timers[side].lapsed(t)):
                return check.cue
        if self._feedback is not None and t < self._feedback[1]:
            return self._feedback[0]
        for check in verdict.checks:
            if check.status is Status.UNKNOWN and check.cue:
                return check.cue
        for check in verdict.checks:
            if check.status is Status.FAIL and check.severity is Severity.HINT and check.reported:
                return check.cue
        return None
