"""Today's MediaPipe PoseLandmarker behind the pose stage's interface, for the benchmarks' side-by-side runs.

posecoach itself no longer runs MediaPipe (its native library sends usage statistics over the network);
the benchmarks compare the LiteRT pose stage with it in the same run. Needs `pip install -e '.[compare]'`.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from posecoach.errors import ModelError
from posecoach.native import native_stderr_silenced
from posecoach.pose.landmarker import COUNT_UP_TO, MAX_PEOPLE, FollowingStage
from posecoach.records import Pose


class MediaPipeEstimator(FollowingStage):
    """MediaPipe's PoseLandmarker in VIDEO mode, with the same verbs as `posecoach.pose.landmarker.PoseEstimator`."""

    stage = "mediapipe-tasks-1"

    def __init__(self, model: Path, *, max_people: int = MAX_PEOPLE, min_confidence: float = 0.5,
                 count_people_every: float | None = None) -> None:
        super().__init__()
        self.model = Path(model)
        self._max_people = max_people
        self._min_confidence = min_confidence
        self._count_every = count_people_every
        self._landmarker: Any = None
        self._counter: Any = None
        self._mp: Any = None
        self._counted_at: float | None = None
        self._counted = 0

    def _options(self, vision: Any, base: Any, mode: Any, poses: int) -> Any:
        return vision.PoseLandmarkerOptions(
            base_options=base(model_asset_path=str(self.model)), running_mode=mode, num_poses=poses,
            min_pose_detection_confidence=self._min_confidence,
            min_pose_presence_confidence=self._min_confidence, min_tracking_confidence=self._min_confidence,
        )

    def __enter__(self) -> MediaPipeEstimator:
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        try:
            with native_stderr_silenced():
                self._landmarker = vision.PoseLandmarker.create_from_options(
                    self._options(vision, BaseOptions, vision.RunningMode.VIDEO, self._max_people))
                if self._count_every is not None:
                    self._counter = vision.PoseLandmarker.create_from_options(
                        self._options(vision, BaseOptions, vision.RunningMode.IMAGE, COUNT_UP_TO))
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"{self.model}: MediaPipe could not load this model ({error})") from None
        self._mp = mp
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        with native_stderr_silenced():
            for landmarker in (self._landmarker, self._counter):
                if landmarker is not None:
                    landmarker.close()
        self._landmarker = self._counter = None

    def _image(self, rgb: np.ndarray) -> Any:
        return self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))

    def detect_all(self, rgb: np.ndarray, t: float) -> list[Pose]:
        with native_stderr_silenced():
            result = self._landmarker.detect_for_video(self._image(rgb), self.timestamp_ms(t))
        people = []
        for normalised, world in zip(result.pose_landmarks, result.pose_world_landmarks, strict=False):
            image = np.array([(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in normalised],
                             dtype=np.float32)
            people.append(Pose(image=image, world=np.array([(p.x, p.y, p.z) for p in world], np.float32)))
        return people

    def people_in_view(self, rgb: np.ndarray, t: float) -> int:
        if self._counter is None:
            return 0
        if self._counted_at is None or t - self._counted_at >= self._count_every:  # type: ignore[operator]
            self._counted = len(self._counter.detect(self._image(rgb)).pose_landmarks)
            self._counted_at = t
        return self._counted
