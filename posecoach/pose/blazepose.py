"""BlazePose from a `.task` bundle on the LiteRT interpreter: detection, then landmarks, then tracking.

This is what MediaPipe's PoseLandmarker does with the same two models, without MediaPipe's runtime (whose
native library sends usage statistics over the network). On a video, a person whose landmarks were found
is looked for next frame in the region their own landmarks define, and the detector runs only while fewer
people than asked for are being followed; its regions then replace followed ones they overlap by more than
`min_tracking`, as MediaPipe's region association does. Following one person, the landmarks are smoothed
as PoseLandmarker smooths them in video mode (see `landmark_filter`). On a single picture the detector
always runs and nothing is smoothed.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from posecoach.errors import ModelError
from posecoach.pose import roi
from posecoach.pose.detector import PoseDetector
from posecoach.pose.landmark_filter import LandmarkFilter
from posecoach.pose.landmark_model import LandmarkModel, Landmarks

DETECTOR_MEMBER = "pose_detector.tflite"
LANDMARKS_MEMBER = "pose_landmarks_detector.tflite"
#: Interpreter threads: both cores of a small laptop; more buys little for models this size.
THREADS = 2


def read_bundle(path: Path) -> tuple[bytes, bytes]:
    """The detector and landmark models held in a PoseLandmarker `.task` bundle (a zip)."""
    try:
        with zipfile.ZipFile(path) as bundle:
            missing = sorted({DETECTOR_MEMBER, LANDMARKS_MEMBER} - set(bundle.namelist()))
            if missing:
                raise ModelError(f"{path}: not a PoseLandmarker bundle (missing {', '.join(missing)})")
            return bundle.read(DETECTOR_MEMBER), bundle.read(LANDMARKS_MEMBER)
    except (zipfile.BadZipFile, OSError) as error:
        raise ModelError(f"{path}: model file is unreadable ({error})") from None


def interpreter(model: bytes, source: str, threads: int | None = None) -> Any:
    """A LiteRT interpreter with its tensors allocated (XNNPACK, the default CPU delegate)."""
    from ai_edge_litert.interpreter import Interpreter

    try:
        runner = Interpreter(model_content=model, num_threads=THREADS if threads is None else threads)
        runner.allocate_tensors()
    except (ValueError, RuntimeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(f"{source}: LiteRT could not load this model ({first})") from None
    return runner


class BlazePose:
    """Both models, and in video mode the regions followed from one frame to the next."""

    def __init__(self, path: Path, *, max_people: int, min_detection: float, min_presence: float,
                 min_tracking: float) -> None:
        detector_model, landmark_model = read_bundle(path)
        detector_runner = interpreter(detector_model, f"{path}:{DETECTOR_MEMBER}")
        landmark_runner = interpreter(landmark_model, f"{path}:{LANDMARKS_MEMBER}")
        try:
            self.detector = PoseDetector(detector_runner, min_detection)
            self.landmarks = LandmarkModel(landmark_runner, min_presence)
        except (KeyError, IndexError):
            raise ModelError(f"{path}: the models' inputs or outputs are not BlazePose's") from None
        self.max_people = max_people
        self.min_tracking = min_tracking
        self._followed: list[roi.Rect] = []
        # MediaPipe smooths only a single followed pose.
        self._filter = LandmarkFilter() if max_people == 1 else None

    def image(self, rgb: Any, max_people: int | None = None) -> list[Landmarks]:
        """Everyone found in one picture, with no memory of earlier ones."""
        size = (rgb.shape[1], rgb.shape[0])
        limit = self.max_people if max_people is None else max_people
        regions = [d.region(size) for d in self.detector(rgb)][:limit]
        return [found for found in (self.landmarks(rgb, r) for r in regions) if found is not None]

    def video(self, rgb: Any, t: float) -> list[Landmarks]:
        """Everyone found in the next frame of a video, taken at `t` seconds (strictly increasing)."""
        size = (rgb.shape[1], rgb.shape[0])
        regions = self._followed
        if len(regions) < self.max_people:
            regions = self._associate(regions, [d.region(size) for d in self.detector(rgb)])
        people = [found for found in (self.landmarks(rgb, r) for r in regions[: self.max_people]) if found]
        self._followed = [p.next_region for p in people]
        if self._filter is None:
            return people
        if not people:
            self._filter.reset()
            return people
        person = people[0]
        image, world = self._filter(t, person.image, person.world, person.next_region, size)
        return [replace(person, image=image, world=world)]

    def _associate(self, followed: list[roi.Rect], detected: list[roi.Rect]) -> list[roi.Rect]:
        """Followed regions, then detected ones; each region drops the earlier ones it overlaps."""
        kept: list[roi.Rect] = []
        for region in (*followed, *detected):
            kept = [k for k in kept if roi.iou(k, region) <= self.min_tracking]
            kept.append(region)
        return kept
