"""What landmark smoothing does to accuracy and lag on the sample clips (side views, full model).

Three ways to treat the landmarks before measuring: raw; the causal One Euro filter live coaching and
reviews use (PoseSmoother); and a zero-phase filter over the whole track (possible only after the fact).
For each, the angles' mean absolute error against the truth over held frames, and the lag: the shift (in
milliseconds) that best lines the measured angle up with the true one.

    python bench/smoothing.py [--model full] [--cutoff 3.0]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import replace

import numpy as np

from posecoach.app import context
from posecoach.app.check import find_clips, pose_track
from posecoach.pipeline import PoseSmoother, smooth_track
from posecoach.pose.cache import LandmarkCache, default_cache_dir
from posecoach.pose.track import PoseTrack
from posecoach.resources import SAMPLE_VIDEOS, data_dir
from posecoach.rules.engine import RuleEngine
from posecoach.smoothing import zero_phase_smooth
from posecoach.specs.schema import ANGLE_KINDS

MAX_SHIFT = 10  # frames searched either way for the lag
MIN_RANGE = 20.0  # degrees an angle must sweep in a clip for its lag to be measured


def zero_phase(track: PoseTrack, cutoff_hz: float) -> PoseTrack:
    image = track.image.copy()
    image[:, :, :3] = zero_phase_smooth(track.t, track.image[:, :, :3].astype(np.float64), cutoff_hz)
    world = zero_phase_smooth(track.t, track.world.astype(np.float64), cutoff_hz).astype(np.float32)
    return replace(track, image=image, world=world)


def lag_frames(measured: np.ndarray, true: np.ndarray) -> int:
    """The shift k minimising the mean absolute difference of measured[t + k] and true[t]."""
    best, best_err = 0, np.inf
    for k in range(-MAX_SHIFT, MAX_SHIFT + 1):
        a = measured[max(k, 0): len(measured) + min(k, 0)]
        b = true[max(-k, 0): len(true) - max(k, 0)]
        err = np.nanmean(np.abs(a - b))
        if err < best_err:
            best, best_err = k, err
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="full")
    parser.add_argument("--cutoff", type=float, default=3.0, help="zero-phase cut-off frequency (Hz)")
    args = parser.parse_args()
    cache = LandmarkCache(default_cache_dir())
    library = context.library()
    results: dict[str, list[tuple[float, int | None]]] = {"raw": [], "one-euro (causal)": [], "zero-phase": []}
    for clip in find_clips([data_dir(SAMPLE_VIDEOS)]):
        truth = json.loads(gzip.decompress(clip.with_name(f"{clip.stem}.truth.json.gz").read_bytes()))
        if truth["view"] != "side":
            continue
        exercise = library.exercise(truth["exercise"])
        raw, _ = pose_track(clip, context.model(args.model).path, cache)
        frames = truth["frames"]
        held = np.array([f["held"] for f in frames])
        side = np.array([0 if f["side"] in ("left", None) else 1 for f in frames], np.int8)
        variants = {
            "raw": raw,
            "one-euro (causal)": smooth_track(raw, PoseSmoother()),
            "zero-phase": zero_phase(raw, args.cutoff),
        }
        for label, track in variants.items():
            values = RuleEngine(exercise, library.rules).measure_track(
                track.image, track.world, side, track.size[0] / track.size[1]
            ).values
            for m in exercise.measures:
                if m.kind not in ANGLE_KINDS or m.name not in frames[0]["angles"]:
                    continue
                true = np.array([f["angles"][m.name] for f in frames], dtype=float)
                err = np.abs(values[m.name] - true)[held]
                # A lag is only defined for an angle that moves (reps, getting into position).
                moves = np.nanmax(true) - np.nanmin(true) > MIN_RANGE
                lag = lag_frames(values[m.name], true) if moves else None
                results[label].append((float(np.nanmean(err)), lag))
    fps = 30.0
    print(f"model {args.model}, side-view sample clips, every angle of every exercise")
    print("| landmarks | angle MAE (deg, mean over angles) | median lag (ms) | worst lag (ms) |")
    print("|---|---|---|---|")
    for label, rows in results.items():
        maes = [r[0] for r in rows]
        lags = np.array([r[1] for r in rows if r[1] is not None]) * 1000.0 / fps
        print(f"| {label} | {np.mean(maes):.2f} | {np.median(lags):.0f} | {np.max(lags):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
