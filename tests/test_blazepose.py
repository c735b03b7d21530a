"""The BlazePose pose stage on LiteRT: its decoding steps one by one, and its output against a track that
MediaPipe's PoseLandmarker (full model, video mode) made of the first two seconds of the demo clip."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from posecoach.errors import ModelError
from posecoach.pose import models, roi
from posecoach.pose.blazepose import BlazePose
from posecoach.pose.detector import NUM_ANCHORS, anchors, weighted_nms
from posecoach.pose.landmark_filter import ScaledOneEuro
from posecoach.pose.landmark_model import refine_from_heatmap
from posecoach.pose.landmarker import PoseEstimator
from tests.conftest import SAMPLES

REFERENCE = Path(__file__).parent / "data" / "mediapipe-full-kneeling-good-side-60.npz"


def test_anchors_cover_the_detector_grids() -> None:
    centres = anchors()
    assert centres.shape == (NUM_ANCHORS, 2)
    # Stride 8 first (28 x 28 cells, two anchors each), the three stride-32 layers last (7 x 7, six each).
    assert np.allclose(centres[0], [0.5 / 28, 0.5 / 28]) and np.allclose(centres[1], centres[0])
    assert np.allclose(centres[2], [1.5 / 28, 0.5 / 28])
    assert np.allclose(centres[-1], [6.5 / 7, 6.5 / 7]) and np.allclose(centres[-6], centres[-1])


def test_weighted_suppression_merges_overlaps_by_score() -> None:
    scores = np.array([0.9, 0.6, 0.8])
    boxes = np.array([[0.1, 0.1, 0.5, 0.5], [0.12, 0.1, 0.52, 0.5], [0.6, 0.6, 0.9, 0.9]])
    points = np.zeros((3, 4, 2))
    points[1] += 1.0
    merged = weighted_nms(scores, boxes, points)
    assert [m[0] for m in merged] == [0.9, 0.8]
    assert merged[0][1][0] == pytest.approx((0.9 * 0.1 + 0.6 * 0.12) / 1.5)
    assert merged[0][2][0, 0] == pytest.approx(0.6 / 1.5)
    assert np.allclose(merged[1][1], boxes[2])


def test_an_upright_body_gives_an_unturned_square_region() -> None:
    region = roi.aligned_rect(np.array([0.5, 0.6]), np.array([0.5, 0.3]), (640, 480))
    assert region.rotation == pytest.approx(0.0)
    assert region.w * 640 == pytest.approx(region.h * 480)  # square in pixels
    assert region.h * 480 == pytest.approx(1.25 * 2 * 0.3 * 480)
    lying = roi.aligned_rect(np.array([0.5, 0.5]), np.array([0.8, 0.5]), (640, 480))
    assert abs(lying.rotation) == pytest.approx(math.pi / 2)


@pytest.mark.parametrize("rotation", [0.0, 0.5, -2.0])
def test_a_crop_and_its_projection_agree(rotation: float) -> None:
    """A dot drawn in the picture is found in the turned crop where projecting back puts it again."""
    image = np.zeros((480, 640, 3), np.uint8)
    dot = (400, 200)
    cv2.circle(image, dot, 3, (255, 255, 255), -1)
    region = roi.Rect(0.55, 0.45, 0.4, 0.4 * 640 / 480, rotation)
    patch = roi.crop(image, region, 256, roi.ZERO)
    ys, xs = np.nonzero(patch[:, :, 0] > 128)
    local = np.array([[xs.mean() / 256, ys.mean() / 256, 0.0]])
    back = roi.project(local, region)[0]
    assert back[0] * 640 == pytest.approx(dot[0], abs=1.0)
    assert back[1] * 480 == pytest.approx(dot[1], abs=1.0)


def test_heatmap_refinement_moves_confident_points_only() -> None:
    heatmap = np.full((64, 64, 3), -10.0, np.float32)
    heatmap[10, 20, 0] = 10.0  # a sure peak for the first point
    heatmap[40, 40, 1] = -1.0  # an unsure one for the second
    points = np.array([[21.5 / 64, 11.2 / 64], [40.2 / 64, 40.2 / 64], [1.5, 0.5]])
    refined = refine_from_heatmap(points, heatmap)
    assert refined[0] == pytest.approx([20 / 64, 10 / 64], abs=1e-3)
    assert np.allclose(refined[1:], points[1:])


def test_the_filter_holds_still_points_and_follows_fast_ones() -> None:
    still, fast = ScaledOneEuro(0.05, 80.0, 1.0), ScaledOneEuro(0.05, 80.0, 1.0)
    for i in range(30):
        t = i / 30
        jitter = still(t, np.array([100.0 + (1 if i % 2 else -1)]), 1 / 300)
        moved = fast(t, np.array([10.0 * i]), 1 / 300)
    assert abs(jitter[0] - 100.0) < 0.3
    assert moved[0] == pytest.approx(290.0, abs=20.0)


def test_a_bundle_with_broken_models_is_a_model_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.task"
    with zipfile.ZipFile(broken, "w") as bundle:
        bundle.writestr("pose_detector.tflite", b"not a model")
        bundle.writestr("pose_landmarks_detector.tflite", b"not a model")
    with pytest.raises(ModelError, match="could not load"):
        with PoseEstimator(broken):
            pass


def test_the_stage_follows_mediapipe_frame_by_frame() -> None:
    """The same landmarks as MediaPipe's PoseLandmarker within a fraction of a pixel, frame after frame
    (the tracking and the smoothing included), with the same visibility and world landmarks."""
    reference = np.load(REFERENCE)
    capture = cv2.VideoCapture(str(SAMPLES / "kneeling-hip-flexor_good_side.mp4"))
    pixels, visibility, world = [], [], []
    with PoseEstimator(models.resolve("full")) as estimator:
        for i, t in enumerate(reference["t"]):
            ok, frame = capture.read()
            assert ok
            height, width = frame.shape[:2]
            pose = estimator.detect(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), float(t))
            assert pose is not None
            want = reference["image"][i]
            pixels.append(np.hypot((pose.image[:, 0] - want[:, 0]) * width, (pose.image[:, 1] - want[:, 1]) * height))
            visibility.append(np.abs(pose.image[:, 3] - want[:, 3]))
            world.append(np.abs(pose.world - reference["world"][i]))
    capture.release()
    pixels_ = np.concatenate(pixels)
    assert np.median(pixels_) < 0.25 and np.percentile(pixels_, 95) < 2.0
    assert np.mean(visibility) < 0.01
    assert np.mean(world) < 0.005


def test_a_picture_of_nobody_has_nobody(tmp_path: Path) -> None:
    pose = BlazePose(models.resolve("lite"), max_people=1, min_detection=0.5, min_presence=0.5, min_tracking=0.5)
    empty = np.full((480, 640, 3), 90, np.uint8)
    assert pose.image(empty) == []
    assert pose.video(empty, 0.0) == []


def test_a_bundle_without_the_landmark_model_says_what_is_missing(tmp_path: Path) -> None:
    partial = tmp_path / "partial.task"
    with zipfile.ZipFile(partial, "w") as bundle:
        bundle.writestr("pose_detector.tflite", b"x")
    with pytest.raises(ModelError, match=r"missing pose_landmarks_detector\.tflite"):
        with PoseEstimator(partial):
            pass
