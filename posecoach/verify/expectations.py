"""`expectations.toml`: per clip, the exercise and what a correct coach must report.

    [tolerance]                                   # optional, for every clip: seconds
    hold_seconds = 0.5
    fault_seconds = 0.5

    [clips."kneeling-hip-flexor_good_side.mp4"]  # a video, or a landmark file ("monday.pose.npz")
    exercise = "kneeling-hip-flexor"
    holds = { left = 6.0, right = { min = 5, max = 7 } }   # good-form seconds per side, exact or a range
    reps = { both = 5 }                            # reps per side, exact or { min, max } ("both": no sides)
    reps = { min = 3, max = 5 }                    # ... or summed over the sides
    good_form = { min = 12 }                       # good-form seconds summed over the sides
    faults = [ { check = "front-knee", side = "left", start = 3.2, end = 6.0 } ]   # exactly these; [] none
    faults_include = [ "front-knee" ]              # each reported as a fault at least once
    faults_exclude = [ "torso-upright" ]           # never reported as a fault
    quiet = [ [12.5, 17.5] ]                       # no fault interval overlaps these windows (seconds)
    idle = [ [0.0, 7.0] ]                          # no good-form time inside these windows
    angles = [ { name = "front_knee", mean = 90, tolerance = 10 } ]   # mean over good-form frames
    cues = [ "Turn side-on to the camera" ]        # cues the coach must show
    phase = "done"                                 # the coach's final phase
    tolerance = { hold_seconds = 1.0 }             # this clip's own tolerances
    view = "side"                                  # descriptive only: view, variant, sides, source, label

"Faults" are checks of severity fault; hints are never counted as faults. Clip names are paths relative to
the expectations file. A key that is not one of these is an error naming the allowed keys, so a misspelt
expectation can never pass silently; so is an entry whose clip does not exist.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posecoach.errors import InputError

SIDE_KEYS = ("left", "right", "both")
TOLERANCE_KEYS = ("hold_seconds", "fault_seconds")
RANGE_KEYS = ("min", "max")
FAULT_KEYS = ("check", "side", "start", "end")
ANGLE_KEYS = ("name", "mean", "tolerance")
#: Keys that describe a clip for people reading the file; they are not compared.
DESCRIPTIVE_KEYS = ("view", "variant", "sides", "source", "label")
CLIP_KEYS = (
    "exercise", "holds", "reps", "good_form", "faults", "faults_include", "faults_exclude", "quiet", "idle",
    "angles", "cues", "phase", "tolerance", *DESCRIPTIVE_KEYS,
)
FILE_KEYS = ("clips", "tolerance")
PHASES = ("setup", "position", "active", "switch", "done")
DEFAULT_TOLERANCE = 0.5


@dataclass(frozen=True)
class Range:
    """An allowed span of values; an exact expectation is a range with a tolerance around it."""

    low: float
    high: float
    #: How the expectation was written, for messages ("6.00 ± 0.5", "3 to 5", "at least 12").
    text: str

    def __contains__(self, value: float) -> bool:
        return self.low - 1e-9 <= value <= self.high + 1e-9


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
    #: Good-form seconds per side ("left", "right", "both").
    holds: dict[str, Range] = field(default_factory=dict)
    #: Rep counts per side, and summed over the sides.
    reps: dict[str, Range] = field(default_factory=dict)
    reps_total: Range | None = None
    good_form: Range | None = None
    #: Exactly these fault intervals; () means no fault at all; None: not compared.
    faults: tuple[FaultExpectation, ...] | None = None
    faults_include: tuple[str, ...] = ()
    faults_exclude: tuple[str, ...] = ()
    quiet: tuple[tuple[float, float], ...] = ()
    idle: tuple[tuple[float, float], ...] = ()
    angles: tuple[AngleBand, ...] = ()
    #: Cues the coach must show at some point (e.g. "Turn side-on to the camera").
    cues: tuple[str, ...] = ()
    phase: str | None = None
    hold_tolerance: float = DEFAULT_TOLERANCE
    fault_tolerance: float = DEFAULT_TOLERANCE

    @property
    def check_ids(self) -> tuple[str, ...]:
        """Every check id the expectation names, for validating it against the exercise."""
        named = [f.check for f in self.faults or ()] + list(self.faults_include) + list(self.faults_exclude)
        return tuple(dict.fromkeys(named))


def _allowed(where: str, table: dict[str, Any], allowed: tuple[str, ...]) -> None:
    # "FILE:" for the file's top level reads "FILE: key", a table inside it "FILE: table.key".
    sep = " " if where.endswith(":") else "."
    for key in table:
        if key not in allowed:
            raise InputError(f"{where}{sep}{key}: unknown key (allowed: {', '.join(allowed)})")


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{where}: {value!r} is not a number (a number of seconds or degrees)")
    return float(value)


def _count(where: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{where}: {value!r} is not a whole number (a rep count)")
    return value


def _table(where: str, value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: must be a table ({what})")
    return value


def _range(where: str, table: dict[str, Any], count: bool) -> Range:
    """{min, max}: either may be left out."""
    _allowed(where, table, RANGE_KEYS)
    if not table:
        raise InputError(f"{where}: a range needs min, max or both")
    read = _count if count else _number
    low = read(f"{where}.min", table["min"]) if "min" in table else -math.inf
    high = read(f"{where}.max", table["max"]) if "max" in table else math.inf
    if low > high:
        raise InputError(f"{where}: min {low:g} is above max {high:g}")
    if math.isinf(high):
        text = f"at least {low:g}"
    elif math.isinf(low):
        text = f"at most {high:g}"
    else:
        text = f"{low:g} to {high:g}"
    return Range(low, high, text)


def _hold(where: str, value: Any, tolerance: float) -> Range:
    """A number (± the hold tolerance), {good_form_seconds = n} (as result.json writes it) or {min, max}."""
    if isinstance(value, dict) and "good_form_seconds" in value:
        _allowed(where, value, ("good_form_seconds",))
        value = value["good_form_seconds"]
    if isinstance(value, dict):
        return _range(where, value, count=False)
    seconds = _number(where, value)
    return Range(seconds - tolerance, seconds + tolerance, f"{seconds:.2f} ± {tolerance:g} s")


def _rep(where: str, value: Any) -> Range:
    """A whole number, {count = n} or {min, max}."""
    if isinstance(value, dict) and "count" in value:
        _allowed(where, value, ("count",))
        value = value["count"]
    if isinstance(value, dict):
        return _range(where, value, count=True)
    count = _count(where, value)
    return Range(count, count, str(count))


def _sides(where: str, table: dict[str, Any]) -> dict[str, Any]:
    _allowed(where, table, SIDE_KEYS)
    return table


def _windows(where: str, value: Any) -> tuple[tuple[float, float], ...]:
    shape = "a list of [start, end] pairs in seconds"
    if not isinstance(value, list):
        raise InputError(f"{where}: must be {shape}")
    out = []
    for i, pair in enumerate(value):
        if not isinstance(pair, list) or len(pair) != 2:
            raise InputError(f"{where}[{i}]: must be [start, end] in seconds")
        start, end = _number(f"{where}[{i}]", pair[0]), _number(f"{where}[{i}]", pair[1])
        if start > end:
            raise InputError(f"{where}[{i}]: starts at {start:g} s, after its end {end:g} s")
        out.append((start, end))
    return tuple(out)


def _names(where: str, value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: must be a list of quoted {what}")
    return tuple(value)


def _tolerances(where: str, value: Any, hold: float, fault: float) -> tuple[float, float]:
    table = _table(where, value, f"keys: {', '.join(TOLERANCE_KEYS)}")
    _allowed(where, table, TOLERANCE_KEYS)
    hold = _number(f"{where}.hold_seconds", table.get("hold_seconds", hold))
    fault = _number(f"{where}.fault_seconds", table.get("fault_seconds", fault))
    if hold < 0 or fault < 0:
        raise InputError(f"{where}: tolerances cannot be negative")
    return hold, fault


def _entries(where: str, value: Any, shape: str, named: str, allowed: tuple[str, ...],
             empty: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """The tables of a list such as faults or angles, each checked for its naming key and allowed keys."""
    if not isinstance(value, list):
        raise InputError(f"{where}: must be a list of {shape}{empty}")
    for i, entry in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get(named), str):
            raise InputError(f"{at}: needs {named} ({shape})")
        _allowed(at, entry, allowed)
        yield at, entry


def _faults(where: str, value: Any) -> tuple[FaultExpectation, ...]:
    items = []
    for at, fault in _entries(where, value, "{check, side, start, end}", "check", FAULT_KEYS,
                              " ([] for no fault at all)"):
        side = fault.get("side")
        if side is not None and side not in SIDE_KEYS:
            raise InputError(f"{at}.side: {side!r} is not a side (one of: {', '.join(SIDE_KEYS)})")
        # "both" names the one side of an exercise without sides, which reports no side.
        items.append(FaultExpectation(fault["check"], None if side in (None, "both") else side,
                                      _number(f"{at}.start", fault.get("start")),
                                      _number(f"{at}.end", fault.get("end"))))
    return tuple(items)


def _angles(where: str, value: Any) -> tuple[AngleBand, ...]:
    return tuple(
        AngleBand(band["name"], _number(f"{at}.mean", band.get("mean")),
                  _number(f"{at}.tolerance", band.get("tolerance", 10.0)))
        for at, band in _entries(where, value, "{name, mean, tolerance}", "name", ANGLE_KEYS)
    )


def _clip(path: Path, name: str, entry: Any, hold_tol: float, fault_tol: float) -> ClipExpectation:
    where = f"{path}: clips.{name!r}"
    entry = _table(where, entry, "the clip's exercise and expectations")
    _allowed(where, entry, CLIP_KEYS)
    if "exercise" not in entry or not isinstance(entry["exercise"], str):
        raise InputError(f"{where}.exercise: is missing (the exercise id, e.g. kneeling-hip-flexor)")
    if "tolerance" in entry:
        hold_tol, fault_tol = _tolerances(f"{where}.tolerance", entry["tolerance"], hold_tol, fault_tol)
    holds_table = _sides(f"{where}.holds", _table(f"{where}.holds", entry.get("holds", {}), "seconds per side"))
    holds = {side: _hold(f"{where}.holds.{side}", v, hold_tol) for side, v in holds_table.items()}
    reps_table = _table(f"{where}.reps", entry.get("reps", {}), "counts per side, or {min, max} over the sides")
    reps: dict[str, Range] = {}
    reps_total = None
    if reps_table and set(reps_table) <= set(RANGE_KEYS):
        reps_total = _range(f"{where}.reps", reps_table, count=True)
    else:
        reps = {side: _rep(f"{where}.reps.{side}", v) for side, v in _sides(f"{where}.reps", reps_table).items()}
    good_form = None
    if "good_form" in entry:
        good_form = _range(f"{where}.good_form", _table(f"{where}.good_form", entry["good_form"], "min, max"),
                           count=False)
    phase = entry.get("phase")
    if phase is not None and phase not in PHASES:
        raise InputError(f"{where}.phase: {phase!r} is not a phase (one of: {', '.join(PHASES)})")
    clip = (path.parent / name).resolve()
    if not clip.exists():
        raise InputError(f"{where}: the clip {clip} does not exist; fix the name or remove the entry")
    return ClipExpectation(
        clip=clip,
        exercise=entry["exercise"],
        holds=holds,
        reps=reps,
        reps_total=reps_total,
        good_form=good_form,
        faults=_faults(f"{where}.faults", entry["faults"]) if "faults" in entry else None,
        faults_include=_names(f"{where}.faults_include", entry.get("faults_include", []), "check ids"),
        faults_exclude=_names(f"{where}.faults_exclude", entry.get("faults_exclude", []), "check ids"),
        quiet=_windows(f"{where}.quiet", entry.get("quiet", [])),
        idle=_windows(f"{where}.idle", entry.get("idle", [])),
        angles=_angles(f"{where}.angles", entry.get("angles", [])),
        cues=_names(f"{where}.cues", entry.get("cues", []), "cue texts"),
        phase=phase,
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
    _allowed(f"{path}:", data, FILE_KEYS)
    hold_tol, fault_tol = _tolerances(f"{path}: tolerance", data.get("tolerance", {}), DEFAULT_TOLERANCE,
                                      DEFAULT_TOLERANCE)
    clips = data.get("clips")
    if not isinstance(clips, dict) or not clips:
        raise InputError(f"{path}: clips: no clips listed (add [clips.\"name.mp4\"] tables)")
    out = {}
    for name, entry in clips.items():
        expectation = _clip(path, name, entry, hold_tol, fault_tol)
        out[expectation.clip] = expectation
    return out
