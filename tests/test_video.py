"""The annotated video: drawn and encoded at a size that serves it, with the crop of each frame's person."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from posecoach.layout import Box
from posecoach.outputs.video import AnnotatedVideo, video_size
from posecoach.overlay import Overlay
from posecoach.pipeline import Step
from posecoach.records import Observation
from tests.clips import read_video
from tests.test_overlay import CLIPS, LONG_CUE, landmarks, placed, shipped, step_of, truth_pixels


def test_the_video_keeps_the_shape_with_a_short_side_of_540_at_most() -> None:
    assert video_size((1080, 1920)) == (540, 960)
    assert video_size((1920, 1080)) == (960, 540)
    assert video_size((640, 480)) == (640, 480)
    assert video_size((641, 481)) == (640, 480), "even sides for 4:2:0"
    assert video_size((1080, 1920), short_side=720) == (720, 1280)


def test_a_phone_video_is_drawn_and_encoded_at_540_by_960(tmp_path: Path) -> None:
    exercise = shipped("plank")
    size = (1080, 1920)
    pixels = placed(truth_pixels(CLIPS["plank"]), size)
    base = step_of(exercise, landmarks(pixels, size), size, LONG_CUE)
    picture = np.full((size[1], size[0], 3), 120, np.uint8)
    path = tmp_path / "annotated.webm"
    with AnnotatedVideo(path, Overlay(exercise), 30.0, size) as video:
        for i in range(6):
            observation = Observation(i, i / 30, size, base.observation.pose, image=picture)
            video.write(Step(observation, base.verdict, base.state))
    shown = read_video(path)
    assert len(shown) == 6 and shown[0].shape == (960, 540, 3)
    assert (picture == 120).all(), "the decoded picture itself is not drawn on"
    # Each frame's crop holds the person and leaves out the cue's strip, drawn dark at the bottom.
    layout = Overlay(exercise).layout((540, 960), Step(Observation(0, 0.0, (540, 960), base.observation.pose),
                                                         base.verdict, base.state))
    assert layout.cue is not None and layout.figure is not None and layout.cue.band == "below"
    assert len(video.crops) == 6
    x0, y0, x1, y1 = (round(v * s) for v, s in zip(video.crops[0], (540, 960, 540, 960)))
    crop = Box(x0, y0, x1, y1)
    assert crop.union(layout.figure) == crop, "the person is inside the crop"
    assert crop.y1 <= layout.cue.box.y0 and crop.y0 >= layout.bar.y1
    assert np.median(shown[0][layout.cue.box.y0 + 4:, 40:]) < 60 < np.median(shown[0][crop.y0:crop.y1])
