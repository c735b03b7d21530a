"""The rule engine on constructed landmark tracks: measures, the visibility gate, sides and checks over time."""

from __future__ import annotations

import math
import tomllib

import numpy as np
import pytest

from posecoach.records import Status
from posecoach.rules.body import Body
from posecoach.rules.checks import CheckTracker, Debounce
from posecoach.rules.engine import RuleEngine
from posecoach.rules.measures import Measurer
from posecoach.rules.modules.couch import back_foot_up
from posecoach.rules.modules.piriformis import ankle_on_knee
from posecoach.rules.registry import builtin_rules
from posecoach.rules.sides import UNDECIDED, SideTracker
from posecoach.specs.schema import Check, Exercise
from tests import poses

RULES = builtin_rules()
KNEELING = poses.shipped("kneeling-hip-flexor", RULES)
DT = 1 / 30

HEAD = """
id = "measure-test"
name = "Measure test"
summary = "Every kind of measure."
view = "side"
setup = "Side-on."
steps = ["Kneel."]
safety = ["Gently."]

[mode]
kind = "hold"
target_seconds = 10
sides = true

[sides]
roles = ["front", "back"]
decide = "higher"
part = "knee"

[position]
cue = "Kneel"
requires = [{ measure = "front_knee", max = 150 }]

[[checks]]
id = "front-knee"
measure = "front_knee"
describe = "Right angle."
target = 90
tolerance = 15
cue_low = "Foot forward"
cue_high = "Foot back"
"""

MEASURES = """
[[measures]]
name = "front_knee"
kind = "angle"
points = ["front.hip", "front.knee", "front.ankle"]
describe = "Front knee angle."

[[measures]]
name = "front_knee_bend"
kind = "bend"
points = ["front.hip", "front.knee", "front.ankle"]
describe = "Front knee bend."

[[measures]]
name = "front_hip_flexion"
kind = "segments"
points = ["mid.hip", "mid.shoulder", "front.hip", "front.knee"]
describe = "Trunk line against the front thigh."

[[measures]]
name = "torso_unsigned"
kind = "inclination"
points = ["mid.hip", "mid.shoulder"]
reference = "vertical"
describe = "Torso from vertical."

[[measures]]
name = "torso_signed"
kind = "inclination"
points = ["mid.hip", "mid.shoulder"]
reference = "vertical"
toward = "front.knee"
describe = "Torso lean toward the front knee."

[[measures]]
name = "back_leg_rise"
kind = "inclination"
points = ["back.ankle", "back.hip"]
reference = "horizontal"
describe = "Back ankle to hip above horizontal."

[[measures]]
name = "knee_gap"
kind = "distance"
points = ["back.knee", "front.ankle"]
scale = ["front.hip", "front.knee"]
describe = "Back knee to front ankle."

[[measures]]
name = "front_knee_height"
kind = "height"
points = ["front.knee", "back.knee"]
scale = ["front.hip", "front.knee"]
describe = "Front knee above back knee."

[[measures]]
name = "back_knee_height"
kind = "height"
points = ["back.knee", "front.knee"]
scale = ["front.hip", "front.knee"]
describe = "Back knee above front knee (negative: below)."

[[measures]]
name = "back_knee_height_abs"
kind = "height"
points = ["back.knee", "front.knee"]
scale = ["front.hip", "front.knee"]
absolute = true
describe = "Back knee to front knee height difference."

[[measures]]
name = "front_knee_over_floor"
kind = "line_offset"
points = ["front.knee", "back.knee", "back.ankle"]
scale = ["front.hip", "front.knee"]
describe = "Front knee above the back shin's line."

[[measures]]
name = "back_knee_under_thigh"
kind = "line_offset"
points = ["back.knee", "front.hip", "front.knee"]
scale = ["front.hip", "front.knee"]
describe = "Back knee relative to the front thigh's line."

[[measures]]
name = "back_foot"
kind = "rule"
rule = "couch.back_foot_up"
describe = "Back shin elevation."
"""


