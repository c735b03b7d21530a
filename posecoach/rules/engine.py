"""The rule engine: binds sides, computes measures and evaluates checks for one exercise, frame by frame.

Two halves: `read` is vectorised over any number of frames and has no state (side decisions, every
measure under both side bindings, set-up problems); `step` carries what needs time (the tracked side,
position, hysteresis, debounce) one frame at a time. `update` does both for one live frame; a cached
track is read once as a whole and then stepped, which is what makes replaying a clip cheap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from posecoach.coach.setup import (
    BLOCKS_JUDGING,
    SETUP_ENTER,
    SETUP_LEAVE,
    TURN_FRONT,
    TURN_SIDE,
    ViewGate,
    setup_problems,
    shoulder_ratio,
    shoulder_yaw,
)
from posecoach.rules.body import Body, bind, parse_point
from posecoach.rules.checks import OK, CheckTracker, Debounce, PeakTracker, Steadiness, band_codes, condition_holds
from posecoach.rules.measures import Measurements, Measurer, referenced_points
from posecoach.rules.onset import HoldOnset
from posecoach.rules.registry import RuleRegistry
from posecoach.rules.reps import RepPhase
from posecoach.rules.sides import UNDECIDED, SideTracker, raw_side
from posecoach.specs.schema import ANGLE_KINDS, Exercise, HoldMode, RepsMode
from posecoach.records import SIDES, CheckResult, Observation, Severity, Status, Verdict

NAN = float("nan")
#: A hold's onset is the moment its angles move slower than this share of the position's `max_speed`.
ONSET_SPEED_SHARE = 0.5


def spoken(ref: str) -> str:
    """"front.foot_index" -> "front toes", for cues."""
    prefix, part = parse_point(ref)
    words = {"foot_index": "toes", "index": "index finger"}.get(part, part.replace("_", " "))
    if prefix in (None, "mid"):
        return f"{words}s" if prefix == "mid" and not words.endswith("s") else words
    return f"{prefix} {words}"


@dataclass(frozen=True)
class Readings:
    """What `RuleEngine.read` finds in T frames, as Python lists for cheap per-frame access.

    values[b][name][i] / unseen[b][name][i]: measure `name` in frame i under side binding b (0: first
    role on the left side, 1: on the right); unseen is the index of the least visible point (-1: all seen).
    """

    found: list[bool]
    raw_side: list[int]
    values: tuple[dict[str, list[float]], dict[str, list[float]]]
    unseen: tuple[dict[str, list[int]], dict[str, list[int]]]
    #: codes[b][check id] = (plain, narrow): the value against the check's band and its hysteresis band.
    codes: tuple[dict[str, tuple[list[int], list[int]]], dict[str, tuple[list[int], list[int]]]]
    #: Set-up problems other than the view (light, people, framing), and the two view estimates.
    setup: list[str | None]
    shoulder_ratio: list[float]
    shoulder_yaw: list[float]

    def __len__(self) -> int:
        return len(self.found)


class RuleEngine:
    """Evaluates one exercise; the stateful verb is `update(observation) -> Verdict`."""

    def __init__(self, exercise: Exercise, rules: RuleRegistry) -> None:
        self.exercise = exercise
        self._measurer = Measurer(exercise, rules)
        self._refs = {m.name: referenced_points(m) for m in exercise.measures}
        self._roles = exercise.sides.roles if exercise.sides else None
        self._sides = SideTracker(exercise.sides.settle_seconds if exercise.sides else 0.0)
        self._position = Debounce(exercise.position.enter_seconds, exercise.position.leave_seconds)
        self._view = ViewGate(exercise.view, exercise.side_on)
        self._setup = Debounce(SETUP_ENTER, SETUP_LEAVE)
        self._checks = [
            PeakTracker(check) if check.when == "peak" else CheckTracker(check) for check in exercise.checks
        ]
        self._driver = exercise.mode if isinstance(exercise.mode, RepsMode) else None
        self._rep = RepPhase(self._driver) if self._driver else None
        self._names = [m.name for m in exercise.measures]
        angular = {m.name for m in exercise.measures if m.kind in ANGLE_KINDS}
        watched = {c.measure for c in exercise.checks} | ({self._driver.driver} if self._driver else set())
        watched |= set(exercise.position.watch)
        self._watched = sorted(watched & angular)
        self._steady = Steadiness(exercise.position.max_speed)
        self._conditions = exercise.position.requires
        # Holds only: the raw run of right frames, judged under each side binding with stillness of its own,
        # stricter than the judging gate's: credit reaching back in time must not take in the slow end of
        # the movement into the pose, so every angle of the exercise must be still (a plank rising keeps its
        # body line but not its incline).
        self._onset = HoldOnset() if isinstance(exercise.mode, HoldMode) else None
        self._onset_watched = sorted(angular)
        self._onset_speed = exercise.position.max_speed * ONSET_SPEED_SHARE
        self._onset_steady = Steadiness(self._onset_speed)
        self._onset_binding = UNDECIDED
        self._fault_measures = [(c.id, c.measure) for c in exercise.checks if c.severity == "fault"]
        roles = self._roles or ()
        self._role_bound = [
            name for name, refs in self._refs.items() if any(parse_point(ref)[0] in roles for ref in refs)
        ]
        single = sorted({ref for refs in self._refs.values() for ref in refs if parse_point(ref)[0] != "mid"})
        # The landmark each point names, per side binding, for the overlay: fixed per exercise.
        self._point_maps = {side: self._bind(single, side) for side in (UNDECIDED, 0, 1)}

    # --- the stateless, vectorised half ----------------------------------------------------------
    def raw_sides(self, image: np.ndarray, aspect: float) -> np.ndarray:
        """(T,) per-frame side decisions before tracking (0 first role left, 1 right, -1 undecided)."""
        if self.exercise.sides is None:
            return np.zeros(image.shape[0], dtype=np.int8)
        return raw_side(image, self.exercise.sides, aspect)

    def measure_track(self, image: np.ndarray, world: np.ndarray, side: np.ndarray | int, aspect: float) -> Measurements:
        """Every measure over T frames: image (T, 33, 5), world (T, 33, 3), side an int or (T,)."""
        return self._measurer(Body(image, world, side, self._roles, aspect))

    def read(
        self,
        image: np.ndarray,
        world: np.ndarray,
        found: np.ndarray,
        people: np.ndarray,
        light: np.ndarray,
        aspect: float,
    ) -> Readings:
        """Everything about T frames that needs no memory of earlier frames. light: (T,) grey level on the
        person (see `Observation.light`)."""
        first = self.measure_track(image, world, 0, aspect)
        second = self.measure_track(image, world, 1, aspect) if self._roles is not None else first
        codes = tuple(
            {
                check.id: tuple(c.tolist() for c in band_codes(m.values[check.measure], check))
                for check in self.exercise.checks
            }
            for m in (first, second)
        )
        return Readings(
            found=found.tolist(),
            raw_side=self.raw_sides(image, aspect).tolist(),
            values=tuple({k: v.tolist() for k, v in m.values.items()} for m in (first, second)),  # type: ignore[arg-type]
            unseen=tuple({k: v.tolist() for k, v in m.unseen.items()} for m in (first, second)),  # type: ignore[arg-type]
            codes=codes,  # type: ignore[arg-type]
            setup=setup_problems(image, found, people, light, self.exercise.min_visibility),
            shoulder_ratio=shoulder_ratio(image, aspect).tolist(),
            shoulder_yaw=shoulder_yaw(world).tolist(),
        )

    def read_observations(self, observations: Sequence[Observation]) -> Readings:
        """`read` for a handful of observations of one source (same picture size)."""
        count = len(observations)
        image = np.full((count, 33, 5), np.nan, np.float32)
        world = np.full((count, 33, 3), np.nan, np.float32)
        for i, obs in enumerate(observations):
            if obs.pose is not None:
                image[i], world[i] = obs.pose.image, obs.pose.world
        return self.read(
            image, world, np.array([o.pose is not None for o in observations]),
            np.array([o.people for o in observations]), np.array([o.light for o in observations]),
            observations[0].aspect,
        )

    # --- the stateful half -----------------------------------------------------------------------
    def update(self, observation: Observation) -> Verdict:
        return self.step(observation.t, self.read_observations([observation]), 0)

    def step(self, t: float, readings: Readings, i: int) -> Verdict:
        """Advance to frame i of `readings`, taken at time t."""
        wrong_view = self._view.update(t, readings.shoulder_ratio[i], readings.shoulder_yaw[i])
        setup = readings.setup[i] or (
            (TURN_SIDE if self.exercise.view == "side" else TURN_FRONT) if wrong_view else None
        )
        ready = self._setup.update(t, setup not in BLOCKS_JUDGING)
        if not readings.found[i]:
            if self._onset is not None:
                self._onset.update(t, False, None)
            self._position.update(t, None)
            checks = tuple(tracker.unjudged(t) for tracker in self._checks)
            return Verdict(t, False, self._side_name(), False, dict.fromkeys(self._names, NAN), checks, {}, setup,
                           ready, self._rep.at_top if self._rep else False)
        side = self._sides.update(t, readings.raw_side[i], self._position.on)
        binding = 1 if side == 1 else 0
        values = {name: readings.values[binding][name][i] for name in self._names}
        unseen = {name: readings.unseen[binding][name][i] for name in self._names}
        if side == UNDECIDED:
            # With no side there is no front knee to speak of: role-bound measures are unknown.
            for name in self._role_bound:
                values[name], unseen[name] = NAN, -1
        held = [condition_holds(c, values[c.measure]) for c in self._conditions]
        # Any condition that is known to fail ends the position, even if another cannot be seen.
        now = False if False in held else (None if None in held else True)
        in_position = self._position.update(t, now)
        # The position is kept for a moment after its conditions fail (debounce), but checks stop at
        # once: someone getting up out of the stretch is leaving it, not doing it wrong.
        # Nor are they judged before the set-up is confirmed or while it is wrong (the wrong view distorts
        # the angles): a fault is only ever found in a judged frame.
        judging = ready and setup not in BLOCKS_JUDGING
        checking = judging and in_position and now is not False
        at_top = False
        if self._rep is not None:
            # A repetition seen from the wrong angle or in the dark is not followed (nor counted).
            at_top = self._rep.update(t, values[self._rep.driver] if judging else NAN)
        steady = self._steady.update(t, [values[name] for name in self._watched])
        codes = readings.codes[binding]
        checks = tuple(
            self._check(tracker, t, values, unseen, codes[tracker.check.id], i, checking, steady, at_top)
            for tracker in self._checks
        )
        points = self._point_maps[side if self._roles is not None else 0]
        held_for = self._held_for(t, readings, i, side, checks, setup) if self._onset is not None else 0.0
        return Verdict(t, True, self._side_name(), in_position, values, checks, points, setup, ready, at_top,
                       held_for)

    def _held_for(
        self, t: float, readings: Readings, i: int, side: int, checks: tuple[CheckResult, ...], setup: str | None
    ) -> float:
        """Seconds of right frames up to frame i under the binding the frame itself shows, as the hold's
        onset (see `HoldOnset`); 0 unless that binding is the tracked side's."""
        assert self._onset is not None
        raw = readings.raw_side[i] if self._roles is not None else 0
        binding = raw if raw != UNDECIDED else side
        if binding == UNDECIDED:
            self._onset.update(t, False, None)
            return 0.0
        if binding != self._onset_binding:
            # Stillness is watched under one binding at a time: the other leg in front starts afresh.
            self._onset_steady, self._onset_binding = Steadiness(self._onset_speed), binding
        values = readings.values[binding]
        steady = self._onset_steady.update(t, [values[name][i] for name in self._onset_watched])
        if setup in BLOCKS_JUDGING or not steady:
            self._onset.update(t, False, None)
            return 0.0
        codes = readings.codes[binding]
        good = all(condition_holds(c, values[c.measure][i]) for c in self._conditions) and all(
            codes[check_id][0][i] == OK and not math.isnan(values[measure][i])
            for check_id, measure in self._fault_measures
        )
        if good and binding == side:
            # A check still failing under hysteresis is not right yet, though its value is back in its band.
            good = not any(c.status is Status.FAIL and c.severity is Severity.FAULT for c in checks)
        seconds = self._onset.update(t, good, binding)
        return seconds if binding == side else 0.0

    def _check(
        self,
        tracker: CheckTracker | PeakTracker,
        t: float,
        values: dict[str, float],
        unseen: dict[str, int],
        codes: tuple[list[int], list[int]],
        i: int,
        in_position: bool,
        steady: bool,
        at_top: bool,
    ) -> CheckResult:
        check = tracker.check
        hidden = unseen[check.measure]
        cue = f"I can't see your {spoken(self._refs[check.measure][hidden])}" if hidden >= 0 else None
        if isinstance(tracker, PeakTracker):
            return tracker.update(t, values[check.measure], at_top, in_position, steady, cue)
        applies = in_position and (check.when == "always" or at_top)
        return tracker.update_coded(t, values[check.measure], codes[0][i], codes[1][i], applies, steady, cue)

    def _side_name(self) -> str | None:
        side = self._sides.side
        if self._roles is None or side == UNDECIDED:
            return None
        return SIDES[side]

    def _bind(self, refs: list[str], side: int) -> dict[str, int]:
        bound = {ref: bind(ref, self._roles, side) for ref in refs}
        return {ref: indices[0] for ref, indices in bound.items() if len(indices) == 1}


def fault_checks(verdict: Verdict) -> list[CheckResult]:
    """The fault-severity checks that fail in this verdict."""
    return [c for c in verdict.checks if c.status is Status.FAIL and c.severity is Severity.FAULT]
