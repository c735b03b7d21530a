"""Accuracy of posecoach on the sample clips against their ground truth, per model and pose stage.

For every clip, exercise and angle: the mean absolute error and 95th percentile of the measured angle
against the true one over the frames where the pose is held, measured in the image plane (what the specs
use) and from MediaPipe's 3D world landmarks; the detection rate; and whether `posecoach check` agrees
with the clip's expectations (verdict agreement). Landmarks come from the cache, so a second run is quick.
`--stages litert mediapipe` puts posecoach's LiteRT pose stage and MediaPipe's PoseLandmarker (needs the
`compare` extra) side by side, each column named model/stage.

    python bench/accuracy.py [--models lite full] [--stages litert] [--clips sample_videos]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from posecoach.app import context
from posecoach.app.check import find_clips, pose_track, run_clip
from posecoach.pipeline import PoseSmoother, smooth_track
from posecoach.pose.cache import LandmarkCache, default_cache_dir
from posecoach.pose.landmarker import PoseEstimator
from posecoach.resources import SAMPLE_VIDEOS, data_dir
from posecoach.rules.engine import RuleEngine
from posecoach.specs.schema import ANGLE_KINDS, Exercise
from posecoach.verify.expectations import load_expectations

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stages import stage_factory  # noqa: E402


def with_world_twins(exercise: Exercise) -> Exercise:
    """The exercise plus a world-space twin ("<name>@3d") of each angle measure."""
    twins = [
        m.model_copy(update={"name": f"{m.name}_3d", "space": "world"})
        for m in exercise.measures
        if m.kind in ANGLE_KINDS
    ]
    return exercise.model_copy(update={"measures": (*exercise.measures, *twins)})


def angle_errors(clip: Path, model: str, cache: LandmarkCache, stage: Callable[[Path], Any] = PoseEstimator
                 ) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], float, dict]:
    """Per angle name: (image-plane errors, world errors) over held frames; the detection rate; truth meta."""
    truth = json.loads(gzip.decompress(clip.with_name(f"{clip.stem}.truth.json.gz").read_bytes()))
    library = context.library()
    exercise = library.exercise(truth["exercise"])
    track, _ = pose_track(clip, context.model(model).path, cache, stage)
    track = smooth_track(track, PoseSmoother())
    engine = RuleEngine(with_world_twins(exercise), library.rules)
    frames = truth["frames"]
    held = np.array([f["held"] for f in frames])
    # The true side binding: this measures the angles, not the side decision (checked by `check`).
    side = np.array([0 if f["side"] in ("left", None) else 1 for f in frames], np.int8)
    values = engine.measure_track(track.image, track.world, side, track.size[0] / track.size[1]).values
    errors = {}
    for m in exercise.measures:
        if m.kind not in ANGLE_KINDS or m.name not in frames[0]["angles"]:
            continue
        true = np.array([f["angles"][m.name] for f in frames], dtype=float)
        e2 = np.abs(values[m.name] - true)[held]
        e3 = np.abs(values[f"{m.name}_3d"] - true)[held]
        errors[m.name] = (e2[~np.isnan(e2)], e3[~np.isnan(e3)])
    return errors, float(np.mean(track.found)), truth


def stats(errors: np.ndarray) -> str:
    if errors.size == 0:
        return "   n/a    "
    return f"{np.mean(errors):4.1f} / {np.percentile(errors, 95):4.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["lite", "full"])
    parser.add_argument("--stages", nargs="+", default=["litert"], choices=["litert", "mediapipe"])
    parser.add_argument("--clips", type=Path, default=data_dir(SAMPLE_VIDEOS))
    args = parser.parse_args()
    columns = [(m, s) for m in args.models for s in args.stages]
    names = [m if len(args.stages) == 1 else f"{m}/{s}" for m, s in columns]
    cache = LandmarkCache(default_cache_dir())
    expectations = load_expectations(args.clips / "expectations.toml")
    clips = find_clips([args.clips])
    # (exercise, view, angle) -> model -> (2d errors, 3d errors)
    table: dict[tuple[str, str, str], dict[str, tuple[list, list]]] = defaultdict(lambda: defaultdict(lambda: ([], [])))
    detection: dict[str, list[float]] = defaultdict(list)
    agreement: dict[str, list[bool]] = defaultdict(list)
    for (model, stage_name), column in zip(columns, names):
        stage = stage_factory(stage_name)
        for clip in clips:
            errors, rate, truth = angle_errors(clip, model, cache, stage)
            detection[column].append(rate)
            for name, (e2, e3) in errors.items():
                cell = table[(truth["exercise"], truth["view"], name)][column]
                cell[0].append(e2)
                cell[1].append(e3)
            report = run_clip(expectations[clip], model, cache.folder, (), stage)
            agreement[column].append(report.passed)
    header = "| exercise | view | angle | " + " | ".join(
        f"{m} 2D MAE / p95 | {m} 3D MAE / p95" for m in names
    ) + " |"
    print(header)
    print("|" + "---|" * (3 + 2 * len(names)))
    for (exercise, view, name), cells in sorted(table.items()):
        row = [exercise, view, name]
        for column in names:
            e2, e3 = cells[column]
            row += [stats(np.concatenate(e2)) if e2 else "   n/a    ", stats(np.concatenate(e3)) if e3 else "   n/a    "]
        print("| " + " | ".join(row) + " |")
    print()
    for column in names:
        rates = detection[column]
        agreed = agreement[column]
        print(f"{column}: person detected in {np.mean(rates):.1%} of frames (lowest clip {min(rates):.1%}); "
              f"verdict agreement {sum(agreed)}/{len(agreed)} clips")
    return 0


if __name__ == "__main__":
    sys.exit(main())
