"""MediaPipe PoseLandmarker in VIDEO mode, yielding plain `Pose` data and following one person."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from posecoach.errors import ModelError
from posecoach.native import native_stderr_silenced
from posecoach.records import VISIBILITY, X, Y, Pose

#: With one pose, VIDEO mode tracks the person from frame to frame and runs the detector only when the
#: track is lost, so it keeps following the same person; asking for two runs the detector on every frame
#: (twice the cost), which only set-up guidance that counts people needs.
MAX_PEOPLE = 1
#: The most people a count looks for: enough to tell "only you" from "not only you".
COUNT_UP_TO = 3


def _bbox(image: np.ndarray) -> np.ndarray:
    """(x0, y0, x1, y1) of the landmarks MediaPipe is fairly sure of."""
    seen = image[image[:, VISIBILITY] > 0.3]
    points = seen if len(seen) >= 4 else image
    return np.array([points[:, X].min(), points[:, Y].min(), points[:, X].max(), points[:, Y].max()])


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


class PersonFollower:
    """Chooses one person among several detections and keeps choosing the same one.

    The first choice is the largest person in view; afterwards the detection that overlaps most with the
    last chosen box wins, so a passer-by does not steal the coach's attention.
    """

    def __init__(self) -> None:
        self._last: np.ndarray | None = None

    def update(self, people: list[Pose]) -> Pose | None:
        if not people:
            return None
        boxes = [_bbox(p.image) for p in people]
        if self._last is None or len(people) == 1:
            areas = [(b[2] - b[0]) * (b[3] - b[1]) for b in boxes]
            best = int(np.argmax(areas)) if self._last is None else 0
        else:
            last = self._last
            best = int(np.argmax([_iou(last, b) for b in boxes]))
        self._last = boxes[best]
        return people[best]


class PoseEstimator:
    """Runs the landmarker over frames in order; open with `with` (the model loads in `__enter__`)."""

    def __init__(
        self,
        model: Path,
        *,
        max_people: int = MAX_PEOPLE,
        min_confidence: float = 0.5,
        count_people_every: float | None = None,
    ) -> None:
        if not 1 <= max_people <= 10:
            raise ValueError(f"max_people must be 1..10, got {max_people}")
        if not 0.0 < min_confidence < 1.0:
            raise ValueError(f"min_confidence must be in (0, 1), got {min_confidence}")
        self.model = Path(model)
        self._max_people = max_people
        self._min_confidence = min_confidence
        self._landmarker: Any = None
        self._mp: Any = None
        self._last_ms = -1
        self._first = True
        self._follower = PersonFollower()
        # Counting everyone in view needs the detector on a whole picture, which tracking one person skips;
        # a second landmarker does it now and then (every `count_people_every` seconds of frame time).
        if count_people_every is not None and count_people_every <= 0:
            raise ValueError(f"count_people_every must be > 0 seconds, got {count_people_every}")
        self._count_every = count_people_every
        self._counter: Any = None
        self._counted_at: float | None = None
        self._counted = 0

    def __enter__(self) -> PoseEstimator:
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self.model)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=self._max_people,
            min_pose_detection_confidence=self._min_confidence,
            min_pose_presence_confidence=self._min_confidence,
            min_tracking_confidence=self._min_confidence,
        )
        try:
            with native_stderr_silenced():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
                if self._count_every is not None:
                    self._counter = vision.PoseLandmarker.create_from_options(
                        vision.PoseLandmarkerOptions(
                            base_options=BaseOptions(model_asset_path=str(self.model)),
                            running_mode=vision.RunningMode.IMAGE,
                            num_poses=COUNT_UP_TO,
                            min_pose_detection_confidence=self._min_confidence,
                            min_pose_presence_confidence=self._min_confidence,
                        )
                    )
        except (RuntimeError, ValueError) as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise ModelError(f"{self.model}: MediaPipe could not load this model ({first_line})") from None
        self._mp = mp
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with native_stderr_silenced():
            for landmarker in (self._landmarker, self._counter):
                if landmarker is not None:
                    landmarker.close()
        self._landmarker = self._counter = None

    def timestamp_ms(self, t: float) -> int:
        """VIDEO mode refuses a timestamp that does not grow, so ties and backward steps move on by 1 ms."""
        ms = max(int(round(t * 1000.0)), self._last_ms + 1)
        self._last_ms = ms
        return ms

    def detect_all(self, rgb: np.ndarray, t: float) -> list[Pose]:
        """Every person found in an RGB (height, width, 3) uint8 image taken at `t` seconds."""
        if self._landmarker is None:
            raise RuntimeError("PoseEstimator must be opened with `with` before use")
        mp = self._mp
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        timestamp = self.timestamp_ms(t)
        if self._first:
            # The first inference logs a couple of native warnings about buffer alignment.
            with native_stderr_silenced():
                result = self._landmarker.detect_for_video(image, timestamp)
            self._first = False
        else:
            result = self._landmarker.detect_for_video(image, timestamp)
        people = []
        for normalised, world in zip(result.pose_landmarks, result.pose_world_landmarks, strict=False):
            img = np.array(
                [(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in normalised], dtype=np.float32
            )
            wld = np.array([(p.x, p.y, p.z) for p in world], dtype=np.float32)
            people.append(Pose(image=img, world=wld))
        return people

    def people_in_view(self, rgb: np.ndarray, t: float) -> int:
        """How many people the last count found (0 when counting is off); counts again when one is due."""
        if self._counter is None:
            return 0
        if self._counted_at is None or t - self._counted_at >= self._count_every:  # type: ignore[operator]
            mp = self._mp
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
            self._counted = len(self._counter.detect(image).pose_landmarks)
            self._counted_at = t
        return self._counted

    def follow(self, people: list[Pose]) -> Pose | None:
        """The person being followed among those found in a frame, or None."""
        return self._follower.update(people)

    def detect(self, rgb: np.ndarray, t: float) -> Pose | None:
        """The followed person in this image, or None when nobody is found."""
        return self.follow(self.detect_all(rgb, t))
