"""Set-up before judging: nothing is judged (so no fault starts) before the set-up is confirmed; the view is
judged over time from the picture and the world landmarks; the light is the person's; a limb out of the
picture is unknown and never stops the exercise."""

from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np
import pytest

from posecoach.coach.session import Coach
from posecoach.coach.setup import (
    BODY_OUT,
    DARK,
    SETUP_ENTER,
    SETUP_LEAVE,
    TURN_SIDE,
    ViewGate,
    shoulder_yaw,
)
from posecoach.landmarks import SKELETON
from posecoach.outputs.result import ResultRecorder
from posecoach.pipeline import Step
from posecoach.pose.light import person_brightness, picture_brightness
from posecoach.records import Observation, Phase, Pose, Status
from posecoach.rules.engine import RuleEngine
from posecoach.rules.registry import builtin_rules
from posecoach.specs.schema import SideOn
from tests import poses

RULES = builtin_rules()
KNEELING = poses.shipped("kneeling-hip-flexor", RULES)
FPS = 30
DT = 1 / FPS
GOOD = poses.kneeling("left", 90.0)
FAULT = poses.kneeling("left", 125.0)


def turned(observation: Observation, degrees: float) -> Observation:
    """The observation with its world landmarks turned about the vertical axis: the body turned toward the
    camera by `degrees` from side-on."""
    assert observation.pose is not None
    a = math.radians(degrees)
    world = observation.pose.world.astype(np.float64)
    x, z = world[:, 0].copy(), world[:, 2].copy()
    world[:, 0], world[:, 2] = x * math.cos(a) + z * math.sin(a), -x * math.sin(a) + z * math.cos(a)
    return dataclasses.replace(observation, pose=Pose(observation.pose.image, world.astype(np.float32)))


def feed(image: np.ndarray | None, seconds: float, *, start: float = 0.0, engine: RuleEngine | None = None,
         coach: Coach | None = None, recorder: ResultRecorder | None = None, change=None):  # type: ignore[no-untyped-def]
    """Frames of `image` at 30 per second through an engine and a coach; yields (verdict, state)."""
    engine = engine or RuleEngine(KNEELING, RULES)
    coach = coach or Coach(KNEELING)
    for i in range(round(seconds * FPS)):
        t = start + i * DT
        observation = poses.observe(image, t, i)
        if change is not None:
            observation = change(observation)
        verdict = engine.update(observation)
        state = coach.update(verdict)
        if recorder is not None:
            recorder.write(Step(observation, verdict, state))
        yield verdict, state


def test_no_fault_is_judged_or_reported_before_the_set_up_is_confirmed() -> None:
    """A person already in a faulty pose when the camera starts: faults date from when judging began."""
    recorder = ResultRecorder(KNEELING)
    steps = list(feed(FAULT, 3.0, recorder=recorder))
    setting_up = [v for v, _ in steps if not v.ready]
    assert setting_up and setting_up[-1].t >= SETUP_ENTER - 2 * DT
    assert all(c.status is not Status.FAIL for v in setting_up for c in v.checks)
    assert all(s.phase is Phase.SETUP for v, s in steps if not v.ready)
    result = recorder.result(video="x", model="full", fps=FPS, size=poses.SIZE)
    assert result["faults"] and all(f["start"] >= SETUP_ENTER - 1e-6 for f in result["faults"])


def shifted(image: np.ndarray, pixels: float) -> np.ndarray:
    """The same pose moved `pixels` to the right in the picture (every angle unchanged)."""
    out = image.copy()
    out[:, 0] += pixels / poses.WIDTH
    return out


def test_a_limb_out_of_the_picture_is_unknown_never_a_fault() -> None:
    """The faulty pose moved right until the front ankle (441.6 px) lies beyond the picture's edge, or just
    inside it: its knee is unseen, not bent out. The same pose in view is a fault."""
    in_view = list(feed(shifted(FAULT, 150.0), 3.0))
    assert in_view[-1][0].check("front-knee").status is Status.FAIL
    for pixels in (200.0, 196.0):
        steps = list(feed(shifted(FAULT, pixels), 3.0))
        verdict = steps[-1][0]
        assert verdict.check("front-knee").status is Status.UNKNOWN
        assert not any(c.status is Status.FAIL for v, _ in steps for c in v.checks if c.id == "front-knee")


def test_a_limb_out_of_the_picture_does_not_stop_the_exercise() -> None:
    """The head cut off by the top edge: the kneeling checks need no head, so the hold goes on and the coach
    asks the person to step back only because it has nothing more important to say."""
    image = poses.moved(GOOD, "nose", 330.0, -10.0)
    verdict, state = list(feed(image, 3.0))[-1]
    assert verdict.setup == BODY_OUT and verdict.ready
    assert state.phase is Phase.ACTIVE and state.counting and state.cue == BODY_OUT


