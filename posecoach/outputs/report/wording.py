"""Plain words for the report's measures: angles in degrees, and distances, heights and offsets (which the
specs keep in body lengths, such as torso lengths) as shares of a named body length ("15% of the torso
length"), with an angle in degrees beside them where the exercise measures one over the same points.
Pure text, no I/O."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from posecoach.rules.body import parse_point
from posecoach.rules.engine import spoken
from posecoach.specs.schema import ANGLE_KINDS, JOINT_KINDS, Check, Exercise, Measure

#: Measures whose value is a length of the body divided by another (shown in per cent of that one).
SHARE_KINDS = ("distance", "height", "line_offset")
#: Body segments by the two parts that end them.
SEGMENTS = {
    frozenset({"hip", "shoulder"}): "torso",
    frozenset({"hip", "knee"}): "thigh",
    frozenset({"knee", "ankle"}): "shin",
    frozenset({"shoulder", "elbow"}): "upper arm",
    frozenset({"elbow", "wrist"}): "forearm",
    frozenset({"shoulder", "wrist"}): "arm",
    frozenset({"hip", "ankle"}): "leg",
}


def number(value: float, digits: int = 2) -> str:
    """`value` rounded to `digits` decimals without trailing zeros: 31.0 -> "31", 3.25 -> "3.25"."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def point_words(ref: str) -> str:
    """"mid.hip" -> "hips", "front.knee" -> "front knee"."""
    return spoken(ref)


def length_name(measure: Measure) -> str:
    """The body length a share is taken of: "torso length", or "hip-to-knee length" for an unnamed one."""
    assert measure.scale is not None
    parts = [parse_point(ref)[1] for ref in measure.scale]
    segment = SEGMENTS.get(frozenset(parts))
    return f"{segment} length" if segment else f"{parts[0].replace('_', ' ')}-to-{parts[1].replace('_', ' ')} length"


def is_share(measure: Measure) -> bool:
    return measure.kind in SHARE_KINDS and measure.scale is not None


def unit(measure: Measure) -> str:
    """ "degrees", "% of the torso length", or "" (a rule's own unit)."""
    if measure.kind in ANGLE_KINDS:
        return "degrees"
    if is_share(measure):
        return f"% of the {length_name(measure)}"
    return ""


def shown(value: float, measure: Measure) -> float:
    """A value in the unit the report shows (shares in per cent)."""
    return value * 100.0 if is_share(measure) else value


def value_text(value: float, measure: Measure, digits: int = 0) -> str:
    """"128 degrees", "15% of the torso length", or a bare number for a rule's value."""
    if measure.kind in ANGLE_KINDS:
        return f"{number(value, digits)} degrees"
    if is_share(measure):
        return f"{number(shown(value, measure), digits)}{unit(measure)}"
    return number(value, 2)


def _signed(value: float, measure: Measure) -> str:
    """A signed offset or height as "8% below" / "12% above" (of the share's length)."""
    where = "below" if value < 0 else "above"
    return f"{number(abs(shown(value, measure)), 1)}% {where}"


def band_text(check: Check, measure: Measure) -> str:
    """The allowed values in words: "75 to 105 degrees", "at most 25 degrees", "8% below to 12% above the
    line" (shares of the length the measure is taken in), "at most 17.5% of the torso length"."""
    low, high = check.band
    signed = measure.kind == "line_offset" or (measure.kind == "height" and not measure.absolute)
    if is_share(measure) and signed:
        tail = " the line" if measure.kind == "line_offset" else f" the {point_words(measure.points[1])}"
        if math.isfinite(low) and math.isfinite(high):
            return f"{_signed(low, measure)} to {_signed(high, measure)}{tail}"
        if math.isfinite(high):
            return f"at most {_signed(high, measure)}{tail}"
        return f"at least {_signed(low, measure)}{tail}"
    digits = 1 if is_share(measure) else 0 if measure.kind in ANGLE_KINDS else 2
    name = unit(measure)
    tail = name if name.startswith("%") else f" {name}" if name else ""

    def say(value: float) -> str:
        return f"{number(shown(value, measure), digits)}"

    if math.isfinite(low) and math.isfinite(high):
        return f"{say(low)} to {say(high)}{tail}"
    if math.isfinite(high):
        return f"at most {say(high)}{tail}"
    return f"at least {say(low)}{tail}"