def exercise(text: str = HEAD + MEASURES) -> Exercise:
    return Exercise.model_validate(tomllib.loads(text))


def measure(images: list[np.ndarray], side: int | list[int] = 0, ex: Exercise | None = None) -> dict[str, np.ndarray]:
    engine = RuleEngine(ex or exercise(), RULES)
    image, world = poses.track(images)
    sides = np.array(side if isinstance(side, list) else [side] * len(images), dtype=np.int8)
    return engine.measure_track(image, world, sides, poses.ASPECT).values


def one(values: dict[str, np.ndarray], name: str) -> float:
    return float(values[name][0])


# --- measure kinds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("angle", [70.0, 90.0, 125.0, 160.0])
def test_angle_and_bend(angle):
    values = measure([poses.kneeling("left", angle)])
    assert one(values, "front_knee") == pytest.approx(angle, abs=1e-3)
    assert one(values, "front_knee_bend") == pytest.approx(180.0 - angle, abs=1e-3)


def test_measures_are_vectorised_over_frames():
    angles = [80.0, 90.0, 100.0, 110.0, 120.0]
    values = measure([poses.kneeling("left", a) for a in angles])
    assert values["front_knee"].shape == (5,)
    np.testing.assert_allclose(values["front_knee"], angles, atol=1e-3)


@pytest.mark.parametrize("lean", [-20.0, 0.0, 15.0, 30.0])
def test_inclination_from_vertical_unsigned_and_signed(lean):
    values = measure([poses.kneeling("left", 90.0, lean)])
    # Both shoulders and both hips sit symmetrically about the torso line, so the midpoints lean by `lean`.
    assert one(values, "torso_unsigned") == pytest.approx(abs(lean), abs=1e-3)
    if lean == 0.0:
        assert one(values, "torso_signed") == pytest.approx(0.0, abs=1e-3)
    else:
        assert one(values, "torso_signed") == pytest.approx(lean, abs=1e-3)


def test_signed_lean_follows_the_front_knee_when_facing_the_other_way():
    values = measure([poses.kneeling("left", 90.0, 15.0, mirror=True)])
    assert one(values, "torso_signed") == pytest.approx(15.0, abs=1e-3)
    values = measure([poses.kneeling("left", 90.0, -12.0, mirror=True)])
    assert one(values, "torso_signed") == pytest.approx(-12.0, abs=1e-3)


def test_inclination_from_horizontal():
    values = measure([poses.kneeling("left")])
    # back ankle (200, 380) to back hip (300, 290) in pixels: up and forward.
    expected = math.degrees(math.atan2(90.0, 100.0))
    assert one(values, "back_leg_rise") == pytest.approx(expected, abs=1e-3)


def test_segments_angle_is_trunk_line_against_thigh_line():
    values = measure([poses.kneeling("left", lean=10.0)])
    # The trunk leans 10 degrees from vertical toward the front knee; the front thigh is horizontal.
    assert one(values, "front_hip_flexion") == pytest.approx(80.0, abs=1e-3)


def test_distance_is_scaled_by_the_segment():
    values = measure([poses.kneeling("left")])
    # back knee (280, 380) to front ankle (390, 380) over the front thigh (300, 290)-(390, 290).
    assert one(values, "knee_gap") == pytest.approx(110.0 / 90.0, abs=1e-4)


def test_height_with_and_without_absolute():
    values = measure([poses.kneeling("left")])
    assert one(values, "front_knee_height") == pytest.approx(90.0 / 90.0, abs=1e-4)
    assert one(values, "back_knee_height") == pytest.approx(-90.0 / 90.0, abs=1e-4)
    assert one(values, "back_knee_height_abs") == pytest.approx(90.0 / 90.0, abs=1e-4)


