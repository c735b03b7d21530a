"""The pose stage: BlazePose (the models of MediaPipe's PoseLandmarker) yielding plain `Pose` data and
following one person. It runs on the LiteRT interpreter, so nothing in this process talks to a network."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import numpy as np

from posecoach.native import native_stderr_silenced
from posecoach.pose.blazepose import BlazePose
from posecoach.records import VISIBILITY, X, Y, Pose

#: With one pose, a video is tracked from frame to frame and the detector runs only when the track is
#: lost, so it keeps following the same person; asking for two runs the detector on every frame
#: (twice the cost), which only set-up guidance that counts people needs.
MAX_PEOPLE = 1
#: The most people a count looks for: enough to tell "only you" from "not only you".
COUNT_UP_TO = 3
#: Names what the stage produces for a clip and model, for the landmark cache: bump it when that changes.
STAGE = "blazepose-litert-1"


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


class FollowingStage:
    """What a pose stage does around its model: frames taken in time order, one person followed among
    those found. Subclasses provide `detect_all`."""

    def __init__(self) -> None:
        self._last_ms = -1
        self._follower = PersonFollower()

    def timestamp_ms(self, t: float) -> int:
        """Frames are taken in time order: ties and backward steps move on by 1 ms."""
        ms = max(int(round(t * 1000.0)), self._last_ms + 1)
        self._last_ms = ms
        return ms

    def detect_all(self, rgb: np.ndarray, t: float) -> list[Pose]:
        raise NotImplementedError

    def follow(self, people: list[Pose]) -> Pose | None:
        """The person being followed among those found in a frame, or None."""
        return self._follower.update(people)

    def detect(self, rgb: np.ndarray, t: float) -> Pose | None:
        """The followed person in this image, or None when nobody is found."""
        return self.follow(self.detect_all(rgb, t))


class PoseEstimator(FollowingStage):
    """Runs the pose models over frames in order; open with `with` (the models load in `__enter__`)."""

    stage = STAGE

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
        if count_people_every is not None and count_people_every <= 0:
            raise ValueError(f"count_people_every must be > 0 seconds, got {count_people_every}")
        super().__init__()
        self.model = Path(model)
        self._max_people = max_people
        self._min_confidence = min_confidence
        self._pose: BlazePose | None = None
        # Counting everyone in view needs the detector on a whole picture, which tracking one person skips;
        # it is done now and then (every `count_people_every` seconds of frame time).
        self._count_every = count_people_every
        self._counted_at: float | None = None
        self._counted = 0

    def __enter__(self) -> PoseEstimator:
        # LiteRT announces its XNNPACK delegate on fd 2 when a model loads.
        with native_stderr_silenced():
            self._pose = BlazePose(
                self.model,
                max_people=self._max_people,
                min_detection=self._min_confidence,
                min_presence=self._min_confidence,
                min_tracking=self._min_confidence,
            )
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._pose = None

    def detect_all(self, rgb: np.ndarray, t: float) -> list[Pose]:
        """Every person found in an RGB (height, width, 3) uint8 image taken at `t` seconds."""
        if self._pose is None:
            raise RuntimeError("PoseEstimator must be opened with `with` before use")
        seconds = self.timestamp_ms(t) / 1000.0
        return [Pose(image=p.image, world=p.world) for p in self._pose.video(np.ascontiguousarray(rgb), seconds)]

    def people_in_view(self, rgb: np.ndarray, t: float) -> int:
        """How many people the last count found (0 when counting is off); counts again when one is due."""
        if self._count_every is None or self._pose is None:
            return 0
        if self._counted_at is None or t - self._counted_at >= self._count_every:
            self._counted = len(self._pose.image(np.ascontiguousarray(rgb), max_people=COUNT_UP_TO))
            self._counted_at = t
        return self._counted
