"""What the report says, derived from a result.json document and its exercise: pure data, no I/O.

Every number the report shows comes from here or straight from the result document, so that the page
and result.json agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from posecoach.outputs.report import wording
from posecoach.outputs.report.wording import number as number  # the report's numbers are set in one place
from posecoach.specs.schema import ANGLE_KINDS, Check, Exercise, Measure

Result = Mapping[str, Any]

SIDE_LABELS = {"left": "Left side", "right": "Right side", "both": "Overall"}


def side_label(side: str | None) -> str:
    key = side or "both"
    return SIDE_LABELS.get(key, f"{key.capitalize()} side")


def outside(value: float, band: tuple[float, float]) -> float:
    """How far `value` lies outside `band` (0 inside it)."""
    low, high = band
    return max(low - value, value - high, 0.0)


@dataclass(frozen=True)
class KeyMeasure:
    """A measure that at least one check reads, with those checks."""

    measure: Measure
    checks: tuple[Check, ...]

    @property
    def name(self) -> str:
        return self.measure.name


def key_measures(exercise: Exercise) -> list[KeyMeasure]:
    """Every measure the exercise's checks read: the angles first (in the order the checks name them), then
    the others (heights, offsets), so that an exercise without angle checks still gets its plots."""
    order: list[str] = []
    checks: dict[str, list[Check]] = {}
    for check in exercise.checks:
        if check.measure not in checks:
            order.append(check.measure)
            checks[check.measure] = []
        checks[check.measure].append(check)
    order.sort(key=lambda name: exercise.measure(name).kind not in ANGLE_KINDS)
    return [KeyMeasure(exercise.measure(name), tuple(checks[name])) for name in order]


def frame_value(frame: Mapping[str, Any], name: str) -> float | None:
    """A measure's value in one result frame (angles and other measures are kept apart there)."""
    value = (frame.get("angles") or {}).get(name)
    if value is None:
        value = (frame.get("measures") or {}).get(name)
    return None if value is None else float(value)


@dataclass(frozen=True)
class Worst:
    """The frame of a fault where its measure was furthest outside the allowed band."""

    index: int
    t: float
    value: float
    outside: float


@dataclass(frozen=True)
class Fault:
    """One entry of result.json's faults, with its check, measure and worst frame when known."""

    number: int
    check_id: str
    side: str | None
    start: float
    end: float
    cue: str
    check: Check | None
    measure: Measure | None
    worst: Worst | None

    @property
    def direction(self) -> str | None:
        """"high" or "low": which side of the band the worst value lies on (without one, the side whose
        cue was given)."""
        if self.check is None:
            return None
        return wording.direction_of(self.check, self.worst.value if self.worst else None, self.cue)

    @property
    def kind(self) -> tuple[str, str | None, str]:
        """What makes two faults the same kind: their check, the way they left its band, and their side
        (a sagging plank and a piked one are two kinds of the same check)."""
        return self.check_id, self.direction, self.side or "both"


def worst_frame(frames: Sequence[Mapping[str, Any]], fault: Mapping[str, Any], check: Check) -> Worst | None:
    """The judged frame within the fault's interval (and on its side) furthest outside the check's band.

    Only frames where the check itself failed count: a frame where it was not judged (setting up, moving,
    a rep not at its top) shows nothing the fault is about.
    """
    worst: Worst | None = None
    start, end, side = float(fault["start"]), float(fault["end"]), fault.get("side")
    for index, frame in enumerate(frames):
        t = float(frame["t"])
        if t < start - 1e-6 or t > end + 1e-6 or frame.get("side") != side:
            continue
        if (frame.get("checks") or {}).get(check.id) != "fail":
            continue
        value = frame_value(frame, check.measure)
        if value is None:
            continue
        candidate = Worst(index, t, value, outside(value, check.band))
        if worst is None or candidate.outside > worst.outside:
            worst = candidate
    return worst


def faults(result: Result, exercise: Exercise) -> list[Fault]:
    """result.json's faults in their order, each with its worst frame."""
    checks = {check.id: check for check in exercise.checks}
    frames = result.get("frames") or []
    out: list[Fault] = []
    for number_, fault in enumerate(result.get("faults") or [], start=1):
        check = checks.get(str(fault["check"]))
        measure = exercise.measure(check.measure) if check is not None else None
        out.append(
            Fault(
                number=number_,
                check_id=str(fault["check"]),
                side=fault.get("side"),
                start=float(fault["start"]),
                end=float(fault["end"]),
                cue=str(fault.get("cue") or ""),
                check=check,
                measure=measure,
                worst=worst_frame(frames, fault, check) if check is not None else None,
            )
        )
    return out


def sides(result: Result) -> list[str]:
    """The sides the report speaks of: those with a hold or rep count, then any other side a fault names."""
    keys = [*(result.get("holds") or {}), *(result.get("reps") or {})]
    for fault in result.get("faults") or []:
        keys.append(fault.get("side") or "both")
    return list(dict.fromkeys(keys))


def duration(result: Result) -> float:
    frames = result.get("frames") or []
    return float(frames[-1]["t"]) if frames else 0.0


def poster_frames(result: Result, count: int = 5) -> list[int]:
    """Frames a poster of the video could show, best first: moments spread over the longest stretch of
    good form, then over the frames with a person in view, then the middle of the video."""
    frames = result.get("frames") or []
    runs: list[list[int]] = []
    for i, frame in enumerate(frames):
        if frame.get("good_form"):
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    seen = [i for i, frame in enumerate(frames) if frame.get("pose_found")]
    picks: list[int] = []
    for pool in (max(runs, key=len) if runs else [], seen, list(range(len(frames)))):
        if pool:
            picks += [pool[len(pool) * (2 * k + 1) // (2 * count)] for k in range(count)]
    return list(dict.fromkeys(picks))