def measure_name(measure: Measure) -> str:
    """What a measure is, in words: "front knee angle", "hips against the line from shoulders to ankles"."""
    p = [point_words(ref) for ref in measure.points]
    if measure.kind in JOINT_KINDS:
        return f"{measure.name.replace('_', ' ')} angle"
    if measure.kind == "line_offset":
        return f"{p[0]} against the line from {p[1]} to {p[2]}"
    if measure.kind == "height":
        return f"height difference of the {_pair(p)}" if measure.absolute else f"height of the {p[0]} above the {p[1]}"
    if measure.kind == "distance":
        return f"distance from the {p[0]} to the {p[1]}"
    return measure.name.replace("_", " ")


def _be(subject: str) -> str:
    return "were" if subject.endswith("s") else "was"


def _pair(words: Sequence[str]) -> str:
    """"left hip", "right hip" -> "two hips"; otherwise "left knee and right ankle"."""
    a, b = words
    for left, right in (("left ", "right "), ("right ", "left ")):
        if a.startswith(left) and b.startswith(right) and a[len(left):] == b[len(right):]:
            return f"two {a[len(left):]}s"
    return f"{a} and {b}"


def companion(exercise: Exercise, measure: Measure) -> Measure | None:
    """For an offset of a point from the line through two others, the exercise's angle at that point
    between those two (the plank's body line for its hip offset), so the report can give degrees."""
    if measure.kind != "line_offset":
        return None
    vertex, a, b = measure.points
    for other in exercise.measures:
        if other.kind == "angle" and other.points[1] == vertex and {other.points[0], other.points[2]} == {a, b}:
            return other
    return None


def direction_of(check: Check, value: float | None, cue: str) -> str | None:
    """"high" or "low": which side of the band a value (or, without one, the cue given) lies on."""
    low, high = check.band
    if value is not None and value > high:
        return "high"
    if value is not None and value < low:
        return "low"
    if cue and cue == check.cue_high:
        return "high"
    if cue and cue == check.cue_low:
        return "low"
    return None


def title(measure: Measure | None, direction: str | None, fallback: str) -> str:
    """A fault's heading: "Front knee angle too high", "Hips below the line from shoulders to ankles"."""
    if measure is None:
        return fallback
    p = [point_words(ref) for ref in measure.points]
    if measure.kind == "line_offset" and direction:
        where = "above" if direction == "high" else "below"
        return f"{p[0].capitalize()} {where} the line from {p[1]} to {p[2]}"
    if measure.kind == "height" and measure.absolute:
        return f"The {_pair(p)} at different heights"
    if measure.kind == "distance" and direction:
        return f"{p[0].capitalize()} too {'far from' if direction == 'high' else 'close to'} the {p[1]}"
    name = measure_name(measure)
    name = name[0].upper() + name[1:]
    return f"{name} too {direction}" if direction else name


def worst_phrase(measure: Measure, value: float, direction: str | None) -> str:
    """What the worst moment looked like: "the front knee angle rose to 128 degrees", "the hips dropped
    15% of the torso length below the line from shoulders to ankles"."""
    p = [point_words(ref) for ref in measure.points]
    if measure.kind in ANGLE_KINDS:
        subject = f"the {measure_name(measure)}" if measure.kind in JOINT_KINDS else f"the {measure.name.replace('_', ' ')}"
        verb = {"high": "rose to", "low": "fell to"}.get(direction or "", "was")
        return f"{subject} {verb} {value_text(value, measure)}"
    if is_share(measure):
        share = f"{number(abs(shown(value, measure)), 0)}% of the {length_name(measure)}"
        if measure.kind == "line_offset":
            moved = "rose" if value > 0 else "dropped"
            return f"the {p[0]} {moved} {share} {'above' if value > 0 else 'below'} the line from {p[1]} to {p[2]}"
        if measure.kind == "height" and measure.absolute:
            return f"the {_pair(p)} were {share} apart in height"
        if measure.kind == "height":
            return f"the {p[0]} {_be(p[0])} {share} {'above' if value > 0 else 'below'} the {p[1]}"
        return f"the {p[0]} {_be(p[0])} {share} from the {p[1]}"
    verb = {"high": "rose to", "low": "fell to"}.get(direction or "", "was")
    return f"the {measure.name.replace('_', ' ')} {verb} {value_text(value, measure)}"


def angle_clause(exercise: Exercise, measure: Measure, frame: Mapping[str, Any] | None) -> str:
    """", 163 degrees at the hips where a straight line is 180" for an offset with a companion angle read
    in the same frame; "" otherwise."""
    other = companion(exercise, measure)
    if other is None or frame is None:
        return ""
    value = (frame.get("angles") or {}).get(other.name)
    if value is None:
        return ""
    return f", {number(float(value), 0)} degrees at the {point_words(other.points[1])} where a straight line is 180"
