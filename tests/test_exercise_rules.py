"""What the shipped specs decide on real bodies: a plank needs the knees off the floor, a crunch's neck is not
judged with the hands at the head, a bird-dog's reaching limb must be seen surely; and the measure options
those rest on (only_when, a measure's own min_visibility)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from posecoach.landmarks import INDEX
from posecoach.records import Status
from posecoach.resources import EXERCISE_SPECS, data_dir
from posecoach.rules.body import Body
from posecoach.rules.engine import RuleEngine
from posecoach.rules.measures import Measurer
from posecoach.rules.registry import builtin_rules
from posecoach.specs.loader import load
from tests import poses

RULES = builtin_rules()
DT = 1 / 30

Pixel = tuple[float, float]


def side_pixels(joints: dict[str, Pixel], head: Pixel) -> dict[str, tuple[float, float]]:
    """All 33 landmarks of a figure seen from the side, facing image-right: both sides of the body 2 px apart,
    the face around `head`."""
    hx, hy = head
    p: dict[str, tuple[float, float]] = {"nose": (hx + 12, hy + 2)}
    for s, dx in (("left", -1.0), ("right", 1.0)):
        for part in ("eye_inner", "eye", "eye_outer"):
            p[f"{s}_{part}"] = (hx + 8 + dx, hy - 3)
        p[f"{s}_ear"] = (hx - 4 + dx, hy)
        for part, (x, y) in joints.items():
            p[f"{s}_{part}"] = (x + dx, y)
        for finger in ("pinky", "index", "thumb"):
            p[f"{s}_{finger}"] = (joints["wrist"][0] + 8 + dx, joints["wrist"][1])
        p[f"{s}_heel"] = (joints["ankle"][0] - 6 + dx, joints["ankle"][1] + 4)
        p[f"{s}_foot_index"] = (joints["ankle"][0] - 10 + dx, joints["ankle"][1] + 14)
    p["mouth_left"] = p["mouth_right"] = (hx + 10, hy + 8)
    return p


def run(exercise_id: str, image: np.ndarray, seconds: float = 3.0) -> list:  # type: ignore[type-arg]
    engine = RuleEngine(poses.shipped(exercise_id, RULES), RULES)
    return [engine.update(poses.observe(image, i * DT, i)) for i in range(round(seconds / DT))]


# --- plank: the knees off the floor ------------------------------------------------------------------------
ELBOW, WRIST = (400.0, 330.0), (460.0, 330.0)
PLANK = poses.from_pixels(side_pixels(
    {"shoulder": (400, 270), "elbow": ELBOW, "wrist": WRIST, "hip": (250, 290), "knee": (160, 305),
     "ankle": (80, 320)}, head=(440, 255)))
#: On the forearms with the hips and legs on the floor: every angle of a (sagging) plank, no plank.
RESTING = poses.from_pixels(side_pixels(
    {"shoulder": (400, 280), "elbow": ELBOW, "wrist": WRIST, "hip": (250, 325), "knee": (160, 330),
     "ankle": (80, 330)}, head=(440, 262)))


def test_a_plank_on_the_toes_is_a_plank() -> None:
    verdicts = run("plank", PLANK)
    assert verdicts[-1].in_position and verdicts[-1].check("hips-level").status is Status.OK
    assert verdicts[-1].measures["knee_lift"] > 0.07


def test_resting_on_the_forearms_with_the_hips_down_is_no_plank_and_no_fault() -> None:
    verdicts = run("plank", RESTING)
    assert verdicts[-1].measures["hip_offset"] < -0.065  # the hips read as sagging ...
    assert not any(v.in_position for v in verdicts)  # ... but the knees are on the floor
    assert all(c.status is not Status.FAIL for v in verdicts for c in v.checks)


# --- the measure options -----------------------------------------------------------------------------------
def test_a_crunchs_neck_is_not_judged_with_the_hands_at_the_head() -> None:
    """only_when: the neck bend is unknown while a hand is at the head (near the ears, beyond the shoulders);
    arms crossed on the chest bring the wrists as near the ears but not beyond the shoulders."""
    crunch = poses.shipped("crunch", RULES)
    assert [c.measure for c in crunch.measure("neck_flexion").only_when] == ["hands_at_head"]
    lying = side_pixels({"shoulder": (300, 300), "elbow": (330, 330), "wrist": (400, 315), "hip": (420, 320),
                         "knee": (480, 250), "ankle": (540, 320)}, head=(250, 290))
    at_head = dict(lying, left_wrist=(255, 285), right_wrist=(257, 285))
    crossed = dict(lying, left_wrist=(315, 292), right_wrist=(317, 292))
    image = np.stack([poses.from_pixels(p) for p in (lying, at_head, crossed)])
    values = Measurer(crunch, RULES)(Body(image, np.zeros((3, 33, 3)), 0, None, poses.ASPECT)).values
    assert list(values["hands_at_head"]) == [0.0, 1.0, 0.0]
    assert np.isfinite(values["neck_flexion"][[0, 2]]).all() and np.isnan(values["neck_flexion"][1])


def test_a_measure_can_ask_its_points_to_be_seen_more_surely() -> None:
    """Bird-dog: a reaching hand out of a tight picture is placed inside it at visibility 0.2-0.3."""
    bird = poses.shipped("bird-dog", RULES)
    assert bird.measure("arm_raise").min_visibility == 0.5 and bird.min_visibility == 0.1
    figure = side_pixels({"shoulder": (400, 250), "elbow": (440, 300), "wrist": (440, 350), "hip": (250, 250),
                          "knee": (250, 350), "ankle": (150, 350)}, head=(440, 240))
    image = poses.from_pixels(figure)
    unsure = image.copy()
    for part in ("left_wrist", "right_wrist"):
        unsure[INDEX[part], 3:5] = 0.25
    values = Measurer(bird, RULES)(Body(np.stack([image, unsure]), np.zeros((2, 33, 3)), 0, ("working", "opposite"),
                                        poses.ASPECT)).values
    assert np.isfinite(values["arm_raise"][0]) and np.isnan(values["arm_raise"][1])
    assert np.isfinite(values["shoulders_above_wrists"][1])  # the exercise's own floor still applies elsewhere


def test_an_only_when_condition_must_name_a_measure_and_not_itself(tmp_path: Path) -> None:
    source = (data_dir(EXERCISE_SPECS) / "kneeling-hip-flexor.toml").read_text()
    line = 'describe = "Bend of the front knee: hip-knee-ankle of the front leg, 180 = straight."'
    for measure, problem in (("front_kne", "'front_kne' is not a measure"), ("front_knee", "cannot depend on itself")):
        condition = f'only_when = [{{ measure = "{measure}", min = 0 }}]'
        spec = tmp_path / "kneeling-hip-flexor.toml"
        spec.write_text(source.replace(line, f"{line}\n{condition}", 1))
        problems = load([spec], RULES).problems
        assert any("measures[0].only_when[0].measure" in p and problem in p for p in problems), problems
