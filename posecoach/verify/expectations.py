"""`expectations.toml`: per clip, the exercise and what a correct coach must report.

    [clips."kneeling-hip-flexor_good_side.mp4"]
    exercise = "kneeling-hip-flexor"
    holds = { left = 6.0, right = 6.1 }          # good-form seconds per side ("both" without sides)
    reps = { both = 5 }                           # exact rep counts per side
    cues = [ "Turn side-on to the camera" ]       # cues the coach must show
    faults = [ { check = "front-knee", side = "left", start = 3.2, end = 6.0 } ]
    angles = [ { name = "front_knee", mean = 90, tolerance = 10 } ]   # mean over good-form frames
    phase = "done"                                # optional: the coach's final phase

Tolerances default to 0.5 s for holds and fault edges and can be set per file in `[tolerance]`.
Clip names are paths relative to the expectations file.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posecoach.errors import InputError

SIDE_KEYS = ("left", "right", "both")


@dataclass(frozen=True)
class FaultExpectation:
    check: str
    side: str | None
    start: float
    end: float


@dataclass(frozen=True)
class AngleBand:
    name: str
    mean: float
    tolerance: float


@dataclass(frozen=True)
class ClipExpectation:
    clip: Path
    exercise: str
    holds: dict[str, float] = field(default_factory=dict)
    reps: dict[str, int] = field(default_factory=dict)
    faults: tuple[FaultExpectation, ...] | None = None
    angles: tuple[AngleBand, ...] = ()
    #: Cues the coach must show at some point (e.g. "Turn side-on to the camera").
    cues: tuple[str, ...] = ()
    phase: str | None = None
    hold_tolerance: float = 0.5
    fault_tolerance: float = 0.5


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{where}: {value!r} is not a number (a number of seconds or degrees)")
    return float(value)


def _sides(where: str, table: Any, inner: str | None) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise InputError(f"{where}: must be a table of sides (keys: {', '.join(SIDE_KEYS)})")
    out = {}
    for side, value in table.items():
        if side not in SIDE_KEYS:
            raise InputError(f"{where}.{side}: unknown side (one of: {', '.join(SIDE_KEYS)})")
        if isinstance(value, dict) and inner is not None:
            if inner not in value:
                raise InputError(f"{where}.{side}: missing {inner}")
            value = value[inner]
        out[side] = value
    return out


def _cues(where: str, cues: Any) -> list[str]:
    if not isinstance(cues, list) or not all(isinstance(c, str) for c in cues):
        raise InputError(f"{where}.cues: must be a list of quoted cue texts")
    return cues


def _clip(path: Path, name: str, entry: Any, hold_tol: float, fault_tol: float) -> ClipExpectation:
    where = f"{path}: clips.{name!r}"
    if not isinstance(entry, dict):
        raise InputError(f"{where}: must be a table")
    if "exercise" not in entry or not isinstance(entry["exercise"], str):
        raise InputError(f"{where}.exercise: is missing (the exercise id, e.g. kneeling-hip-flexor)")
    holds = {s: _number(f"{where}.holds.{s}", v) for s, v in _sides(f"{where}.holds", entry.get("holds", {}), "good_form_seconds").items()}
    reps_raw = _sides(f"{where}.reps", entry.get("reps", {}), "count")
    reps = {}
    for side, value in reps_raw.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{where}.reps.{side}: {value!r} is not a whole number (a rep count)")
        reps[side] = value
    faults = None
    if "faults" in entry:
        if not isinstance(entry["faults"], list):
            raise InputError(f"{where}.faults: must be a list of {{check, side, start, end}}")
        items = []
        for i, fault in enumerate(entry["faults"]):
            fw = f"{where}.faults[{i}]"
            if not isinstance(fault, dict) or not isinstance(fault.get("check"), str):
                raise InputError(f"{fw}: needs check (a check id), start and end (seconds)")
            side = fault.get("side")
            # "both" names the one side of an exercise without sides, which reports no side.
            items.append(FaultExpectation(fault["check"], None if side == "both" else side,
                                          _number(f"{fw}.start", fault.get("start")),
                                          _number(f"{fw}.end", fault.get("end"))))
        faults = tuple(items)
    angles = []
    for i, band in enumerate(entry.get("angles", [])):
        bw = f"{where}.angles[{i}]"
        if not isinstance(band, dict) or not isinstance(band.get("name"), str):
            raise InputError(f"{bw}: needs name (a measure), mean and tolerance")
        angles.append(AngleBand(band["name"], _number(f"{bw}.mean", band.get("mean")),
                                _number(f"{bw}.tolerance", band.get("tolerance", 10.0))))
    return ClipExpectation(
        clip=(path.parent / name).resolve(),
        exercise=entry["exercise"],
        holds=holds,
        reps=reps,
        faults=faults,
        angles=tuple(angles),
        cues=tuple(_cues(where, entry.get("cues", []))),
        phase=entry.get("phase"),
        hold_tolerance=hold_tol,
        fault_tolerance=fault_tol,
    )


def load_expectations(path: Path) -> dict[Path, ClipExpectation]:
    """Expectations by resolved clip path."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such expectations file; pass --expect FILE") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error}); pass a readable --expect FILE") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: is not valid TOML ({error})") from None
    tolerance = data.get("tolerance", {})
    hold_tol = _number(f"{path}: tolerance.hold_seconds", tolerance.get("hold_seconds", 0.5))
    fault_tol = _number(f"{path}: tolerance.fault_seconds", tolerance.get("fault_seconds", 0.5))
    clips = data.get("clips")
    if not isinstance(clips, dict) or not clips:
        raise InputError(f"{path}: clips: no clips listed (add [clips.\"name.mp4\"] tables)")
    out = {}
    for name, entry in clips.items():
        expectation = _clip(path, name, entry, hold_tol, fault_tol)
        out[expectation.clip] = expectation
    return out