def test_a_turned_body_is_told_to_turn_though_its_shoulders_look_narrow() -> None:
    """At 45 degrees round the picture's shoulders can stay narrow on real people; the world line does not."""
    steps = list(feed(GOOD, 4.0, change=lambda o: turned(o, 45.0)))
    assert all(v.setup == TURN_SIDE for v, _ in steps[FPS:])
    assert not any(v.ready for v, _ in steps)
    assert steps[-1][1].cue == TURN_SIDE
    side_on = list(feed(GOOD, 3.0, change=lambda o: turned(o, 10.0)))
    assert side_on[-1][0].setup is None and side_on[-1][1].phase is Phase.ACTIVE


def test_the_view_is_judged_on_a_second_of_estimates_with_hysteresis() -> None:
    gate = ViewGate("side", SideOn())
    t = 0.0
    for _ in range(FPS):  # a second side-on
        assert not gate.update(t, 0.1, 5.0)
        t += DT
    flips = [gate.update(t + i * DT, 0.1, 40.0) for i in range(FPS)]
    assert not flips[0] and flips[-1]  # a turn counts once the median has turned
    t += FPS * DT
    # Just under the cut-off is not enough to count as side-on again; well under it is.
    assert all(gate.update(t + i * DT, 0.1, 28.0) for i in range(2 * FPS))
    t += 2 * FPS * DT
    assert not [gate.update(t + i * DT, 0.1, 10.0) for i in range(2 * FPS)][-1]


def test_an_exercise_may_be_judged_further_round() -> None:
    bridge = poses.shipped("glute-bridge", RULES)
    default, wider = ViewGate("side", SideOn()), ViewGate("side", bridge.side_on)
    results = [(default.update(i * DT, 0.5, 40.0), wider.update(i * DT, 0.5, 40.0)) for i in range(FPS)]
    assert results[-1] == (True, False)


def test_shoulder_yaw_reads_side_on_as_zero_and_facing_as_ninety() -> None:
    world = np.zeros((2, 33, 3))
    world[0, 11], world[0, 12] = (0.0, 0.0, -0.2), (0.0, 0.0, 0.2)
    world[1, 11], world[1, 12] = (-0.2, 0.0, 0.0), (0.2, 0.0, 0.0)
    assert np.allclose(shoulder_yaw(world), [0.0, 90.0])


def test_the_set_up_needs_a_clean_second_and_forgives_a_short_blip() -> None:
    engine = RuleEngine(KNEELING, RULES)
    t, i = 0.0, 0

    def frame(people: int = 1, image: np.ndarray = GOOD) -> bool:
        nonlocal t, i
        verdict = engine.update(poses.observe(image, t, i, people=people))
        t, i = t + DT, i + 1
        return verdict.ready

    assert not any(frame() for _ in range(round(SETUP_ENTER * FPS)))  # t = 0 to just under a second
    assert frame()
    # A crowd for less than the leave time keeps the set-up; a limb out of the picture never ends it.
    assert all(frame(people=2) for _ in range(round((SETUP_LEAVE - 0.5) * FPS)))
    head_cut = poses.moved(GOOD, "nose", 330.0, -10.0)
    assert all(frame(image=head_cut) for _ in range(5 * FPS))
    assert not [frame(people=2) for _ in range(round((SETUP_LEAVE + 0.1) * FPS))][-1]


@pytest.mark.parametrize(("picture", "person", "dark"), [(20.0, 120.0, False), (140.0, 18.0, True),
                                                         (18.0, math.nan, True), (90.0, math.nan, False)])
def test_the_light_judged_is_on_the_person(picture: float, person: float, dark: bool) -> None:
    """A lit person in front of a black wall is not too dark; a person in the dark is, whatever the window."""
    change = lambda o: dataclasses.replace(o, brightness=picture, person_brightness=person)  # noqa: E731
    verdict, state = list(feed(GOOD, 0.5, change=change))[-1]
    assert (verdict.setup == DARK) is dark
    assert (state.cue == DARK) is dark


def test_person_brightness_is_the_light_on_the_body_not_on_the_backdrop() -> None:
    """A lit figure in a black picture: along its bones the picture is bright, though most of the box around
    it (and the picture) is black."""
    image = np.zeros((480, 640, 3), np.uint8)
    landmarks = poses.kneeling("left")
    px = landmarks[:, :2] * np.array([640, 480])
    for a, b in SKELETON:  # the body: thick bright limbs, BGR grey 0.114*60 + 0.587*120 + 0.299*180 = 131.5
        cv2.line(image, tuple(int(v) for v in px[a]), tuple(int(v) for v in px[b]), (60, 120, 180), 9)
    assert person_brightness(image, landmarks) == pytest.approx(131.5, abs=3.0)
    assert picture_brightness(image) < 15.0
    unsure = landmarks.copy()
    unsure[:, 3] = 0.2  # nothing seen surely enough to stand on
    assert math.isnan(person_brightness(image, unsure))
