"""How fast `posecoach review` runs compared with bare MediaPipe inference over the same frames.

Both are measured in the same run, alternating, so that a busy machine slows both alike; the figure that
matters is the ratio (target: the whole pipeline at >= 0.80 of the bare inference rate with the lite model).

    python bench/review_speed.py [CLIP] [--model lite] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from posecoach.app import context
from posecoach.app.review import review
from posecoach.native import native_stderr_silenced
from posecoach.resources import DEMO_CLIP, SAMPLE_VIDEOS, data_dir


def decoded_frames(clip: Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(clip))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    capture.release()
    return frames


def bare_inference_fps(model: Path, frames: list[np.ndarray], fps: float) -> float:
    """MediaPipe alone: the landmarker over frames already decoded and converted, nothing else."""
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


def pipeline_fps(clip: Path, model_choice: str, frames: int) -> float:
    """The review's frame pipeline: decode, pose, smoothing, checks, coach, overlay, WebM encode, result.json
    (report.html, written once after the frames, is left out; `report_seconds` times it)."""
    library = context.library()
    model = context.model(model_choice)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        review(clip, "kneeling-hip-flexor", library=library, model=model, out_dir=Path(out), progress=False,
               report=False)
        elapsed = time.perf_counter() - start
    return frames / elapsed


def report_seconds(clip: Path, model_choice: str) -> float:
    """How long report.html takes on top of a review (plots, thumbnails, the page)."""
    from posecoach.app.review import _report

    library = context.library()
    with tempfile.TemporaryDirectory() as out:
        done = review(clip, "kneeling-hip-flexor", library=library, model=context.model(model_choice),
                      out_dir=Path(out), progress=False, report=False)
        start = time.perf_counter()
        _report(Path(out), done.result, library.exercise("kneeling-hip-flexor"), clip)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, default=data_dir(SAMPLE_VIDEOS) / DEMO_CLIP)
    parser.add_argument("--model", default="lite")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    model_path = context.model(args.model).path
    frames = decoded_frames(args.clip)
    fps = cv2.VideoCapture(str(args.clip)).get(cv2.CAP_PROP_FPS) or 30.0
    bare, full = [], []
    for _ in range(args.rounds):
        bare.append(bare_inference_fps(model_path, frames, fps))
        full.append(pipeline_fps(args.clip, args.model, len(frames)))
    b, p = statistics.median(bare), statistics.median(full)
    print(f"clip: {args.clip.name} ({len(frames)} frames, {frames[0].shape[1]}x{frames[0].shape[0]}), model: {args.model}")
    print(f"bare inference:  {b:6.1f} frames/s  (rounds: {', '.join(f'{x:.1f}' for x in bare)})")
    print(f"review pipeline: {p:6.1f} frames/s  (rounds: {', '.join(f'{x:.1f}' for x in full)})")
    print(f"ratio: {p / b:.2f} (target >= 0.80)")
    print(f"report.html afterwards: {report_seconds(args.clip, args.model):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
