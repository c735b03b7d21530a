"""result.json's fault intervals: one interval per fault, even when a moment of movement pauses it."""

from __future__ import annotations

from posecoach.outputs.result import ResultRecorder
from posecoach.pipeline import Step
from posecoach.records import CheckResult, CoachState, Observation, Phase, Severity, Status, Verdict
from tests.test_coach import KNEELING


def step(t: float, status: Status, reported: bool, since: float | None) -> Step:
    checks = tuple(
        CheckResult(c.id, status if c.id == "front-knee" else Status.OK, 120.0, "cue" if reported else None,
                    Severity.FAULT, reported if c.id == "front-knee" else False, since if c.id == "front-knee" else None)
        for c in KNEELING.checks
    )
    verdict = Verdict(t, True, "left", True, {m.name: 90.0 for m in KNEELING.measures}, checks)
    state = CoachState(t, Phase.ACTIVE, "left", None, {})
    return Step(Observation(0, t, (640, 480), None), verdict, state)


def test_a_fault_paused_by_movement_stays_one_interval() -> None:
    recorder = ResultRecorder(KNEELING)
    for i in range(10):
        recorder.write(step(1.0 + i * 0.1, Status.FAIL, True, 1.0))
    recorder.write(step(2.0, Status.UNKNOWN, False, None))  # a moment of movement
    for i in range(10):
        recorder.write(step(2.1 + i * 0.1, Status.FAIL, True, 1.0))
    recorder.write(step(3.1, Status.OK, False, None))
    recorder.finish()
    assert [(f["check"], f["start"], f["end"]) for f in recorder.faults] == [("front-knee", 1.0, 3.0)]


def test_separate_faults_stay_separate() -> None:
    recorder = ResultRecorder(KNEELING)
    for i in range(5):
        recorder.write(step(1.0 + i * 0.1, Status.FAIL, True, 1.0))
    recorder.write(step(1.5, Status.OK, False, None))
    for i in range(5):
        recorder.write(step(3.0 + i * 0.1, Status.FAIL, True, 3.0))
    recorder.finish()
    assert [(f["start"], f["end"]) for f in recorder.faults] == [(1.0, 1.4), (3.0, 3.4)]