def test_line_offset_sign_above_and_below():
    values = measure([poses.kneeling("left")])
    # The front knee is 90 px above the floor line of the back shin; the back knee 90 px below the thigh's line.
    assert one(values, "front_knee_over_floor") == pytest.approx(90.0 / 90.0, abs=1e-4)
    assert one(values, "back_knee_under_thigh") == pytest.approx(-90.0 / 90.0, abs=1e-4)


def test_rule_measure_runs_the_registered_module():
    values = measure([poses.kneeling("left")])
    # The back shin lies flat on the floor behind the knee.
    assert one(values, "back_foot") == pytest.approx(0.0, abs=1e-6)


def test_role_points_are_nan_while_the_side_is_undecided():
    values = measure([poses.kneeling("left")], side=UNDECIDED)
    assert math.isnan(one(values, "front_knee"))
    # mid. points need no side.
    assert one(values, "torso_unsigned") == pytest.approx(poses.DEFAULT_LEAN, abs=1e-3)


def test_measurer_on_a_body_binds_roles_by_side():
    image, world = poses.track([poses.kneeling("right", 100.0)])
    measurer = Measurer(exercise(), RULES)
    right = measurer(Body(image, world, np.array([1], np.int8), ("front", "back"), poses.ASPECT))
    assert float(right.values["front_knee"][0]) == pytest.approx(100.0, abs=1e-3)
    wrong = measurer(Body(image, world, np.array([0], np.int8), ("front", "back"), poses.ASPECT))
    # Bound the wrong way round, the "front" knee is the kneeling one.
    assert float(wrong.values["front_knee"][0]) != pytest.approx(100.0, abs=1.0)


# --- the visibility gate -----------------------------------------------------------------------------------


def test_visibility_gate_makes_values_nan_and_names_the_unseen_point():
    image = poses.with_visibility(poses.kneeling("left"), "right_knee", 0.1)
    engine = RuleEngine(KNEELING, RULES)
    stack, world = poses.track([image])
    result = engine.measure_track(stack, world, np.array([0], np.int8), poses.ASPECT)
    assert math.isnan(float(result.values["back_knee"][0]))
    assert math.isnan(float(result.values["back_shin_lift"][0]))
    assert float(result.values["front_knee"][0]) == pytest.approx(90.0, abs=1e-3)
    assert int(result.unseen["back_shin_lift"][0]) == 1  # back.knee is its second point
    assert int(result.unseen["front_knee"][0]) == -1


def test_unseen_back_knee_reads_unknown_with_a_cue_never_fail():
    engine = RuleEngine(KNEELING, RULES)
    good = poses.kneeling("left")
    t = 0.0
    # Past the second of set-up after which form is judged.
    for i in range(40):
        verdict = engine.update(poses.observe(good, t, i))
        t += DT
    assert verdict.ready and verdict.in_position
    assert verdict.check("back-knee-down").status is Status.OK
    hidden = poses.with_visibility(good, "right_knee", 0.1)
    for i in range(30):
        verdict = engine.update(poses.observe(hidden, t, 40 + i))
        t += DT
        result = verdict.check("back-knee-down")
        assert result.status is Status.UNKNOWN
        assert result.cue == "I can't see your back knee"
        assert not result.reported
        assert all(c.status is not Status.FAIL for c in verdict.checks)
    assert verdict.in_position  # unknown input leaves the position as it was
    assert verdict.check("front-knee").status is Status.OK


# --- sides -------------------------------------------------------------------------------------------------


def test_front_is_the_higher_knee():
    engine = RuleEngine(KNEELING, RULES)
    image = np.stack([poses.kneeling("left"), poses.kneeling("right"), poses.kneeling("left", mirror=True)])
    assert engine.raw_sides(image, poses.ASPECT).tolist() == [0, 1, 0]


def test_knees_level_within_the_margin_is_undecided():
    engine = RuleEngine(KNEELING, RULES)
    image = poses.moved(poses.kneeling("left"), "right_knee", 280.0, 300.0)  # 10 px = 0.02 < margin 0.04
    assert engine.raw_sides(image[np.newaxis], poses.ASPECT).tolist() == [UNDECIDED]


