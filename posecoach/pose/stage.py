"""What the pipeline asks of a pose stage, whatever runs it (MediaPipe's PoseLandmarker, or another
model with the same landmarks): everyone in a picture, the one person it follows, and how many are in view."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from posecoach.records import Pose


class PoseStage(Protocol):
    def detect_all(self, rgb: np.ndarray, t: float) -> list[Pose]:
        """Every person found in an RGB (height, width, 3) uint8 picture taken at `t` seconds (called
        with strictly increasing `t`)."""
        ...

    def follow(self, people: list[Pose]) -> Pose | None:
        """The person being followed among those found in a frame, or None."""
        ...

    def people_in_view(self, rgb: np.ndarray, t: float) -> int:
        """How many people are in view (0 when the stage does not count them)."""
        ...
