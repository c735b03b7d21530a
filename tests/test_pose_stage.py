"""The pose stage's bookkeeping: strictly increasing timestamps, following one person, model lookup."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from posecoach.errors import ModelError
from posecoach.frames import MonotonicClock, VideoFile, prefetched
from posecoach.pose import models
from posecoach.pose.landmarker import PersonFollower, PoseEstimator
from posecoach.records import Pose
from tests.clips import empty_room


def test_clock_repairs_duplicate_zero_and_backward_stamps() -> None:
    clock = MonotonicClock(fps=30.0)
    reported = [0.0, 0.0, 0.0, 0.1, 0.09, float("nan"), 0.5, 0.5]
    times = [clock(t, i) for i, t in enumerate(reported)]
    assert all(b > a for a, b in zip(times, times[1:]))
    assert times[3] == pytest.approx(0.1) and times[6] == pytest.approx(0.5)


def test_landmarker_timestamps_strictly_increase() -> None:
    estimator = PoseEstimator(Path("unused.task"))
    stamps = [estimator.timestamp_ms(t) for t in (0.0, 0.0, 0.0004, 0.033, 0.033, 0.01, 1.0)]
    assert all(b > a for a, b in zip(stamps, stamps[1:]))
    assert stamps[-1] == 1000


def _person(x0: float, x1: float) -> Pose:
    image = np.zeros((33, 5), np.float32)
    image[:, 0] = np.linspace(x0, x1, 33)
    image[:, 1] = np.linspace(0.2, 0.9, 33)
    image[:, 3:] = 0.9
    return Pose(image, np.zeros((33, 3), np.float32))


def test_follower_keeps_the_same_person_when_a_bigger_one_walks_in() -> None:
    follower = PersonFollower()
    coach_user = _person(0.10, 0.30)
    assert follower.update([coach_user]) is coach_user
    passer_by = _person(0.50, 0.95)
    moved = _person(0.11, 0.31)
    assert follower.update([passer_by, moved]) is moved
    assert follower.update([]) is None


def test_first_choice_is_the_largest_person() -> None:
    small, large = _person(0.1, 0.2), _person(0.4, 0.9)
    assert PersonFollower().update([small, large]) is large


def test_video_file_frames_and_prefetch(tmp_path: Path) -> None:
    clip = empty_room(tmp_path / "room.mp4", count=12)
    with VideoFile(clip) as source:
        direct = [(f.index, f.t) for f in source]
    with VideoFile(clip) as source:
        ahead = [(f.index, f.t) for f in prefetched(source, depth=2)]
    assert direct == ahead and len(direct) == 12
    assert direct[1][1] == pytest.approx(1 / 30)


def test_model_names_resolve_to_shipped_bundles() -> None:
    for name in ("lite", "full"):
        path = models.resolve(name)
        with zipfile.ZipFile(path) as bundle:
            assert models.MEMBERS <= set(bundle.namelist())


def test_a_zip_without_the_models_is_not_a_bundle(tmp_path: Path) -> None:
    fake = tmp_path / "fake.task"
    with zipfile.ZipFile(fake, "w") as bundle:
        bundle.writestr("readme.txt", "hello")
    with pytest.raises(ModelError, match="not a PoseLandmarker bundle"):
        models.resolve(str(fake))


def test_people_are_counted_for_the_set_up_cue(tmp_path: Path) -> None:
    """Two people side by side (the sample mannequin twice) are counted as two, one as one; the count runs
    at most once per `count_people_every` seconds of frame time."""
    import cv2

    from tests.conftest import SAMPLES

    capture = cv2.VideoCapture(str(SAMPLES / "kneeling-hip-flexor_good_side.mp4"))
    for _ in range(150):  # in the stretch
        ok, frame = capture.read()
    capture.release()
    assert ok
    one = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    two = np.ascontiguousarray(np.concatenate([one, one[:, ::-1]], axis=1))
    with PoseEstimator(models.resolve("full"), count_people_every=1.0) as estimator:
        assert estimator.people_in_view(two, 0.0) == 2
        assert estimator.people_in_view(one, 0.5) == 2  # not due yet: the last count stands
        assert estimator.people_in_view(one, 1.0) == 1
    with PoseEstimator(models.resolve("lite")) as estimator:
        assert estimator.people_in_view(two, 0.0) == 0  # counting off