@pytest.mark.parametrize(("front", "mirror"), [("left", False), ("right", False), ("left", True), ("right", True)])
def test_engine_binds_the_front_leg(front, mirror):
    engine = RuleEngine(KNEELING, RULES)
    verdict = engine.update(poses.observe(poses.kneeling(front, 100.0, mirror=mirror), 0.0))
    assert verdict.side == front
    assert verdict.measures["front_knee"] == pytest.approx(100.0, abs=1e-3)
    assert verdict.points["front.knee"] == (25 if front == "left" else 26)
    assert verdict.points["back.knee"] == (26 if front == "left" else 25)


def test_side_tracker_ignores_brief_contrary_evidence_and_flips_after_settling():
    tracker = SideTracker(0.5)
    assert tracker.update(0.0, UNDECIDED, False) == UNDECIDED
    assert tracker.update(0.1, 0, False) == 0  # the first decision is taken at once
    for t in (0.2, 0.3, 0.4):
        assert tracker.update(t, 1, False) == 0
    assert tracker.update(0.5, 0, False) == 0  # back to the old side: the candidate is dropped
    assert tracker.update(0.6, 1, False) == 0
    assert tracker.update(0.9, 1, False) == 0
    assert tracker.update(1.1, 1, False) == 1  # persisted the settle time
    assert tracker.update(1.2, UNDECIDED, False) == 1  # an undecided frame keeps the side


def test_side_tracker_holds_longer_while_in_position():
    tracker = SideTracker(0.5)
    tracker.update(0.0, 0, True)
    for t in np.arange(0.1, 1.55, 0.1):
        assert tracker.update(float(t), 1, True) == 0, t
    assert tracker.update(1.7, 1, True) == 1


def test_side_tracker_keeps_the_short_settle_for_a_side_seen_before_the_position_came_on():
    # Changing sides: the new side shows while setting up, and the position (judged with the old side's
    # roles) comes on a moment later; the new side still takes over after the short settle time.
    tracker = SideTracker(0.5)
    tracker.update(0.0, 0, True)
    tracker.update(0.1, 1, False)
    for t in (0.2, 0.3, 0.4, 0.5):
        assert tracker.update(t, 1, True) == 0, t
    assert tracker.update(0.65, 1, True) == 1


def test_engine_side_survives_a_few_mirrored_frames():
    engine = RuleEngine(KNEELING, RULES)
    left, right = poses.kneeling("left"), poses.kneeling("right")
    t = 0.0
    for i in range(15):
        verdict = engine.update(poses.observe(left, t, i))
        t += DT
    assert verdict.side == "left" and verdict.in_position
    for i in range(5):
        verdict = engine.update(poses.observe(right, t, i))
        t += DT
        assert verdict.side == "left"
    for i in range(60):  # 2 s of the other leg forward
        verdict = engine.update(poses.observe(right, t, i))
        t += DT
    assert verdict.side == "right"


# --- checks over time --------------------------------------------------------------------------------------


def _check(**fields) -> Check:
    base = dict(id="front-knee", measure="front_knee", describe="Right angle.", target=90.0, tolerance=15.0,
                cue_low="Foot forward", cue_high="Foot back", min_seconds=0.5, hysteresis=3.0)
    base.update(fields)
    return Check.model_validate(base)


def test_check_hysteresis_does_not_flicker_at_the_edge():
    tracker = CheckTracker(_check(min_seconds=0.0))
    statuses = [tracker.update(i * 0.1, v, True).status for i, v in enumerate([104.0, 106.0, 104.0, 106.0, 103.0, 104.5])]
    assert statuses == [Status.OK] + [Status.FAIL] * 5
    assert tracker.update(0.7, 101.5, True).status is Status.OK  # back inside by more than the margin
    assert tracker.update(0.8, 104.0, True).status is Status.OK  # and ok again up to the plain edge


