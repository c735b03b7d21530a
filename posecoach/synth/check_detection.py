"""Does the pose stage find the synthetic person? Detection rate and landmark pixel error per clip.

python -m posecoach.synth.check_detection CLIP_DIR [--models DIR] [--only NAME...]
Prints a table per model (lite, full): the share of frames with a pose, and the mean pixel distance of
shoulders, hips, knees and ankles from the truth, as labelled and with left/right allowed to swap.
Not imported by the generator: it needs the pose stage and the .task model files.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from posecoach.synth.landmarks import NAMES
from posecoach.synth.truth import TRUTH_SUFFIX, load_truth

PARTS = ("shoulder", "hip", "knee", "ankle")
LEFT = [NAMES.index(f"left_{p}") for p in PARTS]
RIGHT = [NAMES.index(f"right_{p}") for p in PARTS]


@dataclass(frozen=True, slots=True)
class ClipScore:
    """detected: share of frames with a pose; error_px: mean distance as labelled; swap_px: with the sides
    matched the better way round per frame; worst: the part with the largest labelled error."""

    clip: str
    frames: int
    detected: float
    error_px: float
    swap_px: float
    worst: str


def score_clip(video: Path, model: Path) -> ClipScore:
    """Run the pose stage over the clip, frame by frame as a video, and compare with its truth file."""
    from posecoach.pose.landmarker import PoseEstimator

    truth = load_truth(video.with_name(video.stem + TRUTH_SUFFIX))
    fps = float(truth["fps"])
    cap = cv2.VideoCapture(str(video))
    errors, swaps, per_part = [], [], []
    n = hits = 0
    with PoseEstimator(model) as estimator:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            rgb = np.ascontiguousarray(bgr[..., ::-1])
            pose = estimator.detect(rgb, n / fps)
            h, w = rgb.shape[:2]
            if pose is not None:
                hits += 1
                got = pose.image[:, :2] * np.array([w, h])
                want = np.array([truth["frames"][n]["joints2d"][name] for name in NAMES])
                idx = LEFT + RIGHT
                d = np.linalg.norm(got[idx] - want[idx], axis=1)
                d_swap = np.linalg.norm(got[RIGHT + LEFT] - want[idx], axis=1)
                errors.append(d.mean())
                swaps.append(min(d.mean(), d_swap.mean()))
                per_part.append(d)
            n += 1
    cap.release()
    worst = "-"
    if per_part:
        mean_part = np.mean(per_part, axis=0)
        labels = [f"left_{p}" for p in PARTS] + [f"right_{p}" for p in PARTS]
        worst = f"{labels[int(np.argmax(mean_part))]} {mean_part.max():.0f}"
    return ClipScore(video.name, n, hits / max(n, 1), float(np.mean(errors)) if errors else float("nan"),
                     float(np.mean(swaps)) if swaps else float("nan"), worst)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posecoach.synth.check_detection")
    parser.add_argument("clip_dir", type=Path)
    parser.add_argument("--models", type=Path, default=Path("models"))
    parser.add_argument("--only", nargs="+", default=None)
    parser.add_argument("--variants", nargs="+", default=["lite", "full"])
    args = parser.parse_args(argv)
    videos = sorted(args.clip_dir.glob("*.mp4"))
    if args.only:
        videos = [v for v in videos if any(o in v.name for o in args.only)]
    for variant in args.variants:
        model = args.models / f"pose_landmarker_{variant}.task"
        print(f"\n## {variant}\n")
        print("| clip | frames | detected | error px | swap-tolerant px | worst part |")
        print("|---|---:|---:|---:|---:|---|")
        for video in videos:
            s = score_clip(video, model)
            print(f"| {s.clip} | {s.frames} | {100 * s.detected:.1f}% | {s.error_px:.1f} | {s.swap_px:.1f} | "
                  f"{s.worst} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
