"""Computing a spec's named measurements over T frames of a bound body (vectorised)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posecoach import geometry as g
from posecoach.rules.body import Body
from posecoach.rules.checks import conditions_hold
from posecoach.rules.registry import RuleRegistry
from posecoach.specs.schema import Exercise, Measure


def referenced_points(measure: Measure) -> tuple[str, ...]:
    """Every body point a measure reads (its points, `toward` and scale)."""
    refs = list(measure.points)
    if measure.toward:
        refs.append(measure.toward)
    if measure.scale:
        refs.extend(measure.scale)
    return tuple(refs)


def _value(measure: Measure, body: Body, rules: RuleRegistry) -> np.ndarray:
    if measure.kind == "rule":
        assert measure.rule is not None
        return np.asarray(rules[measure.rule](body), dtype=np.float64)
    space = measure.space
    aspect = body.aspect if space == "image" else 1.0
    p = [body.point(ref, space) for ref in measure.points]
    kind = measure.kind
    if kind == "angle":
        return g.joint_angle(p[0], p[1], p[2], aspect=aspect)
    if kind == "bend":
        return 180.0 - g.joint_angle(p[0], p[1], p[2], aspect=aspect)
    if kind == "segments":
        return g.segment_angle(p[0], p[1], p[2], p[3], aspect=aspect)
    if kind == "inclination":
        if measure.reference == "horizontal":
            return g.inclination_from_horizontal(p[0], p[1], aspect=aspect)
        if measure.toward:
            toward = body.point(measure.toward, space)
            return g.signed_inclination_from_vertical(p[0], p[1], toward, aspect=aspect)
        return g.inclination_from_vertical(p[0], p[1], aspect=aspect)
    assert measure.scale is not None
    scale = g.distance(body.point(measure.scale[0], space), body.point(measure.scale[1], space), aspect=aspect)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "distance":
            return g.distance(p[0], p[1], aspect=aspect) / scale
        if kind == "height":
            value = g.height_above(p[0], p[1], aspect=aspect) / scale
            return np.abs(value) if measure.absolute else value
        if kind == "line_offset":
            return g.signed_distance_to_line(p[0], p[1], p[2], aspect=aspect) / scale
    raise AssertionError(f"unhandled measure kind {kind}")


@dataclass(frozen=True, slots=True)
class Measurements:
    """Values of every measure over T frames, NaN where a point it needs was not seen.

    values: name -> (T,) float64; unseen: name -> (T,) the index into `referenced_points(measure)` of the
    least visible point (-1 where all were seen), for "I can't see your ..." cues.
    """

    values: dict[str, np.ndarray]
    unseen: dict[str, np.ndarray]


class Measurer:
    """Computes an exercise's measures with the visibility gate."""

    def __init__(self, exercise: Exercise, rules: RuleRegistry) -> None:
        self.exercise = exercise
        self._rules = rules
        self._refs = {m.name: referenced_points(m) for m in exercise.measures}

    def __call__(self, body: Body) -> Measurements:
        values: dict[str, np.ndarray] = {}
        unseen: dict[str, np.ndarray] = {}
        for measure in self.exercise.measures:
            value = _value(measure, body, self._rules)
            refs = self._refs[measure.name]
            floor = self.exercise.min_visibility if measure.min_visibility is None else measure.min_visibility
            if refs:
                conf = np.stack([body.confidence(ref) for ref in refs], axis=-1)
                conf = np.where(np.isnan(conf), -1.0, conf)
                worst = np.argmin(conf, axis=-1)
                hidden = conf[np.arange(body.frames), worst] < floor
                value = np.where(hidden, np.nan, value)
                unseen[measure.name] = np.where(hidden, worst, -1)
            else:
                unseen[measure.name] = np.full(body.frames, -1)
            values[measure.name] = value
        # Conditions read the other measures as computed, so the order of the measures never matters.
        gated = dict(values)
        for measure in self.exercise.measures:
            for condition in measure.only_when:
                holds = conditions_hold(condition, values[condition.measure])
                gated[measure.name] = np.where(holds, gated[measure.name], np.nan)
        return Measurements(values=gated, unseen=unseen)