def test_check_hysteresis_at_the_low_edge():
    tracker = CheckTracker(_check(min_seconds=0.0))
    values = [76.0, 74.0, 76.0, 77.5, 78.5]
    results = [tracker.update(i * 0.1, v, True) for i, v in enumerate(values)]
    assert [r.status for r in results] == [Status.OK, Status.FAIL, Status.FAIL, Status.FAIL, Status.OK]
    assert results[1].cue == "Foot forward"


def test_check_without_hysteresis_follows_the_edge():
    tracker = CheckTracker(_check(min_seconds=0.0, hysteresis=0.0))
    statuses = [tracker.update(i * 0.1, v, True).status for i, v in enumerate([104.0, 106.0, 104.0])]
    assert statuses == [Status.OK, Status.FAIL, Status.OK]


def test_check_is_reported_only_after_its_minimum_duration():
    tracker = CheckTracker(_check())
    assert tracker.update(0.9, 95.0, True).status is Status.OK
    first = tracker.update(1.0, 125.0, True)
    assert first.status is Status.FAIL and not first.reported
    assert first.since == pytest.approx(1.0)
    assert first.cue == "Foot back"
    early = tracker.update(1.45, 125.0, True)
    assert not early.reported and early.since == pytest.approx(1.0)
    late = tracker.update(1.5, 126.0, True)
    assert late.reported and late.since == pytest.approx(1.0)
    ok = tracker.update(1.6, 90.0, True)
    assert ok.status is Status.OK and not ok.reported and ok.since is None


def test_a_failure_changing_direction_restarts_its_timer():
    tracker = CheckTracker(_check())
    tracker.update(0.0, 125.0, True)
    assert tracker.update(0.6, 125.0, True).reported
    low = tracker.update(0.7, 60.0, True)
    assert low.cue == "Foot forward" and low.since == pytest.approx(0.7) and not low.reported


def test_inactive_checks_read_unknown():
    tracker = CheckTracker(_check())
    tracker.update(0.0, 125.0, True)
    inactive = tracker.update(1.0, 125.0, False, "I can't see your knee")
    assert inactive.status is Status.UNKNOWN and inactive.cue is None and not inactive.reported
    unseen = tracker.update(1.1, float("nan"), True, "I can't see your knee")
    assert unseen.status is Status.UNKNOWN and unseen.cue == "I can't see your knee"
    again = tracker.update(1.2, 125.0, True)
    assert again.since == pytest.approx(1.2) and not again.reported  # the failure starts over


def test_engine_checks_are_unknown_out_of_position():
    engine = RuleEngine(KNEELING, RULES)
    verdict = engine.update(poses.observe(poses.kneeling("left", 170.0), 0.0))
    assert not verdict.in_position
    assert all(c.status is Status.UNKNOWN and c.cue is None for c in verdict.checks)
    nobody = engine.update(poses.observe(None, 0.1))
    assert not nobody.pose_found and all(c.status is Status.UNKNOWN for c in nobody.checks)


def test_debounce_enters_and_leaves_after_its_times():
    debounce = Debounce(0.3, 0.5)
    assert not debounce.update(0.0, True)
    assert not debounce.update(0.2, True)
    assert debounce.update(0.3, True)
    assert debounce.update(0.5, None)
    assert debounce.update(0.6, False)
    assert debounce.update(1.0, False)
    assert not debounce.update(1.1, False)


# --- rule modules ------------------------------------------------------------------------------------------


def _body(image: np.ndarray, side: int = 0) -> Body:
    stack, world = poses.track([image])
    return Body(stack, world, np.array([side], np.int8), ("front", "back"), poses.ASPECT)


