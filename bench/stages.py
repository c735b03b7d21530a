"""The pose stages a benchmark can put side by side: posecoach's own and MediaPipe's PoseLandmarker."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from posecoach.pose.landmarker import PoseEstimator

NAMES = ("litert", "mediapipe")


def stage_factory(name: str) -> Callable[[Path], Any]:
    """"litert": posecoach's pose stage; "mediapipe": today's PoseLandmarker (needs the `compare` extra)."""
    if name == "litert":
        return PoseEstimator
    if name == "mediapipe":
        from mediapipe_reference import MediaPipeEstimator

        return MediaPipeEstimator
    raise ValueError(f"unknown pose stage {name!r}; choose from {', '.join(NAMES)}")


@contextlib.contextmanager
def stage_in(module: ModuleType, stage: Callable[[Path], Any]) -> Iterator[None]:
    """`module` (a command's) running another pose stage of the same verbs, for as long as the block lasts."""
    saved = module.PoseEstimator
    module.PoseEstimator = stage
    try:
        yield
    finally:
        module.PoseEstimator = saved
