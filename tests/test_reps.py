"""Where a repetition is (RepPhase), checks judged on a rep's peak (PeakTracker), and the coach's word on a
rep just done."""

from __future__ import annotations

import math

import pytest

from posecoach.coach.session import FEEDBACK_SECONDS, Coach
from posecoach.records import CheckResult, Severity, Status, Verdict
from posecoach.rules.checks import PeakTracker
from posecoach.rules.reps import RepPhase
from posecoach.specs.schema import Check, RepsMode
from tests import poses

DT = 0.05


def mode(**fields: object) -> RepsMode:
    base: dict[str, object] = dict(kind="reps", target_reps=5, sides=False, driver="lift", top=8.0, bottom=4.0,
                                   relative=True, rest_seconds=4.0, min_phase_seconds=0.15)
    base.update(fields)
    return RepsMode.model_validate(base)


def phases(phase: RepPhase, values: list[tuple[float, float]], start: float = 0.0) -> list[bool]:
    """Feed (value, seconds) runs at 20 frames a second; the phase after each frame."""
    out, t = [], start
    for value, seconds in values:
        for _ in range(round(seconds / DT)):
            out.append(phase.update(t, value))
            t += DT
    return out


def tops(states: list[bool]) -> int:
    return sum(1 for a, b in zip(states, states[1:]) if a and not b)


def test_a_relative_rep_is_a_rise_from_where_the_person_rests() -> None:
    """Resting with the head on the hands (10 degrees) or flat (2): the same 12-degree curl is a rep."""
    for rest in (10.0, 2.0):
        states = phases(RepPhase(mode()), [(rest, 1.0), (rest + 12, 1.0), (rest, 1.0)] * 3)
        assert tops(states) == 3


def test_a_small_bob_is_no_rep_and_jitter_is_no_movement() -> None:
    states = phases(RepPhase(mode()), [(5.0, 1.0), (11.0, 1.0), (5.0, 1.0), (20.0, 0.1), (5.0, 1.0)])
    assert tops(states) == 0


def test_a_rep_ends_when_it_falls_back_as_far_as_it_rose() -> None:
    """People come back only part of the way between reps: from a peak of 24 down to 14 (rest 7) ends it, and
    the next curl from 14 counts."""
    states = phases(RepPhase(mode()), [(7.0, 1.0), (24.0, 1.0), (14.0, 1.0), (24.0, 1.0), (7.0, 1.0)])
    assert tops(states) == 2


def test_an_absolute_rep_keeps_its_thresholds() -> None:
    absolute = mode(relative=False, top=143.0, bottom=140.5)
    states = phases(RepPhase(absolute), [(130.0, 1.0), (175.0, 1.0), (142.0, 1.0), (130.0, 1.0)])
    assert tops(states) == 1 and states.index(False, 25) > 40  # 142 is still the top


def test_unknown_values_change_nothing() -> None:
    states = phases(RepPhase(mode()), [(5.0, 1.0), (math.nan, 1.0), (20.0, 1.0), (math.nan, 1.0), (5.0, 1.0)])
    assert tops(states) == 1


def test_relative_thresholds_must_be_moves_away_from_rest() -> None:
    with pytest.raises(ValueError, match="moves away from rest"):
        mode(top=8.0, bottom=-2.0)


# --- checks judged on the peak ----------------------------------------------------------------------------
HIPS_HIGH = Check(id="hips-high", measure="hip_extension", describe="High enough.", min=160.0, hysteresis=4.0,
                  cue_low="Lift your hips higher", min_seconds=0.6, when="peak")


def peak(values: list[tuple[float, float, bool]]) -> list[CheckResult]:
    """(value, seconds, at the top) runs at 20 frames a second, judged still."""
    tracker, out, t = PeakTracker(HIPS_HIGH), [], 0.0
    for value, seconds, at_top in values:
        for _ in range(round(seconds / DT)):
            out.append(tracker.update(t, value, at_top, True, True))
            t += DT
    return out


def test_a_pause_on_the_way_to_a_full_top_is_no_fault() -> None:
    results = peak([(130.0, 1.0, False), (155.0, 2.0, True), (178.0, 1.0, True), (130.0, 1.0, False)])
    assert all(r.status is not Status.FAIL for r in results)
    assert {r.status for r in results[20:60]} == {Status.UNKNOWN}  # not yet judged during the pause
    assert results[70].status is Status.OK


def test_a_low_top_is_a_fault_found_as_the_rep_ends_and_dated_over_the_top() -> None:
    results = peak([(130.0, 1.0, False), (150.0, 1.5, True), (130.0, 1.0, False)])
    (failed,) = [(i, r) for i, r in enumerate(results) if r.status is Status.FAIL]
    index, result = failed
    assert index == 50 and result.reported and result.cue == "Lift your hips higher"
    assert (result.since, result.until) == pytest.approx((1.0, 2.45))
    brief = peak([(130.0, 1.0, False), (150.0, 0.4, True), (130.0, 1.0, False)])
    assert [r.reported for r in brief if r.status is Status.FAIL] == [False]  # under the minimum duration


def test_the_coach_keeps_saying_a_reps_fault_for_a_while() -> None:
    bridge = poses.shipped("glute-bridge")
    coach = Coach(bridge)
    fault = CheckResult("hips-high", Status.FAIL, 150.0, "Lift your hips higher", Severity.FAULT, True, 1.0, 2.4)

    def state(t: float, checks: tuple[CheckResult, ...]) -> str | None:
        verdict = Verdict(t, True, None, True, {"hip_extension": 130.0}, checks, {}, None, True, False)
        return coach.update(verdict).cue

    quiet = tuple(CheckResult(c.id, Status.UNKNOWN, math.nan, None, Severity(c.severity)) for c in bridge.checks)
    assert state(2.5, (fault, quiet[1])) == "Lift your hips higher"
    assert state(2.5 + FEEDBACK_SECONDS - 0.1, quiet) == "Lift your hips higher"
    assert state(2.5 + FEEDBACK_SECONDS + 0.1, quiet) is None
