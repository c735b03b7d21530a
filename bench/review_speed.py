"""How fast `posecoach review` runs compared with bare pose inference over the same frames.

Both are measured in the same run, alternating, so that a busy machine slows both alike; the figure that
matters is the ratio (target: the whole pipeline at >= 0.80 of the bare inference rate with the lite model).
`--stages litert mediapipe` measures posecoach's LiteRT pose stage and MediaPipe's PoseLandmarker (needs the
`compare` extra) in the same rounds, and how fast each runs against the other. Two clips are measured: a
landscape one (the bundled demo clip, 640x480, or CLIP) and a portrait one as a phone films it (1080x1920,
made in a temporary folder from the landscape clip, or PORTRAIT).

    python bench/review_speed.py [CLIP] [--model lite] [--rounds 3] [--stages litert] [--portrait PORTRAIT]
                                 [--only landscape|portrait]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posecoach.app import context
from posecoach.app import review as review_module
from posecoach.app.review import review
from posecoach.pose.landmarker import PoseEstimator
from posecoach.resources import DEMO_CLIP, SAMPLE_VIDEOS, data_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stages import stage_factory, stage_in  # noqa: E402


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


def bare_inference_fps(stage: Callable[[Path], Any], model: Path, frames: list[np.ndarray], fps: float) -> float:
    """The pose stage alone over frames already decoded and converted, nothing else."""
    with stage(model) as estimator:
        estimator.detect_all(frames[0], 0.0)
        start = time.perf_counter()
        for i, rgb in enumerate(frames, start=1):
            estimator.detect_all(rgb, i / fps)
        elapsed = time.perf_counter() - start
    return len(frames) / elapsed


def pipeline_fps(clip: Path, model_choice: str, frames: int, stage: Callable[[Path], Any] = PoseEstimator) -> float:
    """The review's frame pipeline: decode, pose, smoothing, checks, coach, overlay, WebM encode, result.json
    (report.html, written once after the frames, is left out; `report_seconds` times it)."""
    library = context.library()
    model = context.model(model_choice)
    with tempfile.TemporaryDirectory() as out, stage_in(review_module, stage):
        start = time.perf_counter()
        review(clip, "kneeling-hip-flexor", library=library, model=model, out_dir=Path(out), progress=False,
               report=False)
        elapsed = time.perf_counter() - start
    return frames / elapsed


def report_seconds(clip: Path, model_choice: str) -> float:
    """How long report.html takes on top of a review (plots, thumbnails, the poster, the page)."""
    from functools import partial

    from posecoach.app.review import _report
    from posecoach.outputs.report.thumbnails import poster, thumbnails

    library = context.library()
    with tempfile.TemporaryDirectory() as out:
        done = review(clip, "kneeling-hip-flexor", library=library, model=context.model(model_choice),
                      out_dir=Path(out), progress=False, report=False)
        assert done.video is not None
        videos = [done.video, clip]
        start = time.perf_counter()
        _report(Path(out), done.result, library.exercise("kneeling-hip-flexor"), partial(thumbnails, videos),
                done.video, partial(poster, videos))
        return time.perf_counter() - start


#: A phone held upright.
PHONE_SIZE = (1080, 1920)


def portrait_clip(source: Path, out: Path, size: tuple[int, int] = PHONE_SIZE, frames: int = 360) -> Path:
    """The first `frames` of `source` as a phone held upright would film them: scaled to the phone's width
    and continued above and below (the edge rows repeated), written as MP4 at the same frame rate. (A
    dozen seconds: the decoded frames of the bare-inference run are held in memory, 6 MB each.)"""
    width, height = size
    capture = cv2.VideoCapture(str(source))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    try:
        for _ in range(frames):
            ok, frame = capture.read()
            if not ok:
                break
            scaled = cv2.resize(frame, (width, round(frame.shape[0] * width / frame.shape[1])),
                                interpolation=cv2.INTER_CUBIC)
            above = (height - scaled.shape[0]) // 2
            writer.write(cv2.copyMakeBorder(scaled, above, height - scaled.shape[0] - above, 0, 0,
                                            cv2.BORDER_REPLICATE))
    finally:
        capture.release()
        writer.release()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, default=data_dir(SAMPLE_VIDEOS) / DEMO_CLIP)
    parser.add_argument("--model", default="lite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stages", nargs="+", default=["litert"], choices=["litert", "mediapipe"])
    parser.add_argument("--portrait", type=Path, default=None, help="a portrait clip (default: made from CLIP)")
    parser.add_argument("--only", choices=("landscape", "portrait"), default=None)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.only != "portrait":
        measure(args.clip, args)
    if args.only != "landscape":
        with tempfile.TemporaryDirectory() as scratch:
            measure(args.portrait or portrait_clip(args.clip, Path(scratch) / f"{args.clip.stem}_portrait.mp4"), args)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def measure(clip: Path, args: argparse.Namespace) -> None:
    """One clip's figures, each pose stage against its own bare inference over the same frames."""
    model_path = context.model(args.model).path
    frames = decoded_frames(clip)
    fps = cv2.VideoCapture(str(clip)).get(cv2.CAP_PROP_FPS) or 30.0
    stages = {name: stage_factory(name) for name in args.stages}
    bare: dict[str, list[float]] = {name: [] for name in stages}
    full: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(args.rounds):
        for name, stage in stages.items():
            bare[name].append(bare_inference_fps(stage, model_path, frames, fps))
            full[name].append(pipeline_fps(clip, args.model, len(frames), stage))
    print(f"clip: {clip.name} ({len(frames)} frames, {frames[0].shape[1]}x{frames[0].shape[0]}), model: {args.model}")
    medians = {}
    for name in stages:
        b, p = statistics.median(bare[name]), statistics.median(full[name])
        medians[name] = (b, p)
        print(f"[{name}] bare inference:  {b:6.1f} frames/s  (rounds: {', '.join(f'{x:.1f}' for x in bare[name])})")
        print(f"[{name}] review pipeline: {p:6.1f} frames/s  (rounds: {', '.join(f'{x:.1f}' for x in full[name])})")
        print(f"[{name}] ratio: {p / b:.2f} (target >= 0.80)")
    if {"litert", "mediapipe"} <= set(medians):
        (lb, lp), (mb, mp) = medians["litert"], medians["mediapipe"]
        print(f"litert against mediapipe: bare inference {lb / mb:.2f}x, review pipeline {lp / mp:.2f}x")
    del frames
    print(f"report.html afterwards: {report_seconds(clip, args.model):.2f} s")


if __name__ == "__main__":
    sys.exit(main())
