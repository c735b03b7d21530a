"""The rule engine: binds sides, computes measures and evaluates checks for one exercise, frame by frame.

`measure_track` is the vectorised core (any number of frames at once); `RuleEngine.update` runs it on one
observation and carries the state that needs time (side, position, hysteresis, debounce).
"""

from __future__ import annotations

import math

import numpy as np

from posecoach.rules.body import Body, parse_point
from posecoach.rules.checks import CheckTracker, Debounce, condition_holds
from posecoach.rules.measures import Measurements, Measurer, referenced_points
from posecoach.rules.registry import RuleRegistry
from posecoach.rules.sides import UNDECIDED, SideTracker, raw_side
from posecoach.specs.schema import Exercise, RepsMode
from posecoach.records import SIDES, CheckResult, Observation, Severity, Status, Verdict

NAN = float("nan")


def spoken(ref: str) -> str:
    """"front.foot_index" -> "front toes", for cues."""
    prefix, part = parse_point(ref)
    words = {"foot_index": "toes", "index": "index finger"}.get(part, part.replace("_", " "))
    if prefix in (None, "mid"):
        return f"{words}s" if prefix == "mid" and not words.endswith("s") else words
    return f"{prefix} {words}"


class RuleEngine:
    """Evaluates one exercise; one verb: `update(observation) -> Verdict`."""

    def __init__(self, exercise: Exercise, rules: RuleRegistry) -> None:
        self.exercise = exercise
        self._measurer = Measurer(exercise, rules)
        self._refs = {m.name: referenced_points(m) for m in exercise.measures}
        self._sides = SideTracker(exercise.sides.settle_seconds if exercise.sides else 0.0)
        self._position = Debounce(exercise.position.enter_seconds, exercise.position.leave_seconds)
        self._checks = [CheckTracker(check) for check in exercise.checks]
        self._roles = exercise.sides.roles if exercise.sides else None
        mode = exercise.mode
        self._driver = mode if isinstance(mode, RepsMode) else None
        self._at_top = False
        names = {ref for refs in self._refs.values() for ref in refs}
        single = sorted(ref for ref in names if parse_point(ref)[0] != "mid")
        # The landmark each point names, per side binding, for the overlay: fixed per exercise.
        self._point_maps = {side: self._bind(single, side) for side in (UNDECIDED, 0, 1)}

    def raw_sides(self, image: np.ndarray, aspect: float) -> np.ndarray:
        """(T,) per-frame side decisions before tracking (0 first role left, 1 right, -1 undecided)."""
        if self.exercise.sides is None:
            return np.zeros(image.shape[0], dtype=np.int8)
        return raw_side(image, self.exercise.sides, aspect)

    def measure_track(self, image: np.ndarray, world: np.ndarray, side: np.ndarray, aspect: float) -> Measurements:
        """Every measure over T frames: image (T, 33, 5), world (T, 33, 3), side (T,)."""
        return self._measurer(Body(image, world, side, self._roles, aspect))

    def _top(self, value: float) -> bool:
        """Whether a rep is at its top, from the driver measure, with the bottom threshold as hysteresis."""
        mode = self._driver
        if mode is None or math.isnan(value):
            return self._at_top
        rising = mode.top > mode.bottom
        if (value >= mode.top) if rising else (value <= mode.top):
            self._at_top = True
        elif (value <= mode.bottom) if rising else (value >= mode.bottom):
            self._at_top = False
        return self._at_top

    def update(self, observation: Observation) -> Verdict:
        pose = observation.pose
        t = observation.t
        if pose is None:
            self._position.update(t, None)
            checks = tuple(tracker.update(t, NAN, active=False) for tracker in self._checks)
            measures = {m.name: NAN for m in self.exercise.measures}
            return Verdict(t, False, self._side_name(), False, measures, checks)
        image = pose.image[np.newaxis]
        raw = int(self.raw_sides(image, observation.aspect)[0])
        side = self._sides.update(t, raw, self._position.on)
        result = self.measure_track(image, pose.world[np.newaxis], np.array([side], dtype=np.int8), observation.aspect)
        values = {name: float(v[0]) for name, v in result.values.items()}
        held = [condition_holds(c, values[c.measure]) for c in self.exercise.position.requires]
        in_position = self._position.update(t, None if None in held else all(held))
        at_top = self._top(values[self._driver.driver]) if self._driver else False
        checks = tuple(self._check(tracker, t, values, result, in_position, at_top) for tracker in self._checks)
        points = self._point_maps[side if self._roles is not None else 0]
        return Verdict(t, True, self._side_name(), in_position, values, checks, points)

    def _check(
        self,
        tracker: CheckTracker,
        t: float,
        values: dict[str, float],
        result: Measurements,
        in_position: bool,
        at_top: bool,
    ) -> CheckResult:
        check = tracker.check
        active = in_position and (check.when == "always" or at_top)
        unseen = int(result.unseen[check.measure][0])
        cue = None
        if unseen >= 0 and self._sides.side != UNDECIDED:
            cue = f"I can't see your {spoken(self._refs[check.measure][unseen])}"
        return tracker.update(t, values[check.measure], active, cue)

    def _side_name(self) -> str | None:
        side = self._sides.side
        if self._roles is None or side == UNDECIDED:
            return None
        return SIDES[side]

    def _bind(self, refs: list[str], side: int) -> dict[str, int]:
        body = Body(np.zeros((1, 33, 5)), np.zeros((1, 33, 3)), np.array([side], np.int8), self._roles, 1.0)
        bound = {ref: int(body.indices(ref)[0][0]) for ref in refs}
        return {ref: index for ref, index in bound.items() if index >= 0}


def fault_checks(verdict: Verdict) -> list[CheckResult]:
    """The fault-severity checks that fail in this verdict."""
    return [c for c in verdict.checks if c.status is Status.FAIL and c.severity is Severity.FAULT]