@pytest.mark.parametrize("mirror", [False, True])
def test_couch_back_foot_up(mirror):
    flat = poses.kneeling_pixels("left")
    up = dict(flat, right_ankle=(270.0, 290.0))  # shin raised behind the knee, against a couch
    forward = dict(flat, right_ankle=(360.0, 310.0))  # foot lifted in front of the knee
    if mirror:
        flat, up, forward = ({k: (poses.WIDTH - x, y) for k, (x, y) in p.items()} for p in (flat, up, forward))
    values = [float(back_foot_up(_body(poses.from_pixels(p)))[0]) for p in (flat, up, forward)]
    assert values[0] == pytest.approx(0.0, abs=1e-6)
    assert values[1] == pytest.approx(math.degrees(math.atan2(90.0, 10.0)), abs=1e-3)
    assert values[2] == pytest.approx(-math.degrees(math.atan2(70.0, 80.0)), abs=1e-3)


def _seated(crossed: bool, swap: bool) -> np.ndarray:
    """Sitting side-on: the support (right) leg's thigh level, the other ankle on its knee when crossed."""
    p = poses.kneeling_pixels("right")
    p = dict(p, right_hip=(300.0, 300.0), right_knee=(390.0, 300.0), right_ankle=(395.0, 390.0),
             left_hip=(302.0, 300.0), left_knee=(380.0, 250.0))
    p["left_ankle"] = (385.0, 290.0) if crossed else (400.0, 390.0)
    if swap:  # the model confused the crossed legs' labels
        p = {(k.replace("left", "@").replace("right", "left").replace("@", "right")): v for k, v in p.items()}
    return poses.from_pixels(p)


@pytest.mark.parametrize("swap", [False, True])
def test_piriformis_ankle_on_knee(swap):
    on = float(ankle_on_knee(_body(_seated(True, swap)))[0])
    assert on == pytest.approx(math.hypot(5.0, 10.0) / 90.0, abs=1e-3)
    off = float(ankle_on_knee(_body(_seated(False, swap)))[0])
    assert off > 0.7


def test_rule_modules_are_registered_by_name():
    assert "couch.back_foot_up" in RULES and "piriformis.ankle_on_knee" in RULES
    with pytest.raises(ValueError, match="already registered"):
        RULES.register("couch.back_foot_up", back_foot_up)


def test_steadiness_waits_for_the_body_to_come_to_rest():
    from posecoach.rules.checks import Steadiness

    steady = Steadiness(max_speed=20.0, window=0.15, settle=0.1)
    frames = [(i / 30, [90.0 + (3.0 * i if 10 <= i < 20 else (30.0 if i >= 20 else 0.0))]) for i in range(40)]
    states = [steady.update(t, values) for t, values in frames]
    assert states[5] is True  # still from the start (after the settle time)
    assert not any(states[11:21])  # 90 deg/s: moving
    assert states[-1] is True  # at rest again
    # Unknown values are not motion.
    assert Steadiness(20.0).update(0.0, [float("nan")]) is False  # not settled yet


def test_raw_side_adds_a_second_cue() -> None:
    """Bird-dog: a half-raised near arm is barely higher, but the other side's raised knee settles it."""
    from posecoach.landmarks import PAIR_INDEX
    from posecoach.rules.sides import raw_side
    from posecoach.specs.schema import Sides

    image = np.full((1, 33, 5), 0.5, np.float32)
    (lw, rw), (lk, rk) = PAIR_INDEX["wrist"], PAIR_INDEX["knee"]
    image[0, rw, 1], image[0, lw, 1] = 0.60, 0.62  # right wrist a little higher
    image[0, lk, 1], image[0, rk, 1] = 0.50, 0.70  # left knee raised
    wrist_only = Sides(roles=("working", "opposite"), decide="higher", part="wrist", margin=0.08)
    both = wrist_only.model_copy(update={"also_decide": "lower", "also_part": "knee"})
    assert raw_side(image, wrist_only, 1.0).tolist() == [UNDECIDED]
    assert raw_side(image, both, 1.0).tolist() == [1]
