"""The overlay on pictures of every shape: the texts stay inside the picture and off the person, the cue
takes at most two lines, the key angle is drawn for every exercise, and nothing is drawn outside the
layout the overlay reports."""

from __future__ import annotations

import gzip
import json
import math
from functools import cache

import numpy as np
import pytest

from posecoach.app import context
from posecoach.landmarks import COUNT, NAMES
from posecoach.layout import Box, Layout, shorten, top_bar, unit_of, wrap
from posecoach.overlay import Overlay
from posecoach.pipeline import Step
from posecoach.records import PRESENCE, VISIBILITY, CoachState, Observation, Phase, Pose, SideProgress
from posecoach.rules.engine import RuleEngine
from posecoach.rules.registry import builtin_rules
from posecoach.specs.schema import Exercise
from tests.conftest import SAMPLES
from tests.poses import kneeling


def shipped(exercise_id: str) -> Exercise:
    return context.library().exercise(exercise_id)

SIZES = [(640, 480), (1280, 720), (1920, 1080), (1080, 1920)]
#: The longest cue of the shipped specs, and one longer still.
LONG_CUE = "Keep your neck relaxed: leave a fist's space between your chin and chest and lift with your stomach"
LONGER_CUE = LONG_CUE + " while you breathe out slowly and keep both feet flat on the floor the whole time"
#: A sample clip of each exercise and a frame of it where the pose is held (the side decided).
CLIPS = {
    "kneeling-hip-flexor": "kneeling-hip-flexor_good_side",
    "couch-stretch": "couch-stretch_good_side",
    "standing-hip-flexor": "standing-hip-flexor_good_side",
    "piriformis-stretch": "piriformis-stretch_good_side",
    "plank": "plank_good_side",
    "crunch": "crunch_good_side",
    "glute-bridge": "glute-bridge_good_side",
    "bird-dog": "bird-dog_good_side",
}


