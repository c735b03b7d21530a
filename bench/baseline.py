"""The baseline the speed benchmarks compare with: bare MediaPipe inference over frames already decoded,
measured in the same run as the figure it is compared with (shared machines are noisy; a ratio is not)."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

from posecoach.native import native_stderr_silenced


def decoded_frames(clip: Path, limit: int | None = None) -> list[np.ndarray]:
    """The clip's frames (at most `limit`), decoded and converted to RGB, as the landmarker takes them."""
    capture = cv2.VideoCapture(str(clip))
    frames = []
    while limit is None or len(frames) < limit:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    capture.release()
    return frames


def bare_inference_fps(model: Path, frames: list[np.ndarray], fps: float) -> float:
    """MediaPipe alone: the landmarker (VIDEO mode, one person) over frames already decoded and converted,
    nothing else."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)), running_mode=vision.RunningMode.VIDEO, num_poses=1
    )
    with native_stderr_silenced():
        landmarker = vision.PoseLandmarker.create_from_options(options)
        landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=frames[0]), 0)
    start = time.perf_counter()
    for i, rgb in enumerate(frames, start=1):
        landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), int(i * 1000 / fps))
    elapsed = time.perf_counter() - start
    with native_stderr_silenced():
        landmarker.close()
    return len(frames) / elapsed
