"""Comparing a clip's result.json-shaped result with its expectation, field by field."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from posecoach.verify.expectations import ClipExpectation, Range


@dataclass(frozen=True)
class Finding:
    """One compared field: `field` names it as in the expectations ("holds.left", "faults[0]")."""

    field: str
    expected: str
    got: str
    ok: bool


def _mean_over_good_form(result: Mapping[str, Any], name: str) -> float:
    values = []
    for frame in result["frames"]:
        if not frame.get("good_form"):
            continue
        value = frame["angles"].get(name, frame.get("measures", {}).get(name))
        if value is not None:
            values.append(value)
    return sum(values) / len(values) if values else math.nan


def _good_form_frames(frames: Sequence[Mapping[str, Any]], start: float = -math.inf, end: float = math.inf) -> float:
    """Seconds of frame time counted as good form within (start, end]: a frame's time is the interval that
    ends at it, as the hold timer counts it."""
    seconds = 0.0
    for before, frame in zip(frames, frames[1:]):
        if frame.get("good_form") and start < frame["t"] <= end:
            seconds += frame["t"] - before["t"]
    return seconds


def good_form_seconds(result: Mapping[str, Any]) -> float:
    """Good-form seconds summed over the sides: the holds' (credited doubt included) for a hold, else the
    frames counted as good form (the tops of repetitions)."""
    if result.get("holds"):
        return float(sum(h["good_form_seconds"] for h in result["holds"].values()))
    return _good_form_frames(result["frames"])


def reported_faults(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """result.json's fault intervals of checks of severity fault (hints are advice, never faults)."""
    return [f for f in result["faults"] if f.get("severity", "fault") == "fault"]


def _interval(fault: Mapping[str, Any]) -> str:
    side = f" ({fault['side']})" if fault.get("side") else ""
    return f"{fault['check']}{side} {fault['start']:.2f}-{fault['end']:.2f} s"


def _in(range_: Range, value: float | None, field: str, unit: str = "") -> Finding:
    if value is None:
        return Finding(field, range_.text, "missing", False)
    shown = f"{value:.2f} s" if unit == "s" else f"{value:g}"
    return Finding(field, range_.text, shown, value in range_)


def compare(expectation: ClipExpectation, result: Mapping[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    say = findings.append
    for side, range_ in expectation.holds.items():
        say(_in(range_, result["holds"].get(side, {}).get("good_form_seconds"), f"holds.{side}", "s"))
    for side, range_ in expectation.reps.items():
        say(_in(range_, result["reps"].get(side, {}).get("count"), f"reps.{side}"))
    if expectation.reps_total is not None:
        say(_in(expectation.reps_total, sum(r["count"] for r in result["reps"].values()), "reps"))
    if expectation.good_form is not None:
        say(_in(expectation.good_form, round(good_form_seconds(result), 2), "good_form", "s"))
    faults = reported_faults(result)
    if expectation.faults is not None:
        unmatched = list(faults)
        ftol = expectation.fault_tolerance
        for i, fault in enumerate(expectation.faults):
            match = next(
                (
                    r for r in unmatched
                    if r["check"] == fault.check
                    and (fault.side is None or r["side"] == fault.side)
                    and abs(r["start"] - fault.start) <= ftol + 1e-9
                    and abs(r["end"] - fault.end) <= ftol + 1e-9
                ),
                None,
            )
            side = f" ({fault.side})" if fault.side else ""
            expected = f"{fault.check}{side} {fault.start:.2f}-{fault.end:.2f} s ± {ftol:g}"
            if match is not None:
                unmatched.remove(match)
                say(Finding(f"faults[{i}]", expected, f"{match['start']:.2f}-{match['end']:.2f} s", True))
            else:
                near = [f"{r['start']:.2f}-{r['end']:.2f}" for r in unmatched if r["check"] == fault.check]
                say(Finding(f"faults[{i}]", expected, f"not found (reported: {', '.join(near) or 'none'})", False))
        for extra in unmatched:
            say(Finding("faults", "no other faults" if expectation.faults else "no faults", _interval(extra), False))
        if not expectation.faults and not unmatched:
            say(Finding("faults", "no faults", "none", True))
    for check in expectation.faults_include:
        found = [f for f in faults if f["check"] == check]
        got = ", ".join(_interval(f) for f in found) if found else "never reported"
        say(Finding("faults_include", f"{check} reported", got, bool(found)))
    for check in expectation.faults_exclude:
        found = [f for f in faults if f["check"] == check]
        got = ", ".join(_interval(f) for f in found) if found else "never reported"
        say(Finding("faults_exclude", f"{check} never reported", got, not found))
    for start, end in expectation.quiet:
        inside = [f for f in faults if f["start"] < end and f["end"] > start]
        got = ", ".join(_interval(f) for f in inside) if inside else "none"
        say(Finding("quiet", f"no fault within {start:g}-{end:g} s", got, not inside))
    for start, end in expectation.idle:
        seconds = _good_form_frames(result["frames"], start, end)
        say(Finding("idle", f"no good-form time within {start:g}-{end:g} s", f"{seconds:.2f} s", seconds <= 1e-9))
    for band in expectation.angles:
        mean = _mean_over_good_form(result, band.name)
        ok = not math.isnan(mean) and abs(mean - band.mean) <= band.tolerance
        got = "no good-form frames" if math.isnan(mean) else f"{mean:.1f}"
        say(Finding(f"angles.{band.name}", f"{band.mean:g} ± {band.tolerance:g}", got, ok))
    shown = {frame.get("cue") for frame in result["frames"]}
    for cue in expectation.cues:
        say(Finding("cues", repr(cue), "shown" if cue in shown else "never shown", cue in shown))
    if expectation.phase is not None:
        phase = result["summary"].get("phase")
        say(Finding("phase", expectation.phase, str(phase), phase == expectation.phase))
    return findings