@cache
def truth_pixels(clip: str) -> np.ndarray:
    """(33, 2) pixels, on the clip's 640x480 picture, of a held frame of the clip's truth (the middle of its
    longest held stretch with a side, so a rep exercise is at the top of a rep)."""
    with gzip.open(SAMPLES / f"{clip}.truth.json.gz", "rt") as handle:
        truth = json.load(handle)
    frames = truth["frames"]
    held = [i for i, f in enumerate(frames) if f["held"] and (f["side"] is not None or "bird" not in clip)]
    runs: list[list[int]] = []
    for i in held:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    frame = frames[max(runs, key=len)[len(max(runs, key=len)) // 2]]
    joints = frame["joints2d"]
    return np.array([joints[name] for name in NAMES], dtype=np.float64)


def placed(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The person of a 640x480 picture as filmed at `size`: a landscape picture is the same shot at a
    higher resolution (centred); a portrait phone picture has the person across 80% of its width, a
    little below the middle, as a phone propped upright on the floor films them."""
    w, h = size
    low, high = pixels.min(axis=0), pixels.max(axis=0)
    centre = (low + high) / 2
    if w >= h:
        scale = h / 480.0
        return (pixels - (320.0, 240.0)) * scale + (w / 2, h / 2)
    scale = min(0.8 * w / (high - low)[0], 0.45 * h / (high - low)[1])
    return (pixels - centre) * scale + (w / 2, 0.55 * h)


def landmarks(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    image = np.zeros((COUNT, 5), dtype=np.float32)
    image[:, :2] = pixels / np.array(size)
    image[:, VISIBILITY] = image[:, PRESENCE] = 0.99
    return image


def step_of(exercise: Exercise, image: np.ndarray, size: tuple[int, int], cue: str | None, *,
            phase: Phase = Phase.ACTIVE) -> Step:
    """A step of `exercise` with the person `image` (33, 5) on a picture of `size`, after a second of the
    same pose (sides settled), the coach showing `cue` and the progress of a hold or of reps."""
    engine = RuleEngine(exercise, builtin_rules())
    pose = Pose(image, np.zeros((COUNT, 3), dtype=np.float32))
    verdict = None
    for i in range(31):
        observation = Observation(i, i / 30, size, pose, people=1, brightness=120.0)
        verdict = engine.update(observation)
    assert verdict is not None
    if exercise.mode.kind == "hold":
        progress = SideProgress(12.4, exercise.target_seconds, 0, 0, False)
    else:
        progress = SideProgress(0.0, 0.0, 3, exercise.target_reps, False)
    state = CoachState(observation.t, phase, verdict.side, cue, {verdict.side: progress}, counting=True)
    return Step(observation, verdict, state)


def drawn(exercise: Exercise, size: tuple[int, int], cue: str | None = LONG_CUE) -> tuple[Layout, np.ndarray, Step]:
    pixels = placed(truth_pixels(CLIPS[exercise.id]), size)
    step = step_of(exercise, landmarks(pixels, size), size, cue)
    image = np.zeros((size[1], size[0], 3), dtype=np.uint8)
    layout = Overlay(exercise).draw(image, step)
    return layout, image, step


def truth_box(pixels: np.ndarray) -> Box:
    low, high = pixels.min(axis=0), pixels.max(axis=0)
    return Box(int(low[0]), int(low[1]), int(math.ceil(high[0])) + 1, int(math.ceil(high[1])) + 1)


@pytest.fixture(scope="module", params=sorted(CLIPS))
def exercise(request: pytest.FixtureRequest) -> Exercise:
    return shipped(request.param)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_texts_stay_inside_the_picture_and_off_the_person(exercise: Exercise, size: tuple[int, int]) -> None:
    layout, _, _ = drawn(exercise, size)
    body = truth_box(placed(truth_pixels(CLIPS[exercise.id]), size))
    assert layout.person is not None and layout.figure is not None
    assert layout.person.union(body) == layout.person, "the person's box holds every landmark"
    boxes = layout.text_boxes()
    assert {"title", "side" if exercise.has_sides else "title", "cue"} <= set(boxes)
    for role, box in boxes.items():
        assert box.inside(size), f"{role} {box} leaves the {size} picture"
    for box in layout.panels():
        assert box.inside(size)
        assert not box.intersects(layout.figure), f"{box} covers the person at {size}"
    for role in ("title", "side", "reps", "ring", "cue"):
        if role in boxes:
            assert not boxes[role].intersects(layout.person), f"{role} covers the person at {size}"
    # The texts of the bar do not run into each other (bird-dog's side and reps did).
    bar = [t.box for t in layout.bar_texts]
    assert all(not a.intersects(b) for i, a in enumerate(bar) for b in bar[i + 1:])
    assert all(b.y1 <= layout.bar.y1 for b in bar)
    # The labels on the body stay clear of the panels.
    for label in layout.labels:
        assert label.box.inside(size)
        assert not any(label.box.intersects(panel) for panel in layout.panels()), label


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_cue_takes_at_most_two_lines_in_large_type(exercise: Exercise, size: tuple[int, int]) -> None:
    layout, _, _ = drawn(exercise, size, cue=LONG_CUE)
    assert layout.cue is not None and not layout.cue.covers_person
    lines = layout.cue.lines
    assert 1 <= len(lines) <= 2
    assert " ".join(line.text for line in lines) == LONG_CUE, "the longest shipped cue is shown whole"
    # Large type: at least half the full size, which scales with the picture's shorter side.
    assert lines[0].scale >= 0.5 * 0.95 * unit_of(size) - 1e-9
    for line in lines:
        assert layout.cue.box.x0 <= line.box.x0 and line.box.x1 <= layout.cue.box.x1
        assert layout.cue.box.y0 <= line.box.y0 and line.box.y1 <= layout.cue.box.y1


def test_a_cue_longer_than_two_lines_can_hold_is_shortened() -> None:
    size = (640, 480)
    exercise = shipped("plank")
    layout, _, _ = drawn(exercise, size, cue=LONGER_CUE)
    assert layout.cue is not None and len(layout.cue.lines) == 2
    assert layout.cue.lines[-1].text.endswith("...")
    assert all(line.box.x1 <= size[0] for line in layout.cue.lines)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_nothing_is_drawn_outside_the_layout(exercise: Exercise, size: tuple[int, int]) -> None:
    layout, image, _ = drawn(exercise, size)
    allowed = np.zeros(image.shape[:2], dtype=bool)
    assert layout.figure is not None
    for box in [layout.figure, *layout.panels(), *(t.box for t in layout.labels)]:
        allowed[max(0, box.y0 - 3):box.y1 + 3, max(0, box.x0 - 3):box.x1 + 3] = True
    painted = image.any(axis=2)
    assert painted[allowed].any()
    stray = np.argwhere(painted & ~allowed)
    assert len(stray) == 0, f"{len(stray)} pixels drawn outside the layout, first at {stray[:3].tolist()}"


@pytest.mark.parametrize("exercise_id", ["plank", "glute-bridge", "crunch", "piriformis-stretch", "bird-dog"])
def test_key_angles_on_midpoints_are_drawn_with_their_value(exercise_id: str) -> None:
    """The plank's body line and the bridge's hip extension are taken at the mid-hip, the crunch's neck
    bend at the mid-shoulder, the piriformis hip flexion between two segments: each gets its arc and value."""
    exercise = shipped(exercise_id)
    layout, image, step = drawn(exercise, (1280, 720))
    value = step.verdict.measures[exercise.key_angle or ""]
    assert not math.isnan(value)
    (label,) = [t for t in layout.labels if t.role == "angle"]
    assert label.text == f"{value:.0f} deg"
    # The arc is drawn (in the key check's colour or the neutral one) around the joint.
    assert image[label.box.y0:label.box.y1, label.box.x0:label.box.x1].any()


def test_a_lean_that_rounds_to_zero_is_shown_as_0() -> None:
    exercise = shipped("kneeling-hip-flexor")
    size = (640, 480)
    for lean, shown in ((-0.3, "lean 0"), (0.2, "lean 0"), (-4.0, "lean -4"), (6.4, "lean +6")):
        step = step_of(exercise, kneeling(lean=lean), size, None)
        assert step.verdict.measures["torso_lean"] == pytest.approx(lean, abs=0.05)
        labels = {t.role: t.text for t in Overlay(exercise).layout(size, step).labels}
        assert labels["lean"] == shown


def test_the_cue_keeps_its_band_from_frame_to_frame() -> None:
    """With room above and below, the cue stays in the band it took while it still fits there."""
    exercise = shipped("plank")
    size = (1080, 1920)
    overlay = Overlay(exercise)
    pixels = placed(truth_pixels(CLIPS["plank"]), size)
    first = overlay.layout(size, step_of(exercise, landmarks(pixels, size), size, LONG_CUE))
    assert first.cue is not None
    # The person moves down the picture: the band below shrinks but still has room.
    lower = overlay.layout(size, step_of(exercise, landmarks(pixels + (0, 300), size), size, LONG_CUE))
    assert lower.cue is not None and lower.cue.band == first.cue.band == "below"
    # Far down, the cue no longer fits below and moves above.
    lowest = overlay.layout(size, step_of(exercise, landmarks(pixels + (0, 780), size), size, LONG_CUE))
    assert lowest.cue is not None and lowest.cue.band == "above"
    assert lowest.figure is not None and not lowest.cue.box.intersects(lowest.figure)


def test_with_nobody_in_the_picture_the_cue_goes_to_the_bottom() -> None:
    exercise = shipped("kneeling-hip-flexor")
    size = (1080, 1920)
    step = step_of(exercise, kneeling(), size, "Step into the picture so I can see you")
    step = Step(Observation(0, 0.0, size, None), step.verdict, step.state)
    layout = Overlay(exercise).layout(size, step)
    assert layout.person is None and layout.cue is not None
    assert layout.cue.band == "below" and layout.cue.box.y1 == size[1]


def test_the_top_bar_wraps_and_shortens_on_a_narrow_picture() -> None:
    status = [("side", "right side"), ("reps", "reps 0/10")]
    bar, texts = top_bar((640, 480), 1.0, "Kneeling hip flexor stretch", status)
    assert bar.height < 50 and {t.box.y0 for t in texts} == {texts[0].box.y0}, "one row at 640x480"
    # A picture a third as wide at the same unit: the side and reps go to a second row, the title shrinks
    # and is shortened.
    bar2, texts2 = top_bar((210, 480), 1.0, "Kneeling hip flexor stretch", status)
    assert bar2.height == 2 * bar.height, "two rows"
    for text in texts2:
        assert text.box.inside((210, 480)) and text.box.y1 <= bar2.y1
    assert texts2[0].text.endswith("...") and texts2[0].scale < 0.6
    assert [t.text for t in texts2[1:]] == ["right side", "reps 0/10"]
    assert texts2[1].box.y0 > texts2[0].box.y1
    assert shorten("Kneeling hip flexor stretch", 120, 0.6, 1).endswith("...")
    assert wrap("a b c", 10_000, 0.6, 1) == ["a b c"]


def test_the_bar_keeps_its_texts_apart_in_portrait() -> None:
    """In a portrait picture the sizes come from the width: the title and side are not cut off."""
    exercise = shipped("bird-dog")
    layout, _, _ = drawn(exercise, (1080, 1920))
    texts = {t.role: t for t in layout.bar_texts}
    assert texts["title"].text == exercise.name
    assert texts["side"].text.endswith("side") and texts["reps"].text == "reps 3/10"
    assert layout.unit == pytest.approx(1080 / 480)


def test_the_window_layout_leaves_the_cue_to_the_window() -> None:
    """`draw(..., cue=False)` keeps the cue's place but draws nothing there (the window sets it itself)."""
    exercise = shipped("kneeling-hip-flexor")
    size = (640, 480)
    step = step_of(exercise, kneeling(), size, LONG_CUE)
    image = np.zeros((size[1], size[0], 3), dtype=np.uint8)
    layout = Overlay(exercise).draw(image, step, cue=False)
    assert layout.cue is not None
    box = layout.cue.box
    assert not image[box.y0:box.y1, box.x0:box.x1].any()


def test_the_live_window_sets_the_cue_in_the_band_the_overlay_kept_free() -> None:
    """A portrait camera in a landscape window: the cue's strip is where the overlay placed it, the
    person's part of the picture is left as the overlay drew it."""
    from posecoach.outputs.window import Window

    exercise = shipped("plank")
    size = (540, 960)
    pixels = placed(truth_pixels(CLIPS["plank"]), size)
    step = step_of(exercise, landmarks(pixels, size), size, LONG_CUE)
    picture = np.full((size[1], size[0], 3), 200, dtype=np.uint8)
    step = Step(Observation(0, 0.0, size, step.observation.pose, image=picture), step.verdict, step.state)
    with Window("test", size=(960, 960), mirror=False) as window:
        window.show_step(step, Overlay(exercise))
        import pygame

        shot = pygame.surfarray.array3d(window.surface).swapaxes(0, 1)
    layout = Overlay(exercise).layout(size, step)
    assert layout.cue is not None and layout.figure is not None
    x0 = (960 - size[0]) // 2
    cue = layout.cue.box
    strip = shot[cue.y0 + 2:cue.y1 - 2, x0 + cue.x0 + 20:x0 + cue.x1 - 2]
    assert strip.mean() < 120, "the cue's dark strip fills the overlay's cue box"
    assert (strip > 240).any(), "with white text on it"
    body = layout.figure
    outside = shot[body.y0:body.y1, x0 + body.x0:x0 + body.x1]
    assert np.median(outside) >= 150, "the person's part of the picture is not darkened"
