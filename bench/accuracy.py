"""Accuracy of posecoach on the sample clips against their ground truth, with the lite and full models.

For every clip, exercise and angle: the mean absolute error and 95th percentile of the measured angle
against the true one over the frames where the pose is held, measured in the image plane (what the specs
use) and from MediaPipe's 3D world landmarks; the detection rate; and whether `posecoach check` agrees
with the clip's expectations (verdict agreement). Landmarks come from the cache, so a second run is quick.

    python bench/accuracy.py [--models lite full] [--clips sample_videos]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from posecoach.app import context
from posecoach.app.check import find_clips, pose_track, run_clip
from posecoach.pipeline import PoseSmoother, smooth_track
from posecoach.pose.cache import LandmarkCache, default_cache_dir
from posecoach.resources import SAMPLE_VIDEOS, data_dir
from posecoach.rules.engine import RuleEngine
from posecoach.specs.schema import ANGLE_KINDS, Exercise
from posecoach.verify.expectations import load_expectations


def with_world_twins(exercise: Exercise) -> Exercise:
    """The exercise plus a world-space twin ("<name>@3d") of each angle measure."""
    twins = [
        m.model_copy(update={"name": f"{m.name}_3d", "space": "world"})
        for m in exercise.measures
        if m.kind in ANGLE_KINDS
    ]
    return exercise.model_copy(update={"measures": (*exercise.measures, *twins)})


def angle_errors(clip: Path, model: str, cache: LandmarkCache) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], float, dict]:
    """Per angle name: (image-plane errors, world errors) over held frames; the detection rate; truth meta."""
    truth = json.loads(gzip.decompress(clip.with_name(f"{clip.stem}.truth.json.gz").read_bytes()))
    library = context.library()
    exercise = library.exercise(truth["exercise"])
    track, _ = pose_track(clip, context.model(model).path, cache)
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
    parser.add_argument("--clips", type=Path, default=data_dir(SAMPLE_VIDEOS))
    args = parser.parse_args()
    cache = LandmarkCache(default_cache_dir())
    expectations = load_expectations(args.clips / "expectations.toml")
    clips = find_clips([args.clips])
    # (exercise, view, angle) -> model -> (2d errors, 3d errors)
    table: dict[tuple[str, str, str], dict[str, tuple[list, list]]] = defaultdict(lambda: defaultdict(lambda: ([], [])))
    detection: dict[str, list[float]] = defaultdict(list)
    agreement: dict[str, list[bool]] = defaultdict(list)
    for model in args.models:
        for clip in clips:
            errors, rate, truth = angle_errors(clip, model, cache)
            detection[model].append(rate)
            for name, (e2, e3) in errors.items():
                cell = table[(truth["exercise"], truth["view"], name)][model]
                cell[0].append(e2)
                cell[1].append(e3)
            report = run_clip(expectations[clip], model, cache.folder, ())
            agreement[model].append(report.passed)
    header = "| exercise | view | angle | " + " | ".join(
        f"{m} 2D MAE / p95 | {m} 3D MAE / p95" for m in args.models
    ) + " |"
    print(header)
    print("|" + "---|" * (3 + 2 * len(args.models)))
    for (exercise, view, name), cells in sorted(table.items()):
        row = [exercise, view, name]
        for model in args.models:
            e2, e3 = cells[model]
            row += [stats(np.concatenate(e2)), stats(np.concatenate(e3))]
        print("| " + " | ".join(row) + " |")
    print()
    for model in args.models:
        rates = detection[model]
        agreed = agreement[model]
        print(f"{model}: person detected in {np.mean(rates):.1%} of frames (lowest clip {min(rates):.1%}); "
              f"verdict agreement {sum(agreed)}/{len(agreed)} clips")
    return 0


if __name__ == "__main__":
    sys.exit(main())
