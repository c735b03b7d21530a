"""Comparing a clip's result.json-shaped result with its expectation, field by field."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from posecoach.verify.expectations import ClipExpectation


@dataclass(frozen=True)
class Finding:
    """One compared field: `field` names it as in the expectations ("holds.left", "faults[0]")."""

    field: str
    expected: str
    got: str
    ok: bool


def _mean_over_good_form(result: dict[str, Any], name: str) -> float:
    values = []
    for frame in result["frames"]:
        if not frame.get("good_form"):
            continue
        value = frame["angles"].get(name, frame.get("measures", {}).get(name))
        if value is not None:
            values.append(value)
    return sum(values) / len(values) if values else math.nan


def compare(expectation: ClipExpectation, result: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    say = findings.append
    tol = expectation.hold_tolerance
    for side, seconds in expectation.holds.items():
        got = result["holds"].get(side, {}).get("good_form_seconds")
        ok = got is not None and abs(got - seconds) <= tol + 1e-9
        say(Finding(f"holds.{side}", f"{seconds:.2f} ± {tol:g} s", "missing" if got is None else f"{got:.2f} s", ok))
    for side, count in expectation.reps.items():
        got = result["reps"].get(side, {}).get("count")
        say(Finding(f"reps.{side}", str(count), "missing" if got is None else str(got), got == count))
    if expectation.faults is not None:
        reported = list(result["faults"])
        ftol = expectation.fault_tolerance
        for i, fault in enumerate(expectation.faults):
            match = next(
                (
                    r for r in reported
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
                reported.remove(match)
                say(Finding(f"faults[{i}]", expected, f"{match['start']:.2f}-{match['end']:.2f} s", True))
            else:
                near = [f"{r['start']:.2f}-{r['end']:.2f}" for r in reported if r["check"] == fault.check]
                say(Finding(f"faults[{i}]", expected, f"not found (reported: {', '.join(near) or 'none'})", False))
        for extra in reported:
            side = f" ({extra['side']})" if extra["side"] else ""
            say(Finding("faults", "no other faults", f"{extra['check']}{side} {extra['start']:.2f}-{extra['end']:.2f} s", False))
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
